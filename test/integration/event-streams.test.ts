import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import request from 'supertest';
import { STREAMS_PER_USER } from '../../server/event-streams';
import { type Harness, startHarness } from '../support/harness';
import { databaseKinds } from '../support/test-databases';

/**
 * Notification streams (security review L1) on a listening server: capped per user, and ended as
 * soon as the credential behind them is: at sign-out and disablement at once, and otherwise on the
 * next heartbeat (here every 1.5 s).
 */
describe.each(databaseKinds)('notification streams (%s)', (kind) => {
  let harness: Harness;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    harness = await startHarness(kind, {
      worker: false,
      config: { http: { eventStreamHeartbeatSeconds: 1.5 } },
    });
    server = harness.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await harness?.close();
  });

  /** Opens a stream; `ended` settles when the server ends it (the `hello` event is read first). */
  const open = async (headers: Record<string, string>) => {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/notifications/stream`, { headers, signal: controller.signal });
    if (res.status !== 200)
      return { status: res.status, body: (await res.json()) as { error: { code: string } }, close: () => {} };
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: hello')) text += new TextDecoder().decode((await reader.read()).value);
    // The time the server ended the stream; a read that fails (the test hung up) is not that.
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return Date.now();
    })().catch(() => 'hung up by the test' as const);
    return { status: 200, ended, close: () => controller.abort() };
  };
  const sessionOf = async (name: string) => {
    await harness.as(name);
    const res = await request(harness.app)
      .post('/api/auth/login')
      .send({ email: `${name}@example.test`, password: `${name}-password-for-tests` })
      .expect(200);
    return { Cookie: res.headers['set-cookie']![0]!.split(';')[0]! };
  };
  const within = <T>(promise: Promise<T> | undefined, ms: number) =>
    Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve('still open'), ms))]);

  it(`allows ${STREAMS_PER_USER} streams per user, then 429`, async () => {
    const headers = await harness.as('tabs');
    const streams = [];
    for (let i = 0; i < STREAMS_PER_USER; i++) streams.push(await open(headers));
    expect(streams.map((s) => s.status)).toEqual(Array(STREAMS_PER_USER).fill(200));
    const extra = await open(headers);
    expect([extra.status, extra.body?.error.code]).toEqual([429, 'TOO_MANY_STREAMS']);
    // Someone else is not affected; closing one makes room.
    const other = await open(await harness.as('other-tabs'));
    expect(other.status).toBe(200);
    other.close();
    streams[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await open(headers);
    expect(again.status).toBe(200);
    for (const s of [...streams, again]) s.close();
  });

  it('ends a stream at once when its session signs out', async () => {
    const cookie = await sessionOf('leaver');
    const stream = await open(cookie);
    expect(stream.status).toBe(200);
    const signedOut = Date.now();
    await request(harness.app).post('/api/auth/logout').set(cookie).expect(204);
    const ended = await within(stream.ended, 2000);
    expect(typeof ended).toBe('number');
    // Well before the next heartbeat could have ended it, had there been no event.
    expect((ended as number) - signedOut).toBeLessThan(500);
  });

  it('ends the streams of a user who is disabled, session and token alike', async () => {
    const token = await harness.as('gone');
    const cookie = await sessionOf('gone');
    const byToken = await open(token);
    const bySession = await open(cookie);
    await harness.http.post(`/api/users/${await harness.userId('gone')}/disable`).expect(204);
    // Before the next heartbeat (1.5 s): the disablement itself ends them.
    expect(typeof (await within(byToken.ended, 800))).toBe('number');
    expect(typeof (await within(bySession.ended, 100))).toBe('number');
  });

  it('checks the session again on each heartbeat (a session ended elsewhere)', async () => {
    const cookie = await sessionOf('expiring');
    const stream = await open(cookie);
    // As another API process would: straight in the catalogue, no event in this one.
    await sql`UPDATE sessions SET expires_at = now() - interval '1 second'
              WHERE user_id = ${await harness.userId('expiring')}`.execute(harness.storage.database.db);
    expect(typeof (await within(stream.ended, 4000))).toBe('number');
  });

  it('a heartbeat is not activity: an open tab does not keep an abandoned session alive', async () => {
    const cookie = await sessionOf('idler');
    const stream = await open(cookie);
    const id = await harness.userId('idler');
    await sql`UPDATE sessions SET last_seen_at = now() - interval '2 minutes' WHERE user_id = ${id}`.execute(
      harness.storage.database.db,
    );
    await new Promise((resolve) => setTimeout(resolve, 1800)); // past one heartbeat
    const { rows } = await sql<{ ago: number }>`
      SELECT extract(epoch FROM now() - last_seen_at)::float AS ago FROM sessions WHERE user_id = ${id}`.execute(
      harness.storage.database.db,
    );
    expect(Number(rows[0]!.ago)).toBeGreaterThan(110);
    // Idle past the limit, the next heartbeat ends it.
    await sql`UPDATE sessions SET last_seen_at = now() - interval '721 minutes' WHERE user_id = ${id}`.execute(
      harness.storage.database.db,
    );
    expect(typeof (await within(stream.ended, 4000))).toBe('number');
  });
});
