import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type WorkflowHandle, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fc from 'fast-check';
import { type DryRunEvent, dryRun } from '../../lifecycle/dry-run';
import { timersOf } from '../../lifecycle/engine';
import { compileRuleSet, type RuleSetPlan } from '../../rules';
import type { RetentionAnchor } from '../../rules/document';
import {
  archiveUpdate,
  decideUpdate,
  freezeUpdate,
  getApprovalQuery,
  type LifecycleView,
  legalHoldUpdate,
  markEventUpdate,
  recordUseUpdate,
  requestDownloadUpdate,
  restoreUpdate,
  setMetadataUpdate,
  unfreezeUpdate,
} from '../../workflows/messages';
import { eventually } from './harness';
import { type AssetWorld, lifecycleView, startAsset } from './time-skipping-world';

/**
 * The differential check of the lifecycle engine: a generated rule-set variant and script of
 * events, played once through the real asset workflow on the time-skipping server and once through
 * the dry-run, must end in the same states, timeline, timers (same dates), approvals and refusals.
 * Used by test/workflows/differential.timeskip.test.ts (a bounded number of scripts, in CI) and
 * bench/differential.bench.ts (more, with a count of how many agreed).
 */

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
/** Dates may differ by the moments between the script's instant and the workflow's task. */
export const DATE_TOLERANCE_MS = 60_000;

type Classic = 'classic' | 'not-classic' | null;
export interface Scenario {
  retention: { when: Classic; after: RetentionAnchor; keep: string }[];
  validityAfter: string | null;
  coldAfterDays: number | null;
  metadata: { classic?: boolean; eventDay?: number };
  steps: { gapDays: number; event: ScenarioEvent }[];
  finalGapDays: number;
}

type Download = {
  who: 'ann' | 'p1' | 'zoe';
  audience: 'internal' | 'partners';
  rendition: 'original' | 'medium';
};
export type ScenarioEvent =
  | { type: 'metadata'; classic?: boolean; eventDay?: number }
  | { type: 'archive' | 'restore' | 'delist' | 'end-of-production' | 'use' | 'freeze' | 'unfreeze' }
  | { type: 'legal-hold'; on: boolean }
  | ({ type: 'download' } & Download)
  | { type: 'decision'; node: 'first-approval' | 'second-approval'; decision: 'approve' | 'reject' };

/** Who is who: roles as the workflow receives them from the session, and the dry-run from its directory. */
const PEOPLE: Record<string, { roles: string[]; external?: boolean }> = {
  ann: { roles: ['employee'] },
  p1: { roles: ['partner'], external: true },
  zoe: { roles: [] },
  mia: { roles: ['brand-manager'] },
  rui: { roles: ['reviewer'] },
  lea: { roles: ['legal'] },
};
const REVIEWER = { 'first-approval': 'mia', 'second-approval': 'rui' } as const;

export const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
  retention: fc.array(
    fc.record({
      when: fc.constantFrom<Classic>('classic', 'not-classic', null),
      after: fc.constantFrom<RetentionAnchor>('upload', 'archive', 'delisting', 'end-of-production'),
      keep: fc.constantFrom('P1Y', 'P2Y', 'P3Y', 'forever'),
    }),
    { minLength: 0, maxLength: 3 },
  ),
  validityAfter: fc.constantFrom(null, 'P7D', 'P30D'),
  coldAfterDays: fc.constantFrom(null, 30, 200),
  metadata: fc.record(
    { classic: fc.boolean(), eventDay: fc.integer({ min: 1, max: 400 }) },
    { requiredKeys: [] },
  ),
  steps: fc.array(
    fc.record({
      gapDays: fc.integer({ min: 0, max: 400 }),
      event: fc.oneof(
        fc.record({ type: fc.constant('metadata' as const), classic: fc.boolean() }),
        fc.record({ type: fc.constant('metadata' as const), eventDay: fc.integer({ min: 1, max: 2000 }) }),
        fc.record({
          type: fc.constantFrom(
            'archive' as const,
            'restore' as const,
            'delist' as const,
            'end-of-production' as const,
            'use' as const,
            'freeze' as const,
            'unfreeze' as const,
          ),
        }),
        fc.record({ type: fc.constant('legal-hold' as const), on: fc.boolean() }),
        fc.constantFrom<ScenarioEvent>(
          { type: 'download', who: 'ann', audience: 'internal', rendition: 'original' },
          { type: 'download', who: 'ann', audience: 'internal', rendition: 'medium' },
          { type: 'download', who: 'p1', audience: 'partners', rendition: 'medium' },
          { type: 'download', who: 'zoe', audience: 'internal', rendition: 'medium' },
        ),
        fc.record({
          type: fc.constant('decision' as const),
          node: fc.constantFrom('first-approval' as const, 'second-approval' as const),
          decision: fc.constantFrom('approve' as const, 'reject' as const),
        }),
      ),
    }),
    { minLength: 1, maxLength: 8 },
  ),
  finalGapDays: fc.integer({ min: 0, max: 1500 }),
});

