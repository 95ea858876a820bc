/** The workflow entry points the worker registers. Workflow names live in history: never rename. */

export { approvalFlow } from './approval-flow.workflow';
export { assetLifecycle } from './asset-lifecycle.workflow';
export { bulkEdit } from './bulk-edit.workflow';
