#!/usr/bin/env node
import { Command } from 'commander';
import { openDatabase } from '../catalogue/database';
import { loadConfig } from '../config/load-config';
import { isAssetflowError } from '../domain/errors';
import { openStorage } from '../runtime/catalogue';
import { traceOf } from '../runtime/distribution';
import { type Role, start } from '../runtime/start';
import { SearchIndexer } from '../services/search-indexer';
import { ensureToolchain } from '../toolchain/ephemeral-servers';
import { registerRulesCommands } from './rules-commands';

const program = new Command('assetflow')
  .description('Assetflow: digital asset management on Temporal')
  .option('-c, --config <file>', 'configuration file (default: ./temporal.config.yaml)');

function runRole(role: Role) {
  return async () => {
    const config = loadConfig({ file: program.opts().config });
    const running = await start(config, role);
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`\n${signal} received: stopping the server, the worker and Temporal…\n`);
      await running.stop();
      process.stdout.write('Stopped.\n');
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
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

program
  .command('migrate')
  .description('bring the catalogue schema up to date and exit')
  .action(async () => {
    const config = loadConfig({ file: program.opts().config });
    const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
    await database.close();
    process.stdout.write('Catalogue is up to date.\n');
  });

program
  .command('audit')
  .description('the distribution trail')
  .command('verify')
  .description('recompute the hash chain of the trail; exit 1 naming the first broken event')
  .action(async () => {
    const config = loadConfig({ file: program.opts().config });
    const storage = await openStorage(config);
    try {
      const verdict = await storage.audit.verify();
      if (verdict.intact) {
        process.stdout.write(`Trail intact: ${verdict.events} events, head ${verdict.headHash}.\n`);
      } else {
        const { seq, reason } = verdict.firstBroken;
        process.stdout.write(
          `Trail BROKEN at event ${seq}: ${reason} (${verdict.events} events verified before it).\n`,
        );
        process.exitCode = 1;
      }
    } finally {
      await storage.database.close();
    }
  });

program
  .command('trace')
  .argument('<image>', 'the suspect image file')
  .description('read the invisible watermark of a leaked image and name the distribution it came from')
  .option(
    '--asset <id>',
    'compare a cropped image with this asset only (else the likeliest marked renditions)',
  )
  .action(async (image: string, options: { asset?: string }) => {
    const config = loadConfig({ file: program.opts().config });
    const storage = await openStorage(config);
    try {
      const { readFile } = await import('node:fs/promises');
      const result = await traceOf(storage, config.limits).trace(await readFile(image), {
        assetId: options.asset,
      });
      if (!result.found) {
        process.stdout.write(`${result.message} (confidence ${result.confidence})\n`);
        process.exitCode = 1;
        return;
      }
      const located = result.match
        ? `, located in asset ${result.match.assetId} v${result.match.version} ${result.match.rendition} at scale ${result.match.scale.toFixed(3)}`
        : '';
      process.stdout.write(`Watermark ${result.payload} (confidence ${result.confidence}${located}):\n`);
      for (const e of result.events) {
        process.stdout.write(
          `  ${e.at}  ${e.actor}  asset ${e.assetId} v${e.version} ${e.rendition ?? ''}${e.shareId ? `  link ${e.shareId}` : ''}  from ${e.address ?? '?'}\n`,
        );
      }
    } finally {
      await storage.database.close();
    }
  });

program
  .command('search')
  .description('the search index')
  .command('reindex')
  .description("rebuild every asset's search document from the catalogue")
  .action(async () => {
    const config = loadConfig({ file: program.opts().config });
    const storage = await openStorage(config);
    try {
      const started = Date.now();
      const count = await new SearchIndexer(storage.search, storage.ruleSets).reindexAll((done, total) =>
        process.stderr.write(`  ${done}/${total}\n`),
      );
      process.stdout.write(`Reindexed ${count} assets in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    } finally {
      await storage.database.close();
    }
  });

registerRulesCommands(program);

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(
    `assetflow: ${isAssetflowError(error) ? error.message : ((error as Error).stack ?? String(error))}\n`,
  );
  process.exit(1);
});
