import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { openEmbeddedPostgres } from '../../runtime/embedded-postgres';
import { startTestDevServer } from '../../toolchain/ephemeral-servers';
import { startS3Server } from '../../toolchain/s3-server';
import { resolveTestServer } from '../../toolchain/temporal-binaries';
import { TEST_ENV } from './test-env';

/**
 * Runs once before all test files: starts one Temporal dev server (in memory), the embedded
 * PostgreSQL and an S3 server (versitygw), resolves the time-skipping server, and bundles the workflows once so each test worker loads the same code.
 * Values reach the test files through environment variables.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const devServer = await startTestDevServer();
  (globalThis as { __assetflowDevServer?: unknown }).__assetflowDevServer = devServer;
  process.env[TEST_ENV.temporalAddress] = devServer.address;

  // The product's own embedded PostgreSQL, in a directory of this run; it dies with this process.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-test-postgres-'));
  const postgres = await openEmbeddedPostgres({ dataDir, use: 'service' });
  (globalThis as { __assetflowPostgres?: unknown }).__assetflowPostgres = { postgres, dataDir };
  process.env[TEST_ENV.embeddedPostgresUrl] = postgres.url;

  // A real S3 server (versitygw over a directory of this run) for the object-storage blob store.
  const s3Dir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-test-s3-'));
  const s3 = await startS3Server(s3Dir);
  (globalThis as { __assetflowS3?: unknown }).__assetflowS3 = { s3, dir: s3Dir };
  const { stop: _stop, ...reachable } = s3;
  process.env[TEST_ENV.s3Server] = JSON.stringify(reachable);
  // As an installation would give them: the AWS SDK's default chain reads these.
  process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;

  const testServer = await resolveTestServer();
  if (testServer.type === 'existing-path') process.env.TEMPORAL_TEST_SERVER_PATH = testServer.path;

  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-test-'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);
  process.env[TEST_ENV.workflowBundle] = bundlePath;
  process.stderr.write(
    `\n[test setup] Temporal dev server at ${devServer.address}, embedded PostgreSQL, S3 server at ${s3.endpoint}, workflows bundled, in ${Date.now() - started} ms\n`,
  );
}
