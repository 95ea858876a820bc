import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { BlobStore } from '../blobstore/blob-store';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { UNSTORABLE_TEXT, unstorableTextAt } from '../domain/unstorable-text';
import type { AssetUpload, UploadedFile } from '../services/uploaded-file';

export interface UploadLimits {
  maxUploadBytes: number;
  maxFilesPerUpload: number;
}

const MAX_FIELD_BYTES = 1024 * 1024;
/** The longest file name most file systems keep; longer ones are refused before anything is written. */
export const MAX_FILENAME_BYTES = 255;

/**
 * Streams every `file` part of a multipart request into the blob store's temporary area and
 * collects the text fields. On any problem all temporary files are deleted before the error is
 * thrown, so a failed upload leaves nothing behind. Committing the blobs is the caller's job.
 */
export function parseMultipartUpload(
  req: IncomingMessage,
  blobs: BlobStore,
  limits: UploadLimits,
): Promise<AssetUpload> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    return Promise.reject(
      new AssetflowError(
        ErrorCodes.MULTIPART_INVALID,
        'Send the file as multipart/form-data with a field named "file".',
        415,
        {
          contentType,
        },
      ),
    );
  }

  return new Promise((resolve, reject) => {
    const files: Promise<UploadedFile>[] = [];
    /** File parts still being written: destroyed if the client goes away mid-upload. */
    const open = new Set<NodeJS.ReadableStream & { destroy(error?: Error): void }>();
    const fields: Record<string, string> = {};
    let failure: AssetflowError | undefined;
    const fail = (error: AssetflowError) => {
      failure ??= error;
    };

    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8', // file names are UTF-8 (Chinese names must survive)
        limits: {
          fileSize: limits.maxUploadBytes,
          files: limits.maxFilesPerUpload,
          fieldSize: MAX_FIELD_BYTES,
          fields: 50,
        },
      });
    } catch (error) {
      reject(
        new AssetflowError(
          ErrorCodes.MULTIPART_INVALID,
          `Malformed multipart request: ${(error as Error).message}`,
          400,
        ),
      );
      return;
    }

    parser.on('file', (name, stream, info) => {
      if (Buffer.byteLength(info.filename ?? '') > MAX_FILENAME_BYTES) {
        stream.resume();
        fail(
          new AssetflowError(
            ErrorCodes.VALIDATION_FAILED,
            `A file name is longer than ${MAX_FILENAME_BYTES} bytes; rename the file.`,
            400,
            { maxFilenameBytes: MAX_FILENAME_BYTES },
          ),
        );
        return;
      }
      if (name !== 'file') {
        stream.resume();
        fail(
          new AssetflowError(
            ErrorCodes.VALIDATION_FAILED,
            `Unexpected file field "${name}"; files go in fields named "file".`,
            400,
            { field: name },
          ),
        );
        return;
      }
      open.add(stream);
      stream.once('end', () => open.delete(stream));
      files.push(
        blobs.write(stream).then((blob) => {
          if ((stream as { truncated?: boolean }).truncated) {
            fail(
              new AssetflowError(
                ErrorCodes.FILE_TOO_LARGE,
                `"${info.filename}" is larger than the limit of ${limits.maxUploadBytes} bytes.`,
                413,
                {
                  filename: info.filename,
                  maxUploadBytes: limits.maxUploadBytes,
                },
              ),
            );
          }
          return { blob, filename: info.filename || 'unnamed', declaredMediaType: info.mimeType };
        }),
      );
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        fail(
          new AssetflowError(
            ErrorCodes.VALIDATION_FAILED,
            `Field "${name}" is longer than ${MAX_FIELD_BYTES} bytes.`,
            400,
            { field: name },
          ),
        );
      }
      if (unstorableTextAt({ [name]: value }) !== undefined)
        fail(
          new AssetflowError(
            ErrorCodes.VALIDATION_FAILED,
            `Field "${name}" contains ${UNSTORABLE_TEXT}.`,
            400,
            {
              field: name,
            },
          ),
        );
      fields[name] = value;
    });
    parser.on('filesLimit', () =>
      fail(
        new AssetflowError(
          ErrorCodes.TOO_MANY_FILES,
          `At most ${limits.maxFilesPerUpload} files per request.`,
          413,
          {
            maxFilesPerUpload: limits.maxFilesPerUpload,
          },
        ),
      ),
    );

    let finished = false;
    const finish = async (parseError?: Error) => {
      if (finished) return;
      finished = true;
      const settled = await Promise.allSettled(files);
      const written = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      const writeError = settled.find((s) => s.status === 'rejected');
      const error =
        failure ??
        (parseError || writeError
          ? new AssetflowError(
              ErrorCodes.MULTIPART_INVALID,
              `Malformed or interrupted upload: ${(parseError ?? (writeError as PromiseRejectedResult).reason).message}`,
              400,
            )
          : undefined);
      if (error) {
        await Promise.all(written.map((f) => f.blob.discard()));
        reject(error);
      } else {
        resolve({ files: written, fields });
      }
    };
    parser.on('close', () => void finish());
    parser.on('error', (error: Error) => void finish(error));
    // A client that disconnects (or a server timeout) ends the request without ending the parser:
    // without this, the half-written temporary files and their descriptors would stay open.
    req.once('close', () => {
      if (finished || req.complete) return;
      const interrupted = new Error('the client closed the connection before the upload was complete');
      for (const stream of open) stream.destroy(interrupted);
      parser.destroy();
      void finish(interrupted);
    });
    req.pipe(parser);
  });
}
