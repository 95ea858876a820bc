/**
 * The lifecycle engine and what runs it without Temporal: pure TypeScript with no Node APIs. The
 * asset workflow interprets it; the dry-run and the migration preview simulate it.
 */
export { type DryRunEvent, type DryRunResult, type DryRunSample, dryRun } from './dry-run';
export { dryRunRequestProblems, dryRunRequestSchema } from './dry-run.schema';
export { applyEvent, type LifecycleView, nextWake, timersOf, viewOf } from './engine';
export { type MigrationChange, previewMigration } from './migration-preview';
export type { DownloadDecision, Effect, EngineState, LifecycleEvent, Refusal } from './model';
export { newAssetState, resumeState } from './state';
export { decideRetention, type LifecycleFacts, type LifecycleTimer, lifecycleTimers } from './timers';
export { refusalOf, TRANSITION_TABLE } from './transition-table';
