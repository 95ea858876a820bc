import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ProcessRef, portInUse } from '../../runtime/processes';

/**
 * Assetflow run the way `npm start` runs it: its own process (`assetflow start`, loaded through
 * tsx), on the embedded defaults (PostgreSQL and the Temporal dev server as its children) in a data
 * directory of the test's. Used where the process itself is the subject: crashes, locks, the CLI.
 */

const REPO = path.join(__dirname, '..', '..');
export const ADMIN = { email: 'admin@crash.test', password: 'crash-test-admin-password' };

export interface Installation {
  root: string;
  configFile: string;
  port: number;
  baseUrl: string;
  /** The owner files the embedded servers are recorded in. */
  temporalOwnerFile: string;
  postgresOwnerFile: string;
}

/**
 * A port for a configuration file, which must stay free across restarts: below the kernel's
 * ephemeral range (32768 and up here), where outgoing connections take their local ports and
 * would sooner or later take this one between two starts.
 */
async function fixedPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!(await portInUse(port))) return port;
  }
}

/** A data directory with a configuration on free ports; AI tagging off (not the subject, and slow). */
export async function newInstallation(): Promise<Installation> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'assetflow-install-'));
  chmodSync(root, 0o755); // as root, PostgreSQL runs as `postgres`, who must be able to enter it
  const [port, temporalPort, uiPort] = [await fixedPort(), await fixedPort(), await fixedPort()];
  const configFile = path.join(root, 'temporal.config.yaml');
  writeFileSync(
    configFile,
    [
      'temporal:',
      '  devServer:',
      `    port: ${temporalPort}`,
      `    uiPort: ${uiPort}`,
      'tagging:',
      '  objects: false',
      '  text: false',
      'http:',
      `  port: ${port}`,
      'log:',
      '  level: warn',
      '',
    ].join('\n'),
  );
  return {
    root,
    configFile,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    temporalOwnerFile: path.join(root, '.assetflow', 'temporal.db.owner.json'),
    postgresOwnerFile: path.join(root, '.assetflow', 'postgres', 'owner.json'),
  };
}

/** `assetflow <args>` as its own process (one node process: tsx is loaded with --import). */
export function assetflow(install: Installation, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'bin/assetflow.ts', '-c', install.configFile, ...args], {
    cwd: REPO,
    env: {
      ...embeddedDefaults(process.env),
      ASSETFLOW_ADMIN_EMAIL: ADMIN.email,
      ASSETFLOW_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * The environment without the variables that override the configuration (CI sets DATABASE_URL for
 * the tests' external server): these processes run on their configuration file alone.
 */
export function embeddedDefaults(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const {
    DATABASE_URL: _database,
    TEMPORAL_ADDRESS: _temporal,
    TEMPORAL_NAMESPACE: _namespace,
    TEMPORAL_TASK_QUEUE: _queue,
    PORT: _port,
    ASSETFLOW_BLOB_DIR: _blobs,
    ASSETFLOW_CONFIG: _config,
    ...rest
  } = env;
  return rest;
}

/** Runs a short command to its end: exit code and output. */
export function runAssetflow(
  install: Installation,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = assetflow(install, args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** Output of a long-running child so far, for assertions and failure messages. */
export function captureOutput(child: ChildProcess): { text(): string } {
  let text = '';
  child.stdout!.on('data', (chunk) => {
    text += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    text += chunk;
  });
  return { text: () => text };
}

/** Polls /api/health until it answers 200; the time it took, in ms. */
export async function waitUntilHealthy(install: Installation, timeoutMs: number, child?: ChildProcess) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child && child.exitCode !== null) throw new Error(`Assetflow exited with code ${child.exitCode}`);
    const ok = await fetch(`${install.baseUrl}/api/health`)
      .then((res) => res.status === 200)
      .catch(() => false);
    if (ok) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Assetflow was not healthy within ${timeoutMs} ms`);
}

export function exitOfChild(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(child.exitCode ?? child.signalCode!);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
}

export function ownerFile(file: string): { owner: ProcessRef; server: ProcessRef | null } {
  return JSON.parse(readFileSync(file, 'utf8'));
}
