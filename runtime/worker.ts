import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../activities';
import type { AppConfig } from '../config/config.schema';

export interface AssetflowWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activityDeps: ActivityDeps;
  /** A pre-built workflow bundle (tests build one per run); otherwise bundled from workflows/. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Activity and workflow interceptors (tracing, or tests that stop a worker at a chosen point). */
  interceptors?: WorkerOptions['interceptors'];
  /** Cache and concurrency (`temporal.worker`); the SDK's defaults when absent (tests). */
  tuning?: AppConfig['temporal']['worker'];
}

/** The worker: runs asset workflows and their activities on one task queue. */
export function createAssetflowWorker(options: AssetflowWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities(options.activityDeps),
    ...(options.interceptors ? { interceptors: options.interceptors } : {}),
    ...(options.tuning ? tuningOptions(options.tuning) : {}),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
  });
}

/** `temporal.worker` in the SDK's terms. */
function tuningOptions(tuning: AppConfig['temporal']['worker']): Partial<WorkerOptions> {
  return {
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    stickyQueueScheduleToStartTimeout: tuning.stickyQueueTimeoutSeconds * 1000,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTasks,
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivities,
  };
}

export function connectWorker(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}

/**
 * Installs the SDK runtime once per process, before anything uses it: SDK logs at warnings and
 * above, and no signal handlers of its own, because the composition root decides the order in
 * which the API, the worker and the embedded server stop.
 */
export function installTemporalRuntime(): void {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
}

/** For tests, which build many workers in one process: install unless already installed. */
export function installTemporalRuntimeOnce(): void {
  try {
    installTemporalRuntime();
  } catch {
    // Already installed in this process; the first installation's settings stand.
  }
}