/** The luxury rule set with the scenario's retention, validity and cold tiering. */
export function planFor(scenario: Scenario): RuleSetPlan {
  const source = readFileSync(path.join(__dirname, '..', '..', 'rules', 'examples', 'luxury.yaml'), 'utf8');
  const plan = { ...compileRuleSet(source).plan!, name: `luxury-variant-${randomUUID().slice(0, 8)}` };
  const classic = 'has(metadata.classic) && metadata.classic';
  plan.archive.retention = scenario.retention.map((r) => ({
    when: r.when === 'classic' ? classic : r.when === 'not-classic' ? `!(${classic})` : null,
    after: r.after,
    keep: r.keep,
  }));
  plan.archive.validity = scenario.validityAfter
    ? { field: 'eventDate', after: scenario.validityAfter }
    : null;
  plan.archive.coldAfterDaysUnused = scenario.coldAfterDays;
  return plan;
}

/** What both runs are compared on. */
export interface Observation {
  answers: (string | null)[];
  state: string;
  frozen: boolean;
  legalHold: boolean;
  tier: string;
  timeline: { from: string | null; to: string; event: string | null; reason: string; at: string }[];
  timers: { kind: string; at: string }[];
  approvals: { flow: string; status: string }[];
  grants: { user: string; rendition: string; expiresAt: string }[];
}

const eventDate = (t0: number, day: number) => new Date(t0 + day * DAY + 30 * 60 * 1000).toISOString();
const metadataOf = (t0: number, m: { classic?: boolean; eventDay?: number }) => ({
  ...(m.classic !== undefined ? { classic: m.classic } : {}),
  ...(m.eventDay !== undefined ? { eventDate: eventDate(t0, m.eventDay) } : {}),
});
/** Event i happens `gapDays` after the previous one, at hour i+1 of the day: no two moments coincide. */
function timesOf(t0: number, scenario: Scenario): number[] {
  let day = 0;
  return scenario.steps.map((step, i) => {
    day += step.gapDays;
    return t0 + day * DAY + (i + 1) * HOUR;
  });
}

/**
 * The script as dry-run events, at the instants the workflow was sent them: `t0` is the instant
 * the upload's metadata dates count from, `upload` the workflow's upload instant.
 */
export function predict(
  plan: RuleSetPlan,
  scenario: Scenario,
  { t0, upload }: { t0: number; upload: number },
): Observation {
  const times = timesOf(upload, scenario);
  const events: DryRunEvent[] = scenario.steps.map(({ event }, i) => {
    const at = new Date(times[i]!).toISOString();
    switch (event.type) {
      case 'metadata':
        return { type: 'metadata', at, by: 'ann', set: metadataOf(upload, event) };
      case 'freeze':
        return { type: 'freeze', at, by: 'mia', reason: 'paused' };
      case 'unfreeze':
        return { type: 'unfreeze', at, by: 'mia' };
      case 'legal-hold':
        return { type: 'legal-hold', at, by: 'lea', on: event.on, reason: 'claim' };
      case 'download':
        return {
          type: 'download-request',
          at,
          user: event.who,
          audience: event.audience,
          rendition: event.rendition,
          ...(PEOPLE[event.who]?.external ? { external: true } : {}),
        };
      case 'decision':
        return {
          type: 'decision',
          at,
          node: event.node,
          reviewer: REVIEWER[event.node],
          decision: event.decision,
        };
      default:
        return { type: event.type, at, by: 'ann' };
    }
  });
  const end = new Date(endOf(upload, scenario)).toISOString();
  events.push({ type: 'advance', to: end });
  const directory: Record<string, string[]> = {};
  for (const [user, { roles }] of Object.entries(PEOPLE))
    for (const role of roles) directory[role] = [...(directory[role] ?? []), user];
  const result = dryRun(
    plan,
    {
      asset: {
        name: 'campaign.jpg',
        kind: 'image',
        format: 'jpeg',
        width: 200,
        height: 100,
        uploadedAt: new Date(upload).toISOString(),
        uploadedBy: 'ann',
      },
      metadata: metadataOf(t0, scenario.metadata),
      directory,
    },
    events,
  );
  const s = result.engine;
  return {
    answers: result.answers.map((a) => a.refused),
    state: s.state,
    frozen: s.frozen !== null,
    legalHold: s.legalHold !== null,
    tier: s.tier,
    timeline: s.timeline.map((t) => ({
      from: t.from,
      to: t.to,
      event: t.event ?? null,
      reason: t.reason,
      at: t.at,
    })),
    timers: timersOf(s, plan, end)
      .filter((t) => t.kind !== 'grant')
      .map(({ kind, at }) => ({ kind, at })),
    approvals: (s.approvals ?? []).map(({ flow, status }) => ({ flow, status })),
    grants: (s.grants ?? []).map(({ user, rendition, expiresAt }) => ({ user, rendition, expiresAt })),
  };
}

