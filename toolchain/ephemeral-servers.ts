import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EphemeralServerExecutable } from '@temporalio/testing/lib/ephemeral-server';
import { stderrLog, type ToolchainLog } from './log';
import { resolveTemporalCli, resolveTestServer } from './temporal-binaries';

/** Starts a dev server on free ports with an in-memory database, for tests. */
export async function startTestDevServer(log: ToolchainLog = stderrLog): Promise<TestWorkflowEnvironment> {
  const executable = await resolveTemporalCli({ log });
  return TestWorkflowEnvironment.createLocal({
    server: { executable, log: { format: 'pretty', level: 'error' } },
  });
}

/** Starts the time-skipping test server, where `env.sleep('365d')` takes seconds. */
export async function startTimeSkippingServer(
  log: ToolchainLog = stderrLog,
): Promise<TestWorkflowEnvironment> {
  const executable = await resolveTestServer({ log });
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
}

/**
 * Makes sure both binaries exist, building them if needed, and reports where they are. The SDK
 * download is tried by starting a throw-away server with it.
 */
export async function ensureToolchain(
  log: ToolchainLog = stderrLog,
): Promise<{ cli: string; testServer: string }> {
  const startsAndStops = async (start: Promise<TestWorkflowEnvironment>) => {
    try {
      await (await start).teardown();
      return true;
    } catch {
      return false;
    }
  };
  const tryDevDownload = (executable: EphemeralServerExecutable) =>
    startsAndStops(TestWorkflowEnvironment.createLocal({ server: { executable } }));
  const tryTestDownload = (executable: EphemeralServerExecutable) =>
    startsAndStops(TestWorkflowEnvironment.createTimeSkipping({ server: { executable } }));
  const cli = await resolveTemporalCli({ log, trySdkDownload: tryDevDownload });
  const testServer = await resolveTestServer({ log, trySdkDownload: tryTestDownload });
  const describe = (e: EphemeralServerExecutable) =>
    e.type === 'existing-path' ? e.path : `SDK download in ${e.downloadDir}`;
  return { cli: describe(cli), testServer: describe(testServer) };
}
