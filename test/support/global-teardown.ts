import type { TestWorkflowEnvironment } from '@temporalio/testing';

export default async function globalTeardown(): Promise<void> {
  const devServer = (globalThis as { __assetflowDevServer?: TestWorkflowEnvironment }).__assetflowDevServer;
  await devServer?.teardown();
}
