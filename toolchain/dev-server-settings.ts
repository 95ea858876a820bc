/**
 * Settings Assetflow gives every Temporal dev server it starts (`npm start`'s embedded server and
 * the tests' and benches' ephemeral ones).
 *
 * Eager activity execution: when a workflow task schedules an activity on the worker's own task
 * queue, the server hands the activity back in its reply to that task instead of queueing it for
 * a poller. On this project's 2-core machine it took a one-activity workflow, started and awaited
 * one at a time, from 123 to 74 ms (`docs/performance.md`, "Ingest"); the server's default is
 * off. A cluster turns it on with the same dynamic-config key (README, "When one machine is not
 * enough").
 */
export const DEV_SERVER_ARGS: readonly string[] = [
  '--dynamic-config-value',
  'system.enableActivityEagerExecution=true',
];
