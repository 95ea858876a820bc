import request from 'supertest';
import { IdentityService } from '../../services/identity.service';
import { passwordWork } from '../../services/password-hashing';
import { type Harness, startHarness } from '../support/harness';
import { databaseKinds } from '../support/test-databases';

const login = (harness: Harness, email: string, password: string, forwardedFor?: string) => {
  const req = request(harness.app).post('/api/auth/login');
  if (forwardedFor) req.set('X-Forwarded-For', forwardedFor);
  return req.send({ email, password });
};
const statuses = (answers: Array<{ status: number }>) => {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};

/**
 * Sign-in throttling (security review M1) and the client's address behind a reverse proxy (M2),
 * on the real server. Without `trust proxy` every request of a test comes from one address; with
 * it, X-Forwarded-For names the address, which lets a test rotate addresses as an attacker would.
 */
describe.each(databaseKinds)('sign-in throttling and client addresses (%s)', (kind) => {
  let direct: Harness;
  let proxied: Harness;
  beforeAll(async () => {
    direct = await startHarness(kind, { worker: false });
    proxied = await startHarness(kind, {
      worker: false,
      config: { http: { trustProxy: true, publicUrl: 'https://dam.example.com' } },
    });
    for (const harness of [direct, proxied]) {
      const identity = new IdentityService(harness.storage.identity);
      for (const who of ['ceo', 'cfo', 'cto', 'cio'])
        await identity.createUser({ email: `${who}@corp.test`, name: who, password: 'the right password' });
    }
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  it('lets through at most five of 20 parallel wrong passwords for one account (no check-then-count race)', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(direct, 'ceo@corp.test', `guess ${i}`)),
    );
    expect(statuses(answers)).toEqual({ 401: 5, 429: 15 });
    // Locked for this e-mail at this address, even with the right password.
    expect((await login(direct, 'ceo@corp.test', 'the right password')).status).toBe(429);
  });

  it('caps guesses per account across addresses: rotating addresses gets 20, not more', async () => {
    const answers = [];
    for (let i = 0; i < 30; i++)
      answers.push(await login(proxied, 'cfo@corp.test', `guess ${i}`, `2001:db8::${i.toString(16)}`));
    expect(statuses(answers)).toEqual({ 401: 20, 429: 10 });
    const last = answers.at(-1)!;
    expect(last.body.error).toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      details: { retryAfterSeconds: expect.any(Number) },
    });
  });

  it('caps attempts per address across e-mails, unknown e-mails counted like known ones', async () => {
    const answers = [];
    for (let i = 0; i < 55; i++)
      answers.push(await login(proxied, `nobody${i}@corp.test`, 'password', '198.51.100.7'));
    expect(statuses(answers)).toEqual({ 401: 50, 429: 5 });
    // An unknown e-mail is limited per address exactly as a known one is.
    const unknown = [];
    for (let i = 0; i < 6; i++)
      unknown.push(await login(proxied, 'ghost@corp.test', `x${i}`, '198.51.100.8'));
    expect(statuses(unknown)).toEqual({ 401: 5, 429: 1 });
  });

  it('a success gives its attempt back: a person who mistyped four times still signs in', async () => {
    for (let i = 0; i < 4; i++)
      expect((await login(proxied, 'cto@corp.test', `typo ${i}`, '203.0.113.9')).status).toBe(401);
    expect((await login(proxied, 'cto@corp.test', 'the right password', '203.0.113.9')).status).toBe(200);
    for (let i = 0; i < 4; i++)
      expect((await login(proxied, 'cto@corp.test', `typo ${i}`, '203.0.113.9')).status).toBe(401);
  });

  it('runs at most two password hashes at once; a flood beyond the queue is refused with 503', async () => {
    passwordWork.peak = 0;
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        login(proxied, `flood${i}@corp.test`, 'x', `10.9.${Math.floor(i / 200)}.${i % 200}`),
      ),
    );
    // The flood went through the bound and filled it (how many run at once is the unit test's).
    expect(passwordWork.peak).toBe(2);
    const counts = statuses(answers);
    if (process.env.MEASURE) process.stdout.write(`flood of 120 sign-ins: ${JSON.stringify(counts)}\n`);
    // Every answer is a refusal of the password or of the load; nothing else (no 500, no hang).
    expect(counts[401]! + (counts[503] ?? 0)).toBe(120);
    expect(counts[401]).toBeGreaterThanOrEqual(66); // two running and 64 waiting, at the least
    const busy = answers.find((a) => a.status === 503);
    expect(busy?.body.error).toMatchObject({ code: 'SERVER_BUSY', details: { retryAfterSeconds: 1 } });
  });

  it('does not count a sign-in refused for load (503) as a guess', async () => {
    // Fill the two running slots and the 64 waiting places with work that waits for us.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const hogs = Array.from({ length: 66 }, () => passwordWork.run(() => held));
    const busy = await login(direct, 'cio@corp.test', 'a guess');
    expect([busy.status, busy.body.error.code]).toEqual([503, 'SERVER_BUSY']);
    release();
    await Promise.all(hogs);
    // All five guesses of the pair are still there.
    for (let i = 0; i < 5; i++) expect((await login(direct, 'cio@corp.test', `guess ${i}`)).status).toBe(401);
    expect((await login(direct, 'cio@corp.test', 'guess 5')).status).toBe(429);
  });

  it('records the X-Forwarded-For address only when trust proxy is configured', async () => {
    const signedIn = await login(proxied, 'cto@corp.test', 'the right password', '192.0.2.44').expect(200);
    // The cookie is Secure (publicUrl is https): sent by hand over the test's plain HTTP.
    const cookie = signedIn.headers['set-cookie']![0]!.split(';')[0]!;
    const sessions = await request(proxied.app).get('/api/auth/sessions').set('Cookie', cookie).expect(200);
    const current = sessions.body.sessions.find((s: { current: boolean }) => s.current);
    expect(current.address).toBe('192.0.2.44');

    const spoofed = request.agent(direct.app);
    await spoofed
      .post('/api/auth/login')
      .set('X-Forwarded-For', '192.0.2.44')
      .send({ email: 'cto@corp.test', password: 'the right password' })
      .expect(200);
    const directSession = (await spoofed.get('/api/auth/sessions').expect(200)).body.sessions.find(
      (s: { current: boolean }) => s.current,
    );
    expect(directSession.address).not.toBe('192.0.2.44');
    expect(directSession.address).toMatch(/127\.0\.0\.1|::1/);
  });

  it('marks the session cookie Secure over HTTPS (the proxy says so, or publicUrl is https)', async () => {
    const plain = await login(direct, 'cto@corp.test', 'the right password');
    expect(plain.headers['set-cookie']?.[0]).not.toMatch(/Secure/);
    const forwardedHttps = await request(direct.app)
      .post('/api/auth/login')
      .set('X-Forwarded-Proto', 'https')
      .send({ email: 'cto@corp.test', password: 'the right password' });
    // Without trust proxy the header is not believed.
    expect(forwardedHttps.headers['set-cookie']?.[0]).not.toMatch(/Secure/);
    const behindProxy = await login(proxied, 'cto@corp.test', 'the right password', '192.0.2.45');
    expect(behindProxy.headers['set-cookie']?.[0]).toMatch(/; Secure/);
  });
});
