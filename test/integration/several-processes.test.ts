import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import sharp from 'sharp';
import type { AppConfig } from '../../config/config.schema';
import type { DeepPartial } from '../../config/load-config';
import { freePort } from '../../runtime/processes';
import { freshBuckets, testS3Client, testS3Settings } from '../support/blob-stores';
import {
  type ClusterProcess,
  startClusterProcess,
  waitForPollers,
  waitUntilServing,
} from '../support/cluster';
import { eventStreamReader } from '../support/event-stream';
import { openTestDatabase } from '../support/test-databases';
import { testTemporalAddress } from '../support/test-env';

const ADMIN = { email: 'admin@cluster.test', password: 'cluster-test-admin-password' };
const BATCH = 24;

/**
 * One installation on several processes, as on several machines: PostgreSQL, a real S3 server
 * and one Temporal dev server shared by two API servers (different ports) and two workers, each
 * process with its own local directory. A batch of uploads goes to both APIs; one worker and one
 * API server are killed (SIGKILL) mid-batch, and a client retries what was cut off on the other
 * API with the same Idempotency-Key, as a client of a load balancer would. Every upload is then
 * stored exactly once; renditions and share links work from either API; a notification caused
 * through one API reaches a user whose live stream is on the other (LISTEN/NOTIFY).
 */
