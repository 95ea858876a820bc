import { checkCondition, evaluateCondition } from '../../../rules/conditions';
import { metadataProblems, metadataSizeProblems } from '../../../rules/metadata';
import { checkName, parseNamingTemplate } from '../../../rules/naming';
import type { FieldPlan } from '../../../rules/plan';
import { parseRuleSource, RULE_SET_LIMITS } from '../../../rules/source-map';

/**
 * User input never meets a backtracking regex or a super-linear parser (security review H1, H3,
 * M9). Each case is the review's exploit at a size that took seconds to minutes before; a linear
 * implementation answers in milliseconds, so the bound of 1 s has a margin of hundreds.
 */
const timed = <T>(work: () => T): { value: T; ms: number } => {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
};

describe('budgets on what users send', () => {
  it('H1: a naming check on a 16 000-character name is linear (7 minutes with the lazy-group regex)', () => {
    const { tokens } = parseNamingTemplate('{brand}_{sku}_{purpose}_V{version}_{date:YYYYMMDD}.{ext}');
    const context = { metadata: {}, version: 1, date: '2026-01-01T00:00:00Z', ext: 'jpg' };
    const { value, ms } = timed(() => checkName(tokens, `${'_'.repeat(16_000)}.jpg!`, context));
    expect(value).toMatchObject({ ok: false });
    expect(ms).toBeLessThan(1_000);
    // Same answers as before on real names, groups included (values checked against metadata).
    const known = { ...context, metadata: { brand: 'Acme', sku: 'AB-1234', purpose: 'main' }, version: 2 };
    expect(checkName(tokens, 'Acme_AB-1234_main_V2_20260101.jpg', known)).toEqual({ ok: true });
    expect(checkName(tokens, 'Acme_AB-1234_main_V3_20260101.jpg', known)).toMatchObject({ ok: false });
  });

  it('H3: a rule set over 64 Ki characters or 10 000 nodes is refused before it is composed', () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}: v`).join('\n');
    const huge = timed(() => parseRuleSource(keys(60_000)));
    expect(huge.value.problems.map((p) => p.code)).toEqual(['TOO_LARGE']);
    expect(huge.ms).toBeLessThan(1_000);
    const many = timed(() => parseRuleSource(`${keys(6_000)}\nk1: again`));
    expect(many.value.problems.map((p) => p.code).sort()).toEqual(['TOO_LARGE', 'YAML_SYNTAX']);
    expect(many.ms).toBeLessThan(1_000);
    expect(RULE_SET_LIMITS.characters).toBe(64 * 1024);
  });

  it('H3: duplicate keys are still found (one set per mapping), at their line', () => {
    const parsed = parseRuleSource('a: 1\nb:\n  c: 1\n  c: 2\n');
    expect(parsed.problems).toEqual([
      expect.objectContaining({ code: 'YAML_SYNTAX', message: 'Map keys must be unique', line: 4 }),
    ]);
    expect(parsed.value).toBeUndefined();
  });

  it('M9: conditions may not use matches() nor nest more than two comprehensions', () => {
    const fields = { title: { type: 'string' as const } };
    expect(checkCondition(fields, "metadata.title.matches('^(a|a)*$')")).toMatchObject({
      ok: false,
      message: expect.stringContaining('matches() is not available'),
    });
    expect(checkCondition(fields, '[1, 2].all(a, [1].all(b, [2].all(c, a + b + c > 0)))')).toMatchObject({
      ok: false,
      message: expect.stringContaining('at most 2'),
    });
    expect(checkCondition(fields, '[1, 2].all(a, [1].exists(b, a > b))')).toEqual({ ok: true });
    // A plan published before the limit does not run it: the condition is an error (not met).
    const { value, ms } = timed(() =>
      evaluateCondition(fields, "metadata.title.matches('^(a|a)*$')", {
        metadata: { title: `${'a'.repeat(40)}b` },
        now: '2026-01-01T00:00:00Z',
      }),
    );
    expect(value).toMatchObject({ ok: false, error: expect.stringContaining('matches() is not available') });
    expect(ms).toBeLessThan(1_000);
  });

  it('M9: field patterns are RE2 (linear): a crafted value against (a|a)* answers at once', () => {
    const title: FieldPlan = { type: 'string', pattern: '^(a|a)*$' } as FieldPlan;
    const { value, ms } = timed(() => metadataProblems({ title }, { title: `${'a'.repeat(4_000)}b` }));
    expect(value).toEqual({ title: 'must match ^(a|a)*$' });
    expect(ms).toBeLessThan(1_000);
    // `constructor` is not a declared field, whatever the prototype says.
    expect(metadataProblems({ title }, JSON.parse('{"constructor": 1}'))).toEqual({});
  });

  it('L5: metadata values are bounded in count, length and total size', () => {
    expect(metadataSizeProblems({ a: 'x'.repeat(4_097) })).toEqual({ a: expect.stringContaining('4096') });
    expect(metadataSizeProblems({ l: Array(101).fill('x') })).toEqual({
      l: expect.stringContaining('100 items'),
    });
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 1]));
    expect(metadataSizeProblems(many)).toEqual({ '*': expect.stringContaining('101 fields') });
    expect(metadataSizeProblems({ a: 'fine', b: ['x'], c: 3 })).toEqual({});
  });
});
