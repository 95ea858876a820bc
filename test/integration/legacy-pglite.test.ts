import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { AssetRepository } from '../../catalogue/asset.repository';
import { AuditRepository } from '../../catalogue/audit.repository';
import { IdentityRepository } from '../../catalogue/identity.repository';
import { migrateToLatest } from '../../catalogue/migrate';
import type { CatalogueSchema } from '../../catalogue/schema';
import { loadConfig } from '../../config/load-config';
import { openCatalogue } from '../../runtime/catalogue';
import { IdentityService } from '../../services/identity.service';

/**
 * An installation of Assetflow 0.1 kept its catalogue in PGlite (`.assetflow/pglite`). The first
 * start of the PostgreSQL default moves it in: every row, the trail's head unchanged, the old
 * directory kept. The PGlite directory here is made the way 0.1 made it (its migrations, its
 * repositories), with rows in the tables a user would miss most.
 */
describe('moving a PGlite catalogue from Assetflow 0.1 into the embedded PostgreSQL', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'assetflow-legacy-'));
  chmodSync(root, 0o755); // as root, PostgreSQL runs as `postgres`, who must be able to enter it
  const legacyDir = path.join(root, '.assetflow', 'pglite');
  const config = loadConfig({ file: path.join(root, 'temporal.config.yaml'), env: {} });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const source: { counts: Record<string, number>; head: string; assetId: string; email: string } = {
    counts: {},
    head: '',
    assetId: randomUUID(),
    email: 'editor@example.test',
  };

  beforeAll(async () => {
    mkdirSync(legacyDir, { recursive: true });
    const pglite = await PGlite.create(legacyDir, { extensions: { pg_trgm } });
    const db = new Kysely<CatalogueSchema>({ dialect: new PGliteDialect(pglite) });
    await migrateToLatest(db as Kysely<unknown>);
    const user = await new IdentityService(new IdentityRepository(db)).createUser({
      email: source.email,
      name: 'Editor',
      password: 'a password for the test',
      roles: ['editor'],
    });
    await new AssetRepository(db).create({
      id: source.assetId,
      workflowId: `asset-${source.assetId}`,
      displayName: '春季新品_主图.jpg',
      ruleSet: 'default',
      ruleSetVersion: 1,
      metadata: { brand: 'MuseDAM', 尺寸: { w: 800 } },
      blob: { sha256: 'ab'.repeat(32), sizeBytes: 5_000_000_000 },
      declaredMediaType: 'image/jpeg',
    });
    const audit = new AuditRepository(db);
    for (const action of ['download', 'viewed', 'download'] as const) {
      await audit.append({
        actor: user.email,
        action,
        assetId: source.assetId,
        version: 1,
        details: { n: 1 },
      });
    }
    const verdict = await audit.verify();
    if (!verdict.intact) throw new Error('the PGlite trail should verify');
    source.head = verdict.headHash;
    for (const table of ['users', 'assets', 'asset_versions', 'blobs', 'audit_events', 'projects']) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
        db,
      );
      source.counts[table] = rows[0]!.n;
    }
    await db.destroy(); // closes the PGlite instance too
  });

  it('copies every row on first start, keeps the trail head and the old directory, and moves once', async () => {
    const moved: string[] = [];
    const marker = path.join(config.database.dataDir, 'moved-from-pglite.json');
    // Killed after the load committed but before the marker was written (simulated by removing
    // it): the next start finds the rows there, writes the marker, and doubles nothing.
    await (await openCatalogue(config, { use: 'command', log: (m) => moved.push(m) })).database.close();
    rmSync(marker);
    const first = await openCatalogue(config, { use: 'command', log: (m) => moved.push(m) });
    try {
      const db = first.database.db;
      for (const [table, rows] of Object.entries(source.counts)) {
        const { rows: counted } = await sql<{
          n: number;
        }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
        expect([table, counted[0]!.n]).toEqual([table, rows]);
      }
      expect(source.counts.audit_events).toBe(3);
      const verdict = await new AuditRepository(db).verify();
      expect(verdict).toEqual({ intact: true, events: 3, headHash: source.head });
      const asset = await new AssetRepository(db).find(source.assetId);
      expect(asset?.displayName).toBe('春季新品_主图.jpg');
      expect(asset?.metadata).toEqual({ brand: 'MuseDAM', 尺寸: { w: 800 } });
      // The user can still sign in with the password they had.
      const signedIn = await new IdentityService(new IdentityRepository(db)).login(
        source.email,
        'a password for the test',
        { address: '127.0.0.1' },
      );
      expect(signedIn.user.email).toBe(source.email);
    } finally {
      await first.database.close();
    }
    expect(moved.join('\n')).toContain('Moving the catalogue from PGlite');
    expect(existsSync(path.join(legacyDir, 'PG_VERSION'))).toBe(true);
    const record = JSON.parse(readFileSync(marker, 'utf8'));
    expect(record.trailHead.hash).toBe(source.head);

    // A second start finds the marker and moves nothing (the rows are not doubled).
    const again: string[] = [];
    const second = await openCatalogue(config, { use: 'command', log: (m) => again.push(m) });
    try {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_events`.execute(
        second.database.db,
      );
      expect(rows[0]!.n).toBe(3);
    } finally {
      await second.database.close();
    }
    expect(again.join('\n')).not.toContain('Moving');
  });
});
