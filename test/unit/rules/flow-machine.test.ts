import { compileRuleSet, decide, type RuleSetPlan, startFlow, timeout } from '../../../rules';
import { type Decision, dutiesOf, type FlowContext } from '../../../rules/flow-machine';

function planWith(nodes: string, flowSettings = ''): RuleSetPlan {
  const source = `apiVersion: assetflow/v1
kind: RuleSet
name: flows
roles: [legal, brand]
fields:
  budget: { type: int }
flows:
  f:
    trigger: manual
${flowSettings}    nodes:
${nodes}`;
  const { plan, problems } = compileRuleSet(source);
  if (!plan) throw new Error(JSON.stringify(problems, null, 2));
  return plan;
}

const context = (metadata: Record<string, unknown> = {}): FlowContext => ({
  fields: { budget: { type: 'int' } },
  input: { metadata },
});
const T0 = '2026-01-01T00:00:00.000Z';
const by = (
  reviewer: string,
  roles: string[],
  decision: 'approve' | 'reject' = 'approve',
  node = 'r',
): Decision => ({ node, reviewer, roles, decision, at: T0 });

describe('flow machine', () => {
  it('anyone holding a listed role may decide; others may not; a decision counts once', () => {
    const plan = planWith(`      s: { type: start, next: r }
      r: { type: approval, reviewers: { roles: [legal], users: [ceo] }, quorum: 2, approved: ok, rejected: no }
      ok: { type: end, outcome: approved }
      no: { type: end, outcome: rejected }
`);
    let state = startFlow(plan, 'f', T0, context());
    expect(state.waiting.r).toMatchObject({ roles: ['legal'], users: ['ceo'], quorum: 2 });
    expect(decide(plan, state, by('bob', ['brand']), context()).error).toBe('NOT_ELIGIBLE');
    state = decide(plan, state, by('lena', ['legal']), context()).state;
    expect(decide(plan, state, by('lena', ['legal']), context()).error).toBe('ALREADY_DECIDED');
    expect(state.status).toBe('running');
    state = decide(plan, state, by('ceo', []), context()).state;
    expect(state.status).toBe('approved');
    expect(decide(plan, state, by('lou', ['legal']), context()).error).toBe('FLOW_FINISHED');
  });

  it('quorum all needs every listed user and someone from every listed role', () => {
    const plan = planWith(`      s: { type: start, next: r }
      r: { type: approval, reviewers: { roles: [legal, brand], users: [cfo] }, quorum: all, approved: ok, rejected: no }
      ok: { type: end, outcome: approved }
      no: { type: end, outcome: rejected }
`);
    let state = startFlow(plan, 'f', T0, context());
    state = decide(plan, state, by('lena', ['legal']), context()).state;
    state = decide(plan, state, by('lou', ['legal']), context()).state;
    expect(state.status).toBe('running');
    state = decide(plan, state, by('bea', ['brand']), context()).state;
    expect(state.status).toBe('running');
    state = decide(plan, state, by('cfo', []), context()).state;
    expect(state.status).toBe('approved');
  });

  it('any rejection rejects the step', () => {
    const plan = planWith(`      s: { type: start, next: r }
      r: { type: approval, reviewers: { roles: [legal] }, quorum: 2, approved: ok, rejected: no }
      ok: { type: end, outcome: approved }
      no: { type: end, outcome: rejected }
`);
    let state = startFlow(plan, 'f', T0, context());
    state = decide(plan, state, by('lena', ['legal']), context()).state;
    state = decide(plan, state, by('lou', ['legal'], 'reject'), context()).state;
    expect(state.status).toBe('rejected');
  });

  it('a parallel split waits for every branch at its join; a rejection in one branch ends the flow and cancels the other', () => {
    const plan = planWith(`      s: { type: start, next: p }
      p: { type: parallel, branches: [a, b], join: j }
      a: { type: approval, reviewers: { roles: [legal] }, timeout: { after: P1D, action: reject }, approved: j, rejected: no }
      b: { type: approval, reviewers: { roles: [brand] }, approved: j, rejected: no }
      j: { type: join, next: tag }
      tag: { type: action, action: tag, params: { tags: [cleared] }, next: ok }
      ok: { type: end, outcome: approved }
      no: { type: end, outcome: rejected }
`);
    let state = startFlow(plan, 'f', T0, context());
    expect(Object.keys(state.waiting).sort()).toEqual(['a', 'b']);
    state = decide(plan, state, by('bea', ['brand'], 'approve', 'b'), context()).state;
    expect(state.status).toBe('running');
    state = decide(plan, state, by('lena', ['legal'], 'approve', 'a'), context()).state;
    expect(state.status).toBe('approved');
    expect(state.effects.filter((e) => e.type === 'action')).toMatchObject([
      { action: 'tag', params: { tags: ['cleared'] } },
    ]);

    let rejected = startFlow(plan, 'f', T0, context());
    rejected = timeout(plan, rejected, { node: 'a', at: '2026-01-02T00:00:00.000Z' }, context());
    expect(rejected.status).toBe('rejected');
    expect(rejected.waiting).toEqual({});
  });

  it('a condition that cannot be evaluated counts as false and says why', () => {
    const plan = planWith(`      s: { type: start, next: c }
      c: { type: condition, when: "metadata.budget > 10000", then: r, else: ok }
      r: { type: approval, reviewers: { users: [cfo] }, approved: ok, rejected: ok }
      ok: { type: end, outcome: approved }
`);
    expect(startFlow(plan, 'f', T0, context({ budget: 50000 })).waiting.r).toBeDefined();
    const missing = startFlow(plan, 'f', T0, context({}));
    expect(missing.status).toBe('approved');
    expect(missing.path.find((p) => p.node === 'c')?.note).toMatch(/error .*taken as false/);
  });

  describe('separation of duties', () => {
    const twoSteps = `      s: { type: start, next: a }
      a: { type: approval, reviewers: { roles: [legal] }, approved: b, rejected: no }
      b: { type: approval, reviewers: { roles: [brand] }, approved: ok, rejected: no }
      ok: { type: end, outcome: approved }
      no: { type: end, outcome: rejected }
`;
    const withDuties = (plan: RuleSetPlan, requester: string): FlowContext => ({
      ...context(),
      duties: dutiesOf(plan, 'f', requester),
    });

    it('the requester may not approve; they may reject (withdraw)', () => {
      const plan = planWith(twoSteps);
      const ctx = withDuties(plan, 'ann');
      const state = startFlow(plan, 'f', T0, ctx);
      expect(decide(plan, state, by('ann', ['legal'], 'approve', 'a'), ctx).error).toBe('OWN_REQUEST');
      const withdrawn = decide(plan, state, by('ann', ['legal'], 'reject', 'a'), ctx);
      expect(withdrawn.error).toBeUndefined();
      expect(withdrawn.state.status).toBe('rejected');
    });

    it('one person may not approve two steps, even holding both roles', () => {
      const plan = planWith(twoSteps);
      const ctx = withDuties(plan, 'ann');
      let state = startFlow(plan, 'f', T0, ctx);
      state = decide(
        plan,
        state,
        { ...by('duo', ['legal', 'brand'], 'approve', 'a'), reason: 'ok' },
        ctx,
      ).state;
      expect(state.decisions).toEqual([
        { node: 'a', reviewer: 'duo', decision: 'approve', reason: 'ok', at: T0 },
      ]);
      expect(decide(plan, state, by('duo', ['legal', 'brand'], 'approve', 'b'), ctx).error).toBe(
        'APPROVED_ANOTHER_STEP',
      );
      state = decide(plan, state, by('bea', ['brand'], 'approve', 'b'), ctx).state;
      expect(state.status).toBe('approved');
    });

    it('a flow that allows it lets the requester approve and one person approve both steps', () => {
      const plan = planWith(
        twoSteps,
        '    separationOfDuties: { requesterMayApprove: true, reviewerMayApproveTwice: true }\n',
      );
      const ctx = withDuties(plan, 'ann');
      let state = startFlow(plan, 'f', T0, ctx);
      state = decide(plan, state, by('ann', ['legal', 'brand'], 'approve', 'a'), ctx).state;
      state = decide(plan, state, by('ann', ['legal', 'brand'], 'approve', 'b'), ctx).state;
      expect(state.status).toBe('approved');
    });

    it('flows started before duties were enforced (no duties in the context) decide as recorded', () => {
      const plan = planWith(twoSteps);
      let state = startFlow(plan, 'f', T0, context());
      state = decide(plan, state, by('ann', ['legal', 'brand'], 'approve', 'a'), context()).state;
      state = decide(plan, state, by('ann', ['legal', 'brand'], 'approve', 'b'), context()).state;
      expect(state.status).toBe('approved');
    });
  });
});
