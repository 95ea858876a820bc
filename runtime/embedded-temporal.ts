import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { AppConfig } from '../config/config.schema';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { DEV_SERVER_ARGS } from '../toolchain/dev-server-settings';
import { resolveTemporalCli } from '../toolchain/temporal-binaries';
import {
  exitOf,
  isRunning,
  type ProcessRef,
  portInUse,
  readJsonFile,
  refOf,
  removeIfMine,
  sleep,
  spawnLeashed,
  stopProcess,
  tailOf,
  thisProcess,
  withFileLock,
  writeJsonFile,
} from './processes';

/**
 * The Temporal dev server `npm start` runs beside Assetflow, persisted in `devServer.dbFile`.
 * `<dbFile>.owner.json` names the Assetflow process that runs it: a second `npm start` on the same
 * data is refused while that process lives, and a server whose owner was killed (and that the
 * kernel did not stop, off Linux) is stopped before a new one starts — never a port conflict,
 * never two servers on one database file.
 */

interface OwnerFile {
  owner: ProcessRef;
  server: ProcessRef | null;
  address: string | null;
}

export interface EmbeddedTemporal {
  address: string;
  uiUrl: string;
  /** Resolves if the server exits before `stop` (it should not). */
  exited: Promise<string>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

export async function startEmbeddedTemporal(
  config: AppConfig,
  log: (message: string) => void = () => {},
): Promise<EmbeddedTemporal> {
  const { devServer, namespace } = config.temporal;
  mkdirSync(path.dirname(devServer.dbFile), { recursive: true });
  const ownerFile = `${devServer.dbFile}.owner.json`;
  const logFile = `${devServer.dbFile}.log`;
  const claim: OwnerFile = { owner: thisProcess(), server: null, address: null };

  for (;;) {
    type Decision = { running: number } | { orphan: ProcessRef } | { claimed: true };
    const decision = await withFileLock(ownerFile, (): Decision => {
      const current = readJsonFile<OwnerFile>(ownerFile);
      if (current && isRunning(current.owner)) return { running: current.owner.pid };
      if (current?.server && isRunning(current.server)) return { orphan: current.server };
      writeJsonFile(ownerFile, claim);
      return { claimed: true };
    });
    if ('running' in decision) {
      throw new AssetflowError(
        ErrorCodes.ALREADY_RUNNING,
        `Assetflow is already running on this data (pid ${decision.running} runs the Temporal dev server for ${devServer.dbFile}). ` +
          'Stop it first (Ctrl-C in its terminal), or give this one another configuration.',
        409,
        { pid: decision.running },
      );
    }
    if ('orphan' in decision) {
      log(
        `Stopping a Temporal dev server (pid ${decision.orphan.pid}) left by an Assetflow that was killed…`,
      );
      await stopProcess(decision.orphan, 'SIGTERM', 15_000);
      continue;
    }
    break;
  }

  try {
    for (const [what, port] of [
      ['gRPC', devServer.port],
      ['Web UI', devServer.uiPort],
    ] as const) {
      if (await portInUse(port)) {
        throw new AssetflowError(
          ErrorCodes.ALREADY_RUNNING,
          `Port ${port} (the Temporal dev server's ${what} port) is taken by another program. ` +
            'Stop it, or set temporal.devServer.port / uiPort to free ports.',
          409,
          { port },
        );
      }
    }
    const executable = await resolveTemporalCli({ explicitPath: devServer.executable });
    if (executable.type !== 'existing-path') throw new Error('the Temporal CLI was not found');
    const address = `127.0.0.1:${devServer.port}`;
    const child = spawnLeashed(
      executable.path,
      [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(devServer.port),
        '--ui-port',
        String(devServer.uiPort),
        '--namespace',
        namespace,
        '--db-filename',
        devServer.dbFile,
        '--log-format',
        'pretty',
        '--log-level',
        'error',
        ...DEV_SERVER_ARGS,
      ],
      { logFile, onParentDeath: 'SIGTERM' },
    );
    const exited = exitOf(child);
    const server = refOf(child.pid ?? -1);
    await withFileLock(ownerFile, () =>
      writeJsonFile(ownerFile, { ...claim, server, address } satisfies OwnerFile),
    );
    await waitUntilServing(address, namespace, exited, logFile).catch((error) => {
      child.kill('SIGKILL');
      throw error;
    });

    let stopped = false;
    return {
      address,
      uiUrl: `http://127.0.0.1:${devServer.uiPort}`,
      exited: exited.then((how) => (stopped ? new Promise<string>(() => {}) : how)),
      stop: async () => {
        stopped = true;
        await stopProcess(server, 'SIGTERM', 15_000);
        await withFileLock(ownerFile, () => removeIfMine(ownerFile));
      },
    };
  } catch (error) {
    await withFileLock(ownerFile, () => removeIfMine(ownerFile));
    throw error;
  }
}

/** Polls until the namespace answers; fails with the server's log if it exits or takes too long. */
async function waitUntilServing(
  address: string,
  namespace: string,
  exited: Promise<string>,
  logFile: string,
) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exitedHow: string | undefined;
  void exited.then((how) => {
    exitedHow = how;
  });
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (exitedHow !== undefined || Date.now() > deadline) {
        throw new AssetflowError(
          ErrorCodes.EMBEDDED_SERVER_FAILED,
          `The Temporal dev server did not start (${exitedHow ?? (error as Error).message}). Its log:\n${tailOf(logFile)}`,
          500,
        );
      }
    }
    await sleep(200);
  }
}
