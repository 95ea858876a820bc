import { readFileSync } from 'node:fs';
import path from 'node:path';
import { approvalOutcome } from '../../../lifecycle/approvals';
import { applyEvent, nextWake, raiseRevision, timersOf } from '../../../lifecycle/engine';
import {
  ENGINE_REVISION,
  type EngineState,
  type LifecycleEvent,
  type Notice,
} from '../../../lifecycle/model';
import { newAssetState } from '../../../lifecycle/state';
import { refusalOf } from '../../../lifecycle/transition-table';
import { compileRuleSet, decide, type RuleSetPlan, startFlow } from '../../../rules';

/**
 * What issue "rules enforced" made the engine do (revision 2), and that a state of revision 1 —
 * a run recorded before — still does what it did then.
 */
const planOf = (name: string): RuleSetPlan =>
  compileRuleSet(
    readFileSync(path.join(__dirname, '..', '..', '..', 'rules', 'examples', `${name}.yaml`), 'utf8'),
  ).plan!;
const luxury = planOf('luxury');
const ecommerce = planOf('ecommerce');
const automotive = planOf('automotive');
const T0 = '2026-03-01T09:00:00.000Z';
const image = { kind: 'image', format: 'jpeg', width: 10, height: 10 } as const;
const COMPLETE = { campaign: 'SS26', photographer: 'Li Wei', scenario: 'store', usageRegion: 'CN-mainland' };

function play(plan: RuleSetPlan, s: EngineState, events: LifecycleEvent[], at = T0): EngineState {
  for (const event of events) {
    const outcome = applyEvent(s, event, plan, at);
    if (!outcome.ok) throw new Error(`${event.type} refused: ${outcome.refusal.code}`);
    s = outcome.state;
  }
  return s;
}
const storedAs = (
  plan: RuleSetPlan,
  metadata: Record<string, unknown>,
  revision = ENGINE_REVISION,
  name = 'photo.jpg',
  findings: Extract<LifecycleEvent, { type: 'ingested' }>['findings'] = image,
) =>
  play(
    plan,
    newAssetState(
      { assetId: 'a1', ruleSet: plan.name, version: 1, name, metadata, uploadedBy: 'ann' },
      T0,
      revision,
    ),
    [{ type: 'ingested', version: 1, findings }],
  );
/** The compliance review an upload started, decided by a compliance officer, reported back to the asset. */
const reviewDecided = (plan: RuleSetPlan, s: EngineState, decision: 'approve' | 'reject') => {
  const started = s.outbox.find((e) => e.type === 'start-approval');
  if (started?.type !== 'start-approval') throw new Error('no compliance review started');
  const context = { fields: plan.fields, input: { metadata: {}, request: started.approval.request } };
  const flow = decide(
    plan,
    startFlow(plan, 'compliance-review', T0, context),
    { node: 'review', reviewer: 'cy', roles: ['compliance'], decision, at: T0 },
    context,
  ).state;
  return play(plan, { ...s, outbox: [] }, [
    { type: 'approval-finished', outcome: approvalOutcome(started.approval.approvalId, flow, T0) },
  ]);
};
const ask = (audience: string, rendition: string, roles: string[], extra: object = {}): LifecycleEvent => ({
  type: 'request-download',
  by: 'someone@example.test',
  roles,
  audience,
  rendition,
  ...extra,
});
const notices = (s: EngineState): Notice[] =>
  s.outbox.flatMap((e) => (e.type === 'notify' ? [e.notice] : []));
/** Fires every timer due at `at`. */
const at = (plan: RuleSetPlan, s: EngineState, when: string) => play(plan, s, [{ type: 'time' }], when);

