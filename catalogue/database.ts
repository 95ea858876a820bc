import { Kysely, sql } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import { migrateToLatest } from './migrate';
import type { CatalogueSchema } from './schema';

export type CatalogueDb = Kysely<CatalogueSchema>;

export interface Database {
  db: CatalogueDb;
  /** The server and database it is connected to (with credentials: never log it). */
  url: string;
  /** Resolves when the database answers within `timeoutMs`, rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  /** Calls `onPayload` for every NOTIFY on `channel`, from any process. Resolves to a function that stops listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A `postgres://` URL (the embedded default's server is started by runtime/ and passed here). */
  url: string;
  /** Run migrations after connecting (the default). */
  migrate?: boolean | undefined;
}

/** Opens the catalogue on a PostgreSQL server through postgres.js, migrated unless told not to. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = openPostgres(options.url);
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
    url,
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
