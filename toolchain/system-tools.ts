import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { findOnPath, isExecutableFile, runVisible } from './executables';
import { stderrLog, type ToolchainLog, timed } from './log';

/**
 * Programs from the operating system that the test suite needs besides the Temporal binaries:
 * Debian's Chromium for the web app's end-to-end tests, ffmpeg and poppler for video and PDF
 * previews, and the fonts the OCR test poster is drawn with. Found, or installed with apt when
 * running as root on Debian, or a failure that names the one command to run — never a suite of
 * tests that fail one by one, nor tests that pass without the tool.
 */
export interface SystemTool {
  what: string;
  /** True when the tool is there. */
  present(env: NodeJS.ProcessEnv): boolean;
  /** The Debian packages that provide it. */
  packages: string[];
}

const hasFont = (family: string) => () =>
  spawnSync('fc-list', [], { encoding: 'utf8' }).stdout?.toLowerCase().includes(family.toLowerCase()) ??
  false;

export const TEST_TOOLS: SystemTool[] = [
  {
    what: 'Chromium (the web app end-to-end tests; CHROMIUM_PATH overrides /usr/bin/chromium)',
    present: (env) => isExecutableFile(env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
    packages: ['chromium'],
  },
  {
    what: 'ffmpeg (video poster frames)',
    present: (env) => !!findOnPath('ffmpeg', env),
    packages: ['ffmpeg'],
  },
  {
    what: 'pdftoppm (PDF previews)',
    present: (env) => !!findOnPath('pdftoppm', env),
    packages: ['poppler-utils'],
  },
  {
    what: 'prlimit (memory and CPU limits for ffmpeg and pdftoppm)',
    present: (env) => !!findOnPath('prlimit', env),
    packages: ['util-linux'],
  },
  {
    what: 'the WenQuanYi Zen Hei font (the OCR test poster)',
    present: hasFont('WenQuanYi Zen Hei'),
    packages: ['fontconfig', 'fonts-wqy-zenhei'],
  },
  {
    what: 'the DejaVu Sans font (rendered text in tests)',
    present: hasFont('DejaVu Sans'),
    packages: ['fontconfig', 'fonts-dejavu-core'],
  },
];

export async function ensureSystemTools(
  tools: SystemTool[] = TEST_TOOLS,
  log: ToolchainLog = stderrLog,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
  const missing = tools.filter((tool) => !tool.present(env));
  if (missing.length === 0) return tools.map((t) => t.what);
  const packages = [...new Set(missing.flatMap((t) => t.packages))];
  const command = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  const aptGet = findOnPath('apt-get', env);
  if (!aptGet || userInfo().uid !== 0) {
    throw new AssetflowError(
      ErrorCodes.TOOLCHAIN_UNAVAILABLE,
      `Missing: ${missing.map((t) => t.what).join('; ')}. Install with: sudo ${command}` +
        (aptGet ? '' : ' (or your system’s equivalent packages)'),
      500,
      { packages },
    );
  }
  await timed(log, `Installing ${packages.join(', ')} with apt-get (first run only)`, async () => {
    await runVisible(aptGet, ['update', '-qq'], { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
    await runVisible(aptGet, ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  });
  const still = missing.filter((tool) => !tool.present(env));
  if (still.length > 0) {
    throw new AssetflowError(
      ErrorCodes.TOOLCHAIN_UNAVAILABLE,
      `Still missing after \`${command}\`: ${still.map((t) => t.what).join('; ')}`,
      500,
    );
  }
  return tools.map((t) => t.what);
}
