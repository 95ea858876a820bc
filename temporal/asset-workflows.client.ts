import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { AssetLifecycleView } from '../domain/asset';
import type { BulkEditInput, BulkProgress } from '../domain/bulk-change';
import { AssetflowError, ErrorCodes, isAssetflowError, isErrorCode, statusOfRefusal } from '../domain/errors';
import type { AssetLifecycleInput } from '../lifecycle/model';
import {
  type ApprovalView,
  bulkProgressQuery,
  decideUpdate,
  getApprovalQuery,
  getLifecycleQuery,
  getTimelineQuery,
  type LifecycleView,
  type ReviewerDecision,
} from '../workflows/messages';

/** How long an API request waits for Temporal before answering 503. */
const CALL_DEADLINE_MS = 5000;

export function assetWorkflowId(assetId: string): string {
  return `asset-${assetId}`;
}

/**
 * The server's door to asset workflows. Connects lazily, so the API starts (and reports the
 * outage on /api/health) while Temporal is down; every call has a deadline so no request hangs.
 */
export class AssetWorkflows {
  private readonly client: Client;
  /**
   * Calls not yet answered. Closing the channel under one fails it with a retryable UNAVAILABLE,
   * and the SDK's retry timer then throws "Channel has been shut down" from a timer, where no
   * caller can catch it (seen once in CI). `close()` waits for them instead.
   */
  private readonly inFlight = new Set<Promise<unknown>>();

  /**
   * `executionTimeout`: none by default, as asset workflows live as long as their retention (a
   * real server has no limit). Temporal's Java test server imposes 10 years on workflows started
   * without one, so the time-skipping tests of 15-year retention pass a longer one.
   */
  constructor(
    readonly connection: Connection,
    namespace: string,
    private readonly taskQueue: string,
    private readonly executionTimeout?: string,
  ) {
    this.client = new Client({ connection, namespace });
  }

  static connectLazily(
    address: string,
    namespace: string,
    taskQueue: string,
    executionTimeout?: string,
  ): AssetWorkflows {
    return new AssetWorkflows(
      Connection.lazy({ address, connectTimeout: '3s' }),
      namespace,
      taskQueue,
      executionTimeout,
    );
  }

  async startLifecycle(input: AssetLifecycleInput): Promise<string> {
    const workflowId = assetWorkflowId(input.assetId);
    try {
      await this.withDeadline(() =>
        this.client.workflow.start('assetLifecycle', {
          taskQueue: this.taskQueue,
          workflowId,
          args: [input],
          ...(this.executionTimeout ? { workflowExecutionTimeout: this.executionTimeout } : {}),
        }),
      );
    } catch (error) {
      // A retried request may find the workflow already running: that is the outcome it wanted.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw unavailable(error);
    }
    return workflowId;
  }

  /** Whether the asset's workflow was ever started (running or closed). */
  async lifecycleExists(assetId: string): Promise<boolean> {
    try {
      await this.withDeadline(() => this.client.workflow.getHandle(assetWorkflowId(assetId)).describe());
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw unavailable(error);
    }
  }

  async timeline(assetId: string): Promise<AssetLifecycleView> {
    return this.withDeadline(() =>
      this.client.workflow.getHandle(assetWorkflowId(assetId)).query(getTimelineQuery),
    ).catch((error) => {
      throw unavailable(error);
    });
  }

  /** The asset workflow's own view: state, freeze, legal hold, timers with their dates. */
  async lifecycle(assetId: string): Promise<LifecycleView> {
    return this.call(
      () => this.client.workflow.getHandle(assetWorkflowId(assetId)).query(getLifecycleQuery),
      'ASSET_NOT_FOUND',
    );
  }

  /** Sends an update to an asset's workflow; its validator's refusals come back as AssetflowErrors. */
  async updateAsset<Ret, Arg>(
    assetId: string,
    update: UpdateDefinition<Ret, [Arg]>,
    arg: Arg,
    options: { updateId?: string } = {},
  ): Promise<Ret> {
    try {
      return await this.call(
        () =>
          this.client.workflow.getHandle(assetWorkflowId(assetId)).executeUpdate(update, {
            args: [arg],
            ...(options.updateId ? { updateId: options.updateId } : {}),
          }),
        'ASSET_NOT_FOUND',
      );
    } catch (error) {
      // An asset's workflow ends when the asset is purged; what is sent to it afterwards is
      // refused the way its engine refuses everything in that state.
      if (isAssetflowError(error) && error.code === ErrorCodes.ASSET_NOT_FOUND && (await this.ended(assetId)))
        throw new AssetflowError(
          ErrorCodes.ASSET_PURGED,
          'The asset has been purged; only its record remains.',
          statusOfRefusal(ErrorCodes.ASSET_PURGED),
        );
      throw error;
    }
  }

