import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import request from 'supertest';
import { LINK_LOCKS_AFTER } from '../../services/share.service';
import { type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { databaseKinds } from '../support/test-databases';

/**
 * Share-link limits behind a reverse proxy (security review M2, L11), on the real server with
 * `trust proxy` on, so each request names its client in X-Forwarded-For: token scanning by one
 * client cannot lock out the real recipients behind the same address, and password guesses are
 * limited per link across all addresses, with the link locked for good after too many.
 */
describe.each(databaseKinds)('share-link limits (%s)', (kind) => {
  let harness: Harness;
  let assetId: string;
  beforeAll(async () => {
    harness = await startHarness(kind, { config: { http: { trustProxy: 'loopback' } } });
    const res = await harness.http.post('/api/assets').attach('file', await makeJpeg(800, 600), 'poster.jpg');
    expect(res.status).toBe(201);
    assetId = res.body.id;
    await waitUntilStored(harness, assetId);
  });
  afterAll(async () => {
    await harness?.close();
  });

  const from = (address: string) => ({ 'X-Forwarded-For': address });
  const makeLink = async (password?: string) => {
    const made = await harness.http
      .post('/api/shares')
      .send({
        assetIds: [assetId],
        permission: 'view',
        rendition: 'preview',
        ...(password ? { password } : {}),
      })
      .expect(201);
    return { id: made.body.id as string, token: (made.body.url as string).split('/s/')[1]! };
  };
  const unlock = (token: string, password: string, address: string) =>
    request(harness.app).post(`/s/${token}`).set(from(address)).type('form').send({ password });
  const failuresOf = async (id: string) =>
    (
      await sql<{ n: number }>`SELECT password_failures AS n FROM shares WHERE id = ${id}`.execute(
        harness.storage.database.db,
      )
    ).rows[0]!.n;

  it('scanning random tokens from one address never locks out a live link opened from it', async () => {
    const { token } = await makeLink();
    const office = '198.51.100.20';
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push(
        (
          await request(harness.app)
            .get(`/s/${randomBytes(32).toString('base64url')}`)
            .set(from(office))
        ).status,
      );
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses[30]).toBe(429);
    // A colleague behind the same address opens the real link.
    await request(harness.app).get(`/s/${token}`).set(from(office)).expect(200);
    // Scanning stays refused.
    expect(
      (
        await request(harness.app)
          .get(`/s/${randomBytes(32).toString('base64url')}`)
          .set(from(office))
      ).status,
    ).toBe(429);
    // Other addresses are unaffected.
    expect(
      (
        await request(harness.app)
          .get(`/s/${randomBytes(32).toString('base64url')}`)
          .set(from('198.51.100.21'))
      ).status,
    ).toBe(404);
  });

  it('marks the unlock cookie Secure when the proxy says the request came over HTTPS', async () => {
    const { token } = await makeLink('the right password');
    const plain = await unlock(token, 'the right password', '192.0.2.70').expect(303);
    expect(plain.headers['set-cookie']?.[0]).not.toMatch(/Secure/);
    const overHttps = await request(harness.app)
      .post(`/s/${token}`)
      .set({ ...from('192.0.2.71'), 'X-Forwarded-Proto': 'https' })
      .type('form')
      .send({ password: 'the right password' })
      .expect(303);
    expect(overHttps.headers['set-cookie']?.[0]).toMatch(/; Secure/);
  });

  it('limits password guesses per link across addresses: ten wrong from ten addresses, then 429 for everyone', async () => {
    const { token } = await makeLink('the right password');
    for (let i = 0; i < 10; i++)
      expect((await unlock(token, `guess ${i}`, `203.0.113.${i}`)).status).toBe(401);
    const limited = await unlock(token, 'the right password', '203.0.113.99');
    expect([limited.status, limited.body.error.code]).toEqual([429, 'TOO_MANY_ATTEMPTS']);
  });

  it('counts wrong passwords over the link’s life (right ones are not failures) and locks it at the limit', async () => {
    const { id, token } = await makeLink('the right password');
    for (let i = 0; i < 3; i++) await unlock(token, `guess ${i}`, `192.0.2.${i}`).expect(401);
    await unlock(token, 'the right password', '192.0.2.50').expect(303);
    expect(await failuresOf(id)).toBe(3);
    // Close to the limit (as after weeks of slow guessing from many addresses): one more locks it.
    await sql`UPDATE shares SET password_failures = ${LINK_LOCKS_AFTER - 1} WHERE id = ${id}`.execute(
      harness.storage.database.db,
    );
    await unlock(token, 'one more guess', '192.0.2.60').expect(401);
    const locked = await unlock(token, 'the right password', '192.0.2.61');
    expect([locked.status, locked.body.error.code]).toEqual([423, 'SHARE_LOCKED']);
    // Its maker sees why.
    const listed = (await harness.http.get('/api/shares').expect(200)).body.shares;
    expect(listed.find((s: { id: string }) => s.id === id)).toMatchObject({
      passwordFailures: LINK_LOCKS_AFTER,
    });
  });

  it('a link lasts only while its maker may share: disabled, or no longer an editor, it closes (M5)', async () => {
    const maker = await harness.as('link-maker', 'editor');
    const userId = await harness.userId('link-maker');
    const adminId = await harness.userId('admin');
    const grants = (makerLevel: string) => [
      { principal: `user:${adminId}`, level: 'manage' },
      { principal: `user:${userId}`, level: makerLevel },
    ];
    await harness.http
      .post('/api/projects')
      .send({ id: 'makers', name: 'Makers', grants: grants('edit') })
      .expect(201);
    const upload = await harness.http
      .post('/api/assets?project=makers')
      .attach('file', await makeJpeg(640, 480), 'poster.jpg')
      .expect(201);
    await waitUntilStored(harness, upload.body.id);
    const made = await harness.http
      .post('/api/shares')
      .set(maker)
      .send({ assetIds: [upload.body.id], permission: 'view', rendition: 'preview' });
    expect(made.status).toBe(201);
    const token = (made.body.url as string).split('/s/')[1]!;
    const page = () => request(harness.app).get(`/s/${token}`).set(from('203.0.113.9'));
    expect((await page()).text).toContain('poster.jpg');
    await harness.http.post(`/api/users/${userId}/disable`).expect(204);
    const closed = await page();
    expect(closed.status).toBe(404);
    expect(closed.text).not.toContain('poster.jpg');
    await harness.http.post(`/api/users/${userId}/enable`).expect(204);
    expect((await page()).text).toContain('poster.jpg');
    // Only a viewer of the project now: the link closes again.
    await harness.http
      .put('/api/projects/makers/grants')
      .send({ grants: grants('view') })
      .expect(200);
    expect((await page()).status).toBe(404);
  });
});
