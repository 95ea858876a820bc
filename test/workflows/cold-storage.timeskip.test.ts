import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { installTemporalRuntimeOnce } from '../../runtime/worker';
import { startTimeSkippingServer } from '../../toolchain/ephemeral-servers';
import { eventually, type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { recordHistoryIfAsked } from '../support/record-history';
import { databaseKinds } from '../support/test-databases';

/**
 * Cold storage that comes back, through the HTTP API on the time-skipping server: every use
 * counts (a share-link download re-arms the idle timer, P8), the original of a cold asset is
 * brought back with the requester told when it is there, and a blob shared with a hot asset is
 * read where it is (P9: it was a 500).
 */
const DAY = 24 * 60 * 60 * 1000;
const RULE_SET = `apiVersion: assetflow/v1
kind: RuleSet
name: cold-test
roles: [admin, editor, viewer]
store:
  duplicates: { exact: warn }
distribute:
  renditions:
    thumbnail: { width: 320, height: 320, fit: inside, format: webp, quality: 80 }
    preview: { width: 1000, fit: inside, format: jpeg, quality: 85 }
    original: { original: true }
  audiences:
    everyone: { roles: [admin, editor, viewer], renditions: [thumbnail, preview, original] }
  shareLinks: { defaultExpiryDays: 90, maxExpiryDays: 365 }
archive:
  coldAfterDaysUnused: 30
`;

describe.each(databaseKinds)('cold storage on the time-skipping server (%s)', (kind) => {
  let env: TestWorkflowEnvironment;
  let harness: Harness;
  beforeAll(async () => {
    installTemporalRuntimeOnce();
    env = await startTimeSkippingServer();
    harness = await startHarness(kind, { temporalAddress: env.address });
    await harness.http.post('/api/rule-sets').send({ source: RULE_SET }).expect(201);
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
    await env?.teardown();
  });

  const upload = async (bytes: Buffer, name: string) => {
    const res = await harness.http
      .post('/api/assets')
      .field('ruleSet', 'cold-test')
      .attach('file', bytes, name)
      .expect(201);
    await waitUntilStored(harness, res.body.id);
    return res.body.id as string;
  };
  const tierOf = async (id: string) =>
    (await harness.http.get(`/api/assets/${id}/lifecycle`).expect(200)).body.tier as string;
  const skipDays = (days: number) => env.sleep(days * DAY);

  it('a share-link download counts as use; unused, the asset goes cold; its original comes back on request', async () => {
    const id = await upload(await makeJpeg(1200, 800, [200, 100, 30]), 'linked.jpg');
    const made = await harness.http
      .post('/api/shares')
      .send({ assetIds: [id], permission: 'download', rendition: 'preview' })
      .expect(201);
    const token = made.body.url.split('/s/')[1];

    await skipDays(25);
    await request(harness.app).post(`/s/${token}/download`).expect(200);
    await skipDays(10); // 35 days after upload, 10 after the link's download
    expect(await tierOf(id)).toBe('hot');
    await skipDays(21); // 31 days after the last use
    await eventually(async () => ((await tierOf(id)) === 'cold' ? true : undefined));

    const viewer = await harness.as('val', 'viewer');
    const asked = await harness.http
      .get(`/api/assets/${id}/renditions/original`)
      .query({ audience: 'everyone' })
      .set(viewer)
      .expect(202);
    expect(asked.body.status).toBe('restoring');
    const notice = await eventually(async () =>
      (await harness.http.get('/api/notifications').set(viewer).expect(200)).body.notifications.find(
        (n: { kind: string; assetId: string }) => n.kind === 'asset.restored' && n.assetId === id,
      ),
    );
    expect(notice.message).toContain('back from cold storage');
    expect(await tierOf(id)).toBe('hot');
    expect((await harness.storage.assets.find(id))?.tier).toBe('hot');
    await harness.http
      .get(`/api/assets/${id}/renditions/original`)
      .query({ audience: 'everyone' })
      .set(viewer)
      .expect(200);
    await recordHistoryIfAsked(env.address, `asset-${id}`, 'asset-lifecycle-v6-cold-restored');
  }, 120_000);

  it('an asset gone cold whose bytes another hot asset keeps is read where they are (P9)', async () => {
    const bytes = await makeJpeg(1000, 700, [20, 160, 90]);
    const idle = await upload(bytes, 'idle.jpg');
    const busy = await upload(bytes, 'busy.jpg');
    const sha = (await harness.storage.assets.find(idle))!.currentVersion.sha256;
    expect((await harness.storage.assets.find(busy))!.currentVersion.sha256).toBe(sha);

    await skipDays(20);
    await harness.http
      .get(`/api/assets/${busy}/renditions/thumbnail`)
      .query({ audience: 'everyone' })
      .expect(200);
    await skipDays(11);
    await eventually(async () => ((await tierOf(idle)) === 'cold' ? true : undefined));
    expect((await harness.storage.assets.find(idle))?.tier).toBe('cold');
    // The other asset is hot, so the bytes stayed in the hot tier.
    expect(await harness.storage.blobs.locate(sha)).toBe('hot');
    // A rendition not made before is rendered from the original: it is found in the hot tier.
    await harness.http
      .get(`/api/assets/${idle}/renditions/preview`)
      .query({ audience: 'everyone' })
      .expect(200);
  }, 120_000);
});
