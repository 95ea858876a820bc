import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import { migrateToLatest } from './migrate';
import type { CatalogueSchema } from './schema';

export type CatalogueDb = Kysely<CatalogueSchema>;

export interface Database {
  db: CatalogueDb;
  /** `pglite` for the embedded default, `postgres` for a server. */
  kind: 'pglite' | 'postgres';
  /** Resolves when the database answers within `timeoutMs`, rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  /**
   * Calls `onPayload` for every NOTIFY on `channel` (from any process on a server; from this
   * process on PGlite, which is in-process). Resolves to a function that stops listening.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `embedded`, `memory` (PGlite without persistence, for tests) or a `postgres://` URL. */
  url: string;
  /** PGlite's data directory when `url` is `embedded`. */
  dataDir?: string;
  /** Run migrations after connecting (the default). */
  migrate?: boolean;
}

/**
 * Opens the catalogue: PGlite for the embedded default, the `postgres` driver for a server. Both
 * speak PostgreSQL, so the same migrations and queries serve both.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.url.startsWith('postgres') ? openPostgres(options.url) : await openPGlite(options);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(database.db as Kysely<unknown>);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

async function openPGlite(options: DatabaseOptions): Promise<Database> {
  let dataDir = 'memory://';
  if (options.url === 'embedded') {
    if (!options.dataDir) throw new Error('database.dataDir is required for the embedded database');
    mkdirSync(options.dataDir, { recursive: true });
    dataDir = options.dataDir;
  }
  const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  const db = new Kysely<CatalogueSchema>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    // PGlite runs in this process: if the process answers, so does the database.
    ping: async () => void (await sql`select 1`.execute(db)),
    listen: async (channel, onPayload) => {
      const stop = await pglite.listen(channel, onPayload);
      return async () => {
        if (!pglite.closed) await stop();
      };
    },
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

function openPostgres(url: string): Database {
  const client = postgres(url, {
    max: 10,
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => {},
    // Keep int8 as strings (the driver's default); repositories convert sizes explicitly.
  });
  const db = new Kysely<CatalogueSchema>({ dialect: new PostgresJSDialect({ postgres: client }) });
  return {
    db,
    kind: 'postgres',
    ping: (timeoutMs = 2000) =>
      withTimeout(
        sql`select 1`.execute(db).then(() => undefined),
        timeoutMs,
        'database',
      ),
    listen: async (channel, onPayload) => {
      const { unlisten } = await client.listen(channel, onPayload);
      return unlisten;
    },
    // Ending the client directly with a timeout: Kysely's destroy() waits without one, and
    // never returns when the server was never reachable.
    close: () => client.end({ timeout: 2 }),
  };
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
