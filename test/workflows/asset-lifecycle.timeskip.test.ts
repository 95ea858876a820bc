import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { FileBlobStore } from '../../blobstore/file-blob-store';
import { AssetRepository } from '../../catalogue/asset.repository';
import type { Database } from '../../catalogue/database';
import { compileRuleSet } from '../../rules';
import { storageOn } from '../../runtime/catalogue';
import { installTemporalRuntimeOnce } from '../../runtime/worker';
import { ruleTaggingOnly } from '../../tagging/offline-tagging';
import { startTimeSkippingServer } from '../../toolchain/ephemeral-servers';
import { getTimelineQuery } from '../../workflows/messages';
import { eventually } from '../support/harness';
import { makeJpeg } from '../support/images';
import { recordHistoryIfAsked } from '../support/record-history';
import { openTestDatabase } from '../support/test-databases';
import { testWorkflowBundle } from '../support/test-env';

const DAY_MS = 24 * 60 * 60 * 1000;
const defaultPlan = compileRuleSet(
  readFileSync(path.join(__dirname, '..', '..', 'rules', 'examples', 'default.yaml'), 'utf8'),
).plan!;

/**
 * Long timers on the time-skipping test server: a year of workflow time passes in seconds, with
 * the real worker, real activities, real sharp and a real (embedded PostgreSQL) catalogue.
 */
describe('assetLifecycle on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let database: Database;
  let blobDir: string;
  beforeAll(async () => {
    installTemporalRuntimeOnce();
    env = await startTimeSkippingServer();
    database = await openTestDatabase('embedded');
    blobDir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-timeskip-'));
  });
  afterAll(async () => {
    await env?.teardown();
    await database?.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  it('takes an asset down when its one-year validity period ends, in seconds of test time', async () => {
    const assets = new AssetRepository(database.db);
    const blobs = new FileBlobStore(blobDir);
    const pending = await blobs.write(Readable.from(await makeJpeg(400, 300)));
    await pending.commit();
    const assetId = randomUUID();
    await assets.create({
      id: assetId,
      workflowId: `asset-${assetId}`,
      displayName: 'fashion-week.jpg',
      ruleSet: 'default',
      ruleSetVersion: 1,
      metadata: {},
      blob: { sha256: pending.sha256, sizeBytes: pending.sizeBytes },
      declaredMediaType: 'image/jpeg',
    });

    const taskQueue = `timeskip-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: testWorkflowBundle(),
      activities: createActivities({
        ...storageOn(database, blobs.root),
        limits: { maxImagePixels: 100_000_000 },
        tagging: ruleTaggingOnly(),
      }),
    });

    await worker.runUntil(async () => {
      const startedAt = await env.currentTimeMs();
      const validUntil = new Date(startedAt + 365 * DAY_MS).toISOString();
      const handle = await env.client.workflow.start('assetLifecycle', {
        taskQueue,
        workflowId: `asset-${assetId}`,
        args: [
          {
            assetId,
            ruleSet: 'default',
            ruleSetVersion: 1,
            version: 1,
            plan: defaultPlan,
            name: 'fashion-week.jpg',
            metadata: { validUntil },
          },
        ],
      });
      await eventually(async () =>
        (await handle.query(getTimelineQuery)).state === 'stored' ? true : undefined,
      );

      const wallClock = Date.now();
      await env.sleep('366 days');
      const view = await eventually(async () => {
        const v = await handle.query(getTimelineQuery);
        return v.state === 'expired' ? v : undefined;
      });
      const wallSeconds = (Date.now() - wallClock) / 1000;

      expect(wallSeconds).toBeLessThan(15);
      expect(view.timeline.map((t) => t.to)).toEqual(['created', 'stored', 'expired']);
      const expiredAt = Date.parse(view.timeline[2]!.at);
      expect(expiredAt - startedAt).toBeGreaterThanOrEqual(365 * DAY_MS);
      expect(expiredAt - startedAt).toBeLessThan(367 * DAY_MS);
      // The catalogue mirror followed, so the API lists the asset as taken down.
      await eventually(async () => ((await assets.find(assetId))?.state === 'expired' ? true : undefined));
      await recordHistoryIfAsked(env.address, handle.workflowId, 'asset-lifecycle-v6-expired-after-one-year');
    });
  });
});
