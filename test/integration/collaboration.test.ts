import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import sharp from 'sharp';
import { Notices } from '../../operations/notices';
import { eventStreamReader } from '../support/event-stream';
import { eventually, type Harness, startHarness, waitUntilStored } from '../support/harness';
import { asBuffer } from '../support/http-binary';
import { makeJpeg } from '../support/images';
import { uploadLuxury } from '../support/luxury';
import { serve } from '../support/serve';
import { databaseKinds } from '../support/test-databases';

/**
 * Stage 4 and the analytics of stage 5 through the real server and workflows: version history,
 * compare and restore; comments pinned to versions and regions with @mentions; notifications
 * stored and pushed live over Server-Sent Events; usage analytics from a fixture trail.
 */
describe.each(databaseKinds)('collaboration (%s)', (kind) => {
  let harness: Harness;
  let ann: { Authorization: string };
  beforeAll(async () => {
    harness = await startHarness(kind);
    ann = await harness.as('ann', 'editor');
  });
  afterAll(async () => {
    await harness?.close();
  });

  const stored = (id: string, version = 1) => waitUntilStored(harness, id, { version });
  const uploadAs = async (
    who: { Authorization: string },
    name: string,
    rgb: [number, number, number],
    project?: string,
  ) => {
    let req = harness.http.post('/api/assets').set(who);
    if (project) req = req.field('project', project);
    const res = await req.attach('file', await makeJpeg(1200, 800, rgb), name).expect(201);
    await stored(res.body.id);
    return res.body.id as string;
  };
  const notificationsOf = async (who: { Authorization: string }) =>
    (await harness.http.get('/api/notifications').set(who).expect(200)).body;

  it('a new version retried with the same Idempotency-Key answers the version the first request made', async () => {
    const id = await uploadAs(ann, 'retry.jpg', [90, 160, 40]);
    const file = await makeJpeg(640, 480, [20, 20, 220]);
    const send = (key?: string) => {
      const req = harness.http.post(`/api/assets/${id}/versions`).set(ann);
      return (key ? req.set('Idempotency-Key', key) : req).attach('file', file, 'retry-v2.jpg').expect(201);
    };
    const first = await send('upload-7f3a');
    const retried = await send('upload-7f3a');
    expect([first.body.version, retried.body.version]).toEqual([2, 2]);
    // Without a key (or with another one) the same file is a new version, as asked.
    expect((await send()).body.version).toBe(3);
    expect((await send('upload-other')).body.version).toBe(4);
    const versions = (await harness.http.get(`/api/assets/${id}/versions`).expect(200)).body.versions;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4]);
    await harness.http
      .post(`/api/assets/${id}/versions`)
      .set(ann)
      .set('Idempotency-Key', 'not a key!')
      .attach('file', file, 'retry-v2.jpg')
      .expect(400);
  });

  it('keeps every version with who and why, compares two, and restores an old one as the newest', async () => {
    const id = await uploadAs(ann, 'label.jpg', [200, 30, 40]);
    const v2 = await harness.http
      .post(`/api/assets/${id}/versions`)
      .set(ann)
      .field('note', 'bluer background')
      .attach('file', await makeJpeg(1000, 1000, [30, 40, 200]), 'label-v2.jpg')
      .expect(201);
    expect(v2.body).toMatchObject({ version: 2, asset: { latestVersion: { version: 2 } } });
    await stored(id, 2);

    const history = (await harness.http.get(`/api/assets/${id}/versions`).expect(200)).body;
    expect(history).toMatchObject({ latest: 2 });
    expect(history.versions).toEqual([
      expect.objectContaining({
        version: 1,
        latest: false,
        by: 'ann@example.test',
        note: null,
        width: 1200,
        height: 800,
      }),
      expect.objectContaining({
        version: 2,
        latest: true,
        by: 'ann@example.test',
        note: 'bluer background',
        width: 1000,
      }),
    ]);

    const compared = (await harness.http.get(`/api/assets/${id}/compare`).query({ a: 1, b: 2 }).expect(200))
      .body;
    const changed = Object.fromEntries(
      compared.changes.map((c: { field: string; a: unknown; b: unknown }) => [c.field, [c.a, c.b]]),
    );
    expect(changed.width).toEqual([1200, 1000]);
    expect(changed.height).toEqual([800, 1000]);
    expect(changed.note).toEqual([null, 'bluer background']);
    expect(changed.originalName).toEqual(['label.jpg', 'label-v2.jpg']);
    expect(String((changed.colours as string[][])[0])).toMatch(/red/);
    expect(String((changed.colours as string[][])[1])).toMatch(/blue/);
    expect(changed).not.toHaveProperty('mediaType');

    const picture = await asBuffer(
      harness.http.get(`/api/assets/${id}/compare/image`).query({ a: 1, b: 2 }),
    ).expect(200);
    expect(picture.headers['content-type']).toBe('image/png');
    // 800×533 and 800×800 side by side with a 16 px gap.
    expect(await sharp(picture.body as Buffer).metadata()).toMatchObject({ width: 1616, height: 800 });
    const missing = await harness.http.get(`/api/assets/${id}/compare`).query({ a: 1, b: 9 }).expect(404);
    expect(missing.body.error.code).toBe('VERSION_NOT_FOUND');

    const restored = await harness.http
      .post(`/api/assets/${id}/versions/1/restore`)
      .set(ann)
      .send({})
      .expect(201);
    expect(restored.body).toEqual({ version: 3, restoredFrom: 1 });
    const asset = await stored(id, 3);
    expect(asset.latestVersion.sha256).toBe(history.versions[0].sha256);
    const after = (await harness.http.get(`/api/assets/${id}/versions`)).body.versions;
    expect(
      after.map((v: { version: number; latest: boolean; note: string | null }) => [
        v.version,
        v.latest,
        v.note,
      ]),
    ).toEqual([
      [1, false, null],
      [2, false, 'bluer background'],
      [3, true, 'Restored version 1'],
    ]);

    await harness.http.post(`/api/assets/${id}/freeze`).send({ reason: 'at the printer' }).expect(200);
    const refused = await harness.http
      .post(`/api/assets/${id}/versions/2/restore`)
      .set(ann)
      .send({})
      .expect(409);
    expect(refused.body.error.message).toContain('at the printer');
  });

  it('comments on a version and a region, threads replies, resolves, and notifies mentioned people who may see it', async () => {
    const bob = await harness.as('bob', 'team:design');
    const cat = await harness.as('cat', 'team:design');
    const olaf = await harness.as('olaf');
    await harness.http
      .post('/api/projects')
      .set(ann)
      .send({
        id: 'packaging',
        name: 'Packaging',
        grants: [
          { principal: 'team:design', level: 'view' },
          { principal: `user:${await harness.userId('ann')}`, level: 'manage' },
        ],
      })
      .expect(201);
    const id = await uploadAs(ann, 'box.jpg', [240, 200, 30], 'packaging');
    const made = await harness.http
      .post(`/api/assets/${id}/comments`)
      .set(ann)
      .send({
        body: 'Brighten this yellow @bob@example.test — @team:design please check; @olaf@example.test FYI',
        region: { kind: 'rect', x: 0.1, y: 0.2, width: 0.3, height: 0.25 },
      })
      .expect(201);
    expect(made.body).toMatchObject({
      version: 1,
      author: 'ann@example.test',
      region: { kind: 'rect', x: 0.1, y: 0.2, width: 0.3, height: 0.25 },
      // olaf cannot see the project: not told, not listed.
      mentions: ['bob@example.test', 'cat@example.test'],
    });
    const reply = await harness.http
      .post(`/api/assets/${id}/comments`)
      .set(bob)
      .send({ body: 'Done in v2', parentId: made.body.id })
      .expect(201);
    const nested = await harness.http
      .post(`/api/assets/${id}/comments`)
      .set(ann)
      .send({ body: 'no', parentId: reply.body.id });
    expect(nested.status).toBe(400);
    const outside = await harness.http
      .post(`/api/assets/${id}/comments`)
      .set(ann)
      .send({ body: 'x', region: { kind: 'rect', x: 0.9, y: 0.1, width: 0.3, height: 0.1 } });
    expect(outside.status).toBe(400);
    expect(
      (await harness.http.post(`/api/assets/${id}/comments`).set(olaf).send({ body: 'hi' })).status,
    ).toBe(404);

    // A new version: the comment stays on version 1.
    await harness.http
      .post(`/api/assets/${id}/versions`)
      .set(ann)
      .attach('file', await makeJpeg(1200, 800, [250, 230, 60]), 'box-v2.jpg')
      .expect(201);
    await stored(id, 2);
    const onV1 = (
      await harness.http.get(`/api/assets/${id}/comments`).query({ version: 1 }).set(bob).expect(200)
    ).body;
    expect(onV1.threads).toHaveLength(1);
    expect(onV1.threads[0]).toMatchObject({
      id: made.body.id,
      replies: [{ id: reply.body.id, author: 'bob@example.test' }],
    });
    expect(
      (await harness.http.get(`/api/assets/${id}/comments`).query({ version: 2 }).set(bob)).body.threads,
    ).toEqual([]);

    const resolved = await harness.http
      .post(`/api/assets/${id}/comments/${made.body.id}/resolve`)
      .set(bob)
      .expect(200);
    expect(resolved.body).toMatchObject({ resolvedBy: 'bob@example.test', resolvedAt: expect.any(String) });
    const reopened = await harness.http
      .post(`/api/assets/${id}/comments/${made.body.id}/reopen`)
      .set(ann)
      .expect(200);
    expect(reopened.body).toMatchObject({ resolvedBy: null, resolvedAt: null });
    const bogus = await harness.http.post(`/api/assets/${id}/comments/x/resolve`).set(ann).expect(404);
    expect(bogus.body.error.code).toBe('COMMENT_NOT_FOUND');

    for (const [who, count] of [
      [bob, 1],
      [cat, 1],
      [olaf, 0],
    ] as const) {
      const mine = await notificationsOf(who);
      expect(mine.notifications.filter((n: { kind: string }) => n.kind === 'mention')).toHaveLength(count);
    }
    const bobs = await notificationsOf(bob);
    expect(bobs.notifications[0]).toMatchObject({
      kind: 'mention',
      assetId: id,
      payload: { commentId: made.body.id, version: 1, author: 'ann@example.test' },
      readAt: null,
    });
    await harness.http.post(`/api/notifications/${bobs.notifications[0].id}/read`).set(bob).expect(200);
    expect((await notificationsOf(bob)).unread).toBe(bobs.unread - 1);
    // Someone else's notification does not exist for you.
    expect(
      (await harness.http.post(`/api/notifications/${bobs.notifications[0].id}/read`).set(cat)).status,
    ).toBe(404);

    // Comments are searchable, by those who may see the asset.
    const found = await harness.http.get('/api/search').query({ q: 'brighten' }).set(cat).expect(200);
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
    expect((await harness.http.get('/api/search').query({ q: 'brighten' }).set(olaf)).body.items).toEqual([]);
  });

  it('pushes a mention to the mentioned user’s live stream within a second', async () => {
    const dan = await harness.as('dan');
    const id = await uploadAs(ann, 'live.jpg', [20, 160, 60]);
    const server = await serve(harness);
    const controller = new AbortController();
    try {
      const stream = await fetch(`${server.url}/api/notifications/stream`, {
        headers: dan,
        signal: controller.signal,
      });
      expect(stream.headers.get('content-type')).toContain('text/event-stream');
      const events = eventStreamReader(stream);
      const { until } = events;
      await until(/event: hello\ndata: \{"unread":\d+\}\n\n/);
      const sent = Date.now();
      await harness.http
        .post(`/api/assets/${id}/comments`)
        .set(ann)
        .send({ body: 'Look @dan@example.test' })
        .expect(201);
      await until(/event: notification\ndata: .*"kind":"mention"/);
      const elapsed = Date.now() - sent;
      expect(elapsed).toBeLessThan(1000);
      expect(events.text()).toContain('Look @dan@example.test');
    } finally {
      controller.abort();
      await server.close();
    }
  });

  it('notifies reviewers of a waiting approval, the requester of the decision, and collaborators of a freeze', async () => {
    const emma = await harness.as('emma', 'employee');
    const mia = await harness.as('mia', 'brand-manager');
    const rui = await harness.as('rui', 'reviewer');
    const id = await uploadLuxury(harness, await makeJpeg(800, 600, [90, 90, 20]), { as: ann });
    await stored(id);
    const asked = await harness.http
      .post(`/api/assets/${id}/download-requests`)
      .set(emma)
      .send({ audience: 'internal', rendition: 'original' })
      .expect(202);
    const request = await eventually(async () =>
      (await notificationsOf(mia)).notifications.find(
        (n: { kind: string }) => n.kind === 'approval.requested',
      ),
    );
    expect(request).toMatchObject({
      assetId: id,
      payload: { approvalId: asked.body.approvalId, rendition: 'original' },
    });
    expect(request.message).toContain('emma@example.test asks for "original"');
    expect((await notificationsOf(rui)).notifications).toEqual([]);
    await harness.http
      .post(`/api/approvals/${asked.body.approvalId}/decision`)
      .set(mia)
      .send({ node: 'first-approval', decision: 'reject', reason: 'not for print' })
      .expect(200);
    const decided = await eventually(async () =>
      (await notificationsOf(emma)).notifications.find(
        (n: { kind: string }) => n.kind === 'approval.decided',
      ),
    );
    expect(decided).toMatchObject({ payload: { status: 'rejected' } });

    const lee = await harness.as('lee', 'legal');
    await harness.http
      .post(`/api/assets/${id}/freeze`)
      .set(lee)
      .send({ reason: 'trademark dispute' })
      .expect(200);
    const frozen = (await notificationsOf(ann)).notifications.find(
      (n: { kind: string }) => n.kind === 'asset.frozen',
    );
    expect(frozen).toMatchObject({
      assetId: id,
      payload: { by: 'lee@example.test', reason: 'trademark dispute' },
    });
    expect(
      (await notificationsOf(lee)).notifications.some((n: { kind: string }) => n.kind === 'asset.frozen'),
    ).toBe(false);
    await harness.http.post('/api/notifications/read-all').set(ann).expect(200);
    expect((await notificationsOf(ann)).unread).toBe(0);
  });

  it('tells link makers once that a link expires within a day', async () => {
    const id = await uploadAs(ann, 'expiring-soon.jpg', [60, 60, 60]);
    const made = await harness.http
      .post('/api/shares')
      .set(ann)
      .send({ assetIds: [id], permission: 'view', rendition: 'preview', expiresInDays: 0.5 })
      .expect(201);
    const notices = new Notices(harness.storage);
    expect(await notices.expiringShares(new Date(), 86_400_000)).toBeGreaterThanOrEqual(1);
    expect(await notices.expiringShares(new Date(), 86_400_000)).toBe(0);
    const mine = (await notificationsOf(ann)).notifications.filter(
      (n: { kind: string }) => n.kind === 'share.expiring',
    );
    expect(mine).toEqual([
      expect.objectContaining({ payload: { shareId: made.body.id, expiresAt: made.body.expiresAt } }),
    ]);
  });
});