describe('one installation on several processes', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'assetflow-cluster-'));
  const admin = testS3Client();
  const taskQueue = `cluster-${randomUUID()}`;
  const address = testTemporalAddress();
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let buckets: Awaited<ReturnType<typeof freshBuckets>>;
  const processes: ClusterProcess[] = [];
  const ports: number[] = [];
  const base = (i: number) => `http://127.0.0.1:${ports[i]}`;

  const configFor = (name: string, port?: number): DeepPartial<AppConfig> => ({
    temporal: { address, taskQueue },
    database: { url: database.url },
    blobs: {
      dir: path.join(root, name, 'blobs'),
      s3: testS3Settings(buckets),
    },
    tagging: { objects: false, text: false },
    audit: { keyFile: path.join(root, 'audit-key') },
    log: { level: 'warn' },
    ...(port ? { http: { port } } : {}),
  });
  const start = (name: string, role: 'server' | 'worker', port?: number) => {
    const started = startClusterProcess(path.join(root, name), role, configFor(name, port), ADMIN);
    processes.push(started);
    return started;
  };

  beforeAll(async () => {
    database = await openTestDatabase('embedded');
    buckets = await freshBuckets(admin, 2);
    ports.push(await freePort(), await freePort());
  });
  afterAll(async () => {
    for (const { child } of processes) if (child.exitCode === null) child.kill('SIGKILL');
    await buckets?.drop();
    admin.destroy();
    await database?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const tokenOn = async (api: string, who: { email: string; password: string }) => {
    const login = await fetch(`${api}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(who),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const made = await fetch(`${api}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ name: 'cluster test' }),
    });
    return `Bearer ${((await made.json()) as { token: string }).token}`;
  };

  it('stores every upload once through a killed worker and API server, and serves it from either API', async () => {
    const apiA = start('api-a', 'server', ports[0]);
    await waitUntilServing(base(0), apiA);
    let apiB = start('api-b', 'server', ports[1]);
    const worker1 = start('worker-1', 'worker');
    start('worker-2', 'worker');
    await waitUntilServing(base(1), apiB);
    expect(await waitForPollers(address, taskQueue, 2)).toHaveLength(2);

    const token = await tokenOn(base(0), ADMIN);
    const dan = { email: 'dan@cluster.test', password: 'dan-cluster-password' };
    const made = await fetch(`${base(0)}/api/users`, {
      method: 'POST',
      headers: { authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify({ ...dan, name: 'Dan', roles: ['admin'] }),
    });
    expect(made.status).toBe(201);
    const danToken = await tokenOn(base(1), dan);

    // The batch: spread over both APIs, four at a time; after 8 are acknowledged, worker 1 and
    // API B die. A request that gets no answer is sent again to API A with the same key.
    const ids = new Map<string, string>(); // file name → asset id
    const tally = { acknowledged: 0, cutOff: 0, replayed: 0 };
    let killed = false;
    const send = async (api: string, name: string, key: string, bytes: Buffer) => {
      const form = new FormData();
      form.append('file', new Blob([bytes], { type: 'image/jpeg' }), name);
      const res = await fetch(`${api}/api/assets`, {
        method: 'POST',
        headers: { authorization: token, 'Idempotency-Key': key },
        body: form,
      });
      if (res.status !== 201) throw new Error(`${res.status} ${await res.text()}`);
      if (res.headers.get('idempotent-replayed') === 'true') tally.replayed += 1;
      return ((await res.json()) as { id: string }).id;
    };
    const uploadOne = async (i: number) => {
      const name = `cluster-${i}.jpg`;
      const key = `cluster-${i}-${randomUUID()}`;
      const bytes = await sharp(randomBytes(48 * 48 * 3), { raw: { width: 48, height: 48, channels: 3 } })
        .jpeg()
        .toBuffer();
      let id: string;
      try {
        id = await send(base(i % 2), name, key, bytes);
      } catch (error) {
        // Only a request the dead server never answered is sent again; an HTTP error fails the test.
        // (fetch's TypeError comes from Node's realm, not the test's: compared by name.)
        if ((error as Error).name !== 'TypeError' || !killed)
          throw new Error(
            `upload ${i} to ${i % 2 ? 'B' : 'A'} (killed: ${killed}): ${error} ${(error as { cause?: unknown }).cause}`,
          );
        tally.cutOff += 1;
        id = await send(base(0), name, key, bytes);
      }
      ids.set(name, id);
      tally.acknowledged += 1;
      if (tally.acknowledged >= 8 && !killed) {
        killed = true;
        worker1.child.kill('SIGKILL');
        apiB.child.kill('SIGKILL');
      }
    };
    const queue = Array.from({ length: BATCH }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) await uploadOne(i);
      }),
    );
    expect(killed).toBe(true);
    expect(tally.acknowledged).toBe(BATCH);
    // Uploads were sent to the dead API after the kill, and went to the other one.
    expect(tally.cutOff).toBeGreaterThan(0);

    // Every acknowledged upload is stored (the dead worker's work taken over by the other).
    const stateOf = async (id: string) =>
      (
        (await (
          await fetch(`${base(0)}/api/assets/${id}`, { headers: { authorization: token } })
        ).json()) as {
          state: string;
        }
      ).state;
    const deadline = Date.now() + 120_000;
    for (const id of ids.values()) {
      while ((await stateOf(id)) !== 'stored') {
        if (Date.now() > deadline) throw new Error(`asset ${id} is not stored after 2 minutes`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    // Once each: one asset per file name, no other asset, one workflow per asset.
    const { rows } = await sql<{ display_name: string; n: string }>`
      select display_name, count(*)::text as n from assets group by display_name order by display_name`.execute(
      database.db,
    );
    expect(rows.filter((r) => r.n !== '1')).toEqual([]);
    expect(rows.map((r) => r.display_name).sort()).toEqual([...ids.keys()].sort());
    expect(new Set(ids.values()).size).toBe(BATCH);

    // API B back (same port); what one API made, the other serves.
    apiB = start('api-b', 'server', ports[1]);
    await waitUntilServing(base(1), apiB);
    const id = ids.get('cluster-5.jpg')!;
    const get = (api: string, url: string, auth = token) =>
      fetch(`${api}${url}`, { headers: { authorization: auth } });
    const fromA = await get(base(0), `/api/assets/${id}/renditions/preview?audience=everyone`);
    expect(fromA.status).toBe(200);
    const preview = Buffer.from(await fromA.arrayBuffer());
    const fromB = await get(base(1), `/api/assets/${id}/renditions/preview?audience=everyone`);
    expect(fromB.status).toBe(200);
    expect(Buffer.from(await fromB.arrayBuffer())).toEqual(preview);
    const thumbnails = await Promise.all([0, 1].map((i) => get(base(i), `/api/assets/${id}/thumbnail`)));
    expect(thumbnails.map((t) => t.status)).toEqual([200, 200]);

    const link = await fetch(`${base(0)}/api/shares`, {
      method: 'POST',
      headers: { authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify({ assetIds: [id], permission: 'download', rendition: 'preview' }),
    });
    expect(link.status).toBe(201);
    const shareToken = ((await link.json()) as { url: string }).url.split('/s/')[1]!;
    expect((await fetch(`${base(1)}/s/${shareToken}`)).status).toBe(200);
    const shared = await fetch(`${base(1)}/s/${shareToken}/download`, { method: 'POST' });
    expect(shared.status).toBe(200);
    expect(Buffer.from(await shared.arrayBuffer())).toEqual(preview);

    // Dan listens on API B; a mention made through API A reaches him there.
    const controller = new AbortController();
    try {
      const stream = await fetch(`${base(1)}/api/notifications/stream`, {
        headers: { authorization: danToken },
        signal: controller.signal,
      });
      const events = eventStreamReader(stream);
      const { until } = events;
      await until(/event: hello\n/);
      const comment = await fetch(`${base(0)}/api/assets/${id}/comments`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'Across machines @dan@cluster.test' }),
      });
      expect(comment.status).toBe(201);
      await until(/event: notification\ndata: .*"kind":"mention"/);
      expect(events.text()).toContain('Across machines');
    } finally {
      controller.abort();
    }
    process.stderr.write(
      `[several processes] ${BATCH} uploads over 2 APIs: ${tally.cutOff} cut off by the kill and sent again (${tally.replayed} answered as replays), 0 lost, 0 duplicated\n`,
    );
  }, 300_000);
});
