/**
 * The rule-set language: pure TypeScript with no Node APIs, used by workflows (plans, flow
 * machine, conditions), the server (compile, dry-run), the CLI and the browser editor.
 */
export { type CompileResult, compileRuleSet } from './compile';
export { type ConditionInput, checkCondition, evaluateCondition } from './conditions';
export type { RuleSetDocument } from './document';
export { type DryRunEvent, type DryRunResult, type DryRunSample, dryRun } from './dry-run';
export { addDuration, parseDuration } from './duration';
export { decide, type FlowState, startFlow, timeout } from './flow-machine';
export {
  decideRetention,
  type LifecycleFacts,
  type LifecycleTimer,
  lifecycleTimers,
} from './lifecycle-timers';
export { type MigrationChange, previewMigration } from './migration-preview';
export { checkName } from './naming';
export { canonicalJson, type RuleSetPlan } from './plan';
export { formatProblem, type RuleProblem } from './problems';
export { ruleSetSchema } from './rule-set.schema';
