import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Kysely } from 'kysely';
import { openDatabase } from '../catalogue/database';
import { loadSnapshot, verifySnapshotLoaded, writeSnapshot } from '../catalogue/snapshot';
import type { AppConfig } from '../config/config.schema';
import { AssetflowError, ErrorCodes } from '../domain/errors';

/**
 * Assetflow 0.1 kept the embedded catalogue in PGlite (`.assetflow/pglite`), which only one process
 * can open. On the first start of the PostgreSQL default, that catalogue is copied into the new
 * server (a snapshot and a load, checked row by row and by the trail's head hash); the old
 * directory is left where it is until the user removes it.
 */

/** Where Assetflow 0.1 kept the catalogue, beside the new data directory. */
export function legacyPgliteDir(config: AppConfig): string {
  return path.join(path.dirname(config.database.dataDir), 'pglite');
}

const MOVED_MARKER = 'moved-from-pglite.json';

/**
 * Moves the legacy catalogue into the server at `url` once. Called only by the process that owns
 * the embedded server, so two processes never move it at the same time.
 */
export async function migrateLegacyPglite(
  config: AppConfig,
  url: string,
  log: (message: string) => void = () => {},
): Promise<void> {
  const legacy = legacyPgliteDir(config);
  const marker = path.join(config.database.dataDir, MOVED_MARKER);
  if (!existsSync(path.join(legacy, 'PG_VERSION')) || existsSync(marker)) return;

  log(`Moving the catalogue from PGlite (${legacy}) into the embedded PostgreSQL…`);
  const work = await mkdtemp(path.join(config.database.dataDir, 'pglite-move-'));
  let pglite: PGlite | undefined;
  try {
    try {
      pglite = await PGlite.create(legacy, { extensions: { pg_trgm } });
    } catch (error) {
      throw new AssetflowError(
        ErrorCodes.EMBEDDED_SERVER_FAILED,
        `The PGlite catalogue in ${legacy} cannot be opened (${(error as Error).message}), so it cannot be moved. ` +
          `Move that directory aside to start with an empty catalogue; the blobs in ${config.blobs.dir} are untouched.`,
        500,
      );
    }
    const source = pglite;
    const manifest = await writeSnapshot(
      {
        query: async <T>(text: string) => (await source.query<T>(text)).rows,
        // A laptop's catalogue fits in memory: PGlite has no cursors to page through it anyway.
        writeLines: async (select, file) => {
          const { rows } = await source.query<{ line: string }>(select);
          await writeFile(file, rows.map((row) => `${row.line}\n`).join(''), { flag: 'wx' });
        },
      },
      work,
    );
    const target = await openDatabase({ url, migrate: false });
    try {
      await loadSnapshot(target.db as Kysely<unknown>, url, work).catch(async (error) => {
        // Killed after the load committed but before the marker was written: the rows are
        // there already. Anything else in the target is not ours to overwrite.
        const alreadyMoved = await verifySnapshotLoaded(target.db as Kysely<unknown>, manifest).then(
          () => true,
          () => false,
        );
        if (!alreadyMoved) {
          throw new AssetflowError(
            ErrorCodes.EMBEDDED_SERVER_FAILED,
            `The PGlite catalogue in ${legacy} cannot be moved into ${config.database.dataDir} (${(error as Error).message}). ` +
              `Move one of the two directories aside.`,
            500,
          );
        }
      });
    } finally {
      await target.close();
    }
    const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
    await writeFile(
      marker,
      `${JSON.stringify({ from: legacy, movedAt: new Date().toISOString(), ...manifest }, null, 2)}\n`,
    );
    log(
      `Moved ${rows} rows in ${manifest.tables.length} tables; trail head ${manifest.trailHead?.hash ?? '(empty)'} unchanged. ` +
        `The old directory ${legacy} is no longer used: remove it when you are satisfied.`,
    );
  } finally {
    await pglite?.close();
    await rm(work, { recursive: true, force: true });
  }
}
