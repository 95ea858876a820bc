#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig } from '../config/load-config';
import { isAssetflowError } from '../domain/errors';
import { type Role, start } from '../runtime/start';
import { ensureToolchain } from '../toolchain/ephemeral-servers';
import { registerCatalogueCommands } from './catalogue-commands';
import { registerDataCommands } from './data-commands';
import { registerRulesCommands } from './rules-commands';

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
      await running.stop();
      process.stdout.write('Stopped.\n');
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
  .description('find or build the Temporal CLI and the time-skipping test server, and print where they are')
  .action(async () => {
    const found = await ensureToolchain();
    process.stdout.write(`Temporal CLI:         ${found.cli}\nTemporal test server: ${found.testServer}\n`);
  });

registerCatalogueCommands(program);
registerDataCommands(program);
registerRulesCommands(program);

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(
    `assetflow: ${isAssetflowError(error) ? error.message : ((error as Error).stack ?? String(error))}\n`,
  );
  process.exit(1);
});
