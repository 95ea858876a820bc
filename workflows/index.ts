/** The workflow entry points the worker registers. Workflow names live in history: never rename. */
export { assetLifecycle } from './asset-lifecycle.workflow';