  /** Whether the asset's workflow ran to its end (it does when the asset is purged). */
  private async ended(assetId: string): Promise<boolean> {
    const description = await this.withDeadline(() =>
      this.client.workflow.getHandle(assetWorkflowId(assetId)).describe(),
    ).catch(() => undefined);
    return description?.status.name === 'COMPLETED';
  }

  /** Starts a bulk edit (workflow `bulk-<batchId>`); its progress is read with `bulkProgress`. */
  async startBulkEdit(input: BulkEditInput): Promise<void> {
    await this.withDeadline(() =>
      this.client.workflow.start('bulkEdit', {
        taskQueue: this.taskQueue,
        workflowId: `bulk-${input.batchId}`,
        args: [input],
      }),
    ).catch((error) => {
      throw unavailable(error);
    });
  }

  /** A bulk edit's progress (also once it has finished), or 404 BATCH_NOT_FOUND. */
  async bulkProgress(batchId: string): Promise<BulkProgress> {
    try {
      return await this.withDeadline(() =>
        this.client.workflow.getHandle(`bulk-${batchId}`).query(bulkProgressQuery),
      );
    } catch (error) {
      if (error instanceof WorkflowNotFoundError)
        throw new AssetflowError(ErrorCodes.BATCH_NOT_FOUND, `No batch ${batchId}.`, 404, { batchId });
      throw unavailable(error);
    }
  }

  async approval(approvalId: string): Promise<ApprovalView> {
    return this.call(
      () => this.client.workflow.getHandle(approvalId).query(getApprovalQuery),
      'APPROVAL_NOT_FOUND',
    );
  }

  async decide(approvalId: string, decision: ReviewerDecision): Promise<ApprovalView> {
    return this.call(
      () => this.client.workflow.getHandle(approvalId).executeUpdate(decideUpdate, { args: [decision] }),
      'APPROVAL_NOT_FOUND',
    );
  }

  /** Runs a call with the deadline and turns Temporal's errors into the API's. */
  private async call<T>(
    fn: () => Promise<T>,
    notFound: 'ASSET_NOT_FOUND' | 'APPROVAL_NOT_FOUND',
  ): Promise<T> {
    try {
      return await this.withDeadline(fn);
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        const cause = error.cause as { type?: string; message?: string } | undefined;
        const code = cause?.type && isErrorCode(cause.type) ? cause.type : ErrorCodes.VALIDATION_FAILED;
        throw new AssetflowError(code, cause?.message ?? error.message, statusOfRefusal(code));
      }
      if (error instanceof WorkflowNotFoundError) {
        throw new AssetflowError(
          ErrorCodes[notFound],
          `No ${notFound === 'ASSET_NOT_FOUND' ? 'asset workflow' : 'approval'} ${error.workflowId}.`,
          404,
        );
      }
      throw unavailable(error);
    }
  }

  /** Resolves when the Temporal frontend answers its health check within the deadline. */
  async ping(timeoutMs = 2000): Promise<void> {
    // Not ensureConnected(): it memoises its first failure, and Temporal may come back later.
    await this.tracked(
      this.connection.withDeadline(Date.now() + timeoutMs, () => this.connection.healthService.check({})),
    );
  }

  /** Closes the connection once every call in flight has its answer (each has a deadline). */
  async close(): Promise<void> {
    await Promise.allSettled(this.inFlight);
    await this.connection.close();
  }

  private withDeadline<T>(fn: () => Promise<T>): Promise<T> {
    return this.tracked(this.connection.withDeadline(Date.now() + CALL_DEADLINE_MS, fn));
  }

  private tracked<T>(call: Promise<T>): Promise<T> {
    this.inFlight.add(call);
    const forget = () => this.inFlight.delete(call);
    call.then(forget, forget);
    return call;
  }
}

function unavailable(error: unknown): AssetflowError {
  return new AssetflowError(
    ErrorCodes.SERVICE_UNAVAILABLE,
    `Temporal is not reachable: ${(error as Error).message}`,
    503,
    { dependency: 'temporal' },
  );
}
