import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { type Kysely, sql } from 'kysely';
import postgres from 'postgres';
import { syncPath } from '../blobstore/local-files';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { LIVE_BLOBS_SQL, type LiveBlob, toLiveBlob } from './blob.repository';
import { migrateTo, migrateToLatest, migrationNames } from './migrate';

/**
 * A catalogue snapshot: every table as JSON Lines (`row_to_json` of each row, one file per table),
 * and a manifest with the schema version, the row counts, the trail's head and the blobs it names.
 * Written from a running server inside one repeatable-read transaction (a consistent picture while
 * uploads go on), and read back into a fresh database with `json_populate_recordset`, which turns
 * each value back into its column's type. Backups and the move from PGlite both use it.
 *
 * Rows travel through ordinary queries and a cursor, not COPY streams: postgres.js's COPY streams
 * can stall (porsager/postgres#917, #1173), and a backup that hangs is worse than a slower one.
 */

export interface SnapshotManifest {
  format: 1;
  /** The last migration applied to the source; the target is migrated to it before loading. */
  migration: string;
  /** Tables in load order (referenced tables first), with their row counts. */
  tables: Array<{ name: string; rows: number }>;
  /** The last event of the hash-chained trail, or null when the trail is empty. */
  trailHead: { seq: number; hash: string } | null;
  /** Every blob a live asset uses, as of the snapshot: what a backup must hold beside it. */
  blobs: LiveBlob[];
  takenAt: string;
}

/** What a snapshot is read from: a PostgreSQL server, or (once, when moving) a PGlite directory. */
export interface SnapshotSource {
  query<T>(text: string): Promise<T[]>;
  /** Writes each row of `select` (one text column, `line`) as a line of `file`. */
  writeLines(select: string, file: string): Promise<void>;
}

const MANIFEST = 'manifest.json';
const CURSOR_ROWS = 500;
const INSERT_ROWS = 500;

function tableFile(dir: string, table: string): string {
  return path.join(dir, 'tables', `${table}.jsonl`);
}

/** A table's columns that hold data (not generated ones, which PostgreSQL computes), quoted. */
async function storedColumns(query: SnapshotSource['query'], table: string): Promise<string[]> {
  const rows = await query<{ name: string }>(
    `select a.attname as name from pg_attribute a
      where a.attrelid = '"${table}"'::regclass and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      order by a.attnum`,
  );
  return rows.map((r) => `"${r.name}"`);
}
/** Kysely's own bookkeeping: recreated by migrating the target, never copied. */
const NOT_COPIED = new Set(['kysely_migration', 'kysely_migration_lock']);

/** Writes a snapshot of `source` into `dir` (created). */
export async function writeSnapshot(source: SnapshotSource, dir: string): Promise<SnapshotManifest> {
  await mkdir(path.join(dir, 'tables'), { recursive: true });
  const [last] = await source.query<{ name: string }>(
    'select name from kysely_migration order by name desc limit 1',
  );
  if (!last) throw new Error('the source catalogue has no migrations applied');
  const tables: SnapshotManifest['tables'] = [];
  for (const name of await tablesInLoadOrder(source)) {
    const [count] = await source.query<{ n: number | string }>(`select count(*) as n from "${name}"`);
    const columns = (await storedColumns(source.query, name)).join(', ');
    await source.writeLines(
      `select row_to_json(r)::text as line from (select ${columns} from "${name}") r`,
      tableFile(dir, name),
    );
    tables.push({ name, rows: Number(count?.n ?? 0) });
  }
  const [head] = await source.query<{ seq: number | string; hash: string }>(
    'select seq, hash from audit_events order by seq desc limit 1',
  );
  const blobs = await source.query<{ sha256: string; size_bytes: string; tier: 'hot' | 'cold' }>(
    `${LIVE_BLOBS_SQL} order by b.sha256`,
  );
  const manifest: SnapshotManifest = {
    format: 1,
    migration: last.name,
    tables,
    trailHead: head ? { seq: Number(head.seq), hash: head.hash.trim() } : null,
    blobs: blobs.map(toLiveBlob),
    takenAt: new Date().toISOString(),
  };
  await writeFile(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  // On disk before anyone relies on it (a backup swaps it in next).
  for (const { name } of tables) await syncPath(tableFile(dir, name));
  for (const written of [path.join(dir, MANIFEST), path.join(dir, 'tables'), dir]) await syncPath(written);
  return manifest;
}

/** A consistent snapshot of a live PostgreSQL catalogue (writers go on; they are not in it). */
export async function snapshotPostgres(url: string, dir: string): Promise<SnapshotManifest> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await client.begin('isolation level repeatable read read only', (tx) =>
      writeSnapshot(
        {
          query: <T>(text: string) => tx.unsafe(text) as unknown as Promise<T[]>,
          writeLines: async (select, file) => {
            const out = createWriteStream(file, { flags: 'wx' });
            const closed = finished(out);
            await tx.unsafe(select).cursor(CURSOR_ROWS, async (rows) => {
              const chunk = rows.map((row) => `${row.line}\n`).join('');
              if (!out.write(chunk)) await once(out, 'drain');
            });
            out.end();
            await closed;
          },
        },
        dir,
      ),
    )) as SnapshotManifest;
  } finally {
    await client.end({ timeout: 5 });
  }
}

