import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EphemeralServerExecutable } from '@temporalio/testing/lib/ephemeral-server';
import { DEV_SERVER_ARGS } from './dev-server-settings';
import { stderrLog, type ToolchainLog } from './log';
import { resolveTemporalCli, resolveTestServer } from './temporal-binaries';

/**
 * Starts a dev server on free ports with an in-memory database, for tests, with Assetflow's
 * settings (`serverDefaults`: the server's own, for a bench to compare with).
 */
export async function startTestDevServer(
  log: ToolchainLog = stderrLog,
  options: { serverDefaults?: boolean } = {},
): Promise<TestWorkflowEnvironment> {
  const executable = await resolveTemporalCli({ log });
  return startWithRetries('dev server', log, () =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable,
        extraArgs: options.serverDefaults ? [] : [...DEV_SERVER_ARGS],
        log: { format: 'pretty', level: 'error' },
      },
    }),
  );
}

/** Starts the time-skipping test server, where `env.sleep('365d')` takes seconds. */
export async function startTimeSkippingServer(
  log: ToolchainLog = stderrLog,
): Promise<TestWorkflowEnvironment> {
  const executable = await resolveTestServer({ log });
  return startWithRetries('time-skipping server', log, () =>
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable } }),
  );
}

/**
 * The SDK gives a server it starts a fixed 5 s to answer, with no setting to change it. A JVM (the
 * time-skipping server) or the dev server starting on two busy cores can take longer: seen
 * running benches beside a long one, and once in CI right after the web app's build. Only that
 * failure is retried, three times in all.
 */
async function startWithRetries(
  what: string,
  log: ToolchainLog,
  start: () => Promise<TestWorkflowEnvironment>,
): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= 3 || !/did not start within/.test(String(error))) throw error;
      log(`The Temporal ${what} did not answer within 5 s (attempt ${attempt} of 3); starting it again…`);
    }
  }
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
