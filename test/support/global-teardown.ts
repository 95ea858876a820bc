import { rmSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EmbeddedPostgres } from '../../runtime/embedded-postgres';
import type { RunningS3Server } from '../../toolchain/s3-server';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as {
    __assetflowDevServer?: TestWorkflowEnvironment;
    __assetflowPostgres?: { postgres: EmbeddedPostgres; dataDir: string };
    __assetflowS3?: { s3: RunningS3Server; dir: string };
  };
  await state.__assetflowDevServer?.teardown();
  if (state.__assetflowS3) {
    await state.__assetflowS3.s3.stop();
    rmSync(state.__assetflowS3.dir, { recursive: true, force: true });
  }
  if (state.__assetflowPostgres) {
    await state.__assetflowPostgres.postgres.stop(0);
    rmSync(state.__assetflowPostgres.dataDir, { recursive: true, force: true });
  }
}