const endOf = (t0: number, scenario: Scenario) =>
  (timesOf(t0, scenario).at(-1) ?? t0) + scenario.finalGapDays * DAY + 30 * 60 * 1000;

/** Plays the script against the real workflow; answers what it observed and the upload instant. */
export async function observe(
  world: AssetWorld,
  plan: RuleSetPlan,
  scenario: Scenario,
): Promise<{ t0: number; upload: number; observed: Observation }> {
  const { env, assets } = world;
  // Metadata dates count from now; the upload instant is the workflow's, a moment later.
  const t0 = await env.currentTimeMs();
  const metadata = metadataOf(t0, scenario.metadata);
  const { handle, assetId } = await startAsset(world, plan, {
    name: 'campaign.jpg',
    metadata,
    uploadedBy: 'ann',
    size: [200, 100],
    rgb: [200, 40, 40],
  });
  const view = (h: WorkflowHandle) => lifecycleView(env, h);
  const started = await eventually(async () => {
    const v = await view(handle);
    return v.state !== 'created' ? v : undefined;
  });
  const upload = Date.parse(started.anchors.upload);
  if (Math.abs(upload - t0) > DATE_TOLERANCE_MS)
    throw new Error(`upload at ${started.anchors.upload}, expected near ${new Date(t0).toISOString()}`);

  const answers: (string | null)[] = [];
  const approvalIds: string[] = [];
  const times = timesOf(upload, scenario);
  const sleepUntil = async (at: number) => {
    const ms = at - (await env.currentTimeMs());
    if (ms > 0) await env.sleep(ms);
  };
  const refusalOf = async (call: () => Promise<unknown>) => {
    try {
      await call();
      return null;
    } catch (error) {
      // The workflow ends with the purge; the API answers ASSET_PURGED for it (asset-workflows.client.ts).
      if (error instanceof WorkflowNotFoundError && (await handle.describe()).status.name === 'COMPLETED')
        return 'ASSET_PURGED';
      if (error instanceof WorkflowUpdateFailedError)
        return (error.cause as { type?: string })?.type ?? 'UNKNOWN';
      throw error;
    }
  };
  for (const [i, { event }] of scenario.steps.entries()) {
    await sleepUntil(times[i]!);
    const as = (user: string) => ({ by: user, roles: PEOPLE[user]?.roles ?? [] });
    answers.push(
      await refusalOf(async () => {
        switch (event.type) {
          case 'metadata':
            return handle.executeUpdate(setMetadataUpdate, {
              args: [{ ...as('ann'), set: metadataOf(upload, event) }],
            });
          case 'archive':
            return handle.executeUpdate(archiveUpdate, { args: [as('ann')] });
          case 'restore':
            return handle.executeUpdate(restoreUpdate, { args: [as('ann')] });
          case 'delist':
          case 'end-of-production':
            return handle.executeUpdate(markEventUpdate, {
              args: [{ ...as('ann'), event: event.type === 'delist' ? 'delisting' : 'end-of-production' }],
            });
          case 'use':
            return handle.executeUpdate(recordUseUpdate, { args: [{ ...as('ann'), use: 'view' }] });
          case 'freeze':
            return handle.executeUpdate(freezeUpdate, { args: [{ ...as('mia'), reason: 'paused' }] });
          case 'unfreeze':
            return handle.executeUpdate(unfreezeUpdate, { args: [as('mia')] });
          case 'legal-hold':
            return handle.executeUpdate(legalHoldUpdate, {
              args: [{ ...as('lea'), on: event.on, reason: 'claim' }],
            });
          case 'download': {
            const decision = await handle.executeUpdate(requestDownloadUpdate, {
              args: [
                {
                  ...as(event.who),
                  audience: event.audience,
                  rendition: event.rendition,
                  ...(PEOPLE[event.who]?.external ? { external: true } : {}),
                },
              ],
            });
            if (decision.status === 'pending') approvalIds.push(decision.approvalId);
            return decision;
          }
          case 'decision':
            return decideOnLatest(env, approvalIds, event.node, REVIEWER[event.node], event.decision);
        }
      }),
    );
  }
  await sleepUntil(endOf(upload, scenario));
  const final = await settled(world, handle, assetId, view);
  const timeline = await assets.timeline(assetId);
  await handle.terminate('differential check done').catch(() => undefined);
  for (const id of approvalIds)
    await env.client.workflow
      .getHandle(id)
      .terminate()
      .catch(() => undefined);
  return {
    t0,
    upload,
    observed: {
      answers,
      state: final.state,
      frozen: final.frozen !== null,
      legalHold: final.legalHold !== null,
      tier: final.tier,
      timeline: timeline.map((t) => ({
        from: t.from,
        to: t.to,
        event: t.event ?? null,
        reason: t.reason,
        at: t.at,
      })),
      timers: final.timers.map(({ kind, at }) => ({ kind, at })),
      approvals: (final.approvals ?? []).map(({ flow, status }) => ({ flow, status })),
      grants: (final.grants ?? []).map(({ user, rendition, expiresAt }) => ({ user, rendition, expiresAt })),
    },
  };
}