export async function readManifest(dir: string): Promise<SnapshotManifest> {
  let manifest: SnapshotManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as SnapshotManifest;
  } catch (error) {
    throw new AssetflowError(
      ErrorCodes.BACKUP_INVALID,
      `${dir} holds no readable catalogue snapshot (${(error as Error).message})`,
      400,
    );
  }
  // Table names go into SQL and file paths: only plain lower-case identifiers are accepted.
  const badName = manifest.tables?.find((t) => !/^[a-z_][a-z0-9_]{0,62}$/.test(t.name));
  if (badName) {
    throw new AssetflowError(ErrorCodes.BACKUP_INVALID, `${dir}: "${badName.name}" is not a table name`, 400);
  }
  if (manifest.format !== 1 || !migrationNames().includes(manifest.migration)) {
    throw new AssetflowError(
      ErrorCodes.BACKUP_INVALID,
      `${dir}: snapshot format ${manifest.format} at migration ${manifest.migration} is not one this version of Assetflow can read`,
      400,
    );
  }
  return manifest;
}

/**
 * Loads a snapshot into the database at `url`, which must hold no assets, users or trail yet:
 * migrates it to the snapshot's schema version, replaces the rows the migrations seeded with the
 * snapshot's, moves sequences past the loaded ids, migrates to the latest version, and checks
 * every table's row count and the trail head against the manifest.
 */
