import request from 'supertest';
import { eventually, type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { uploadLuxury } from '../support/luxury';
import { recordHistoryIfAsked } from '../support/record-history';
import { databaseKinds } from '../support/test-databases';
import { testTemporalAddress } from '../support/test-env';

/**
 * Stage 3 and 4 through the HTTP API on the dev server: a two-reviewer hi-res download approval
 * (luxury rule set) end to end, the reviewers' inbox, and a freeze that refuses changes.
 */
describe.each(databaseKinds)('approvals and freezes through the API (%s)', (kind) => {
  let harness: Harness;
  let assetId: string;
  beforeAll(async () => {
    harness = await startHarness(kind);
    assetId = await uploadLuxury(harness, await makeJpeg(800, 600));
    await waitUntilStored(harness, assetId);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('records compliance from the rule set at upload', async () => {
    const view = await harness.http.get(`/api/assets/${assetId}/lifecycle`).expect(200);
    expect(view.body.asset.tags).toEqual(expect.arrayContaining(['CN-mainland-only', 'image', '图片']));
    expect(view.body.compliance).toMatchObject({ missingFields: [], complianceTags: ['CN-mainland-only'] });
    expect(view.body.ruleSet).toEqual({ name: 'luxury', version: 1 });
  });

  it('an internal hi-res download needs a brand manager and then a reviewer, and ends in a time-limited grant', async () => {
    const asked = await harness.http
      .post(`/api/assets/${assetId}/download-requests`)
      .set(await harness.as('ann', 'employee'))
      .send({ audience: 'internal', rendition: 'original' })
      .expect(202);
    expect(asked.body).toMatchObject({ status: 'pending', flow: 'hi-res-download' });
    const { approvalId } = asked.body;

    const miaInbox = await eventually(async () => {
      const res = await harness.http
        .get('/api/approvals')
        .set(await harness.as('mia', 'brand-manager'))
        .expect(200);
      return res.body.approvals.length > 0 ? res.body.approvals : undefined;
    });
    expect(miaInbox).toMatchObject([
      {
        approvalId,
        node: 'first-approval',
        roles: ['brand-manager'],
        request: { user: 'ann@example.test', rendition: 'original' },
      },
    ]);
    expect(
      (await harness.http.get('/api/approvals').set(await harness.as('rui', 'reviewer'))).body.approvals,
    ).toEqual([]);

    const wrong = await harness.http
      .post(`/api/approvals/${approvalId}/decision`)
      .set(await harness.as('rui', 'reviewer'))
      .send({ node: 'first-approval', decision: 'approve' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('NOT_ELIGIBLE');

    const first = await harness.http
      .post(`/api/approvals/${approvalId}/decision`)
      .set(await harness.as('mia', 'brand-manager'))
      .send({ node: 'first-approval', decision: 'approve' })
      .expect(200);
    expect(first.body).toMatchObject({ status: 'running', waiting: ['second-approval'] });
    const again = await harness.http
      .post(`/api/approvals/${approvalId}/decision`)
      .set(await harness.as('mia', 'brand-manager'))
      .send({ node: 'first-approval', decision: 'approve' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NOT_WAITING');

    await eventually(async () =>
      (await harness.http.get('/api/approvals').set(await harness.as('rui', 'reviewer'))).body.approvals
        .length === 1
        ? true
        : undefined,
    );
    const second = await harness.http
      .post(`/api/approvals/${approvalId}/decision`)
      .set(await harness.as('rui', 'reviewer'))
      .send({ node: 'second-approval', decision: 'approve' })
      .expect(200);
    expect(second.body.status).toBe('approved');

    const granted = await eventually(async () => {
      const view = (await harness.http.get(`/api/assets/${assetId}/lifecycle`)).body;
      return view.grants?.length ? view : undefined;
    });
    expect(granted.grants).toMatchObject([{ approvalId, user: 'ann@example.test', rendition: 'original' }]);
    const expiresInHours = (Date.parse(granted.grants[0].expiresAt) - Date.now()) / 3_600_000;
    expect(expiresInHours).toBeGreaterThan(47);
    expect(expiresInHours).toBeLessThanOrEqual(48);
    expect(granted.approvals).toMatchObject([{ id: approvalId, status: 'approved' }]);

    const now = await harness.http
      .post(`/api/assets/${assetId}/download-requests`)
      .set(await harness.as('ann', 'employee'))
      .send({ audience: 'internal', rendition: 'original' })
      .expect(200);
    expect(now.body).toEqual({ status: 'granted', rendition: 'original' });
    expect(
      (await harness.http.get('/api/approvals').set(await harness.as('rui', 'reviewer'))).body.approvals,
    ).toEqual([]);
    const detail = await harness.http.get(`/api/approvals/${approvalId}`).expect(200);
    expect(detail.body.tasks.map((t: { node: string; status: string }) => [t.node, t.status])).toEqual([
      ['first-approval', 'approved'],
      ['second-approval', 'approved'],
    ]);
    if (kind === 'embedded') {
      await recordHistoryIfAsked(testTemporalAddress(), approvalId, 'approval-flow-two-reviewers-v3');
      await recordHistoryIfAsked(
        testTemporalAddress(),
        `asset-${assetId}`,
        'asset-lifecycle-v6-download-approved',
      );
    }
  });

  it('keeps four eyes: the requester cannot approve, nor one person two steps; reasons reach the inbox, trail, timeline and requester (P2, P3)', async () => {
    const id = await uploadLuxury(harness, await makeJpeg(640, 480, [12, 200, 99]));
    await waitUntilStored(harness, id);
    // One person holding every role of the flow (the probe): asks, then tries to approve.
    const boss = await harness.as('boss', 'employee', 'brand-manager', 'reviewer');
    const asked = await harness.http
      .post(`/api/assets/${id}/download-requests`)
      .set(boss)
      .send({ audience: 'internal', rendition: 'original' })
      .expect(202);
    const { approvalId } = asked.body;
    await eventually(async () =>
      (await harness.http.get(`/api/approvals/${approvalId}`)).status === 200 ? true : undefined,
    );
    const own = await harness.http
      .post(`/api/approvals/${approvalId}/decision`)
      .set(boss)
      .send({ node: 'first-approval', decision: 'approve' });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('OWN_REQUEST');

    const duo = await harness.as('duo', 'brand-manager', 'reviewer');
    await harness.http
      .post(`/api/approvals/${approvalId}/decision`)
      .set(duo)
      .send({ node: 'first-approval', decision: 'approve', reason: 'campaign shot, fine for print' })
      .expect(200);
    const twice = await harness.http
      .post(`/api/approvals/${approvalId}/decision`)
      .set(duo)
      .send({ node: 'second-approval', decision: 'approve' });
    expect(twice.status).toBe(403);
    expect(twice.body.error.code).toBe('APPROVED_ANOTHER_STEP');
    const rejected = await harness.http
      .post(`/api/approvals/${approvalId}/decision`)
      .set(await harness.as('rui', 'reviewer'))
      .send({ node: 'second-approval', decision: 'reject', reason: 'model release ends next week' })
      .expect(200);
    expect(rejected.body.status).toBe('rejected');
    expect(rejected.body.decisions).toMatchObject([
      { node: 'first-approval', reviewer: 'duo@example.test', reason: 'campaign shot, fine for print' },
      { node: 'second-approval', reviewer: 'rui@example.test', reason: 'model release ends next week' },
    ]);

    // The inbox's history: each closed step with the decision that closed it and its reason.
    const detail = await eventually(async () => {
      const body = (await harness.http.get(`/api/approvals/${approvalId}`).expect(200)).body;
      return body.tasks.every((t: { status: string }) => t.status !== 'pending') ? body : undefined;
    });
    expect(
      detail.tasks.map((t: { node: string; status: string; decisions: unknown[] }) => [
        t.node,
        t.status,
        t.decisions,
      ]),
    ).toMatchObject([
      [
        'first-approval',
        'approved',
        [{ reviewer: 'duo@example.test', reason: 'campaign shot, fine for print' }],
      ],
      [
        'second-approval',
        'rejected',
        [{ reviewer: 'rui@example.test', reason: 'model release ends next week' }],
      ],
    ]);
    // The trail.
    const trail = (await harness.http.get(`/api/assets/${id}/trail`).expect(200)).body;
    const decided = JSON.stringify(trail).match(/model release ends next week/g) ?? [];
    expect(decided.length).toBeGreaterThan(0);
    // The asset's approval record and timeline.
    const view = await eventually(async () => {
      const body = (await harness.http.get(`/api/assets/${id}/lifecycle`)).body;
      return body.approvals?.[0]?.status === 'rejected' ? body : undefined;
    });
    expect(view.approvals[0].decisions).toMatchObject([
      { reviewer: 'duo@example.test', decision: 'approve' },
      { reviewer: 'rui@example.test', decision: 'reject', reason: 'model release ends next week' },
    ]);
    const timeline = (await harness.http.get(`/api/assets/${id}/timeline`).expect(200)).body;
    expect(JSON.stringify(timeline)).toContain('model release ends next week');
    // The requester's notification says who decided and why.
    const notice = await eventually(async () => {
      const body = (await harness.http.get('/api/notifications').set(boss).expect(200)).body;
      return body.notifications?.find((n: { kind: string }) => n.kind === 'approval.decided');
    });
    expect(notice.message).toContain('rejected');
    expect(notice.message).toContain('model release ends next week');
    expect(notice.payload.decisions).toHaveLength(2);
  });

  it('refuses downloads outside the audience rules', async () => {
    const partnerOriginal = await harness.http
      .post(`/api/assets/${assetId}/download-requests`)
      .set(await harness.as('pat', 'partner'))
      .send({ audience: 'partners', rendition: 'original' });
    expect(partnerOriginal.status).toBe(403);
    expect(partnerOriginal.body.error.code).toBe('RENDITION_REFUSED');
    const notPartner = await harness.http
      .post(`/api/assets/${assetId}/download-requests`)
      .set(await harness.as('eve', 'agent'))
      .send({ audience: 'partners', rendition: 'medium' });
    expect(notPartner.body.error.code).toBe('AUDIENCE_REFUSED');
    const medium = await harness.http
      .post(`/api/assets/${assetId}/download-requests`)
      .set(await harness.as('pat', 'partner'))
      .send({ audience: 'partners', rendition: 'medium' })
      .expect(200);
    expect(medium.body.status).toBe('allowed');
    const anonymous = await request(harness.app)
      .post(`/api/assets/${assetId}/download-requests`)
      .send({ audience: 'partners', rendition: 'medium' });
    expect(anonymous.status).toBe(401);
  });

  it('a frozen asset refuses changes with the reason, until unfrozen', async () => {
    // The luxury rule set lets only brand managers and legal freeze by hand.
    const notAllowed = await harness.http
      .post(`/api/assets/${assetId}/freeze`)
      .set(await harness.as('mia', 'photographer'))
      .send({ reason: 'I like it as it is' });
    expect(notAllowed.status).toBe(403);
    expect(notAllowed.body.error).toMatchObject({
      code: 'NOT_ELIGIBLE',
      message: expect.stringContaining('brand-manager, legal'),
    });
    await harness.http
      .post(`/api/assets/${assetId}/freeze`)
      .set(await harness.as('lee', 'brand-manager'))
      .send({ reason: 'Printed for the SS26 window' })
      .expect(200);
    const refused = await harness.http
      .patch(`/api/assets/${assetId}/metadata`)
      .set(await harness.as('lee', 'brand-manager'))
      .send({ set: { scenario: 'print' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'ASSET_FROZEN',
      message: expect.stringContaining('Printed for the SS26 window'),
    });
    expect(
      (
        await harness.http
          .post(`/api/assets/${assetId}/freeze`)
          .set(await harness.as('lee', 'brand-manager'))
          .send({ reason: 'again' })
      ).body.error.code,
    ).toBe('ALREADY_FROZEN');
    await harness.http
      .post(`/api/assets/${assetId}/unfreeze`)
      .set(await harness.as('lee', 'brand-manager'))
      .send({})
      .expect(200);
    const changed = await harness.http
      .patch(`/api/assets/${assetId}/metadata`)
      .set(await harness.as('lee'))
      .send({ set: { scenario: 'print' } })
      .expect(200);
    expect(changed.body.metadata.scenario).toBe('print');
    const unknownField = await harness.http
      .patch(`/api/assets/${assetId}/metadata`)
      .set(await harness.as('lee'))
      .send({ set: { colour: 'red' } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.code).toBe('UNKNOWN_FIELD');
    // The catalogue mirrors the freeze state for listing.
    await harness.http
      .post(`/api/assets/${assetId}/freeze`)
      .set(await harness.as('lee', 'legal'))
      .send({ reason: 'final' })
      .expect(200);
    await eventually(async () =>
      (
        await harness.storage.database.db
          .selectFrom('assets')
          .select('frozen')
          .where('id', '=', assetId)
          .executeTakeFirst()
      )?.frozen
        ? true
        : undefined,
    );
  });

  it('answers 404 for lifecycle actions on an unknown asset', async () => {
    const res = await harness.http
      .post('/api/assets/0b6f5a0e-1111-4222-8333-444455556666/archive')
      .set(await harness.as('lee'))
      .send({});
    expect(res.status).toBe(404);
  });
});

describe('new versions (embedded PostgreSQL)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness('embedded');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('numbers concurrent uploads in order with none lost, and a frozen asset refuses a new version with the reason', async () => {
    const upload = await harness.http
      .post('/api/assets')
      .attach('file', await makeJpeg(100, 100), 'drawing.jpg')
      .expect(201);
    const id = upload.body.id as string;
    await waitUntilStored(harness, id);

    const sizes = [120, 140, 160];
    const results = await Promise.all(
      sizes.map(async (size) =>
        harness.http
          .post(`/api/assets/${id}/versions`)
          .set(await harness.as('dora', 'editor'))
          .field('note', `resized to ${size}`)
          .attach('file', await makeJpeg(size, size, [size, 0, 0]), `drawing-${size}.jpg`),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(results.map((r) => r.body.version).sort()).toEqual([2, 3, 4]);
    expect(await harness.storage.assets.versionNumbers(id)).toEqual([1, 2, 3, 4]);
    const latest = (await harness.http.get(`/api/assets/${id}`)).body.latestVersion;
    expect(latest.version).toBe(4);

    await harness.http
      .post(`/api/assets/${id}/freeze`)
      .set(await harness.as('dora'))
      .send({ reason: 'In production since 2026-11-28' })
      .expect(200);
    const refused = await harness.http
      .post(`/api/assets/${id}/versions`)
      .set(await harness.as('dora'))
      .attach('file', await makeJpeg(90, 90), 'late-fix.jpg');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'ASSET_FROZEN',
      message: expect.stringContaining('In production since 2026-11-28'),
    });
    expect(await harness.storage.assets.versionNumbers(id)).toEqual([1, 2, 3, 4]);
  });
});
