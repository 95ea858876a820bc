import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { FileBlobStore } from '../../blobstore/file-blob-store';
import { ApprovalRepository } from '../../catalogue/approval.repository';
import { AssetRepository } from '../../catalogue/asset.repository';
import type { Database } from '../../catalogue/database';
import { compileRuleSet, type RuleSetPlan } from '../../rules';
import { storageOn } from '../../runtime/catalogue';
import { installTemporalRuntimeOnce } from '../../runtime/worker';
import { ruleTaggingOnly } from '../../tagging/offline-tagging';
import { AssetWorkflows } from '../../temporal/asset-workflows.client';
import { startTimeSkippingServer } from '../../toolchain/ephemeral-servers';
import {
  archiveUpdate,
  getLifecycleQuery,
  type LifecycleView,
  legalHoldUpdate,
  markEventUpdate,
  recordUseUpdate,
  restoreFromTrashUpdate,
  trashUpdate,
} from '../../workflows/messages';
import { eventually } from '../support/harness';
import { makeJpeg } from '../support/images';
import { publishPlan } from '../support/published-plans';
import { recordHistoryIfAsked } from '../support/record-history';
import { openTestDatabase } from '../support/test-databases';
import { testWorkflowBundle } from '../support/test-env';

const DAY = 24 * 60 * 60 * 1000;
const planOf = (name: string): RuleSetPlan =>
  compileRuleSet(readFileSync(path.join(__dirname, '..', '..', 'rules', 'examples', `${name}.yaml`), 'utf8'))
    .plan!;

/**
 * Retention, validity, legal hold and cold tiering on the time-skipping server: years of workflow
 * time in seconds, with the real worker, activities, blob store and catalogue.
 */
