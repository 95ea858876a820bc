import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EphemeralServerExecutable } from '@temporalio/testing/lib/ephemeral-server';
import type { AppConfig } from '../config/config.schema';
import { stderrLog, type ToolchainLog } from './log';
import { resolveTemporalCli, resolveTestServer } from './temporal-binaries';

export interface EmbeddedTemporal {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the Temporal dev server the configuration describes (persisted in `devServer.dbFile`),
 * through the SDK's ephemeral-server support so start-up waits until the server answers.
 */
export async function startEmbeddedTemporal(
  config: AppConfig,
  log: ToolchainLog = stderrLog,
): Promise<EmbeddedTemporal> {
  const { devServer, namespace } = config.temporal;
  mkdirSync(path.dirname(devServer.dbFile), { recursive: true });
  const start = (executable: EphemeralServerExecutable) =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable,
        namespace,
        dbFilename: devServer.dbFile,
        port: devServer.port,
        ui: true,
        uiPort: devServer.uiPort,
        log: { format: 'pretty', level: 'error' },
      },
    });

  let startedByDownload: TestWorkflowEnvironment | undefined;
  const executable = await resolveTemporalCli({
    explicitPath: devServer.executable,
    log,
    trySdkDownload: async (download) => {
      startedByDownload = await start(download).catch(() => undefined);
      return startedByDownload !== undefined;
    },
  });
  const env = startedByDownload ?? (await start(executable));
  return {
    address: env.address,
    uiUrl: `http://127.0.0.1:${devServer.uiPort}`,
    stop: () => env.teardown(),
  };
}

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
