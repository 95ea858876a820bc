import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventually, type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { serve } from '../support/serve';
import { databaseKinds } from '../support/test-databases';

const run = promisify(execFile);
const ecommerce = readFileSync(
  path.join(__dirname, '..', '..', 'rules', 'examples', 'ecommerce.yaml'),
  'utf8',
);

/** A running asset keeps its rule-set version until a previewed, deliberate migration moves it. */
describe.each(databaseKinds)('rule-set migrations (%s)', (kind) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(kind);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('previews "retention P3Y → P5Y" with both purge dates, moves nothing until asked, then moves the asset', async () => {
    const upload = await harness.http
      .post('/api/assets')
      .field('ruleSet', 'ecommerce')
      .field('metadata', JSON.stringify({ sku: 'EL-100200', brand: 'Voltio', purpose: 'main' }))
      .attach('file', await makeJpeg(300, 300, [9, 99, 199]), 'Voltio_EL-100200_main_V1_20261128.jpg')
      .expect(201);
    const id = upload.body.id as string;
    await waitUntilStored(harness, id);
    const delisted = await harness.http
      .post(`/api/assets/${id}/events`)
      .set(await harness.as('merch'))
      .send({ event: 'delisting' })
      .expect(200);
    const oldPurge = delisted.body.timers.find((t: { kind: string }) => t.kind === 'retention').at as string;

    const v2 = await harness.http
      .post('/api/rule-sets')
      .set('Content-Type', 'application/yaml')
      .send(ecommerce.replace('keep: P3Y', 'keep: P5Y'))
      .expect(201);
    expect(v2.body.version).toBe(2);
    // Publishing a new version moves nobody.
    expect((await harness.http.get(`/api/assets/${id}/lifecycle`)).body.ruleSet.version).toBe(1);

    const preview = await harness.http
      .post('/api/rule-sets/ecommerce/migrations')
      .send({ toVersion: 2 })
      .expect(200);
    expect(preview.body.dryRun).toBe(true);
    const entry = preview.body.assets.find((a: { assetId: string }) => a.assetId === id);
    const newPurge = new Date(Date.parse(oldPurge));
    newPurge.setUTCFullYear(newPurge.getUTCFullYear() + 2);
    expect(entry.changes).toContainEqual({
      kind: 'retention',
      description: `retention P3Y → P5Y: purge ${oldPurge.slice(0, 10)} → ${newPurge.toISOString().slice(0, 10)}`,
      before: 'P3Y',
      after: 'P5Y',
    });
    expect((await harness.http.get(`/api/assets/${id}/lifecycle`)).body.ruleSet.version).toBe(1);

    const applied = await harness.http
      .post('/api/rule-sets/ecommerce/migrations')
      .send({ toVersion: 2, assetIds: [id], dryRun: false })
      .expect(200);
    expect(applied.body.assets).toMatchObject([{ assetId: id, fromVersion: 1, result: 'migrated' }]);
    const after = (await harness.http.get(`/api/assets/${id}/lifecycle`)).body;
    expect(after.ruleSet).toEqual({ name: 'ecommerce', version: 2 });
    expect(after.timers.find((t: { kind: string }) => t.kind === 'retention').at).toBe(
      newPurge.toISOString(),
    );
    // The move is in the asset's history: who, when, from which version to which.
    const migrated = await eventually(async () => {
      const { timeline } = (await harness.http.get(`/api/assets/${id}/timeline`)).body;
      return timeline.find((t: { event?: string }) => t.event === 'migrated');
    });
    expect(migrated).toMatchObject({ by: 'admin@example.test', reason: 'rule set ecommerce v1 → v2' });
    await eventually(async () =>
      (await harness.http.get(`/api/assets/${id}`)).body.ruleSetVersion === 2 ? true : undefined,
    );

    // The CLI shows the same preview for what is left (nothing) against the running API.
    const server = await serve(harness);
    try {
      const { Authorization } = await harness.as('admin', 'admin');
      const cli = await run(process.execPath, [
        path.join(__dirname, '..', '..', 'bin', 'assetflow.js'),
        'rules',
        'migrate',
        'ecommerce',
        '--to',
        '2',
        '--server',
        server.url,
        '--token',
        Authorization.replace('Bearer ', ''),
      ]);
      expect(cli.stdout).toContain('Preview of 0 asset(s) to ecommerce v2');
    } finally {
      await server.close();
    }

    // Nothing left to move; an unknown version is a 404.
    expect(
      (await harness.http.post('/api/rule-sets/ecommerce/migrations').send({ toVersion: 2, assetIds: [id] }))
        .body.assets,
    ).toEqual([]);
    await harness.http.post('/api/rule-sets/ecommerce/migrations').send({ toVersion: 9 }).expect(404);
  });

  it('moves only the assets the caller may edit, and only an administrator moves them back (L7)', async () => {
    await harness.http
      .post('/api/projects')
      .send({ id: 'secret-launch', name: 'Secret launch', grants: [] })
      .expect(201);
    const upload = await harness.http
      .post('/api/assets')
      .field('ruleSet', 'ecommerce')
      .field('project', 'secret-launch')
      .field('metadata', JSON.stringify({ sku: 'EL-100300', brand: 'Voltio', purpose: 'main' }))
      .attach('file', await makeJpeg(300, 300, [19, 99, 199]), 'Voltio_EL-100300_main_V1_20261128.jpg')
      .expect(201);
    const id = upload.body.id as string;
    await waitUntilStored(harness, id);
    const author = await harness.as('outside-author', 'rule-author');
    // The asset runs under v1 (or v2); the author asks for every asset not on v3 (none of them theirs).
    await harness.http
      .post('/api/rule-sets')
      .set('Content-Type', 'application/yaml')
      .send(ecommerce.replace('keep: P3Y', 'keep: P7Y'))
      .expect(201);
    const preview = await harness.http
      .post('/api/rule-sets/ecommerce/migrations')
      .set(author)
      .send({ toVersion: 3 })
      .expect(200);
    expect(preview.body.assets.map((a: { assetId: string }) => a.assetId)).not.toContain(id);
    // The administrator moves it to v3; a rule author with edit on the project may not move it back.
    await harness.http
      .post('/api/rule-sets/ecommerce/migrations')
      .send({ toVersion: 3, assetIds: [id], dryRun: false })
      .expect(200);
    await harness.http
      .put('/api/projects/secret-launch/grants')
      .send({
        grants: [
          { principal: `user:${await harness.userId('admin')}`, level: 'manage' },
          { principal: `user:${await harness.userId('outside-author')}`, level: 'edit' },
        ],
      })
      .expect(200);
    const back = await harness.http
      .post('/api/rule-sets/ecommerce/migrations')
      .set(author)
      .send({ toVersion: 1, assetIds: [id] });
    expect([back.status, back.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    await harness.http
      .post('/api/rule-sets/ecommerce/migrations')
      .send({ toVersion: 1, assetIds: [id] })
      .expect(200);
  });
});