/** As the dry-run does: the decision goes to the latest approval waiting at that step. */
async function decideOnLatest(
  env: TestWorkflowEnvironment,
  approvalIds: string[],
  node: string,
  reviewer: string,
  decision: 'approve' | 'reject',
) {
  for (const id of [...approvalIds].reverse()) {
    const h = env.client.workflow.getHandle(id);
    const state = await h.query(getApprovalQuery).catch(() => undefined);
    if (!state || state.flow.waiting[node] === undefined) continue;
    return h.executeUpdate(decideUpdate, {
      args: [{ node, reviewer, roles: PEOPLE[reviewer]?.roles ?? [], decision }],
    });
  }
  throw new WorkflowUpdateFailedError('no flow waits there', { type: 'NOT_WAITING' } as never);
}

/** The workflow's view once every effect is carried out: the catalogue has every timeline entry. */
async function settled(
  world: AssetWorld,
  handle: WorkflowHandle,
  assetId: string,
  view: (h: WorkflowHandle) => Promise<LifecycleView>,
): Promise<LifecycleView> {
  return eventually(async () => {
    const v = await view(handle);
    const recorded = await world.assets.timeline(assetId);
    const lastSeq = v.timeline.at(-1)?.seq ?? 0;
    if (recorded.at(-1)?.seq !== lastSeq) return undefined;
    // Approvals report back by signal; wait until none that finished is still pending here.
    const again = await view(handle);
    return JSON.stringify(again) === JSON.stringify(v) ? v : undefined;
  }, 30_000);
}

/** Every way the two observations differ (empty when they agree). */
export function differences(predicted: Observation, observed: Observation): string[] {
  const out: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      out.push(`${what}: dry-run ${JSON.stringify(a)}, workflow ${JSON.stringify(b)}`);
  };
  const close = (what: string, a: string, b: string) => {
    if (Math.abs(Date.parse(a) - Date.parse(b)) > DATE_TOLERANCE_MS)
      out.push(`${what}: dry-run ${a}, workflow ${b}`);
  };
  same('answers', predicted.answers, observed.answers);
  for (const key of ['state', 'frozen', 'legalHold', 'tier'] as const)
    same(key, predicted[key], observed[key]);
  same('approvals', predicted.approvals, observed.approvals);
  const shape = (o: Observation) => o.timeline.map(({ from, to, event }) => ({ from, to, event }));
  same('timeline', shape(predicted), shape(observed));
  if (out.length === 0)
    for (const [i, t] of predicted.timeline.entries())
      close(`timeline[${i}] (${t.event ?? t.to})`, t.at, observed.timeline[i]!.at);
  same(
    'timer kinds',
    predicted.timers.map((t) => t.kind),
    observed.timers.map((t) => t.kind),
  );
  if (out.length === 0)
    for (const [i, t] of predicted.timers.entries()) close(`timer ${t.kind}`, t.at, observed.timers[i]!.at);
  same(
    'grants',
    predicted.grants.map((g) => `${g.user}:${g.rendition}`),
    observed.grants.map((g) => `${g.user}:${g.rendition}`),
  );
  if (out.length === 0)
    for (const [i, g] of predicted.grants.entries())
      close(`grant ${g.user}`, g.expiresAt, observed.grants[i]!.expiresAt);
  return out;
}