export async function loadSnapshot(db: Kysely<unknown>, url: string, dir: string): Promise<SnapshotManifest> {
  const manifest = await readManifest(dir);
  const applied = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`
    .execute(db)
    .catch(() => ({ rows: [] as Array<{ name: string }> }));
  const targetAt = applied.rows[0]?.name;
  if (targetAt && targetAt > manifest.migration) {
    throw new AssetflowError(
      ErrorCodes.BACKUP_INVALID,
      `The target catalogue is already at ${targetAt}, newer than the snapshot (${manifest.migration}): load it into a new database.`,
      409,
    );
  }
  await migrateTo(db, manifest.migration);
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [used] = await client.unsafe<{ n: number }[]>(
      '(select count(*)::int as n from (select 1 from assets union all select 1 from users union all select 1 from audit_events) t)',
    );
    if ((used?.n ?? 0) > 0) {
      throw new AssetflowError(
        ErrorCodes.BACKUP_INVALID,
        'The target catalogue is not empty: restore only into a new data directory or an empty database.',
        409,
      );
    }
    await client.begin(async (tx) => {
      const names = manifest.tables.map((t) => `"${t.name}"`).join(', ');
      await tx.unsafe(`truncate ${names} cascade`);
      const query = <T>(text: string) => tx.unsafe(text) as unknown as Promise<T[]>;
      const selfReferencing = new Set(
        (
          await query<{ name: string }>(
            `select distinct c.relname as name from pg_constraint k join pg_class c on c.oid = k.conrelid
              where k.contype = 'f' and k.conrelid = k.confrelid`,
          )
        ).map((r) => r.name),
      );
      for (const { name } of manifest.tables) {
        // Rows come in no particular order; a reply may precede the comment it answers. Foreign
        // keys are checked at the end of each statement, so such a table goes in one statement.
        const rowsPerInsert = selfReferencing.has(name) ? Number.POSITIVE_INFINITY : INSERT_ROWS;
        const columns = (await storedColumns(query, name)).join(', ');
        const insert = `insert into "${name}" (${columns})
          select ${columns} from json_populate_recordset(null::"${name}", cast(cast($1 as text) as json))`;
        let batch: string[] = [];
        const flush = async () => {
          if (batch.length > 0) await tx.unsafe(insert, [`[${batch.join(',')}]`]);
          batch = [];
        };
        const lines = createInterface({ input: createReadStream(tableFile(dir, name)), crlfDelay: Infinity });
        for await (const line of lines) {
          if (line === '') continue;
          batch.push(line);
          if (batch.length >= rowsPerInsert) await flush();
        }
        await flush();
      }
      await resetSequences(tx);
    });
  } finally {
    await client.end({ timeout: 5 });
  }
  await migrateToLatest(db);
  await verifySnapshotLoaded(db, manifest);
  return manifest;
}

/** Row counts and the trail head of `db` against what the manifest recorded. */
export async function verifySnapshotLoaded(db: Kysely<unknown>, manifest: SnapshotManifest) {
  const problems: string[] = [];
  for (const { name, rows } of manifest.tables) {
    const result = await sql<{ n: string }>`select count(*) as n from ${sql.table(name)}`.execute(db);
    const actual = Number(result.rows[0]?.n ?? 0);
    if (actual !== rows) problems.push(`${name}: ${actual} rows, snapshot has ${rows}`);
  }
  const head = await sql<{ seq: string; hash: string }>`
    select seq, hash from audit_events order by seq desc limit 1`.execute(db);
  const loadedHead = head.rows[0] ? { seq: Number(head.rows[0].seq), hash: head.rows[0].hash.trim() } : null;
  if (JSON.stringify(loadedHead) !== JSON.stringify(manifest.trailHead)) {
    problems.push(
      `trail head ${JSON.stringify(loadedHead)}, snapshot has ${JSON.stringify(manifest.trailHead)}`,
    );
  }
  if (problems.length > 0) {
    throw new AssetflowError(
      ErrorCodes.BACKUP_INVALID,
      `The loaded catalogue differs from the snapshot: ${problems.join('; ')}`,
      500,
    );
  }
}

/**
 * Base tables of the public schema, every table after the tables it references, so a load in
 * this order never breaks a foreign key (a table that references itself is loaded in one
 * statement, whose checks run at its end).
 */
async function tablesInLoadOrder(source: SnapshotSource): Promise<string[]> {
  const tables = (
    await source.query<{ name: string }>(
      `select table_name as name from information_schema.tables
       where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    )
  )
    .map((t) => t.name)
    .filter((name) => !NOT_COPIED.has(name));
  const edges = await source.query<{ child: string; parent: string }>(
    `select c.relname as child, p.relname as parent
     from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
     join pg_namespace n on n.oid = c.relnamespace
     where k.contype = 'f' and n.nspname = 'public' and c.oid <> p.oid`,
  );
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const edge of edges) if (edge.child === table) visit(edge.parent);
    visiting.delete(table);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

/** Moves every column-owned sequence (bigserial ids) past the largest loaded value. */
async function resetSequences(tx: postgres.TransactionSql) {
  const owned = await tx.unsafe<{ seq: string; tbl: string; col: string }[]>(
    `select s.relname as seq, t.relname as tbl, a.attname as col
     from pg_class s
     join pg_depend d on d.objid = s.oid and d.deptype in ('a', 'i')
     join pg_class t on t.oid = d.refobjid
     join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
     join pg_namespace n on n.oid = s.relnamespace
     where s.relkind = 'S' and n.nspname = 'public'`,
  );
  for (const { seq, tbl, col } of owned) {
    await tx.unsafe(
      `select setval('"${seq}"', coalesce((select max("${col}") from "${tbl}"), 0) + 1, false)`,
    );
  }
}
