import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { OutgoingFile } from '../services/distribution.service';

/**
 * Types a browser may show from the app's own origin: raster images, which carry no script and
 * no markup. Anything else a person uploaded — SVG, XHTML, HTML, JavaScript, PDF — is only ever
 * downloaded, never rendered here, whatever it declares or `?inline=true` asks.
 */
export const INLINE_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
]);

/** On every response that carries a user's bytes: no script, no plugin, no same-origin rights. */
export const FILE_CSP = "sandbox; default-src 'none'";

/** Headers every user file gets, whichever route sends it. */
export function fileHeaders(res: Response, mediaType: string): void {
  res.type(mediaType);
  res.set('Content-Security-Policy', FILE_CSP);
}

/**
 * Sends a file from the blob store with the recipient-facing name. A download (`attachment`) of a
 * file the store can hand out itself is a 303 to a short-lived URL of the store (recorded in the
 * trail by the caller first, like any download).
 */
export async function sendFile(
  res: Response,
  file: OutgoingFile,
  wanted: 'inline' | 'attachment',
): Promise<void> {
  if (wanted === 'attachment' && !file.bytes && file.handOff) {
    const url = await file.handOff();
    if (url) {
      res.set('Cache-Control', 'private, no-store');
      res.redirect(303, url);
      return;
    }
  }
  // attachment() also sets a type from the file name's extension: the detected type goes after it.
  if (wanted === 'attachment' || !INLINE_TYPES.has(file.mediaType)) res.attachment(file.filename);
  fileHeaders(res, file.mediaType);
  res.set('Cache-Control', 'private, no-store');
  // Which version left is never ambiguous: the newest at the moment of the download.
  if (file.version !== undefined) res.set('X-Assetflow-Version', String(file.version));
  // Marked for this recipient: the bytes exist only in this response.
  if (file.bytes) {
    res.send(file.bytes);
    return;
  }
  if (!file.file) {
    // An original in object storage: streamed through, never written to this machine's disk.
    res.set('Content-Length', String(file.sizeBytes));
    await pipeline(await file.open!(), res);
    return;
  }
  // Paths come from digests and keys we made, never from the request; the default blob root is
  // a dot-directory, which sendFile refuses unless told.
  res.sendFile(file.file, { dotfiles: 'allow' });
}
