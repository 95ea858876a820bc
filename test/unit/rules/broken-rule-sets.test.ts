import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileRuleSet } from '../../../rules';

/**
 * A catalogue of broken rule sets (test/fixtures/broken-rule-sets). Each file says on its first
 * line which problem it must produce and where: `# expect: CODE at LINE:COLUMN`.
 */
const dir = path.join(__dirname, '..', '..', 'fixtures', 'broken-rule-sets');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((file) => {
    const source = readFileSync(path.join(dir, file), 'utf8');
    const expect = /^# expect: ([A-Z_]+) at (\d+):(\d+)/.exec(source);
    if (!expect) throw new Error(`${file} has no "# expect: CODE at LINE:COL" header`);
    return { file, source, code: expect[1]!, line: Number(expect[2]), column: Number(expect[3]) };
  });

describe('broken rule sets', () => {
  it('has at least 25 of them', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
  });

  it.each(fixtures.map((f) => [f.file, f]))(
    '%s is refused with the right problem, line and column',
    (_name, fixture) => {
      const result = compileRuleSet(fixture.source, fixture.file);
      expect(result.plan).toBeUndefined();
      const problem = result.problems.find((p) => p.code === fixture.code);
      expect(problem).toBeDefined();
      expect({ line: problem?.line, column: problem?.column }).toEqual({
        line: fixture.line,
        column: fixture.column,
      });
      expect(problem?.file).toBe(fixture.file);
      expect(problem?.message.length).toBeGreaterThan(10);
    },
  );

  it('reports every problem at once, in document order', () => {
    const source = [
      'apiVersion: assetflow/v1',
      'kind: RuleSet',
      'name: many-mistakes',
      'roles: [reviewer]',
      'fields:',
      '  year: { type: int }',
      'use:',
      '  freeze:',
      '    - when: "metadata.year == \'x\'"',
      '      reason: one',
      'archive:',
      '  legalHold: { roles: [lawyer] }',
      'flows:',
      '  f:',
      '    trigger: manual',
      '    nodes:',
      '      s: { type: start, next: gone }',
      '      e: { type: end, outcome: approved }',
      '',
    ].join('\n');
    const { plan, problems } = compileRuleSet(source);
    expect(plan).toBeUndefined();
    expect(problems.map((p) => [p.code, p.line])).toEqual([
      ['CONDITION_TYPE', 9],
      ['UNKNOWN_ROLE', 12],
      ['UNKNOWN_NODE', 17],
      ['UNREACHABLE_NODE', 18],
    ]);
  });
});
