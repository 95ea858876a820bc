import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../runtime/processes';
import { toolchainCacheDir } from './cache-dir';
import { findOnPath, isExecutableFile, runVisible } from './executables';
import { stderrLog, type ToolchainLog, timed } from './log';

/**
 * versitygw (Apache-2.0) is an S3 gateway over a POSIX directory: a real S3 server for the tests
 * and for trying the object-storage configuration on one machine. MinIO is AGPL, so not used.
 */
export const VERSITYGW_MODULE = 'github.com/versity/versitygw/cmd/versitygw@v1.8.0';

/** Finds versitygw: `VERSITYGW_PATH`, `PATH`, this machine's cache, else builds it there with `go install`. */
export async function resolveVersitygw(
  options: { env?: NodeJS.ProcessEnv; log?: ToolchainLog } = {},
): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? stderrLog;
  if (env.VERSITYGW_PATH) {
    if (!isExecutableFile(env.VERSITYGW_PATH))
      throw new Error(`VERSITYGW_PATH=${env.VERSITYGW_PATH} is not an executable`);
    return env.VERSITYGW_PATH;
  }
  const onPath = findOnPath('versitygw', env);
  if (onPath) return onPath;
  const built = path.join(toolchainCacheDir(env), 'bin', 'versitygw');
  if (isExecutableFile(built)) return built;
  const go = findOnPath('go', env);
  if (!go) {
    throw new Error(
      `No versitygw (the S3 server the tests use) in VERSITYGW_PATH, on PATH or at ${built}, and no \`go\` to build it with: install Go, or point VERSITYGW_PATH at a binary.`,
    );
  }
  await timed(
    log,
    `Building the S3 server with \`go install ${VERSITYGW_MODULE}\` into ${path.dirname(built)} (first run only, about 2 minutes on 2 cores)`,
    () =>
      runVisible(go, ['install', VERSITYGW_MODULE], {
        env: { ...env, GOBIN: path.dirname(built), CGO_ENABLED: '0' },
      }),
  );
  return built;
}

export interface RunningS3Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  stop(): Promise<void>;
}

/**
 * Starts versitygw on a free local port over `dir` (each bucket a directory in it), with fresh
 * root credentials, and waits until it answers HTTP.
 */
export async function startS3Server(dir: string, log: ToolchainLog = stderrLog): Promise<RunningS3Server> {
  const executable = await resolveVersitygw({ log });
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const accessKeyId = `assetflow${randomBytes(6).toString('hex')}`;
  const secretAccessKey = randomBytes(24).toString('hex');
  const child = spawn(executable, ['--port', `127.0.0.1:${port}`, 'posix', dir], {
    env: { ...process.env, ROOT_ACCESS_KEY: accessKeyId, ROOT_SECRET_KEY: secretAccessKey },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForHttp(endpoint, child, () => stderr);
  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    region: 'us-east-1',
    stop: () => stopChild(child),
  };
}

async function waitForHttp(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`versitygw exited with code ${child.exitCode}: ${stderr()}`);
    try {
      // Unsigned: any HTTP answer (403) means it listens.
      await fetch(endpoint, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`versitygw did not answer at ${endpoint} within 30 s: ${stderr()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
