import { rmSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EmbeddedPostgres } from '../../runtime/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as {
    __assetflowDevServer?: TestWorkflowEnvironment;
    __assetflowPostgres?: { postgres: EmbeddedPostgres; dataDir: string };
  };
  await state.__assetflowDevServer?.teardown();
  if (state.__assetflowPostgres) {
    await state.__assetflowPostgres.postgres.stop(0);
    rmSync(state.__assetflowPostgres.dataDir, { recursive: true, force: true });
  }
}
