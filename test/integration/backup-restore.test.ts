import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import postgres from 'postgres';
import { FileBlobStore } from '../../blobstore/file-blob-store';
import { BlobRepository } from '../../catalogue/blob.repository';
import { type Database, openDatabase } from '../../catalogue/database';
import { backup, backupBlobPath, restore } from '../../services/backup.service';
import { checkFixity } from '../../services/fixity.service';
import { fileStoreOf } from '../support/blob-stores';
import { type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { testEmbeddedPostgresUrl } from '../support/test-env';

/**
 * Backup while Assetflow runs, restore into an empty catalogue and blob store, and the fixity
 * check, on the embedded PostgreSQL with real uploads, shares, comments and trail events.
 */
describe('backup, restore and fsck (embedded PostgreSQL)', () => {
  let harness: Harness;
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const restoredDatabases: Array<{ database: Database; drop: () => Promise<void> }> = [];
  beforeAll(async () => {
    harness = await startHarness('embedded');
  });
  afterAll(async () => {
    for (const r of restoredDatabases) await r.drop();
    await harness?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  let colour = 0;
  const upload = async (name: string) => {
    colour += 1;
    const res = await harness.http
      .post('/api/assets')
      .attach('file', await makeJpeg(320, 240, [colour * 40, 90, 140]), name)
      .expect(201);
    await waitUntilStored(harness, res.body.id);
    return res.body as { id: string; latestVersion: { sha256: string } };
  };

  /** A database on the run's embedded server that nothing has migrated yet. */
  const emptyDatabase = async () => {
    const name = `assetflow_restore_${randomBytes(5).toString('hex')}`;
    const admin = postgres(testEmbeddedPostgresUrl(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(testEmbeddedPostgresUrl());
    url.pathname = `/${name}`;
    const database = await openDatabase({ url: url.toString(), migrate: false });
    restoredDatabases.push({
      database,
      drop: async () => {
        await database.close();
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    });
    return database;
  };

  /**
   * Every row of every table the backup holds, as row_to_json text sorted in JS: the restored
   * catalogue against the snapshot's own files (the live source moves on after the snapshot).
   */
  const rowsOf = async (database: Database, dir: string) => {
    const tables = JSON.parse(readFileSync(path.join(dir, 'catalogue', 'manifest.json'), 'utf8'))
      .tables as Array<{
      name: string;
    }>;
    const restored: Record<string, string[]> = {};
    const inBackup: Record<string, string[]> = {};
    for (const { name } of tables) {
      const { rows } = await sql<{ line: string }>`
        select row_to_json(t)::text as line from ${sql.table(name)} t`.execute(database.db);
      restored[name] = rows.map((r) => r.line).sort();
      inBackup[name] = readFileSync(path.join(dir, 'catalogue', 'tables', `${name}.jsonl`), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .sort();
    }
    return { restored, inBackup };
  };

  const countsOf = async (database: Database) => {
    const counts: Record<string, number> = {};
    for (const table of [
      'assets',
      'asset_versions',
      'blobs',
      'shares',
      'comments',
      'audit_events',
      'users',
    ]) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
        database.db,
      );
      counts[table] = rows[0]!.n;
    }
    return counts;
  };

  it('backs up while uploads go on, restores every asset, share, comment and the trail, copies only new blobs', async () => {
    const a = await upload('spring-poster.jpg');
    const b = await upload('summer-poster.jpg');
    await harness.http.post(`/api/assets/${a.id}/comments`).send({ body: 'Brighter please' }).expect(201);
    await harness.http
      .post('/api/shares')
      .send({ assetIds: [a.id, b.id], permission: 'view', rendition: 'preview' })
      .expect(201);
    const source = await countsOf(harness.storage.database);
    expect(source.audit_events).toBeGreaterThan(0);
    const sourceTrail = await harness.storage.audit.verify();

    // An upload runs while the snapshot is taken: it is either wholly in the backup or not at all.
    const dir = tempDir('assetflow-backup-');
    const during = upload('during-backup.jpg');
    const first = await backup({ databaseUrl: harness.databaseUrl, blobs: harness.storage.blobs }, dir);
    await during;
    expect(first.missing).toEqual([]);
    expect(first.corrupt).toEqual([]);
    expect(first.copied).toBe(first.manifest.blobs.length);
    const assetsInBackup = first.manifest.tables.find((t) => t.name === 'assets')!.rows;
    expect([2, 3]).toContain(assetsInBackup);
    expect(first.manifest.tables.find((t) => t.name === 'asset_versions')!.rows).toBe(assetsInBackup);
    for (const blob of first.manifest.blobs) {
      expect(existsSync(backupBlobPath(dir, blob.sha256))).toBe(true);
    }

    // A second backup into the same directory copies only what it lacks.
    const c = await upload('autumn-poster.jpg');
    const second = await backup({ databaseUrl: harness.databaseUrl, blobs: harness.storage.blobs }, dir);
    expect(second.copied).toBe(second.manifest.blobs.length - first.manifest.blobs.length);
    expect(second.alreadyThere).toBe(first.manifest.blobs.length);
    expect(second.manifest.blobs.map((x) => x.sha256)).toContain(c.latestVersion.sha256);
    expect(readdirSync(dir).sort()).toEqual(['blobs', 'catalogue']);

    // Restore into an empty catalogue and an empty blob store.
    const target = await emptyDatabase();
    const blobDir = tempDir('assetflow-restored-blobs-');
    const restoredBlobs = new FileBlobStore(blobDir);
    const restored = await restore(
      { db: target.db as never, databaseUrl: target.url, blobs: restoredBlobs },
      dir,
    );
    const after = await countsOf(harness.storage.database);
    expect(await countsOf(target)).toEqual(after);
    const { restored: restoredRows, inBackup } = await rowsOf(target, dir);
    expect(restoredRows).toEqual(inBackup);
    expect(after.assets).toBe(source.assets! + 2);
    expect(restored.trail).toEqual(await harness.storage.audit.verify());
    expect(restored.trail.intact).toBe(true);
    if (sourceTrail.intact && restored.trail.intact)
      expect(restored.trail.events).toBeGreaterThanOrEqual(sourceTrail.events);
    for (const { id, latestVersion } of [a, b, c]) {
      expect(await restoredBlobs.rehash(latestVersion.sha256, 'hot')).toBe(latestVersion.sha256);
      const { rows } = await sql<{
        display_name: string;
      }>`select display_name from assets where id = ${id}`.execute(target.db);
      expect(rows).toHaveLength(1);
    }

    // A catalogue that is not empty is refused, and nothing is loaded twice.
    await expect(
      restore({ db: target.db as never, databaseUrl: target.url, blobs: restoredBlobs }, dir),
    ).rejects.toThrow(/not empty|already at/);
    expect(await countsOf(target)).toEqual(after);
  });

  it('a backup missing a blob is refused before anything is restored', async () => {
    const dir = tempDir('assetflow-backup-');
    const report = await backup({ databaseUrl: harness.databaseUrl, blobs: harness.storage.blobs }, dir);
    const victim = report.manifest.blobs[0]!.sha256;
    rmSync(backupBlobPath(dir, victim));
    const target = await emptyDatabase();
    await expect(
      restore(
        { db: target.db as never, databaseUrl: target.url, blobs: new FileBlobStore(tempDir('b-')) },
        dir,
      ),
    ).rejects.toThrow(`first: ${victim}`);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables where table_name = 'assets'`.execute(
      target.db,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('fsck re-hashes every live blob, names the missing and the damaged, changes nothing, and resumes', async () => {
    const records = new BlobRepository(harness.storage.database.db);
    const checkpoint = path.join(tempDir('assetflow-fsck-'), 'checkpoint.json');
    const clean = await checkFixity({ blobs: harness.storage.blobs, records }, checkpoint);
    expect(clean.missing).toEqual([]);
    expect(clean.corrupt).toEqual([]);
    expect(clean.checked).toBe((await records.countLive()).blobs);
    expect(clean.checked).toBeGreaterThan(0);

    const damaged = await upload('to-be-damaged.jpg');
    const lost = await upload('to-be-lost.jpg');
    const damagedPath = fileStoreOf(harness.storage.blobs).pathOf(damaged.latestVersion.sha256);
    const bytes = readFileSync(damagedPath);
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(damagedPath, bytes);
    rmSync(fileStoreOf(harness.storage.blobs).pathOf(lost.latestVersion.sha256));

    // Interrupted after the second blob: the next run goes on from the checkpoint.
    await expect(
      checkFixity({ blobs: harness.storage.blobs, records }, checkpoint, {
        pageSize: 1,
        progress: (checked) => {
          if (checked === 2) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    expect(existsSync(checkpoint)).toBe(true);
    const report = await checkFixity({ blobs: harness.storage.blobs, records }, checkpoint, { pageSize: 1 });
    expect(report.resumedAfter).toMatch(/^[0-9a-f]{64}$/);
    expect(report.checked).toBe(clean.checked + 2);
    expect(report.missing).toEqual([lost.latestVersion.sha256]);
    expect(report.corrupt.map((x) => x.sha256)).toEqual([damaged.latestVersion.sha256]);
    expect(existsSync(checkpoint)).toBe(false);
    // Nothing was repaired or removed.
    expect(readFileSync(damagedPath)).toEqual(bytes);
    expect(existsSync(fileStoreOf(harness.storage.blobs).pathOf(lost.latestVersion.sha256))).toBe(false);
  });
});
