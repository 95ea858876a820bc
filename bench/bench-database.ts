import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../catalogue/database';
import { openEmbeddedPostgres } from '../runtime/embedded-postgres';
import { openScratchDatabase } from '../test/support/test-databases';

/**
 * A fresh, migrated catalogue for a benchmark, in a database of its own that is dropped at the
 * end: on DATABASE_URL's server when set, else on an embedded PostgreSQL started for the run (the
 * `npm start` default). `label` says which, for the printed results.
 */
export async function openBenchDatabase(): Promise<Database & { label: string }> {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  let label = 'PostgreSQL at DATABASE_URL';
  if (!serverUrl) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-bench-postgres-'));
    const embedded = await openEmbeddedPostgres({ dataDir, use: 'service' });
    serverUrl = embedded.url;
    label = 'embedded PostgreSQL 18';
    stopServer = async () => {
      await embedded.stop(0);
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const database = await openScratchDatabase(serverUrl);
  return {
    ...database,
    label,
    close: async () => {
      await database.close();
      await stopServer();
    },
  };
}
