import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadAnchorKey } from '../catalogue/audit-anchor-key';
import type { AppConfig } from '../config/config.schema';
import { loadConfig } from '../config/load-config';
import { SearchIndexer } from '../operations/search-indexer';
import { openCatalogue, openStorage, type Storage } from '../runtime/catalogue';
import { traceOf } from '../runtime/distribution';
import type { EmbeddedPostgres } from '../runtime/embedded-postgres';
import { AuditAnchoring, type TrailVerdict, verifyTrail } from '../services/audit-anchoring.service';
import { backfillVisualFeatures } from '../services/visual-backfill';

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
    await storage.blobs.close();
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

/** `migrate`, `audit verify`, `trace`, `search reindex` and `duplicates backfill`. */
export function registerCatalogueCommands(program: Command) {
  program
    .command('migrate')
    .description('bring the catalogue schema up to date and exit')
    .action(async () => {
      const { database } = await openCatalogue(configOf(program), { use: 'command', log: say });
      await database.close();
      say('Catalogue is up to date.');
    });

  const audit = program.command('audit').description('the distribution trail');
  audit
    .command('verify')
    .description(
      'recompute the hash chain and check it against the signed anchors; exit 1 when tampered with, 2 when it cannot be checked',
    )
    .action(() =>
      withStorage(program, async (storage, config) => {
        const key = await loadAnchorKey({ keyFile: config.audit.keyFile, create: false });
        const result = await verifyTrail(storage.audit, config.audit.anchorFile, key?.key ?? null);
        for (const line of describeVerdict(result, config.audit.anchorFile)) say(line);
        process.exitCode = { intact: 0, tampered: 1, unverified: 2 }[result.verdict];
      }),
    );
  audit
    .command('anchor')
    .description(
      "sign the trail's head and append it to the anchor file now (the server does this on a timer)",
    )
    .action(() =>
      withStorage(program, async (storage, config) => {
        const { key } = (await loadAnchorKey({ keyFile: config.audit.keyFile, create: true }))!;
        const outcome = await new AuditAnchoring({
          audit: storage.audit,
          file: config.audit.anchorFile,
          key,
        }).anchor();
        if (outcome.kind === 'written') say(`Anchored event ${outcome.anchor.seq} (${outcome.anchor.hash}).`);
        else if (outcome.kind === 'unchanged') say(`Event ${outcome.seq} is already the anchored head.`);
        else if (outcome.kind === 'empty') say('The trail is empty: nothing to anchor.');
        else {
          say(`Not anchored: ${outcome.reason}. Run \`assetflow audit verify\`.`);
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

  program
    .command('duplicates')
    .description('the near-duplicate index')
    .command('backfill')
    .description(
      'compute the crop-robust region hashes of image versions ingested before they existed (resumable)',
    )
    .action(() =>
      withStorage(program, async (storage, config) => {
        const started = Date.now();
        const { indexed, skipped } = await backfillVisualFeatures(
          { ...storage, maxImagePixels: config.limits.maxImagePixels },
          (done, failed) => process.stderr.write(`  ${done} indexed, ${failed} skipped\n`),
        );
        say(
          `Indexed the regions of ${indexed} versions in ${((Date.now() - started) / 1000).toFixed(1)} s; ${skipped} skipped (bytes gone or undecodable).`,
        );
      }),
    );
}

/** The verdict of `audit verify` in lines: first the verdict, then each problem or the caveat. */
function describeVerdict(result: TrailVerdict, anchorFile: string): string[] {
  const { chain, lastAnchor: last } = result;
  const anchoredAt = last ? `last anchor: event ${last.seq} at ${last.at}` : 'no anchor';
  if (result.verdict === 'tampered') {
    return [
      `Trail TAMPERED WITH: ${result.problems.length} problem(s).`,
      ...result.problems.map((p) => `  - ${p}`),
      ...(chain.intact
        ? []
        : [`Trail BROKEN at event ${chain.firstBroken.seq} (${chain.events} events verified before it).`]),
    ];
  }
  if (result.verdict === 'unverified') {
    return [
      `Chain intact: ${chain.events} events${chain.intact ? `, head ${chain.headHash}` : ''}.`,
      `NOT VERIFIED against anchors: ${result.unverifiedBecause}. A removed tail or a recomputed chain would not show.`,
    ];
  }
  const unanchored = chain.events - (last?.seq ?? 0);
  return [
    `Trail intact: ${chain.events} events${chain.intact ? `, head ${chain.headHash}` : ''}; ${result.anchors} signed anchor(s) in ${anchorFile} agree (${anchoredAt}).`,
    ...(unanchored > 0
      ? [`${unanchored} event(s) after the last anchor are covered by the chain only until the next anchor.`]
      : []),
  ];
}
