import { sql } from 'kysely';
import request from 'supertest';
import { IdentityService } from '../../services/identity.service';
import { type Harness, startHarness } from '../support/harness';
import { databaseKinds } from '../support/test-databases';

describe.each(databaseKinds)('sign-in, sessions and API tokens (%s)', (kind) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(kind, { worker: false });
    const identity = new IdentityService(harness.storage.identity);
    await identity.createUser({
      email: 'Lee@Example.com',
      name: 'Lee',
      password: 'correct horse battery',
      roles: ['brand-manager'],
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('stores passwords as argon2id hashes, never in clear', async () => {
    const { rows } = await sql<{
      password_hash: string;
    }>`SELECT password_hash FROM users WHERE email = 'lee@example.com'`.execute(harness.storage.database.db);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0]!.password_hash).not.toContain('correct horse');
  });

  it('signs in with a session cookie, knows the user, and signs out', async () => {
    const agent = request.agent(harness.app);
    const login = await agent
      .post('/api/auth/login')
      .send({ email: 'lee@example.com', password: 'correct horse battery' })
      .expect(200);
    expect(login.body.user).toMatchObject({
      email: 'lee@example.com',
      name: 'Lee',
      roles: ['brand-manager'],
    });
    const cookie = login.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/^assetflow_session=[\w-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect((await agent.get('/api/auth/me').expect(200)).body.user.email).toBe('lee@example.com');
    // The session identifies the caller everywhere; without it the same request is refused.
    await agent.get('/api/approvals').query({ mine: 1 }).expect(200);
    expect((await request(harness.app).get('/api/approvals').query({ mine: 1 })).status).toBe(401);
    // The session secret is not in the database, only its digest.
    const secret = /assetflow_session=([^;]+)/.exec(cookie)![1]!;
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM sessions WHERE secret_sha256 = ${secret}`.execute(
      harness.storage.database.db,
    );
    expect(Number(rows[0]!.n)).toBe(0);
    await agent.post('/api/auth/logout').expect(204);
    const after = await agent.get('/api/auth/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('NOT_SIGNED_IN');
  });

  it('makes API tokens for scripts, shown once and stored hashed', async () => {
    const agent = request.agent(harness.app);
    await agent
      .post('/api/auth/login')
      .send({ email: 'lee@example.com', password: 'correct horse battery' })
      .expect(200);
    const made = await agent.post('/api/tokens').send({ name: 'nightly export' }).expect(201);
    expect(made.body.token).toMatch(/^af_[\w-]{43}$/);
    const me = await request(harness.app)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${made.body.token}`)
      .expect(200);
    expect(me.body.user.email).toBe('lee@example.com');
    const { rows } = await sql<{ secret_sha256: string }>`SELECT secret_sha256 FROM api_tokens`.execute(
      harness.storage.database.db,
    );
    expect(rows.map((r) => r.secret_sha256)).not.toContain(made.body.token);
    // Its use is recorded, once a minute at most rather than on every request.
    const lastUse = async () =>
      (
        await sql<{
          last_used_at: Date | null;
        }>`SELECT last_used_at FROM api_tokens WHERE name = 'nightly export'`.execute(
          harness.storage.database.db,
        )
      ).rows[0]!.last_used_at;
    const first = await lastUse();
    expect(first).not.toBeNull();
    await request(harness.app)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${made.body.token}`)
      .expect(200);
    expect(await lastUse()).toEqual(first);
    // A use more than a minute after the recorded one is recorded.
    await sql`UPDATE api_tokens SET last_used_at = last_used_at - interval '61 seconds' WHERE name = 'nightly export'`.execute(
      harness.storage.database.db,
    );
    const pushedBack = await lastUse();
    await request(harness.app)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${made.body.token}`)
      .expect(200);
    expect(new Date((await lastUse())!).getTime()).toBeGreaterThan(new Date(pushedBack!).getTime() + 60_000);
    expect(
      (await request(harness.app).get('/api/auth/me').set('Authorization', 'Bearer af_forged')).status,
    ).toBe(401);
    // A forged token is refused on any endpoint, not treated as anonymous.
    const forged = await request(harness.app).get('/api/search').set('Authorization', 'Bearer af_forged');
    expect(forged.status).toBe(401);
  });

  it('answers a wrong password and an unknown e-mail alike, and limits attempts (429 after five)', async () => {
    const wrong = await request(harness.app)
      .post('/api/auth/login')
      .send({ email: 'lee@example.com', password: 'nope' });
    const unknown = await request(harness.app)
      .post('/api/auth/login')
      .send({ email: 'who@example.com', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    for (let i = 0; i < 4; i++) {
      await request(harness.app)
        .post('/api/auth/login')
        .send({ email: 'lee@example.com', password: `nope${i}` })
        .expect(401);
    }
    const limited = await request(harness.app)
      .post('/api/auth/login')
      .send({ email: 'lee@example.com', password: 'correct horse battery' });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      details: { retryAfterSeconds: expect.any(Number) },
    });
  });

  it('creates the first administrator once, with a generated password shown once', async () => {
    const fresh = await startHarness('embedded', { worker: false });
    try {
      // The harness made its own test users; this start is the very first.
      await sql`DELETE FROM users`.execute(fresh.storage.database.db);
      const identity = new IdentityService(fresh.storage.identity);
      // A short ASSETFLOW_ADMIN_PASSWORD is refused like any short password, and nobody is made.
      await expect(
        identity.ensureAdministrator({ ASSETFLOW_ADMIN_PASSWORD: 'admin123' }),
      ).rejects.toMatchObject({
        code: 'PASSWORD_TOO_WEAK',
        details: { minLength: 12 },
      });
      const first = await identity.ensureAdministrator({});
      expect(first).toMatchObject({
        email: 'admin@localhost',
        generatedPassword: expect.stringMatching(/^[\w-]{16}$/),
      });
      expect(await identity.ensureAdministrator({})).toBeNull();
      await request(fresh.app)
        .post('/api/auth/login')
        .send({ email: 'admin@localhost', password: first!.generatedPassword })
        .expect(200);
    } finally {
      await fresh.close();
    }
  });
});
