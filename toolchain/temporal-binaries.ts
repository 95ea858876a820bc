import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing/lib/ephemeral-server';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { toolchainCacheDir } from './cache-dir';
import { findExecutablesIn, findOnPath, isExecutableFile, runVisible } from './executables';
import { stderrLog, type ToolchainLog, timed } from './log';

/**
 * `go install` needs a module whose go.mod has no replace directive; v1.5.1 is the newest
 * Temporal CLI release that qualifies.
 */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
/** The Java time-skipping test server, published with the Java SDK on Maven Central. */
export const TEST_SERVER_ARTIFACT = {
  group: 'io.temporal',
  artifact: 'temporal-test-server',
  version: '1.38.0',
};

export interface ResolveOptions {
  /** An explicit path (config file or environment) that must be used when given. */
  explicitPath?: string | undefined;
  env?: NodeJS.ProcessEnv;
  log?: ToolchainLog;
  /**
   * Tries the SDK's own download by starting a server with it; resolves true when it worked.
   * Injected so the resolver itself never starts servers.
   */
  trySdkDownload?: (executable: EphemeralServerExecutable) => Promise<boolean>;
}

/**
 * Finds the Temporal CLI (which runs the dev server) in this order: explicit path, `PATH`, this
 * machine's cache, the SDK's download, and finally a `go install` build into the cache.
 */
export async function resolveTemporalCli(options: ResolveOptions = {}): Promise<EphemeralServerExecutable> {
  const env = options.env ?? process.env;
  const log = options.log ?? stderrLog;
  const explicit = options.explicitPath ?? env.TEMPORAL_CLI_PATH;
  if (explicit) return existingPath(explicit, 'Temporal CLI');

  const onPath = findOnPath('temporal', env);
  if (onPath) return { type: 'existing-path', path: onPath };

  const cache = toolchainCacheDir(env);
  const built = path.join(cache, 'bin', 'temporal');
  if (isExecutableFile(built)) return { type: 'existing-path', path: built };

  const sdkDir = path.join(cache, 'sdk-download');
  const downloaded = findExecutablesIn(sdkDir, 'temporal-cli').concat(
    findExecutablesIn(sdkDir, 'temporal-sdk'),
  );
  if (downloaded[0]) return { type: 'existing-path', path: downloaded[0] };

  const tried: string[] = [
    'TEMPORAL_CLI_PATH / temporal.devServer.executable (unset)',
    '`temporal` on PATH (none)',
    `${built} (absent)`,
  ];
  const sdkDownload: EphemeralServerExecutable = { type: 'cached-download', downloadDir: sdkDir };
  if (options.trySdkDownload) {
    log('No Temporal CLI found; trying the Temporal SDK download…');
    if (await options.trySdkDownload(sdkDownload)) return sdkDownload;
    log('The SDK download failed (no route to its server?); building instead.');
  }
  tried.push('the Temporal SDK download (failed)');

  const go = findOnPath('go', env);
  if (!go) throw unavailable('Temporal CLI', tried.concat('go install (no `go` on PATH)'));
  await timed(
    log,
    `Building the Temporal CLI with \`go install ${TEMPORAL_CLI_MODULE}\` into ${path.dirname(built)} (first run only, a few minutes on 2 cores)`,
    () =>
      runVisible(go, ['install', TEMPORAL_CLI_MODULE], {
        env: { ...env, GOBIN: path.dirname(built), CGO_ENABLED: '0' },
      }),
  );
  return existingPath(built, 'Temporal CLI');
}

/**
 * Finds the time-skipping test server: explicit path, this machine's cache, the SDK's download,
 * and finally the Java test server resolved from Maven Central and launched with `java`.
 */
export async function resolveTestServer(options: ResolveOptions = {}): Promise<EphemeralServerExecutable> {
  const env = options.env ?? process.env;
  const log = options.log ?? stderrLog;
  const explicit = options.explicitPath ?? env.TEMPORAL_TEST_SERVER_PATH;
  if (explicit) return existingPath(explicit, 'Temporal test server');

  const cache = toolchainCacheDir(env);
  const mavenDir = path.join(cache, `test-server-${TEST_SERVER_ARTIFACT.version}`);
  const launcher = path.join(mavenDir, 'temporal-test-server');
  if (isExecutableFile(launcher)) return { type: 'existing-path', path: launcher };

  const sdkDir = path.join(cache, 'sdk-download');
  const downloaded = findExecutablesIn(sdkDir, 'temporal-test-server');
  if (downloaded[0]) return { type: 'existing-path', path: downloaded[0] };

  const tried = ['TEMPORAL_TEST_SERVER_PATH (unset)', `${launcher} (absent)`];
  const sdkDownload: EphemeralServerExecutable = { type: 'cached-download', downloadDir: sdkDir };
  if (options.trySdkDownload) {
    log('No Temporal test server found; trying the Temporal SDK download…');
    if (await options.trySdkDownload(sdkDownload)) return sdkDownload;
    log('The SDK download failed (no route to its server?); resolving from Maven Central instead.');
  }
  tried.push('the Temporal SDK download (failed)');

  const mvn = findOnPath('mvn', env);
  const java = findOnPath('java', env);
  if (!mvn || !java) {
    throw unavailable(
      'Temporal test server',
      tried.concat(
        `Maven Central (needs mvn and java on PATH; mvn=${mvn ?? 'none'}, java=${java ?? 'none'})`,
      ),
    );
  }
  const { group, artifact, version } = TEST_SERVER_ARTIFACT;
  await timed(
    log,
    `Resolving ${group}:${artifact}:${version} and its dependencies from Maven Central into ${mavenDir}`,
    async () => {
      mkdirSync(mavenDir, { recursive: true });
      writeFileSync(path.join(mavenDir, 'pom.xml'), resolverPom(group, artifact, version));
      await runVisible(
        mvn,
        ['-B', '-q', '-Dstyle.color=never', 'dependency:build-classpath', '-Dmdep.outputFile=classpath.txt'],
        {
          cwd: mavenDir,
          env,
        },
      );
    },
  );
  const classpath = readFileSync(path.join(mavenDir, 'classpath.txt'), 'utf8').trim();
  // The SDK starts the executable with the port as its only argument, as TestServer's main expects.
  writeFileSync(
    launcher,
    `#!/bin/sh\nexec "${java}" -cp "${classpath}" io.temporal.testserver.TestServer "$@"\n`,
    { mode: 0o755 },
  );
  return existingPath(launcher, 'Temporal test server');
}

function resolverPom(group: string, artifact: string, version: string): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local.assetflow</groupId><artifactId>test-server-resolver</artifactId><version>1</version>
  <dependencies><dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency></dependencies>
</project>\n`;
}

function existingPath(file: string, what: string): EphemeralServerExecutable {
  if (!existsSync(file) || !isExecutableFile(file)) {
    throw new AssetflowError(
      ErrorCodes.TOOLCHAIN_UNAVAILABLE,
      `${what} at ${file} is missing or not executable`,
      500,
      { path: file },
    );
  }
  return { type: 'existing-path', path: file };
}

function unavailable(what: string, tried: string[]): AssetflowError {
  return new AssetflowError(
    ErrorCodes.TOOLCHAIN_UNAVAILABLE,
    `No ${what} could be found or built. Tried: ${tried.join('; ')}. Install Go (for the CLI) or Java and Maven (for the test server), or point the environment variable at a binary.`,
    500,
    { tried },
  );
}
