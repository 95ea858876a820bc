import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { AppConfig } from '../config/config.schema';
import { loadConfig } from '../config/load-config';
import { SearchIndexer } from '../operations/search-indexer';
import { openCatalogue, openStorage, type Storage } from '../runtime/catalogue';
import { traceOf } from '../runtime/distribution';
import type { EmbeddedPostgres } from '../runtime/embedded-postgres';

/** The configuration the `-c` option names (or the default file). */
export function configOf(program: Command): AppConfig {
  return loadConfig({ file: program.opts().config });
}

/**
 * Runs a short command on the catalogue and the blob store. On the embedded default it connects
 * to the server `npm start` runs, or starts one for the command and stops it afterwards; it never
 * opens the data files itself, so it is safe beside a running Assetflow.
 */
export async function withStorage<T>(
  program: Command,
  work: (storage: Storage, config: AppConfig) => Promise<T>,
) {
  const config = configOf(program);
  const storage = await openStorage(config, { use: 'command', log: say });
  try {
    return await untilServerGone(storage.embedded, work(storage, config));
  } finally {
    await storage.database.close();
  }
}

/**
 * A server borrowed from `npm start` goes when it goes: the command stops at once and says so,
 * not after every query has timed out.
 */
export function untilServerGone<T>(embedded: EmbeddedPostgres | undefined, work: Promise<T>): Promise<T> {
  if (!embedded) return work;
  const gone = embedded.exited.then((how): never => {
    throw new Error(`the embedded PostgreSQL stopped while this command ran (${how})`);
  });
  gone.catch(() => {}); // observed by the race; never an unhandled rejection
  return Promise.race([work, gone]);
}

export function say(message: string) {
  process.stdout.write(`${message}\n`);
}

/** `migrate`, `audit verify`, `trace` and `search reindex`. */
export function registerCatalogueCommands(program: Command) {
  program
    .command('migrate')
    .description('bring the catalogue schema up to date and exit')
    .action(async () => {
      const { database } = await openCatalogue(configOf(program), { use: 'command', log: say });
      await database.close();
      say('Catalogue is up to date.');
    });

  program
    .command('audit')
    .description('the distribution trail')
    .command('verify')
    .description('recompute the hash chain of the trail; exit 1 naming the first broken event')
    .action(() =>
      withStorage(program, async (storage) => {
        const verdict = await storage.audit.verify();
        if (verdict.intact) {
          say(`Trail intact: ${verdict.events} events, head ${verdict.headHash}.`);
        } else {
          const { seq, reason } = verdict.firstBroken;
          say(`Trail BROKEN at event ${seq}: ${reason} (${verdict.events} events verified before it).`);
          process.exitCode = 1;
        }
      }),
    );

  program
    .command('trace')
    .argument('<image>', 'the suspect image file')
    .description('read the invisible watermark of a leaked image and name the distribution it came from')
    .option(
      '--asset <id>',
      'compare a cropped image with this asset only (else the likeliest marked renditions)',
    )
    .action((image: string, options: { asset?: string }) =>
      withStorage(program, async (storage, config) => {
        const result = await traceOf(storage, config.limits).trace(await readFile(image), {
          assetId: options.asset,
        });
        if (!result.found) {
          say(`${result.message} (confidence ${result.confidence})`);
          process.exitCode = 1;
          return;
        }
        const located = result.match
          ? `, located in asset ${result.match.assetId} v${result.match.version} ${result.match.rendition} at scale ${result.match.scale.toFixed(3)}`
          : '';
        say(`Watermark ${result.payload} (confidence ${result.confidence}${located}):`);
        for (const e of result.events) {
          say(
            `  ${e.at}  ${e.actor}  asset ${e.assetId} v${e.version} ${e.rendition ?? ''}${e.shareId ? `  link ${e.shareId}` : ''}  from ${e.address ?? '?'}`,
          );
        }
      }),
    );

  program
    .command('search')
    .description('the search index')
    .command('reindex')
    .description("rebuild every asset's search document from the catalogue")
    .action(() =>
      withStorage(program, async (storage) => {
        const started = Date.now();
        const count = await new SearchIndexer(storage.search, storage.ruleSets).reindexAll((done, total) =>
          process.stderr.write(`  ${done}/${total}\n`),
        );
        say(`Reindexed ${count} assets in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      }),
    );
}