describe('lifecycle timers that fire years later', () => {
  let env: TestWorkflowEnvironment;
  let database: Database;
  let blobDir: string;
  let assets: AssetRepository;
  let approvals: ApprovalRepository;
  let blobs: FileBlobStore;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `retention-${randomUUID()}`;

  beforeAll(async () => {
    installTemporalRuntimeOnce();
    database = await openTestDatabase('embedded');
    blobDir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-retention-'));
    assets = new AssetRepository(database.db);
    approvals = new ApprovalRepository(database.db);
    blobs = new FileBlobStore(blobDir);
  });
  afterAll(async () => {
    await database?.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  // A fresh time-skipping server per test: workflows left running by one test (their timers
  // fire whenever time skips) must not slow down or stall the next one's skipping.
  beforeEach(async () => {
    env = await startTimeSkippingServer();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: testWorkflowBundle(),
      activities: createActivities({
        ...storageOn(database, blobs.root),
        limits: { maxImagePixels: 100_000_000 },
        tagging: ruleTaggingOnly(),
      }),
    });
    running = worker.run();
  });
  afterEach(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  /** An uploaded asset (blob, catalogue rows) with its workflow started and `stored`. */
  async function startAsset(
    ruleSet: string,
    name: string,
    metadata: Record<string, unknown>,
    rgb: [number, number, number],
  ) {
    const plan = planOf(ruleSet);
    const ruleSetVersion = await publishPlan(database, plan);
    const pending = await blobs.write(Readable.from(await makeJpeg(200, 100, rgb)));
    await pending.commit();
    const assetId = randomUUID();
    await assets.create({
      id: assetId,
      workflowId: `asset-${assetId}`,
      displayName: name,
      ruleSet,
      ruleSetVersion,
      metadata,
      blob: { sha256: pending.sha256, sizeBytes: pending.sizeBytes },
      declaredMediaType: 'image/jpeg',
    });
    const handle = await env.client.workflow.start('assetLifecycle', {
      taskQueue,
      workflowId: `asset-${assetId}`,
      args: [{ assetId, ruleSet, ruleSetVersion, version: 1, plan, name, metadata }],
      // The Java test server gives workflows without an execution timeout a default of 10 years
      // (a real server has none); these assets must outlive that.
      workflowExecutionTimeout: '50 years',
    });
    await waitFor(handle, (v) => v.state === 'stored');
    return { handle, assetId, sha256: pending.sha256 };
  }
  /**
   * Queries the workflow with a deadline, retrying: a query that reaches the Java test server while
   * the run continues as new can go unanswered, and a query without a deadline then waits forever.
   */
  const view = (handle: WorkflowHandle) =>
    eventually(() =>
      env.connection
        .withDeadline(Date.now() + 3000, () => handle.query(getLifecycleQuery))
        .catch(() => undefined),
    );
  const waitFor = (handle: WorkflowHandle, predicate: (v: LifecycleView) => boolean) =>
    eventually(async () => {
      const v = await view(handle);
      return predicate(v) ? v : undefined;
    });
  const sleepUntil = async (iso: string) => {
    const ms = Date.parse(iso) - (await env.currentTimeMs());
    if (ms > 0) await env.sleep(ms);
  };

  it('e-commerce: a delisted product is purged 3 years after delisting, and not a day before', async () => {
    const { handle, assetId, sha256 } = await startAsset(
      'ecommerce',
      'Voltio_EL-123456_main_V1_20260401.jpg',
      { sku: 'EL-123456', brand: 'Voltio', purpose: 'main', category: 'home' },
      [10, 20, 30],
    );
    const delisted = await handle.executeUpdate(markEventUpdate, {
      args: [{ by: 'merch', event: 'delisting' }],
    });
    // Delisted material is tagged and archived (the seed), and kept 3 years from the delisting.
    expect(delisted.state).toBe('archived');
    expect(delisted.asset.tags).toContain('delisted');
    const purgeAt = delisted.timers.find((t) => t.kind === 'retention')?.at;
    expect(Date.parse(purgeAt!) - Date.parse(delisted.anchors.delisting!)).toBeGreaterThanOrEqual(
      3 * 365 * DAY,
    );

    await sleepUntil(new Date(Date.parse(purgeAt!) - DAY).toISOString());
    expect((await view(handle)).state).toBe('archived');
    // (After 180 idle days the bytes moved to the cold tier; they are still there.)
    expect((await blobs.exists(sha256, 'hot')) || (await blobs.exists(sha256, 'cold'))).toBe(true);

    await env.sleep(2 * DAY);
    await eventually(async () => ((await assets.find(assetId))?.state === 'purged' ? true : undefined));
    expect((await blobs.exists(sha256, 'hot')) || (await blobs.exists(sha256, 'cold'))).toBe(false);
    // The tombstone keeps the record and its history.
    const tombstone = await assets.find(assetId);
    expect(tombstone?.displayName).toBe('Voltio_EL-123456_main_V1_20260401.jpg');
    // Its workflow has ended; the API answers what is sent to it as the engine would.
    const api = new AssetWorkflows(env.connection, env.namespace ?? 'default', taskQueue);
    await expect(api.updateAsset(assetId, archiveUpdate, { by: 'ann@example.test' })).rejects.toMatchObject({
      code: 'ASSET_PURGED',
      status: 409,
    });
    // Every event of its life is in the timeline, state changes and the delisting alike.
    expect((await assets.timeline(assetId)).map((t) => t.event ?? t.to)).toEqual([
      'uploaded',
      'stored',
      'delisted',
      'archived',
      'tier-cold',
      'purged',
    ]);
    await recordHistoryIfAsked(env.address, handle.workflowId, 'asset-lifecycle-v6-purged-after-delisting');
  });

  it('automotive: a drawing archived at end of production is kept 15 years; legal hold stops the purge until released', async () => {
    const { handle, assetId } = await startAsset(
      'automotive',
      'X1A_12345-AB12_MY2026_V1.jpg',
      { modelCode: 'X1A', partNumber: '12345-AB12', modelYear: 2026, stage: 'production' },
      [40, 50, 60],
    );
    expect((await view(handle)).frozen).toMatchObject({ by: 'rule' });
    // End of production archives the drawing (no separate archive needed).
    const ended = await handle.executeUpdate(markEventUpdate, {
      args: [{ by: 'plm', event: 'end-of-production' }],
    });
    expect(ended.state).toBe('archived');
    const purgeAt = ended.timers.find((t) => t.kind === 'retention')!.at;
    expect(
      new Date(purgeAt).getUTCFullYear() - new Date(ended.anchors['end-of-production']!).getUTCFullYear(),
    ).toBe(15);

    await sleepUntil(new Date(Date.parse(purgeAt) - 30 * DAY).toISOString());
    // Only the rule set's legal-hold roles may place or lift a hold.
    const refused = await handle
      .executeUpdate(legalHoldUpdate, { args: [{ by: 'sam', roles: ['marketing'], on: true, reason: 'x' }] })
      .catch((error: { cause?: unknown }) => error.cause);
    expect(refused).toMatchObject({
      type: 'NOT_ELIGIBLE',
      message: expect.stringContaining('Only quality may'),
    });
    const held = await handle.executeUpdate(legalHoldUpdate, {
      args: [{ by: 'qa-lead', roles: ['quality'], on: true, reason: 'warranty dispute' }],
    });
    expect(held.timers.find((t) => t.kind === 'retention')).toBeUndefined();
    await env.sleep(365 * DAY);
    expect((await view(handle)).state).toBe('archived');

    await handle.executeUpdate(legalHoldUpdate, { args: [{ by: 'qa-lead', roles: ['quality'], on: false }] });
    await eventually(async () => ((await assets.find(assetId))?.state === 'purged' ? true : undefined));
  });

  it('luxury: event material stops working 7 days after the event', async () => {
    const now = await env.currentTimeMs();
    const eventDate = new Date(now + 10 * DAY).toISOString();
    const { handle } = await startAsset(
      'luxury',
      'SS26_event_V1_20260301.jpg',
      { campaign: 'SS26', photographer: 'Li', scenario: 'event', eventDate },
      [70, 80, 90],
    );
    expect((await view(handle)).timers.find((t) => t.kind === 'validity')?.at).toBe(
      new Date(Date.parse(eventDate) + 7 * DAY).toISOString(),
    );
    await handle.executeUpdate(recordUseUpdate, { args: [{ by: 'partner', use: 'download' }] });
    await sleepUntil(new Date(Date.parse(eventDate) + 7 * DAY + 60_000).toISOString());
    await waitFor(handle, (v) => v.state === 'expired');
    await expect(
      handle.executeUpdate(recordUseUpdate, { args: [{ by: 'partner', use: 'download' }] }),
    ).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/taken down/) },
    });
  });

  it('the trash: a restored asset comes back as it was; one left there is purged after 30 days, bytes a copy uses kept', async () => {
    // Another asset with the same bytes (a copy kept elsewhere): purging the trashed one keeps them.
    const copy = await startAsset('luxury', 'SS26_look_V1_20260301.jpg', { campaign: 'SS26' }, [44, 55, 66]);
    const { handle, assetId, sha256 } = await startAsset(
      'luxury',
      'SS26_look_V2_20260301.jpg',
      { campaign: 'SS26' },
      [44, 55, 66],
    );
    const trashed = await handle.executeUpdate(trashUpdate, {
      args: [{ by: 'ann', keepFor: 'P30D', reason: 'wrong shot' }],
    });
    expect(trashed.state).toBe('trashed');
    expect(trashed.timers.find((t) => t.kind === 'trash')?.at).toBe(trashed.trashed?.purgeAt);
    await eventually(async () => ((await assets.find(assetId))?.state === 'trashed' ? true : undefined));
    expect((await assets.find(assetId))?.trashed).toMatchObject({ by: 'ann', from: 'stored' });

    // Restored before the trash empties: stored again, nothing purged, no trash timer left.
    await env.sleep(10 * DAY);
    const back = await handle.executeUpdate(restoreFromTrashUpdate, { args: [{ by: 'bob' }] });
    expect(back.state).toBe('stored');
    expect(back.timers.map((t) => t.kind)).not.toContain('trash');
    await eventually(async () => ((await assets.find(assetId))?.trashed === null ? true : undefined));

    // Deleted again and left: purged 30 days later; the bytes stay, the copy still uses them.
    const again = await handle.executeUpdate(trashUpdate, { args: [{ by: 'ann', keepFor: 'P30D' }] });
    await sleepUntil(new Date(Date.parse(again.trashed!.purgeAt) - DAY).toISOString());
    expect((await view(handle)).state).toBe('trashed');
    await env.sleep(2 * DAY);
    await eventually(async () => ((await assets.find(assetId))?.state === 'purged' ? true : undefined));
    expect(copy.sha256).toBe(sha256);
    expect(await blobs.exists(sha256, 'hot')).toBe(true);
    expect((await assets.find(copy.assetId))?.state).toBe('stored');
    expect((await assets.timeline(assetId)).map((t) => t.event ?? t.to)).toEqual([
      'uploaded',
      'stored',
      'trashed',
      'untrashed',
      'trashed',
      'purged',
    ]);
    await recordHistoryIfAsked(
      env.address,
      handle.workflowId,
      'asset-lifecycle-v8-trash-restored-then-purged',
    );
  });

  it('cold tiering happens after the idle days and is re-armed by use', async () => {
    const { handle, assetId, sha256 } = await startAsset(
      'ecommerce',
      'Voltio_EL-654321_main_V1_20260401.jpg',
      { sku: 'EL-654321', brand: 'Voltio', purpose: 'main' },
      [100, 110, 120],
    );
    const first = (await view(handle)).timers.find((t) => t.kind === 'cold-tier')!.at;
    await env.sleep(100 * DAY);
    const used = await handle.executeUpdate(recordUseUpdate, { args: [{ by: 'designer', use: 'view' }] });
    const rearmed = used.timers.find((t) => t.kind === 'cold-tier')!.at;
    expect(Date.parse(rearmed) - Date.parse(first)).toBeGreaterThanOrEqual(99 * DAY);

    await sleepUntil(new Date(Date.parse(first) + DAY).toISOString());
    expect((await view(handle)).tier).toBe('hot');
    await sleepUntil(new Date(Date.parse(rearmed) + DAY).toISOString());
    await waitFor(handle, (v) => v.tier === 'cold');
    await eventually(async () =>
      (await assets.find(assetId)) ? ((await blobs.exists(sha256, 'cold')) ? true : undefined) : undefined,
    );
    expect(await blobs.exists(sha256, 'hot')).toBe(false);
  });

  it('e-commerce: an unanswered compliance review escalates after 48 hours, then rejects after 24 more', async () => {
    const { handle } = await startAsset(
      'ecommerce',
      'Voltio_EL-777777_main_V1_20260401.jpg',
      { sku: 'EL-777777', brand: 'Voltio', purpose: 'main', category: 'electronics' },
      [130, 140, 150],
    );
    const started = await waitFor(handle, (v) => (v.approvals ?? []).length === 1);
    // Compliance tags from the rule set, beside the tags ingest derived (shape, colours).
    expect(started.asset.tags).toEqual(expect.arrayContaining(['needs-CE', 'needs-FCC', 'image']));
    const approvalId = started.approvals![0]!.id;
    const step = (node: string) => async () =>
      (await approvals.forApproval(approvalId)).find((t) => t.node === node);
    const review = await eventually(step('review'));
    expect(review).toMatchObject({ status: 'pending', roles: ['compliance'] });
    expect(Date.parse(review.timeoutAt!) - Date.parse(review.createdAt)).toBe(48 * 60 * 60 * 1000);

    await env.sleep(47 * 60 * 60 * 1000);
    expect((await approvals.forApproval(approvalId)).map((t) => [t.node, t.status])).toEqual([
      ['review', 'pending'],
    ]);
    await env.sleep(2 * 60 * 60 * 1000);
    const escalated = await eventually(async () => {
      const tasks = await approvals.forApproval(approvalId);
      return tasks.length === 2 ? tasks : undefined;
    });
    expect(escalated.map((t) => [t.node, t.status])).toEqual([
      ['review', 'timed-out'],
      ['ops-review', 'pending'],
    ]);

    await env.sleep(25 * 60 * 60 * 1000);
    const finished = await waitFor(handle, (v) => v.approvals?.[0]?.status !== 'pending');
    expect(finished.approvals?.[0]?.status).toBe('rejected');
    expect((await approvals.forApproval(approvalId)).map((t) => t.status)).toEqual([
      'timed-out',
      'timed-out',
    ]);
  });
});
