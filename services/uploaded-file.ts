import type { PendingBlob } from '../blobstore/blob-store';

/** One file of an upload, already streamed into the blob store's temporary area. */
export interface UploadedFile {
  blob: PendingBlob;
  /** The client's file name, kept for display only; never used as a path. */
  filename: string;
  /** The client's declared type; the real type is found from the bytes by analysis. */
  declaredMediaType: string;
}

/** An upload request: its files and its text fields (`metadata`, `ruleSet`). */
export interface AssetUpload {
  files: UploadedFile[];
  fields: Record<string, string>;
}
