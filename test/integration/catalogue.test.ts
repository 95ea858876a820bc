import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { FileBlobStore } from '../../blobstore/file-blob-store';
import { AssetRepository } from '../../catalogue/asset.repository';
import type { Database } from '../../catalogue/database';
import { DuplicateRepository } from '../../catalogue/duplicate.repository';
import { VisualFeatureRepository } from '../../catalogue/visual-feature.repository';
import type { Transition } from '../../domain/asset';
import { databaseKinds, openTestDatabase } from '../support/test-databases';

/**
 * The catalogue behaves the same on the embedded PostgreSQL 18 and on an external PostgreSQL server: the same migrations, the
 * same queries, the same values back (jsonb objects, 64-bit sizes, timestamps), and writes that
 * are idempotent so activities may be retried.
 */
describe.each(databaseKinds)('catalogue on %s', (kind) => {
  let database: Database;
  let assets: AssetRepository;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    assets = new AssetRepository(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  const newAsset = async (sizeBytes = 1234) => {
    const id = randomUUID();
    const sha256 = randomUUID().replace(/-/g, '').padEnd(64, '0');
    await assets.create({
      id,
      workflowId: `asset-${id}`,
      displayName: '主图.jpg',
      ruleSet: 'default',
      ruleSetVersion: 1,
      metadata: { brand: 'MuseDAM', nested: { list: [1, 'two'] } },
      blob: { sha256, sizeBytes },
      declaredMediaType: 'image/jpeg',
    });
    return id;
  };

  it("a purge's last-reference check and an upload naming the same bytes take turns on the blob's lock", async () => {
    const blobs = new FileBlobStore(mkdtempSync(path.join(os.tmpdir(), 'assetflow-lock-')));
    const pending = await blobs.write(Readable.from([Buffer.from(`bytes ${randomUUID()}`)]));
    await pending.commit();
    const sha = pending.sha256;
    const order: string[] = [];
    // The purge counted no other user and deletes, holding the lock a while.
    const purge = assets.underBlobLock(sha, async () => {
      await blobs.delete(sha);
      order.push('purge deleted');
      await new Promise((resolve) => setTimeout(resolve, 300));
      order.push('purge done');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The upload's row exists now; it makes sure of its bytes under the same lock.
    const upload = assets.underBlobLock(sha, async () => {
      order.push('upload re-committed');
      await pending.commit();
    });
    await Promise.all([purge, upload]);
    expect(order).toEqual(['purge deleted', 'purge done', 'upload re-committed']);
    expect(await blobs.exists(sha)).toBe(true);
    await pending.discard();
  });

  it('counts the other live assets that use a blob (what a purge asks under the lock)', async () => {
    const first = await newAsset();
    const sha = (await assets.find(first))!.currentVersion.sha256;
    expect(await assets.otherLiveUsers(sha, first)).toBe(0);
    const second = randomUUID();
    await assets.create({
      id: second,
      workflowId: `asset-${second}`,
      displayName: 'copy.jpg',
      ruleSet: 'default',
      ruleSetVersion: 1,
      metadata: {},
      blob: { sha256: sha, sizeBytes: 1234 },
      declaredMediaType: 'image/jpeg',
    });
    expect(await assets.otherLiveUsers(sha, first)).toBe(1);
    await assets.markPurged(second, new Date());
    expect(await assets.otherLiveUsers(sha, first)).toBe(0);
  });

  it('round-trips metadata as a JSON object and sizes above 4 GiB exactly', async () => {
    const id = await newAsset(5_000_000_123);
    const asset = await assets.find(id);
    expect(asset?.metadata).toEqual({ brand: 'MuseDAM', nested: { list: [1, 'two'] } });
    expect(asset?.currentVersion.sizeBytes).toBe(5_000_000_123);
    expect(asset?.displayName).toBe('主图.jpg');
    expect(asset?.state).toBe('created');
    expect(Number.isNaN(Date.parse(asset!.createdAt))).toBe(false);
  });

  it('stores analysis as an object, and storing it twice changes nothing', async () => {
    const id = await newAsset();
    const analysis = { kind: 'image' as const, format: 'jpeg', width: 10, height: 20 };
    await assets.saveAnalysis(id, 1, analysis);
    await assets.saveAnalysis(id, 1, analysis);
    const asset = await assets.find(id);
    expect(asset?.currentVersion.analysis).toEqual(analysis);
    expect(asset?.kind).toBe('image');
  });

  it('records each transition once, and state never moves back to an older one', async () => {
    const id = await newAsset();
    const t = (seq: number, from: Transition['from'], to: Transition['to']): Transition => ({
      seq,
      from,
      to,
      at: new Date(Date.UTC(2026, 0, seq)).toISOString(),
      reason: `step ${seq}`,
    });
    await assets.recordTransition(id, t(1, null, 'created'));
    await assets.recordTransition(id, t(2, 'created', 'stored'));
    // A retried activity delivers the same transitions again, and late.
    await assets.recordTransition(id, t(2, 'created', 'stored'));
    await assets.recordTransition(id, t(1, null, 'created'));
    expect((await assets.find(id))?.state).toBe('stored');
    const timeline = await assets.timeline(id);
    expect(timeline.map((x) => [x.seq, x.to])).toEqual([
      [1, 'created'],
      [2, 'stored'],
    ]);
    expect(timeline[1]?.at).toBe('2026-01-02T00:00:00.000Z');
  });

  it('only removes an asset whose workflow never started', async () => {
    const started = await newAsset();
    await assets.recordTransition(started, {
      seq: 1,
      from: null,
      to: 'created',
      at: new Date().toISOString(),
      reason: 'x',
    });
    await assets.deleteUnstarted(started);
    expect(await assets.find(started)).toBeDefined();

    const unstarted = await newAsset();
    // The upload edge indexed what it computed from the bytes before the workflow failed to start.
    await new DuplicateRepository(database.db).index(unstarted, 1, 'f0f0f0f0f0f0f0f0');
    await new VisualFeatureRepository(database.db).index(unstarted, 1, [
      { scale: 100, hash: '0f0f0f0f0f0f0f0f' },
    ]);
    await assets.deleteUnstarted(unstarted);
    expect(await assets.find(unstarted)).toBeUndefined();
    const { rows } = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM perceptual_hashes WHERE asset_id = ${unstarted})::int
           + (SELECT count(*) FROM visual_features WHERE asset_id = ${unstarted})::int AS n`.execute(
      database.db,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('has pg_trgm available for fuzzy name matching', async () => {
    const row = await sql<{ s: number }>`select similarity('MuseDAM_spring', 'MuseDAM_sprng') as s`.execute(
      database.db,
    );
    expect(Number(row.rows[0]?.s)).toBeGreaterThan(0.5);
  });

  it('counts the other live and hot users of the blobs of an asset, so purge and tiering never strand another asset', async () => {
    const sha256 = 'c'.repeat(64);
    const make = async () => {
      const id = randomUUID();
      await assets.create({
        id,
        workflowId: `asset-${id}`,
        displayName: 'same-bytes.jpg',
        ruleSet: 'default',
        ruleSetVersion: 1,
        metadata: {},
        blob: { sha256, sizeBytes: 10 },
        declaredMediaType: 'image/jpeg',
      });
      return id;
    };
    const a = await make();
    const b = await make();
    expect(await assets.blobUsage(a)).toEqual([{ sha256, tier: 'hot', otherLiveUsers: 1, otherHotUsers: 1 }]);
    await assets.setAssetTier(b, 'cold');
    expect(await assets.blobUsage(a)).toEqual([{ sha256, tier: 'hot', otherLiveUsers: 1, otherHotUsers: 0 }]);
    await assets.markPurged(b, new Date());
    expect(await assets.blobUsage(a)).toEqual([{ sha256, tier: 'hot', otherLiveUsers: 0, otherHotUsers: 0 }]);
  });
});
