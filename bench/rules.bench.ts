/**
 * Rule-set benchmark: compiling a large rule set, and evaluating a compiled condition, each
 * against a baseline measured in the same run.
 *
 *   npx tsx bench/rules.bench.ts
 *
 * Baselines: for compiling, parsing the same YAML with the `yaml` library (the least any compiler
 * must do); for conditions, a hand-written TypeScript predicate doing the same check.
 */
import { parse } from 'yaml';
import { compileRuleSet, evaluateCondition } from '../rules';

/** A rule set whose one flow has `n` nodes: a chain of condition → approval (with timeout) → action. */
function largeRuleSet(n: number): string {
  const lines = [
    'apiVersion: assetflow/v1',
    'kind: RuleSet',
    'name: large',
    'roles: [reviewer]',
    'fields:',
    '  budget: { type: int }',
    '  stage: { type: enum, values: [draft, production] }',
    'flows:',
    '  big:',
    '    trigger: manual',
    '    nodes:',
    '      start: { type: start, next: n0 }',
  ];
  const count = n - 3;
  for (let i = 0; i < count; i++) {
    const next = i + 1 < count ? `n${i + 1}` : 'done';
    switch (i % 3) {
      case 0:
        lines.push(
          `      n${i}: { type: condition, when: "metadata.budget > ${i * 10} && metadata.stage == 'production'", then: ${next}, else: rejected }`,
        );
        break;
      case 1:
        lines.push(
          `      n${i}: { type: approval, reviewers: { roles: [reviewer] }, timeout: { after: P2D, action: reject }, approved: ${next}, rejected: rejected }`,
        );
        break;
      default:
        lines.push(`      n${i}: { type: action, action: notify, next: ${next} }`);
    }
  }
  lines.push(
    '      done: { type: end, outcome: approved }',
    '      rejected: { type: end, outcome: rejected }',
    '',
  );
  return lines.join('\n');
}

function opsPerSecond(label: string, minMs: number, work: () => void): number {
  for (let i = 0; i < 3; i++) work(); // warm-up
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < minMs) {
    work();
    runs++;
  }
  const ops = (runs * 1000) / (performance.now() - started);
  process.stderr.write(`  ${label}: ${ops.toFixed(1)} ops/s\n`);
  return ops;
}

const source = largeRuleSet(500);
const nodeCount = Object.keys(
  (parse(source) as { flows: { big: { nodes: object } } }).flows.big.nodes,
).length;
const plan = compileRuleSet(source).plan;
if (!plan) throw new Error('the generated rule set does not compile');

process.stderr.write(
  `Compiling a rule set with ${nodeCount} flow nodes (${(source.length / 1024).toFixed(0)} KiB of YAML)…\n`,
);
const yamlOps = opsPerSecond('baseline: yaml.parse', 2000, () => parse(source));
const compileOps = opsPerSecond('compileRuleSet', 3000, () => compileRuleSet(source));

process.stderr.write('Evaluating a condition…\n');
const expression = "metadata.budget > 1000 && metadata.stage == 'production' && 'CE' in asset.tags";
const input = {
  metadata: { budget: 5000, stage: 'production' },
  asset: { tags: ['CE', 'FCC'] },
  now: '2026-01-01T00:00:00.000Z',
};
let sink = 0;
const handWritten = (i: typeof input) =>
  i.metadata.budget > 1000 && i.metadata.stage === 'production' && i.asset.tags.includes('CE') ? 1 : 0;
const baselineOps = opsPerSecond('baseline: hand-written TypeScript predicate', 1000, () => {
  for (let k = 0; k < 1000; k++) sink += handWritten(input);
});
const celOps = opsPerSecond('evaluateCondition (CEL)', 2000, () => {
  for (let k = 0; k < 1000; k++)
    sink += (evaluateCondition(plan.fields, expression, input) as { value: boolean }).value ? 1 : 0;
});
if (sink < 0) console.log(sink);

console.log(`\n| measurement | ops/s | vs baseline |`);
console.log('|---|---|---|');
console.log(`| baseline: \`yaml.parse\` of the ${nodeCount}-node rule set | ${yamlOps.toFixed(1)} | 1.0× |`);
console.log(
  `| \`compileRuleSet\` (parse, schema, semantics, CEL type checks, plan) | ${compileOps.toFixed(1)} | ${(yamlOps / compileOps).toFixed(1)}× slower |`,
);
console.log(`| baseline: hand-written predicate | ${(baselineOps * 1000).toExponential(2)} | 1.0× |`);
console.log(
  `| \`evaluateCondition\` (CEL) | ${(celOps * 1000).toExponential(2)} | ${(baselineOps / celOps).toFixed(0)}× slower |`,
);
