import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { toolchainCacheDir } from './cache-dir';
import { findOnPath, isExecutableFile, runVisible } from './executables';
import { stderrLog, type ToolchainLog, timed } from './log';

/** The API fuzzer the suite runs against a live Assetflow (test/integration/api-fuzz.test.ts). */
export const SCHEMATHESIS_VERSION = '4.32.5';

/**
 * Schemathesis's `st` from a virtualenv in the toolchain cache (outside the repository), made
 * with `python3 -m venv` and pip from PyPI on the first run. A failure names the command.
 */
export async function ensureSchemathesis(
  log: ToolchainLog = stderrLog,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const venv = path.join(toolchainCacheDir(env), `schemathesis-${SCHEMATHESIS_VERSION}`);
  const st = path.join(venv, 'bin', 'st');
  if (versionOf(st) === SCHEMATHESIS_VERSION) return st;
  const python = findOnPath('python3', env);
  if (!python) {
    throw new AssetflowError(
      ErrorCodes.TOOLCHAIN_UNAVAILABLE,
      'Missing: python3 with venv (the API fuzzer). Install with: sudo apt-get install -y python3 python3-venv',
      500,
    );
  }
  await timed(
    log,
    `Installing Schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${venv} (first run only)`,
    async () => {
      rmSync(venv, { recursive: true, force: true });
      await runVisible(python, ['-m', 'venv', venv], { env });
      await runVisible(
        path.join(venv, 'bin', 'pip'),
        ['install', '-q', `schemathesis==${SCHEMATHESIS_VERSION}`],
        {
          env,
        },
      );
    },
  );
  const installed = versionOf(st);
  if (installed !== SCHEMATHESIS_VERSION)
    throw new AssetflowError(
      ErrorCodes.TOOLCHAIN_UNAVAILABLE,
      `Schemathesis ${SCHEMATHESIS_VERSION} did not install into ${venv} (found ${installed ?? 'nothing'}).`,
      500,
    );
  return st;
}

function versionOf(st: string): string | undefined {
  if (!isExecutableFile(st)) return undefined;
  const out = spawnSync(st, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return /version (\S+)/.exec(out)?.[1];
}
