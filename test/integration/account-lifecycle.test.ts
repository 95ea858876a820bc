import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import request from 'supertest';
import { type Harness, startHarness } from '../support/harness';
import { databaseKinds } from '../support/test-databases';

/**
 * Managing credentials (security review M7) through the HTTP API on the real server: disabling
 * a user or revoking a token takes effect on their very next request; passwords change and are
 * reset; sessions expire, are listed and revoked; tokens expire and are listed.
 */
describe.each(databaseKinds)('account lifecycle (%s)', (kind) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(kind, { worker: false });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const db = () => harness.storage.database.db;
  /** A session (cookie agent) of the test user `<name>@example.test`, made by `harness.as`. */
  const signIn = async (name: string, password = `${name}-password-for-tests`, userAgent = 'jest') => {
    const agent = request.agent(harness.app);
    await agent
      .post('/api/auth/login')
      .set('User-Agent', userAgent)
      .send({ email: `${name}@example.test`, password })
      .expect(200);
    return agent;
  };

  // First in the file: purging runs on a sign-in, at most every ten minutes per process.
  it('deletes expired and idle sessions when someone signs in', async () => {
    const id = await harness.userId('stale');
    await sql`INSERT INTO sessions (secret_sha256, user_id, expires_at)
              VALUES (${'a'.repeat(64)}, ${id}, now() - interval '1 minute')`.execute(db());
    await sql`INSERT INTO sessions (secret_sha256, user_id, expires_at, last_seen_at)
              VALUES (${'b'.repeat(64)}, ${id}, now() + interval '1 day', now() - interval '13 hours')`.execute(
      db(),
    );
    await signIn('stale');
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM sessions WHERE user_id = ${id}`.execute(db());
    expect(Number(rows[0]!.n)).toBe(1); // only the new one
  });

  it('disabling a user stops their session and token on the next request, and for good', async () => {
    const token = await harness.as('dana');
    const session = await signIn('dana');
    await session.get('/api/auth/me').expect(200);
    await request(harness.app).get('/api/auth/me').set(token).expect(200);
    const id = await harness.userId('dana');

    await harness.http.post(`/api/users/${id}/disable`).expect(204);

    expect((await session.get('/api/auth/me')).status).toBe(401);
    const byToken = await request(harness.app).get('/api/search').set(token);
    expect(byToken.status).toBe(401);
    expect(byToken.body.error.code).toBe('NOT_SIGNED_IN');
    // A disabled user cannot sign in; the answer is the same as for a wrong password.
    const login = await request(harness.app)
      .post('/api/auth/login')
      .send({ email: 'dana@example.test', password: 'dana-password-for-tests' });
    expect(login.status).toBe(401);
    expect(login.body.error.code).toBe('INVALID_CREDENTIALS');
    const listed = (await harness.http.get('/api/users').expect(200)).body.users;
    expect(listed.find((u: { id: string }) => u.id === id)).toMatchObject({ disabled: true });

    // Re-enabled, they sign in again; the token revoked at disablement stays revoked.
    await harness.http.post(`/api/users/${id}/enable`).expect(204);
    await signIn('dana');
    expect((await request(harness.app).get('/api/auth/me').set(token)).status).toBe(401);
  });

  it('refuses an administrator disabling themselves, and non-administrators entirely', async () => {
    const adminId = await harness.userId('admin');
    const own = await harness.http.post(`/api/users/${adminId}/disable`).expect(409);
    expect(own.body.error.code).toBe('OWN_ACCOUNT');
    const someone = await harness.as('eve');
    const refused = await request(harness.app).post(`/api/users/${adminId}/disable`).set(someone);
    expect(refused.status).toBe(403);
    // A malformed id is invalid input (the path's schema), not an unknown user.
    const malformed = await harness.http.post('/api/users/not-a-uuid/disable').expect(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('revoking a token takes effect on its next request; owners and administrators may, others not', async () => {
    const fay = await harness.as('fay');
    const made = await request(harness.app).post('/api/tokens').set(fay).send({ name: 'ci' }).expect(201);
    const bearer = { Authorization: `Bearer ${made.body.token}` };
    await request(harness.app).get('/api/auth/me').set(bearer).expect(200);
    // Someone else cannot see or revoke it.
    const gus = await harness.as('gus');
    await request(harness.app).delete(`/api/tokens/${made.body.id}`).set(gus).expect(404);
    await request(harness.app).get('/api/auth/me').set(bearer).expect(200);
    // Its owner can.
    await request(harness.app).delete(`/api/tokens/${made.body.id}`).set(fay).expect(204);
    expect((await request(harness.app).get('/api/auth/me').set(bearer)).status).toBe(401);
    // An administrator can revoke anyone's.
    const second = await request(harness.app).post('/api/tokens').set(fay).send({ name: 'cd' }).expect(201);
    await harness.http.delete(`/api/tokens/${second.body.id}`).expect(204);
    expect(
      (
        await request(harness.app)
          .get('/api/auth/me')
          .set({ Authorization: `Bearer ${second.body.token}` })
      ).status,
    ).toBe(401);
    // The owner's list shows both, revoked, with their dates; never a secret.
    const tokens = (await request(harness.app).get('/api/tokens').set(fay).expect(200)).body.tokens;
    const ci = tokens.find((t: { name: string }) => t.name === 'ci');
    expect(ci).toEqual({
      id: made.body.id,
      name: 'ci',
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      expiresAt: made.body.expiresAt,
      revokedAt: expect.any(String),
    });
    expect(JSON.stringify(tokens)).not.toContain(made.body.token);
    const fayId = await harness.userId('fay');
    const forAdmin = (await harness.http.get(`/api/users/${fayId}/tokens`).expect(200)).body.tokens;
    expect(forAdmin.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining([made.body.id]));
  });

  it('tokens expire: 90 days by default, never beyond, and refused once expired', async () => {
    const hal = await harness.as('hal');
    const made = await request(harness.app).post('/api/tokens').set(hal).send({ name: 'short' }).expect(201);
    const days = (Date.parse(made.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const tooLong = await request(harness.app)
      .post('/api/tokens')
      .set(hal)
      .send({ name: 'forever', expiresInDays: 400 })
      .expect(400);
    expect(tooLong.body.error.details).toEqual({ maxDays: 90 });
    const bearer = { Authorization: `Bearer ${made.body.token}` };
    await request(harness.app).get('/api/auth/me').set(bearer).expect(200);
    await sql`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = ${made.body.id}`.execute(
      db(),
    );
    expect((await request(harness.app).get('/api/auth/me').set(bearer)).status).toBe(401);
  });

  it('changes one’s own password with the current one; other sessions end, this one stays', async () => {
    await harness.as('ida');
    const here = await signIn('ida');
    const elsewhere = await signIn('ida', undefined, 'other browser');
    const wrong = await here
      .post('/api/auth/password')
      .send({ currentPassword: 'not it at all', newPassword: 'a brand new password' });
    expect(wrong.status).toBe(401);
    const short = await here
      .post('/api/auth/password')
      .send({ currentPassword: 'ida-password-for-tests', newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error).toMatchObject({ code: 'PASSWORD_TOO_WEAK', details: { minLength: 12 } });
    const changed = await here
      .post('/api/auth/password')
      .send({ currentPassword: 'ida-password-for-tests', newPassword: 'a brand new password' })
      .expect(200);
    expect(changed.body).toEqual({ sessionsEnded: 1 });
    await here.get('/api/auth/me').expect(200);
    expect((await elsewhere.get('/api/auth/me')).status).toBe(401);
    await signIn('ida', 'a brand new password');
    expect(
      (
        await request(harness.app)
          .post('/api/auth/login')
          .send({ email: 'ida@example.test', password: 'ida-password-for-tests' })
      ).status,
    ).toBe(401);
  });

  it('an administrator resets a password: shown once, the user’s sessions end', async () => {
    await harness.as('jo');
    const session = await signIn('jo');
    const id = await harness.userId('jo');
    const reset = await harness.http.post(`/api/users/${id}/password-reset`).expect(200);
    expect(reset.headers['cache-control']).toBe('no-store');
    expect(reset.body.password).toMatch(/^[\w-]{20}$/);
    expect((await session.get('/api/auth/me')).status).toBe(401);
    await signIn('jo', reset.body.password);
    const { rows } = await sql<{ h: string }>`SELECT password_hash AS h FROM users WHERE id = ${id}`.execute(
      db(),
    );
    expect(rows[0]!.h).toMatch(/^\$argon2id\$/);
  });

  it('an administrator edits roles and teams, seen on the next request; not their own admin role', async () => {
    const kim = await harness.as('kim');
    const id = await harness.userId('kim');
    const set = await harness.http
      .put(`/api/users/${id}/roles`)
      .send({ roles: ['rule-author'], teams: ['north'] })
      .expect(200);
    expect(set.body).toMatchObject({ roles: ['rule-author'], teams: ['north'] });
    const me = (await request(harness.app).get('/api/auth/me').set(kim).expect(200)).body.user;
    expect(me).toMatchObject({ roles: ['rule-author'], teams: ['north'] });
    const adminId = await harness.userId('admin');
    const own = await harness.http
      .put(`/api/users/${adminId}/roles`)
      .send({ roles: [], teams: [] })
      .expect(409);
    expect(own.body.error.code).toBe('OWN_ACCOUNT');
  });

  it('lists one’s sessions (address, browser, current) and revokes one, or all', async () => {
    await harness.as('lou');
    const here = await signIn('lou', undefined, 'Firefox here');
    const there = await signIn('lou', undefined, 'Safari there');
    const listed = (await here.get('/api/auth/sessions').expect(200)).body.sessions;
    expect(listed).toHaveLength(2);
    const mine = listed.find((s: { current: boolean }) => s.current);
    const other = listed.find((s: { current: boolean }) => !s.current);
    expect(mine).toMatchObject({
      userAgent: 'Firefox here',
      address: expect.stringMatching(/127\.0\.0\.1|::1/),
    });
    expect(other).toMatchObject({ userAgent: 'Safari there', createdAt: expect.any(String) });
    expect(other.lastSeenAt).toEqual(expect.any(String));
    // Nothing secret: ids only.
    expect(Object.keys(other).sort()).toEqual(
      ['address', 'createdAt', 'current', 'expiresAt', 'id', 'lastSeenAt', 'userAgent'].sort(),
    );
    await here.delete(`/api/auth/sessions/${other.id}`).expect(204);
    expect((await there.get('/api/auth/me')).status).toBe(401);
    await here.get('/api/auth/me').expect(200);
    // Someone else's session id is not found.
    const stranger = await harness.as('mo');
    await request(harness.app).delete(`/api/auth/sessions/${mine.id}`).set(stranger).expect(404);
    // Sign out everywhere.
    await signIn('lou');
    expect((await here.delete('/api/auth/sessions').expect(200)).body).toEqual({ ended: 2 });
    expect((await here.get('/api/auth/me')).status).toBe(401);
  });

  it('sessions end after inactivity and at their absolute end', async () => {
    await harness.as('ned');
    const idle = await signIn('ned', undefined, 'idle');
    const old = await signIn('ned', undefined, 'old');
    await sql`UPDATE sessions SET last_seen_at = now() - interval '721 minutes' WHERE user_agent = 'idle'`.execute(
      db(),
    );
    await sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_agent = 'old'`.execute(
      db(),
    );
    expect((await idle.get('/api/auth/me')).status).toBe(401);
    expect((await old.get('/api/auth/me')).status).toBe(401);
    // A session in use is seen again (to the minute), which keeps it alive.
    const busy = await signIn('ned', undefined, 'busy');
    await sql`UPDATE sessions SET last_seen_at = now() - interval '700 minutes' WHERE user_agent = 'busy'`.execute(
      db(),
    );
    await busy.get('/api/auth/me').expect(200);
    const { rows } = await sql<{
      ago: number;
    }>`SELECT extract(epoch FROM now() - last_seen_at)::float AS ago FROM sessions WHERE user_agent = 'busy'`.execute(
      db(),
    );
    expect(Number(rows[0]!.ago)).toBeLessThan(60);
  });

  it('the CLI lists and revokes tokens and disables users, effective on the next request', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-cli-'));
    const cli = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'bin/assetflow.ts', '-c', path.join(dir, 'none.yaml'), ...args],
        { env: { ...process.env, DATABASE_URL: harness.databaseUrl, ASSETFLOW_BLOB_DIR: dir } },
      );
    const ola = await harness.as('ola');
    const made = await request(harness.app).post('/api/tokens').set(ola).send({ name: 'laptop' }).expect(201);
    const listed = await cli('tokens', 'list', 'ola@example.test');
    expect(listed.stdout).toContain(`${made.body.id}\tlaptop`);
    expect(listed.stdout).not.toContain(made.body.token);
    await cli('tokens', 'revoke', made.body.id);
    expect(
      (
        await request(harness.app)
          .get('/api/auth/me')
          .set({ Authorization: `Bearer ${made.body.token}` })
      ).status,
    ).toBe(401);
    await request(harness.app).get('/api/auth/me').set(ola).expect(200);
    await cli('users', 'disable', 'ola@example.test');
    expect((await request(harness.app).get('/api/auth/me').set(ola)).status).toBe(401);
  });
});
