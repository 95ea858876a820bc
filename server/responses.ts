import type { Readable } from 'node:stream';
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

/** A file whose bytes are reachable: a local file or marked bytes, an opened stream, or a URL of the store. */
export interface ReadyFile {
  file: OutgoingFile;
  url?: string;
  stream?: Readable;
}

/**
 * Makes sure a file can leave before anything is recorded or any header is set: opens the
 * stream of an original in object storage, or — for a download (`attachment`) when `handOff`
 * is allowed and the store can — asks for a short-lived URL of the store. Whatever fails here
 * fails as an ordinary error response, with nothing in the trail.
 */
export async function readyFile(
  file: OutgoingFile,
  wanted: 'inline' | 'attachment',
  options: { handOff: boolean },
): Promise<ReadyFile> {
  if (options.handOff && wanted === 'attachment' && !file.bytes && file.handOff) {
    const url = await file.handOff();
    if (url) return { file, url };
  }
  if (!file.bytes && !file.file) return { file, stream: await file.open!() };
  return { file };
}

/**
 * Sends a ready file with the recipient-facing name: a 303 to the store's URL, the marked bytes,
 * the stream (an original in object storage, never written to this machine's disk), or the file.
 */
export async function sendFile(
  res: Response,
  ready: ReadyFile,
  wanted: 'inline' | 'attachment',
): Promise<void> {
  const { file } = ready;
  res.set('Cache-Control', 'private, no-store');
  // Which version left is never ambiguous: the newest at the moment of the download.
  if (file.version !== undefined) res.set('X-Assetflow-Version', String(file.version));
  if (ready.url) {
    res.redirect(303, ready.url);
    return;
  }
  // attachment() also sets a type from the file name's extension: the detected type goes after it.
  if (wanted === 'attachment' || !INLINE_TYPES.has(file.mediaType)) res.attachment(file.filename);
  fileHeaders(res, file.mediaType);
  // Marked for this recipient: the bytes exist only in this response.
  if (file.bytes) {
    res.send(file.bytes);
    return;
  }
  if (ready.stream) {
    res.set('Content-Length', String(file.sizeBytes));
    await pipeline(ready.stream, res);
    return;
  }
  // Paths come from digests and keys we made, never from the request; the default blob root is
  // a dot-directory, which sendFile refuses unless told.
  res.sendFile(file.file!, { dotfiles: 'allow' });
}
