#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig } from '../config/load-config';
import { isAssetflowError } from '../domain/errors';
import { type Role, start } from '../runtime/start';
import { ensureToolchain } from '../toolchain/ephemeral-servers';
import { resolveVersitygw } from '../toolchain/s3-server';
import { ensureSchemathesis } from '../toolchain/schemathesis';
import { ensureSystemTools } from '../toolchain/system-tools';
import { registerBlobsCommands } from './blobs-commands';
import { registerCatalogueCommands } from './catalogue-commands';
import { registerDataCommands } from './data-commands';
import { registerRulesCommands } from './rules-commands';
import { registerUploadCommand } from './upload-command';
import { registerUsersCommands } from './users-commands';

const program = new Command('assetflow')
  .description('Assetflow: digital asset management on Temporal')
  .option('-c, --config <file>', 'configuration file (default: ./temporal.config.yaml)');

function runRole(role: Role) {
  return async () => {
    const config = loadConfig({ file: program.opts().config });
    const running = await start(config, role);
    let stopping = false;
    const shutdown = async (why: string, exitCode: number) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`\n${why}: stopping the server, the worker and the embedded servers…\n`);
      // A part that died can leave another waiting on it (an activity on a database that is gone);
      // everything is durable, so after a bounded wait the process exits all the same.
      const stopped = await Promise.race([
        running.stop().then(() => true),
        new Promise<false>((resolve) =>
          setTimeout(() => resolve(false), exitCode === 0 ? 30_000 : 10_000).unref(),
        ),
      ]);
      process.stdout.write(stopped ? 'Stopped.\n' : 'Not everything stopped in time; exiting anyway.\n');
      process.exit(exitCode);
    };
    process.on('SIGINT', () => void shutdown('SIGINT received', 0));
    process.on('SIGTERM', () => void shutdown('SIGTERM received', 0));
    running.failed.catch((error: Error) => void shutdown(`Assetflow cannot go on: ${error.message}`, 1));
  };
}

program
  .command('start')
  .description('everything in one process: embedded Temporal (unless configured), worker and API')
  .action(runRole('all'));
program
  .command('worker')
  .description('only the Temporal worker (workflows and activities)')
  .action(runRole('worker'));
program.command('server').description('only the HTTP API').action(runRole('server'));

program
  .command('toolchain')
  .description(
    'find or build what the tests need (Temporal CLI, time-skipping test server, the S3 server versitygw; with --system-tools also Chromium, ffmpeg, poppler, fonts and the Schemathesis API fuzzer) and print where they are',
  )
  .option('--system-tools', 'also find or install (apt, as root) the system programs the test suite needs')
  .action(async (options: { systemTools?: boolean }) => {
    if (options.systemTools) {
      for (const what of await ensureSystemTools()) process.stdout.write(`Found:                ${what}\n`);
      process.stdout.write(`Schemathesis:         ${await ensureSchemathesis()}\n`);
    }
    const found = await ensureToolchain();
    process.stdout.write(`Temporal CLI:         ${found.cli}\nTemporal test server: ${found.testServer}\n`);
    process.stdout.write(`S3 server:            ${await resolveVersitygw()}\n`);
  });

registerCatalogueCommands(program);
registerDataCommands(program);
registerBlobsCommands(program);
registerRulesCommands(program);
registerUsersCommands(program);
registerUploadCommand(program);

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(
    `assetflow: ${isAssetflowError(error) ? error.message : ((error as Error).stack ?? String(error))}\n`,
  );
  process.exit(1);
});