describe('rules enforced by the engine', () => {
  it('an asset missing required fields is kept but nothing of it leaves until they are filled (P1)', () => {
    const s = storedAs(luxury, { campaign: 'SS26' });
    expect(s.state).toBe('stored');
    expect(s.compliance.missingFields).toEqual(['photographer']);
    expect(s.compliance.withheld).toMatchObject({ code: 'ASSET_INCOMPLETE' });
    expect(refusalOf(s, ask('internal', 'thumbnail', ['employee']), luxury, T0)).toMatchObject({
      code: 'ASSET_INCOMPLETE',
      message: expect.stringContaining('photographer'),
    });
    const filled = play(luxury, s, [{ type: 'set-metadata', by: 'ann', set: { photographer: 'Li Wei' } }]);
    expect(filled.compliance.withheld).toBeNull();
    expect(refusalOf(filled, ask('internal', 'thumbnail', ['employee']), luxury, T0)).toBeNull();
  });

  it('a model release tells the owner 30 days before and stops distribution on its day, once (P5)', () => {
    const s = storedAs(luxury, { ...COMPLETE, modelReleaseExpiry: '2026-06-01' });
    const kinds = timersOf(s, luxury, T0).map((t) => [t.kind, t.at]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['rights-notice', '2026-05-02T00:00:00.000Z'],
        ['rights-expiry', '2026-06-01T00:00:00.000Z'],
      ]),
    );
    expect(s.asset.tags).not.toContain('model-release-expiring');
    const warned = at(luxury, s, '2026-05-02T00:00:00.000Z');
    expect(notices(warned)).toEqual([
      expect.objectContaining({ kind: 'asset.rights-expiring', to: { owners: true } }),
    ]);
    // Compliance tags are recomputed when the date comes (the tag's condition is on now).
    expect(warned.asset.tags).toContain('model-release-expiring');
    expect(
      refusalOf(
        warned,
        ask('partners', 'medium', [], { external: true }),
        luxury,
        '2026-05-02T00:00:00.000Z',
      ),
    ).toBeNull();
    const ended = at(luxury, { ...warned, outbox: [] }, '2026-06-01T00:00:00.000Z');
    expect(notices(ended)).toEqual([expect.objectContaining({ kind: 'asset.rights-expired' })]);
    expect(ended.compliance.withheld).toMatchObject({ code: 'RIGHTS_EXPIRED' });
    expect(
      refusalOf(ended, ask('partners', 'medium', [], { external: true }), luxury, '2026-06-01T00:00:00.000Z'),
    ).toMatchObject({ code: 'RIGHTS_EXPIRED' });
    // Neither fires again; a new release date arms them again and lifts the stop.
    expect(timersOf(ended, luxury, '2026-06-01T00:00:00.000Z').map((t) => t.kind)).not.toContain(
      'rights-expiry',
    );
    const renewed = play(
      luxury,
      ended,
      [{ type: 'set-metadata', by: 'ann', set: { modelReleaseExpiry: '2028-06-01' } }],
      '2026-06-02T00:00:00.000Z',
    );
    expect(renewed.compliance.withheld).toBeNull();
    expect(nextWake(renewed, luxury, '2026-06-02T00:00:00.000Z')).toBe('2027-03-01T09:00:00.000Z'); // cold tier first
    expect(timersOf(renewed, luxury, '2026-06-02T00:00:00.000Z').map((t) => t.kind)).toContain(
      'rights-expiry',
    );
  });

  it('an asset cleared for one region reaches only audiences serving it; teams count as members (P14)', () => {
    const emea = storedAs(luxury, { ...COMPLETE, usageRegion: 'EMEA' });
    expect(refusalOf(emea, ask('agents', 'proof', ['agent'], { external: true }), luxury, T0)).toMatchObject({
      code: 'REGION_REFUSED',
    });
    expect(
      refusalOf(emea, ask('partners', 'medium', ['partner'], { external: true }), luxury, T0),
    ).toBeNull();
    const global = storedAs(luxury, { ...COMPLETE, usageRegion: 'global' });
    expect(refusalOf(global, ask('agents', 'proof', ['agent'], { external: true }), luxury, T0)).toBeNull();

    const withTeam: RuleSetPlan = JSON.parse(JSON.stringify(luxury));
    withTeam.distribute.audiences.studio = {
      ...withTeam.distribute.audiences.agents!,
      teams: ['studio'],
      roles: [],
      external: false,
      regions: [],
    };
    const s = storedAs(withTeam, COMPLETE);
    expect(refusalOf(s, ask('studio', 'proof', [], { teams: ['studio'] }), withTeam, T0)).toBeNull();
    expect(refusalOf(s, ask('studio', 'proof', [], { teams: ['other'] }), withTeam, T0)).toMatchObject({
      code: 'AUDIENCE_REFUSED',
    });
  });

  it('a rendition approved per person cannot go into a share link', () => {
    const s = storedAs(luxury, COMPLETE);
    expect(
      refusalOf(s, ask('internal', 'original', ['employee'], { via: 'link' }), luxury, T0),
    ).toMatchObject({
      code: 'GRANT_NOT_SHAREABLE',
    });
    expect(refusalOf(s, ask('internal', 'original', ['employee']), luxury, T0)).toBeNull();
  });

  it('delisting by metadata tags and archives; listing again undoes it and moves the retention anchor (P5)', () => {
    const s = storedAs(ecommerce, { sku: 'AB-1234', brand: 'acme', listed: true });
    const delisted = play(
      ecommerce,
      s,
      [{ type: 'set-metadata', by: 'ann', set: { listed: false } }],
      '2026-04-01T00:00:00.000Z',
    );
    expect(delisted.state).toBe('archived');
    expect(delisted.asset.tags).toContain('delisted');
    expect(delisted.anchors.delisting).toBe('2026-04-01T00:00:00.000Z');
    expect(
      timersOf(delisted, ecommerce, '2026-04-01T00:00:00.000Z').find((t) => t.kind === 'retention')?.at,
    ).toBe('2029-04-01T00:00:00.000Z');
    const relisted = play(
      ecommerce,
      delisted,
      [{ type: 'set-metadata', by: 'ann', set: { listed: true } }],
      '2026-05-01T00:00:00.000Z',
    );
    expect(relisted.state).toBe('stored');
    expect(relisted.asset.tags).not.toContain('delisted');
    expect(relisted.anchors.delisting).toBeUndefined();
    expect(timersOf(relisted, ecommerce, '2026-05-01T00:00:00.000Z').map((t) => t.kind)).not.toContain(
      'retention',
    );
    // The API event and its undo do the same.
    const byApi = play(ecommerce, relisted, [{ type: 'mark-event', event: 'delisting', by: 'ann' }]);
    expect(byApi.state).toBe('archived');
    expect(
      refusalOf(relisted, { type: 'mark-event', event: 'delisting', undo: true, by: 'ann' }, ecommerce, T0),
    ).toMatchObject({
      code: 'NOT_RECORDED',
    });
    expect(
      play(ecommerce, byApi, [{ type: 'mark-event', event: 'delisting', undo: true, by: 'ann' }]).state,
    ).toBe('stored');
  });

  it('an asset two business events archived comes back only when both are undone; a taken-down one is not archived', () => {
    const meta = { modelCode: 'X1A', partNumber: '12345-AB12', modelYear: 2026 };
    const s = storedAs(automotive, meta, ENGINE_REVISION, 'X1A_12345-AB12_MY2026_V1.jpg');
    const both = play(automotive, s, [
      { type: 'mark-event', event: 'delisting', by: 'ann' },
      { type: 'mark-event', event: 'end-of-production', by: 'ann' },
    ]);
    expect(both.archivedByEvents).toEqual(['delisting', 'end-of-production']);
    const one = play(automotive, both, [{ type: 'mark-event', event: 'delisting', undo: true, by: 'ann' }]);
    expect(one.state).toBe('archived');
    const none = play(automotive, one, [
      { type: 'mark-event', event: 'end-of-production', undo: true, by: 'ann' },
    ]);
    expect(none.state).toBe('stored');

    const expired = { ...storedAs(luxury, COMPLETE), state: 'expired' as const };
    const delisted = play(luxury, expired, [{ type: 'mark-event', event: 'delisting', by: 'ann' }]);
    expect(delisted.state).toBe('expired');
    expect(
      play(luxury, delisted, [{ type: 'mark-event', event: 'delisting', undo: true, by: 'ann' }]).state,
    ).toBe('expired');
    // Archived by hand: a business event and its undo leave it archived.
    const byHand = play(luxury, storedAs(luxury, COMPLETE), [
      { type: 'archive', by: 'ann' },
      { type: 'mark-event', event: 'delisting', by: 'ann' },
      { type: 'mark-event', event: 'delisting', undo: true, by: 'ann' },
    ]);
    expect(byHand.state).toBe('archived');
  });

  it('end of production (stage) archives an automotive drawing; a rule freeze tells the owners', () => {
    const meta = { modelCode: 'X1A', partNumber: '12345-AB12', modelYear: 2026 };
    const s = storedAs(automotive, meta, ENGINE_REVISION, 'X1A_12345-AB12_MY2026_V1.jpg');
    const inProduction = play(automotive, s, [
      { type: 'set-metadata', by: 'ann', set: { stage: 'production' } },
    ]);
    expect(inProduction.frozen).toMatchObject({ by: 'rule' });
    expect(notices(inProduction)).toEqual([
      expect.objectContaining({ kind: 'asset.frozen', to: { owners: true } }),
    ]);
    const unfrozen = play(automotive, inProduction, [
      { type: 'unfreeze', by: 'q', roles: ['quality'] },
      { type: 'set-metadata', by: 'ann', set: { stage: 'end-of-production' } },
    ]);
    expect(unfrozen.state).toBe('archived');
    expect(unfrozen.anchors['end-of-production']).toBe(T0);
  });

  it("a flow's notify action reaches the roles it names (P7)", () => {
    const finished = reviewDecided(ecommerce, storedAs(ecommerce, { category: 'toys' }), 'reject');
    expect(notices(finished)).toEqual([
      {
        kind: 'flow.notify',
        to: { users: [], roles: ['merchandiser'], teams: [] },
        message: 'compliance-review: Compliance rejected',
      },
    ]);
  });

  it('tags a flow adds are what conditions see next: compliance is recomputed after the flow ends', () => {
    const plan: RuleSetPlan = JSON.parse(JSON.stringify(ecommerce));
    plan.create.complianceTags.push({ when: "'compliance-approved' in asset.tags", tags: ['ready-to-list'] });
    const approved = reviewDecided(plan, storedAs(plan, { category: 'toys' }), 'approve');
    expect(approved.asset.tags).toEqual(expect.arrayContaining(['compliance-approved', 'ready-to-list']));
  });

  it('a state recorded before (revision 1) keeps what it had: a business event re-checks no rule', () => {
    const meta = { modelCode: 'X1A', partNumber: '12345-AB12', modelYear: 2026, stage: 'production' };
    const frozen = storedAs(automotive, meta, 1, 'X1A_12345-AB12_MY2026_V1.jpg');
    expect(frozen.frozen).toMatchObject({ by: 'rule' });
    const unfrozen = play(automotive, frozen, [{ type: 'unfreeze', by: 'q', roles: ['quality'] }]);
    const ended = play(automotive, unfrozen, [{ type: 'mark-event', event: 'end-of-production', by: 'ann' }]);
    expect(ended.frozen).toBeNull();
    expect(ended.outbox.map((e) => e.type)).not.toContain('notify');
  });

  it('raising a state to revision 2 judges it at once: an incomplete asset is withheld', () => {
    const old = storedAs(luxury, { campaign: 'SS26' }, 1);
    expect(old.compliance.withheld).toBeUndefined();
    const raised = raiseRevision(old, luxury, T0);
    expect(raised.revision).toBe(ENGINE_REVISION);
    expect(raised.compliance.withheld).toMatchObject({ code: 'ASSET_INCOMPLETE' });
    expect(raised.outbox.at(-1)?.type).toBe('save-status');
  });

  it('a state recorded before (revision 1) answers as it did: no stop, no archive, no notice', () => {
    const s = storedAs(luxury, { campaign: 'SS26' }, 1);
    expect(s.compliance.withheld).toBeUndefined();
    expect(refusalOf(s, ask('internal', 'thumbnail', ['employee']), luxury, T0)).toBeNull();
    const e = storedAs(ecommerce, { sku: 'AB-1234', brand: 'acme', listed: true }, 1);
    const delisted = play(ecommerce, e, [{ type: 'mark-event', event: 'delisting', by: 'ann' }]);
    expect(delisted.state).toBe('stored');
    expect(delisted.asset.tags).not.toContain('delisted');
    const withRelease = storedAs(luxury, { ...COMPLETE, modelReleaseExpiry: '2026-06-01' }, 1);
    expect(timersOf(withRelease, luxury, T0).map((t) => t.kind)).not.toContain('rights-expiry');
  });
});