describe.each(databaseKinds)('usage analytics (%s)', (kind) => {
  let harness: Harness;
  const ids = { kettle: randomUUID(), toaster: randomUUID(), lamp: randomUUID() };
  const link = randomUUID();
  beforeAll(async () => {
    harness = await startHarness(kind, { worker: false });
    const { assets, audit, database } = harness.storage;
    const names = { kettle: 'kettle.jpg', toaster: 'toaster.jpg', lamp: '=HYPERLINK("x").jpg' };
    for (const [key, id] of Object.entries(ids)) {
      await assets.create({
        id,
        workflowId: `asset-${id}`,
        displayName: names[key as keyof typeof names],
        ruleSet: 'default',
        ruleSetVersion: 1,
        metadata: {},
        blob: { sha256: createHash('sha256').update(key).digest('hex'), sizeBytes: 1 },
        declaredMediaType: 'image/jpeg',
      });
    }
    await sql`UPDATE assets SET created_at = '2026-01-01T00:00:00Z'`.execute(database.db);
    const at = (d: string) => new Date(`${d}T12:00:00Z`);
    const events: Array<[string, Parameters<typeof audit.append>[0]]> = [
      ['2026-03-05', { actor: 'ann', action: 'share.created', assetId: ids.kettle, shareId: link }],
      ['2026-03-06', { actor: `link:${link}`, action: 'share.viewed', assetId: ids.kettle, shareId: link }],
      ['2026-03-06', { actor: `link:${link}`, action: 'download', assetId: ids.kettle, shareId: link }],
      [
        '2026-04-02',
        { actor: 'ali', action: 'download', assetId: ids.toaster, details: { audience: 'agents' } },
      ],
      [
        '2026-04-03',
        { actor: 'ali', action: 'viewed', assetId: ids.toaster, details: { audience: 'agents' } },
      ],
      [
        '2026-04-10',
        { actor: 'emma', action: 'download', assetId: ids.kettle, details: { audience: 'internal' } },
      ],
      ['2026-05-01', { actor: 'mia', action: 'approval.decided', assetId: ids.kettle }],
      ['2026-10-01', { actor: 'ann', action: 'export', assetId: ids.kettle, details: { channel: 'amazon' } }],
    ];
    for (const [day, event] of events) await audit.append(event, at(day));
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('sums views, downloads, shares and exports per period and channel, with the reuse rate (hand-computed)', async () => {
    const analyst = await harness.as('ana', 'analyst');
    const summary = (await harness.http.get('/api/analytics/summary').set(analyst).expect(200)).body;
    expect(summary.totals).toEqual({ views: 2, downloads: 3, shares: 1, exports: 1 });
    expect(summary.byPeriod).toEqual([
      { period: '2026-03-01', views: 1, downloads: 1, shares: 1, exports: 0, used: 1, reused: 0 },
      { period: '2026-04-01', views: 1, downloads: 2, shares: 0, exports: 0, used: 2, reused: 1 },
      { period: '2026-10-01', views: 0, downloads: 0, shares: 0, exports: 1, used: 2, reused: 1 },
    ]);
    expect(summary.byChannel).toEqual([
      { channel: 'audience:agents', downloads: 1, exports: 0 },
      { channel: 'audience:internal', downloads: 1, exports: 0 },
      { channel: 'channel:amazon', downloads: 0, exports: 1 },
      { channel: 'link', downloads: 1, exports: 0 },
    ]);
    expect(summary.mostUsed.map((a: { name: string }) => a.name)).toEqual(['kettle.jpg', 'toaster.jpg']);
    expect(summary.mostUsed[0]).toMatchObject({
      views: 1,
      downloads: 2,
      shares: 1,
      exports: 1,
      lastUsedAt: '2026-10-01T12:00:00.000Z',
    });
    // Kettle: a link, the internal audience and the Amazon channel; toaster: only the agents.
    expect(summary.reuse).toEqual({ used: 2, reused: 1, rate: 0.5 });
    // Reuse over time, by day: kettle used from 5 March, toaster from 2 April, kettle's second
    // context (the internal audience) on 10 April; days between changes carry the figures forward.
    const daily = (await harness.http.get('/api/analytics/summary?period=day').set(analyst).expect(200)).body;
    expect(
      daily.byPeriod.map((p: { period: string; used: number; reused: number }) => [
        p.period,
        p.used,
        p.reused,
      ]),
    ).toEqual([
      ['2026-03-05', 1, 0],
      ['2026-03-06', 1, 0],
      ['2026-04-02', 2, 0],
      ['2026-04-03', 2, 0],
      ['2026-04-10', 2, 1],
      ['2026-10-01', 2, 1],
    ]);

    const impossible = await harness.http
      .get('/api/analytics/summary')
      .query({ from: '2024-13-45' })
      .set(analyst);
    expect([impossible.status, impossible.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const april = (
      await harness.http
        .get('/api/analytics/summary')
        .query({ from: '2026-04-01', to: '2026-04-30' })
        .set(analyst)
    ).body;
    expect(april.totals).toEqual({ views: 1, downloads: 2, shares: 0, exports: 0 });
    const one = (await harness.http.get(`/api/assets/${ids.toaster}/analytics`).expect(200)).body;
    expect(one).toMatchObject({
      views: 1,
      downloads: 1,
      shares: 0,
      exports: 0,
      lastUsedAt: '2026-04-03T12:00:00.000Z',
    });
    expect(
      (await harness.http.get('/api/analytics/summary').set(await harness.as('vera', 'viewer'))).status,
    ).toBe(403);
  });

  it('lists assets not used for N days, as JSON and as CSV with formulas escaped', async () => {
    const unused = (
      await harness.http.get('/api/analytics/unused').query({ days: 90, today: '2026-11-28' }).expect(200)
    ).body.items;
    expect(
      unused.map((u: { assetId: string; lastUsedAt: string | null }) => [u.assetId, u.lastUsedAt]),
    ).toEqual([
      [ids.lamp, null],
      [ids.toaster, '2026-04-03T12:00:00.000Z'],
    ]);
    const csv = await harness.http
      .get('/api/analytics/unused')
      .query({ days: 90, today: '2026-11-28', format: 'csv' })
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('assetId,name,lastUsedAt,createdAt,tier');
    expect(lines[1]).toBe(`${ids.lamp},"'=HYPERLINK(""x"").jpg",,2026-01-01T00:00:00.000Z,hot`);
    expect(lines).toHaveLength(3);
  });
});
