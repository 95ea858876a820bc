import { createServer } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { openDatabase } from '../../catalogue/database';
import { loadConfig } from '../../config/load-config';
import { storageOn } from '../../runtime/catalogue';
import { buildApp } from '../../runtime/http-server';
import { AssetWorkflows } from '../../temporal/asset-workflows.client';
import { type Harness, startHarness } from '../support/harness';
import { makeJpeg } from '../support/images';
import { testTemporalAddress } from '../support/test-env';

/** A port on this machine where nothing listens: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('when Temporal is unreachable', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness('embedded', {
      temporalAddress: `127.0.0.1:${await closedPort()}`,
      worker: false,
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('/api/health answers 503 and names Temporal, not the database', async () => {
    const res = await harness.http.get('/api/health').expect(503);
    expect(res.body.status).toBe('degraded');
    expect(res.body.dependencies.database.status).toBe('up');
    expect(res.body.dependencies.temporal.status).toBe('down');
    // An administrator sees why (security review L12); anyone else only up or down.
    expect(res.body.dependencies.temporal.error).toEqual(expect.any(String));
    const anonymous = await request(harness.app).get('/api/health').expect(503);
    expect(anonymous.body).toEqual({
      status: 'degraded',
      dependencies: { database: { status: 'up' }, temporal: { status: 'down' } },
    });
  });

  it('an upload answers 503 within seconds and leaves no asset behind', async () => {
    const started = Date.now();
    const res = await harness.http.post('/api/assets').attach('file', await makeJpeg(32, 32), 'x.jpg');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.error.details).toEqual({ dependency: 'temporal' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const rows = await harness.storage.database.db.selectFrom('assets').selectAll().execute();
    expect(rows).toEqual([]);
  });
});

describe('when the PostgreSQL server is unreachable', () => {
  it('/api/health answers 503 naming the database, and reads answer 503', async () => {
    const url = `postgres://nobody:nothing@127.0.0.1:${await closedPort()}/none`;
    const database = await openDatabase({ url, migrate: false });
    const config = loadConfig({
      file: '/nonexistent/temporal.config.yaml',
      env: {},
      overrides: { log: { level: 'silent' } },
    });
    const workflows = AssetWorkflows.connectLazily(testTemporalAddress(), 'default', 'unused');
    const storage = storageOn(database, '/nonexistent');
    const app = buildApp(config, storage, workflows, pino({ level: 'silent' }));
    try {
      const health = await request(app).get('/api/health').expect(503);
      expect(health.body.dependencies.database.status).toBe('down');
      expect(health.body.dependencies.temporal.status).toBe('up');
      // A signed-in read: resolving the token needs the database, which answers with a 503.
      const read = await request(app)
        .get('/api/assets/0b6f5a0e-1111-4222-8333-444455556666')
        .set('Authorization', 'Bearer af_some-token');
      expect(read.status).toBe(503);
      expect(read.body.error).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        details: { dependency: 'database' },
      });
    } finally {
      await workflows.close();
      await database.close();
    }
  });
});

describe('when the server closes its Temporal connection', () => {
  it('lets the calls in flight finish first, so none is cut off or retried on a closed channel', async () => {
    const workflows = AssetWorkflows.connectLazily(testTemporalAddress(), 'default', 'closing-queue');
    await workflows.ping();
    // Calls for assets that do not exist: each is answered (404), not cut off (503).
    const answers = Array.from({ length: 20 }, (_, i) =>
      workflows.lifecycle(`missing-${i}`).then(
        () => 'found',
        (error: { code?: string }) => error.code,
      ),
    );
    await workflows.close();
    expect(new Set(await Promise.all(answers))).toEqual(new Set(['ASSET_NOT_FOUND']));
  });
});
