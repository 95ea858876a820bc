import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import sharp from 'sharp';
import { installTemporalRuntimeOnce } from '../../runtime/worker';
import { startTimeSkippingServer } from '../../toolchain/ephemeral-servers';
import { eventually, type Harness, startHarness, waitUntilStored } from '../support/harness';
import { asBuffer } from '../support/http-binary';
import { makeJpeg } from '../support/images';
import { recordHistoryIfAsked } from '../support/record-history';
import { databaseKinds } from '../support/test-databases';
import { readZip } from '../support/zip';

/**
 * The seed's three industries, each lived through end to end: the whole product (HTTP API,
 * catalogue, worker with the object detector, real workflows) on Temporal's time-skipping server,
 * so retention that ends years later is reached in seconds. Each test: upload (with what the
 * models fill in) → compliance → an approval by two different people → distribution to each
 * audience → the business event → archive → purge when retention ends, not a day before.
 */
type Who = { Authorization: string };
const DAY = 24 * 60 * 60 * 1000;
const photo = (name: string) => readFileSync(path.join(__dirname, '..', 'fixtures', 'photos', name));

describe.each(databaseKinds)('seed scenarios on the time-skipping server (%s)', (kind) => {
  let env: TestWorkflowEnvironment;
  let harness: Harness;
  beforeAll(async () => {
    installTemporalRuntimeOnce();
    env = await startTimeSkippingServer();
    harness = await startHarness(kind, {
      temporalAddress: env.address,
      aiTagging: true,
      workflowExecutionTimeout: '50 years',
    });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
    await env?.teardown();
  });

  const now = async () => env.currentTimeMs();
  const sleepUntil = async (at: number) => {
    const ms = at - (await now());
    if (ms > 0) await env.sleep(ms);
  };
  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const upload = async (who: Who, ruleSet: string, metadata: object, bytes: Buffer, name: string) => {
    const res = await harness.http
      .post('/api/assets')
      .set(who)
      .field('ruleSet', ruleSet)
      .field('metadata', JSON.stringify(metadata))
      .attach('file', bytes, name);
    expect([res.status, res.body.error?.code]).toEqual([201, undefined]);
    await waitUntilStored(harness, res.body.id, { timeoutMs: 60_000 });
    // Stored comes first; the models follow, and the scenarios go on once they have reported.
    await until(res.body.id, (v) => v.enriching === undefined);
    return res.body.id as string;
  };
  const lifecycle = async (id: string) =>
    (await harness.http.get(`/api/assets/${id}/lifecycle`).expect(200)).body;
  // biome-ignore lint/suspicious/noExplicitAny: the lifecycle view as JSON, read field by field
  const until = (id: string, predicate: (view: Record<string, any>) => boolean) =>
    eventually(async () => {
      const view = await lifecycle(id);
      return predicate(view) ? view : undefined;
    }, 30_000);
  const rendition = (id: string, name: string, audience: string, who: Who) =>
    asBuffer(harness.http.get(`/api/assets/${id}/renditions/${name}`).query({ audience }).set(who));
  /** A refused download: its status and error code. */
  const refusal = async (id: string, name: string, audience: string, who: Who) => {
    const res = await harness.http.get(`/api/assets/${id}/renditions/${name}`).query({ audience }).set(who);
    return [res.status, res.body.error?.code];
  };
  const decide = (
    approvalId: string,
    who: Who,
    node: string,
    decision: 'approve' | 'reject',
    reason?: string,
  ) =>
    harness.http
      .post(`/api/approvals/${approvalId}/decision`)
      .set(who)
      .send({ node, decision, ...(reason ? { reason } : {}) });
  const approvalReady = (approvalId: string) =>
    eventually(async () =>
      (await harness.http.get(`/api/approvals/${approvalId}`)).status === 200 ? true : undefined,
    );
  const noticesOf = async (who: Who) =>
    (await harness.http.get('/api/notifications').set(who).expect(200)).body.notifications as {
      kind: string;
      assetId: string;
      message: string;
    }[];
  /** Sleeps to the day before the purge date (still there), then past it (purged, bytes gone). */
  const purgedOnTime = async (id: string, purgeAt: string) => {
    await sleepUntil(Date.parse(purgeAt) - DAY);
    const before = await harness.storage.assets.find(id);
    expect(before?.state).not.toBe('purged');
    await env.sleep(2 * DAY);
    const after = await eventually(async () => {
      const row = await harness.storage.assets.find(id);
      return row?.state === 'purged' ? row : undefined;
    }, 30_000);
    expect(await harness.storage.blobs.locate(after.currentVersion.sha256)).toBeUndefined();
  };

  it('cross-border e-commerce: AI category → compliance review by someone else → channels → delisted → purged 3 years later', async () => {
    const uma = await harness.as('uma', 'merchandiser', 'compliance', 'editor');
    const cy = await harness.as('cy', 'compliance');
    const vic = await harness.as('vic', 'viewer');
    const id = await upload(
      uma,
      'ecommerce',
      { sku: 'KW-1001', brand: 'ACME', purpose: 'main', listed: true, markets: ['US', 'EU'] },
      photo('coffee.jpg'),
      'mug.jpg',
    );
    // The detector saw a cup: the empty category is filled, which brings its compliance tags and review.
    const stored = await until(id, (v) => v.approvals?.length > 0);
    expect(stored.metadata.category).toBe('kitchenware');
    expect(stored.fieldSources.category).toMatchObject({ source: 'ai', tag: 'cup' });
    expect(stored.compliance.complianceTags).toEqual(['needs-LFGB', 'needs-FDA-food-contact']);
    const review = stored.approvals[0];
    expect(review).toMatchObject({ flow: 'compliance-review', requestedBy: 'uma@example.test' });
    await approvalReady(review.id);
    // Four eyes: the uploader holds the compliance role but may not approve her own upload.
    expect((await decide(review.id, uma, 'review', 'approve')).body.error.code).toBe('OWN_REQUEST');
    await decide(review.id, cy, 'review', 'approve', 'LFGB certificate on file').expect(200);
    await until(id, (v) => v.asset.tags.includes('compliance-approved'));

    // Each audience gets what the rule set gives it, and the Amazon channel its 2000×2000 image.
    const main = await rendition(id, 'amazon-main', 'team', uma).expect(200);
    expect(await sharp(main.body as Buffer).metadata()).toMatchObject({ width: 2000, height: 2000 });
    await rendition(id, 'thumbnail', 'viewers', vic).expect(200);
    expect(await refusal(id, 'original', 'viewers', vic)).toEqual([403, 'RENDITION_REFUSED']);
    const exported = await asBuffer(
      harness.http.post('/api/exports').send({ assetIds: [id], channel: 'amazon' }),
    ).expect(200);
    const manifest = JSON.parse((await readZip(exported.body as Buffer)).get('manifest.json')!.toString());
    expect(manifest.assets[0].files).toHaveLength(1);

    // Delisting (listed: false) tags and archives; nothing leaves any more; purge 3 years on.
    await harness.http
      .patch(`/api/assets/${id}/metadata`)
      .set(uma)
      .send({ set: { listed: false } })
      .expect(200);
    const delisted = await lifecycle(id);
    expect(delisted.state).toBe('archived');
    expect(delisted.asset.tags).toContain('delisted');
    expect(await refusal(id, 'amazon-main', 'team', uma)).toEqual([409, 'ASSET_ARCHIVED']);
    const purgeAt = delisted.timers.find((t: { kind: string }) => t.kind === 'retention').at;
    expect(new Date(purgeAt).getUTCFullYear() - new Date(delisted.anchors.delisting).getUTCFullYear()).toBe(
      3,
    );
    await purgedOnTime(id, purgeAt);
    await recordHistoryIfAsked(env.address, `asset-${id}`, 'asset-lifecycle-v6-ecommerce-seed');
    await recordHistoryIfAsked(env.address, review.id, 'approval-flow-v3-compliance-review');
  }, 240_000);

  it('luxury: compliance tags → hi-res approval by two people → each audience → the model release ends distribution → archived, purged 5 years later', async () => {
    const pho = await harness.as('pho', 'photographer', 'editor');
    const ann = await harness.as('ann', 'employee');
    const mia = await harness.as('mia', 'brand-manager', 'reviewer');
    const rui = await harness.as('rui', 'reviewer');
    const pia = await harness.as('pia', 'partner');
    const ada = await harness.as('ada', 'agent');
    const releaseEnds = (await now()) + 60 * DAY;
    const id = await upload(
      pho,
      'luxury',
      {
        campaign: 'SS27',
        photographer: 'Li Wei',
        scenario: 'print',
        usageRegion: 'CN-mainland',
        modelReleaseExpiry: `${dayOf(releaseEnds)}T00:00:00.000Z`,
      },
      photo('camera.jpg'),
      `SS27_print_V1_${dayOf(await now()).replaceAll('-', '')}.jpg`,
    );
    const stored = await lifecycle(id);
    expect(stored.compliance).toMatchObject({ missingFields: [], complianceTags: ['CN-mainland-only'] });
    expect(stored.compliance.brandColours).toMatchObject({ policy: 'warn' });
    expect(stored.asset.tags).toContain('person'); // what the detector saw

    const asked = await harness.http
      .post(`/api/assets/${id}/download-requests`)
      .set(ann)
      .send({ audience: 'internal', rendition: 'original' })
      .expect(202);
    const { approvalId } = asked.body;
    await approvalReady(approvalId);
    await decide(approvalId, mia, 'first-approval', 'approve').expect(200);
    expect((await decide(approvalId, mia, 'second-approval', 'approve')).body.error.code).toBe(
      'APPROVED_ANOTHER_STEP',
    );
    await decide(approvalId, rui, 'second-approval', 'approve', 'print run only').expect(200);
    await until(id, (v) => (v.grants ?? []).length === 1);
    await rendition(id, 'original', 'internal', ann).expect(200);
    await rendition(id, 'medium', 'partners', pia).expect(200);
    await rendition(id, 'proof', 'agents', ada).expect(200);

    // The release ends in 60 days: the owner hears 30 days before, and on the day nothing leaves.
    await sleepUntil(releaseEnds - 30 * DAY + 60_000);
    const warned = await eventually(async () =>
      (await noticesOf(pho)).find((n) => n.kind === 'asset.rights-expiring' && n.assetId === id),
    );
    expect(warned.message).toContain(dayOf(releaseEnds));
    expect((await lifecycle(id)).asset.tags).toContain('model-release-expiring');
    await rendition(id, 'medium', 'partners', pia).expect(200);
    await sleepUntil(releaseEnds + 60_000);
    await eventually(async () =>
      (await noticesOf(pho)).find((n) => n.kind === 'asset.rights-expired' && n.assetId === id),
    );
    expect(await refusal(id, 'medium', 'partners', pia)).toEqual([409, 'RIGHTS_EXPIRED']);

    const archived = (await harness.http.post(`/api/assets/${id}/archive`).send({}).expect(200)).body;
    const purgeAt = archived.timers.find((t: { kind: string }) => t.kind === 'retention').at;
    expect(new Date(purgeAt).getUTCFullYear() - new Date(archived.anchors.archive).getUTCFullYear()).toBe(5);
    await purgedOnTime(id, purgeAt);
    await recordHistoryIfAsked(env.address, `asset-${id}`, 'asset-lifecycle-v6-luxury-seed');
  }, 240_000);

  it('automotive: mandatory fields → release approved by quality and design → R&D and dealers → end of production archives → legal hold → purged 15 years later', async () => {
    const eng = await harness.as('eng', 'rnd-engineer', 'editor');
    const qa = await harness.as('qa', 'quality');
    const dl = await harness.as('dl', 'design-lead');
    const dealer = await harness.as('dan', 'dealer');
    const chassis = await harness.as('tim', 'team:chassis');
    const fields = {
      modelCode: 'X1A',
      partNumber: '12345-AB12',
      modelYear: 2026,
      programme: 'X1',
      system: 'chassis',
    };
    const step = Buffer.from(
      "ISO-10303-21;\nHEADER;\nFILE_NAME('bracket');\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n",
    );
    const refused = await harness.http
      .post('/api/assets')
      .set(eng)
      .field('ruleSet', 'automotive')
      .attach('file', step, 'X1A_12345-AB12_MY2026_V1.step');
    expect([refused.status, refused.body.error.code]).toEqual([422, 'REQUIRED_FIELDS_MISSING']);
    const drawing = await upload(
      eng,
      'automotive',
      { ...fields, stage: 'development' },
      step,
      'X1A_12345-AB12_MY2026_V1.step',
    );
    expect((await lifecycle(drawing)).asset.kind).toBe('cad');

    // Validation starts the release: quality and design lead, in parallel, two different people.
    await harness.http
      .patch(`/api/assets/${drawing}/metadata`)
      .set(eng)
      .send({ set: { stage: 'validation' } })
      .expect(200);
    const release = (await until(drawing, (v) => v.approvals?.length > 0)).approvals[0];
    expect(release).toMatchObject({ flow: 'release-to-production', requestedBy: 'eng@example.test' });
    await approvalReady(release.id);
    await decide(release.id, qa, 'quality-review', 'approve').expect(200);
    await decide(release.id, dl, 'design-review', 'approve', 'tolerances checked').expect(200);
    const frozen = await until(drawing, (v) => v.frozen !== null);
    expect(frozen.frozen.reason).toBe('Released to production');
    await eventually(async () =>
      (await noticesOf(eng)).find((n) => n.kind === 'asset.frozen' && n.assetId === drawing),
    );

    // R&D (by role or by team) gets the CAD original; dealers only marketing posters.
    await rendition(drawing, 'original', 'rnd', eng).expect(200);
    await rendition(drawing, 'original', 'rnd', chassis).expect(200);
    expect(await refusal(drawing, 'poster', 'dealers', dealer)).toEqual([403, 'AUDIENCE_REFUSED']);
    const poster = await upload(
      eng,
      'automotive',
      { ...fields, purpose: 'marketing-poster' },
      await makeJpeg(1600, 1000, [30, 60, 200]),
      'X1A_12345-AB12_MY2026_V1.jpg',
    );
    await rendition(poster, 'poster', 'dealers', dealer).expect(200);
    expect(await refusal(poster, 'thumbnail', 'dealers', dealer)).toEqual([403, 'RENDITION_REFUSED']);

    // End of production: by the API for the frozen drawing, by its stage for the poster. Both archive.
    const ended = (
      await harness.http
        .post(`/api/assets/${drawing}/events`)
        .set(eng)
        .send({ event: 'end-of-production' })
        .expect(200)
    ).body;
    expect(ended.state).toBe('archived');
    await harness.http
      .patch(`/api/assets/${poster}/metadata`)
      .set(eng)
      .send({ set: { stage: 'end-of-production' } })
      .expect(200);
    const posterEnded = await lifecycle(poster);
    expect(posterEnded.state).toBe('archived');
    expect(posterEnded.asset.tags).toContain('end-of-production');

    // Quality holds the drawing: its purge waits; the poster goes 15 years on.
    await harness.http
      .post(`/api/assets/${drawing}/legal-hold`)
      .set(qa)
      .send({ on: true, reason: 'warranty claim 2041-17' })
      .expect(200);
    const purgeAt = posterEnded.timers.find((t: { kind: string }) => t.kind === 'retention').at;
    expect(
      new Date(purgeAt).getUTCFullYear() -
        new Date(posterEnded.anchors['end-of-production']).getUTCFullYear(),
    ).toBe(15);
    await purgedOnTime(poster, purgeAt);
    expect((await harness.storage.assets.find(drawing))?.state).toBe('archived');
    await harness.http.post(`/api/assets/${drawing}/legal-hold`).set(qa).send({ on: false }).expect(200);
    await eventually(
      async () => ((await harness.storage.assets.find(drawing))?.state === 'purged' ? true : undefined),
      30_000,
    );
  }, 300_000);
});
