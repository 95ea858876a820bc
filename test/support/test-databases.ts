import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../catalogue/database';
import { testEmbeddedPostgresUrl } from './test-env';

/**
 * `embedded`: the PostgreSQL 18 server `npm start` runs from node_modules (one per test run,
 * started by the global setup); `postgres`: an external server (DATABASE_URL, as CI sets with
 * Debian's PostgreSQL), the production case.
 */
export type DatabaseKind = 'embedded' | 'postgres';

/** Integration tests run on the embedded server always, and on the external one when it is set. */
export const databaseKinds: DatabaseKind[] = process.env.DATABASE_URL
  ? ['embedded', 'postgres']
  : ['embedded'];

/**
 * A fresh, migrated catalogue in a database of its own (dropped on close), so test files running
 * in parallel never see each other's rows.
 */
export async function openTestDatabase(kind: DatabaseKind): Promise<Database & { url: string }> {
  const serverUrl = kind === 'embedded' ? testEmbeddedPostgresUrl() : process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL is not set');
  return openScratchDatabase(serverUrl);
}

/** A new, migrated database on the server at `serverUrl`, dropped on close (tests and benchmarks). */
export async function openScratchDatabase(serverUrl: string): Promise<Database & { url: string }> {
  const name = `assetflow_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
