/**
 * The rule-set language: pure TypeScript with no Node APIs, used by workflows (plans, flow
 * machine, conditions), the server (compile, dry-run), the CLI and the browser editor.
 */
export { type CompileResult, compileRuleSet } from './compile';
export { type ConditionInput, checkCondition, evaluateCondition } from './conditions';
export type { RuleSetDocument } from './document';
export { addDuration, parseDuration } from './duration';
export { decide, type FlowState, startFlow, timeout } from './flow-machine';
export { checkName } from './naming';
export { canonicalJson, type RuleSetPlan } from './plan';
export { formatProblem, type RuleProblem } from './problems';
export { ruleSetSchema } from './rule-set.schema';
