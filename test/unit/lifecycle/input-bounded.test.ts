import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyEvent, raiseRevision } from '../../../lifecycle/engine';
import type { EngineState, LifecycleEvent } from '../../../lifecycle/model';
import { newAssetState } from '../../../lifecycle/state';
import { refusalOf } from '../../../lifecycle/transition-table';
import { compileRuleSet, type RuleSetPlan } from '../../../rules';

/**
 * Engine revision 3 (security review M5, L5): a download grant answers only its own audience and
 * only until it expires; a metadata change names declared fields only and stays within the size
 * limits. A state of revision 2 — a run recorded before — answers as it did.
 */
const plan: RuleSetPlan = compileRuleSet(
  readFileSync(path.join(__dirname, '..', '..', '..', 'rules', 'examples', 'luxury.yaml'), 'utf8'),
).plan!;
const T0 = '2026-03-01T09:00:00.000Z';
const DAY_3 = '2026-03-04T09:00:00.000Z';

const COMPLETE = { campaign: 'SS26', photographer: 'Li Wei', scenario: 'store', usageRegion: 'CN-mainland' };

function stored(revision: number, grantAudience = 'internal'): EngineState {
  const s = newAssetState(
    { assetId: 'a1', ruleSet: 'luxury', version: 1, name: 'p.jpg', metadata: COMPLETE, uploadedBy: 'ann' },
    T0,
    revision,
  );
  const outcome = applyEvent(
    s,
    { type: 'ingested', version: 1, findings: { kind: 'image' } } as never,
    plan,
    T0,
  );
  if (!outcome.ok) throw new Error(outcome.refusal.code);
  // A grant of the original to Bo, approved for an audience, for two days.
  return {
    ...outcome.state,
    grants: [
      {
        approvalId: 'ap1',
        user: 'bo',
        rendition: 'original',
        expiresAt: '2026-03-03T09:00:00.000Z',
        audience: grantAudience,
      },
    ],
  };
}
const ask = (audience: string): LifecycleEvent => ({
  type: 'request-download',
  by: 'bo',
  roles: ['employee', 'partner'],
  audience,
  rendition: 'original',
});
const replyOf = (s: EngineState, event: LifecycleEvent, at: string) => {
  const outcome = applyEvent(s, event, plan, at);
  return outcome.ok ? (outcome.reply as { decision?: unknown }).decision : outcome.refusal.code;
};

describe('engine revision 3: grants and metadata bounded', () => {
  it('a grant counts before it expires, not after (even before its timer has fired)', () => {
    const s = stored(3);
    expect(replyOf(s, ask('internal'), T0)).toMatchObject({ status: 'granted' });
    expect(replyOf(s, ask('internal'), DAY_3)).toMatchObject({ status: 'pending' });
    // Revision 2 took the grant until its timer removed it.
    expect(replyOf(stored(2), ask('internal'), DAY_3)).toMatchObject({ status: 'granted' });
  });

  it('a grant approved for one audience does not answer a request for another', () => {
    // Approved for the press; asked for as an employee: the internal flow has to run.
    expect(replyOf(stored(3, 'press'), ask('internal'), T0)).toMatchObject({ status: 'pending' });
    expect(replyOf(stored(3, 'internal'), ask('internal'), T0)).toMatchObject({ status: 'granted' });
    // Revision 2 did not look at the audience.
    expect(replyOf(stored(2, 'press'), ask('internal'), T0)).toMatchObject({ status: 'granted' });
  });

  it('a metadata change naming `constructor` or over the size limits is refused', () => {
    const s = stored(3);
    const set = (values: Record<string, unknown>): LifecycleEvent => ({
      type: 'set-metadata',
      by: 'ann',
      set: values,
    });
    expect(refusalOf(s, set(JSON.parse('{"constructor": "x"}')), plan, T0)?.code).toBe('UNKNOWN_FIELD');
    expect(refusalOf(s, set({ campaign: 'x'.repeat(5_000) }), plan, T0)?.code).toBe('METADATA_INVALID');
    expect(refusalOf(s, set({ campaign: 'SS26' }), plan, T0)).toBeNull();
    // Revision 2 let `constructor` through (found on the prototype): a replayed run still does.
    expect(refusalOf(stored(2), set(JSON.parse('{"constructor": "x"}')), plan, T0)).toBeNull();
  });

  it('raising a revision-2 state to 3 changes nothing else', () => {
    const before = stored(2);
    const after = raiseRevision(before, plan, T0, 3);
    expect({ ...after, revision: 2 }).toEqual(before);
  });
});
