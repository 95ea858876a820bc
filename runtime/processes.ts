import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { findOnPath } from '../toolchain/executables';

/**
 * Child servers (the embedded PostgreSQL and Temporal dev server) and the files that say who runs
 * them. Two promises rest on this module: a child never outlives the process that started it
 * (on Linux the kernel signals it when its parent dies, even by `kill -9`), and a file naming a
 * process is never trusted on its pid alone (pids are reused; the start time is compared too).
 */

/** A process as recorded in an owner file: its pid and the kernel's start time of that pid. */
export interface ProcessRef {
  pid: number;
  /** Clock ticks since boot when the process started (`/proc/<pid>/stat` field 22); null off Linux. */
  startedAt: number | null;
}

export function thisProcess(): ProcessRef {
  return refOf(process.pid);
}

export function refOf(pid: number): ProcessRef {
  return { pid, startedAt: startTimeOf(pid) };
}

/** The state letter and start time from `/proc/<pid>/stat`; undefined when unreadable (gone, not Linux). */
function procStat(pid: number): { state: string; startedAt: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces; count after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', startedAt: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

function startTimeOf(pid: number): number | null {
  return procStat(pid)?.startedAt ?? null;
}

/** True when the process recorded in `ref` still runs (the same process, not a reused pid). */
export function isRunning(ref: ProcessRef | undefined | null): boolean {
  if (!ref) return false;
  try {
    process.kill(ref.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = procStat(ref.pid);
  // A zombie has exited but keeps its /proc entry until reaped.
  if (now?.state === 'Z') return false;
  return ref.startedAt === null || now === undefined || now.startedAt === ref.startedAt;
}

/** Sends `signal`, waits up to `timeoutMs` for the process to go, then kills it outright. */
export async function stopProcess(ref: ProcessRef, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (!isRunning(ref)) return;
  try {
    process.kill(ref.pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (isRunning(ref)) {
    if (Date.now() > deadline) {
      try {
        process.kill(ref.pid, 'SIGKILL');
      } catch {}
      await sleep(100);
      return;
    }
    await sleep(50);
  }
}

export interface LeashedSpawnOptions {
  /** Where the child's stdout and stderr go (appended). */
  logFile: string;
  /** The signal the child receives when this process dies, however it dies. */
  onParentDeath: 'SIGINT' | 'SIGTERM';
  /** Run as this system user (needed for PostgreSQL when Assetflow runs as root). */
  user?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Spawns a server in its own process group (so a Ctrl-C in the terminal reaches Assetflow, which
 * then stops its children in order) on a leash: util-linux's `setpriv --pdeathsig` asks the kernel
 * to signal the child when its parent dies. Without setpriv (not Linux) the owner files below
 * still find and stop an orphan at the next start.
 */
export function spawnLeashed(command: string, args: string[], options: LeashedSpawnOptions): ChildProcess {
  const setpriv = process.platform === 'linux' ? findOnPath('setpriv') : undefined;
  if (options.user && !setpriv) {
    throw new Error(`running ${command} as ${options.user} needs setpriv (util-linux), which is not on PATH`);
  }
  const leash = setpriv
    ? [
        '--pdeathsig',
        options.onParentDeath.replace(/^SIG/, ''),
        ...(options.user ? ['--reuid', options.user, '--regid', options.user, '--init-groups'] : []),
        '--',
      ]
    : [];
  const log = openSync(options.logFile, 'a', 0o600);
  try {
    return spawn(setpriv ?? command, setpriv ? [...leash, command, ...args] : args, {
      detached: true,
      stdio: ['ignore', log, log],
      env: options.env ?? process.env,
    });
  } finally {
    closeSync(log);
  }
}

/** The last lines of a log file, to quote when a child fails to start. */
export function tailOf(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Reads a JSON file written by `writeJsonFile`; undefined when absent or unreadable. */
export function readJsonFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Writes JSON atomically (temporary file, then rename), readable by the owner only. */
export function writeJsonFile(file: string, value: unknown): void {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, file);
}

/**
 * Runs `critical` while holding `<file>.lock`, a directory (mkdir is atomic): the read-decide-write
 * of an owner file by two processes starting at the same moment happens one after the other. The
 * sections take milliseconds; a lock older than 10 s was left by a process that died inside one.
 */
export async function withFileLock<T>(file: string, critical: () => T | Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 10_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await sleep(25);
    }
  }
  try {
    return await critical();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Removes an owner file only while it still names this process (another may have taken over). */
export function removeIfMine(file: string): void {
  const recorded = readJsonFile<{ owner?: ProcessRef }>(file);
  const me = thisProcess();
  if (recorded?.owner?.pid === me.pid && recorded.owner.startedAt === me.startedAt)
    rmSync(file, { force: true });
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts connections on 127.0.0.1:`port`. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with the exit code (or signal) when `child` exits. */
export function exitOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(String(child.exitCode ?? child.signalCode));
      return;
    }
    child.once('exit', (code, signal) => resolve(signal ?? `exit code ${code}`));
    child.once('error', (error) => resolve(error.message));
  });
}
