/**
 * Settings Assetflow gives every Temporal dev server it starts (`npm start`'s embedded server and
 * the tests' and benches' ephemeral ones).
 *
 * Eager activity execution: when a workflow task schedules an activity on the worker's own task
 * queue, the server hands the activity back in its reply to that task instead of queueing it for
 * a poller. On this project's 2-core machine it took a one-activity workflow from 149 to 99 ms
 * started-to-finished (`docs/performance.md`, "Ingest"); the server's default is off. A cluster
 * turns it on with the same dynamic-config key (README, "Running on a Temporal cluster").
 */
export const DEV_SERVER_ARGS: readonly string[] = [
  '--dynamic-config-value',
  'system.enableActivityEagerExecution=true',
];
