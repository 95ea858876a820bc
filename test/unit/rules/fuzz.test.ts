import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { compileRuleSet } from '../../../rules';

/**
 * Whatever arrives — random text, random JSON shapes, or a real rule set with parts mutated —
 * compileRuleSet returns a plan or structured problems. It never throws and never hangs.
 */
const luxury = readFileSync(
  path.join(__dirname, '..', '..', '..', 'rules', 'examples', 'luxury.yaml'),
  'utf8',
);

function assertWellFormed(source: string) {
  const result = compileRuleSet(source);
  expect(Array.isArray(result.problems)).toBe(true);
  if (!result.plan) expect(result.problems.some((p) => p.severity === 'error')).toBe(true);
  for (const p of result.problems) {
    expect(typeof p.code).toBe('string');
    expect(typeof p.message).toBe('string');
  }
}

describe('compileRuleSet under random input', () => {
  it('handles arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), assertWellFormed), { numRuns: 300 });
  });

  it('handles arbitrary YAML documents', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => assertWellFormed(stringify(value))),
      { numRuns: 300 },
    );
  });

  it('handles a real rule set with random lines deleted, duplicated or altered', () => {
    const lines = luxury.split('\n');
    const mutation = fc.record({
      index: fc.nat({ max: lines.length - 1 }),
      kind: fc.constantFrom('delete', 'duplicate', 'truncate', 'replace'),
      text: fc.string({ maxLength: 30 }),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const mutated = [...lines];
        for (const m of mutations) {
          const i = Math.min(m.index, mutated.length - 1);
          const line = mutated[i] ?? '';
          if (m.kind === 'delete') mutated.splice(i, 1);
          if (m.kind === 'duplicate') mutated.splice(i, 0, line);
          if (m.kind === 'truncate') mutated[i] = line.slice(0, Math.floor(line.length / 2));
          if (m.kind === 'replace') mutated[i] = line.replace(/:\s*\S.*$/, `: ${m.text}`);
        }
        assertWellFormed(mutated.join('\n'));
      }),
      { numRuns: 300 },
    );
  });
});
