import type { Request, Response } from 'express';
import type { OutgoingFile } from '../services/distribution.service';

/** Sends a file from the blob store with the recipient-facing name. */
export function sendFile(res: Response, file: OutgoingFile, disposition: 'inline' | 'attachment'): void {
  res.type(file.mediaType);
  if (disposition === 'attachment') res.attachment(file.filename);
  res.set('Cache-Control', 'private, no-store');
  // Which version left is never ambiguous: the newest at the moment of the download.
  if (file.version !== undefined) res.set('X-Assetflow-Version', String(file.version));
  // Marked for this recipient: the bytes exist only in this response.
  if (file.bytes) {
    res.send(file.bytes);
    return;
  }
  // Paths come from digests and keys we made, never from the request; the default blob root is
  // a dot-directory, which sendFile refuses unless told.
  res.sendFile(file.file, { dotfiles: 'allow' });
}

/** `?after=<seq>&limit=<n>` of the trail endpoints; anything malformed is ignored. */
export function paging(req: Request): { after?: number; limit?: number } {
  const after = Number(req.query.after);
  const limit = Number(req.query.limit);
  return {
    ...(Number.isInteger(after) && after >= 0 ? { after } : {}),
    ...(Number.isInteger(limit) && limit > 0 ? { limit } : {}),
  };
}