describe('AI fills the form where it can', () => {
  const found = (...tags: [string, number][]) => ({
    ...image,
    tags: tags.map(([name, confidence]) => ({ name, source: 'ai', confidence })),
  });
  const upload = (metadata: Record<string, unknown>, findings: ReturnType<typeof found>) =>
    storedAs(ecommerce, metadata, ENGINE_REVISION, 'x.jpg', findings);

  it('a detected laptop makes an empty category electronics, which brings its compliance tags and review', () => {
    const s = upload(
      { sku: 'AB-1234', brand: 'acme' },
      found(['cup', 0.5], ['laptop', 0.81], ['toaster', 0.3]),
    );
    expect(s.metadata.category).toBe('electronics');
    expect(s.fieldSources).toEqual({
      category: { source: 'ai', confidence: 0.81, tag: 'laptop', at: T0 },
    });
    expect(s.compliance.complianceTags).toEqual(['needs-CE', 'needs-FCC']);
    expect(s.approvals).toEqual([expect.objectContaining({ flow: 'compliance-review', requestedBy: 'ann' })]);
    // A person confirms it (same value) or corrects it: the source becomes theirs.
    const corrected = play(ecommerce, s, [{ type: 'set-metadata', by: 'bo', set: { category: 'toys' } }]);
    expect(corrected.fieldSources?.category).toEqual({ source: 'user', by: 'bo', at: T0 });
    expect(corrected.compliance.complianceTags).toEqual(['needs-EN71', 'needs-CPSIA']);
  });

  it('never overwrites a given value, and ignores tags below the confidence floor', () => {
    expect(upload({ category: 'home' }, found(['laptop', 0.9])).metadata.category).toBe('home');
    const weak = upload({}, found(['laptop', 0.39]));
    expect(weak.metadata.category).toBeUndefined();
    expect(weak.fieldSources).toBeUndefined();
  });
});
