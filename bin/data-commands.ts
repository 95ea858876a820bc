import path from 'node:path';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { BlobRepository } from '../catalogue/blob.repository';
import { openBlobStore, openCatalogue } from '../runtime/catalogue';
import { backup, restore } from '../services/backup.service';
import { checkFixity } from '../services/fixity.service';
import { configOf, say, untilServerGone, withStorage } from './catalogue-commands';
import { mebibytes, progressBar } from './progress';

/** `backup`, `restore` and `fsck`: the installation's data as a whole. */
export function registerDataCommands(program: Command) {
  program
    .command('backup')
    .argument('<dir>', 'backup directory (created; a later backup into it copies only new blobs)')
    .description('write a consistent snapshot of the catalogue and every blob it names, while Assetflow runs')
    .action((dir: string) =>
      withStorage(program, async (storage) => {
        const started = Date.now();
        const report = await backup(
          { databaseUrl: storage.database.url, blobs: storage.blobs },
          path.resolve(dir),
          progressBar('blobs'),
        );
        const rows = report.manifest.tables.reduce((sum, t) => sum + t.rows, 0);
        say(
          `Backed up ${rows} rows in ${report.manifest.tables.length} tables (trail head ${report.manifest.trailHead?.hash ?? '(empty)'}) ` +
            `and ${report.manifest.blobs.length} blobs (${report.copied} copied, ${mebibytes(report.bytesCopied)}; ${report.alreadyThere} already there) ` +
            `into ${path.resolve(dir)} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
        );
        if (report.missing.length + report.corrupt.length > 0) {
          say(
            `NOT COMPLETE: ${report.missing.length} blob(s) missing from the store and ${report.corrupt.length} damaged; run \`assetflow fsck\`.`,
          );
          for (const sha of [...report.missing, ...report.corrupt].slice(0, 20)) say(`  ${sha}`);
          process.exitCode = 1;
        }
      }),
    );

  program
    .command('restore')
    .argument('<dir>', 'a directory written by `assetflow backup`')
    .description(
      'restore a backup into an empty catalogue and the configured blob store, then verify the trail',
    )
    .action(async (dir: string) => {
      const config = configOf(program);
      const { database, embedded } = await openCatalogue(config, {
        use: 'command',
        log: say,
        migrate: false,
      });
      const blobs = await openBlobStore(config.blobs);
      try {
        const report = await untilServerGone(
          embedded,
          restore(
            {
              db: database.db as unknown as Kysely<unknown>,
              databaseUrl: database.url,
              blobs,
            },
            path.resolve(dir),
            progressBar('blobs'),
          ),
        );
        const rows = report.manifest.tables.reduce((sum, t) => sum + t.rows, 0);
        say(
          `Restored ${rows} rows in ${report.manifest.tables.length} tables and ${report.manifest.blobs.length} blobs ` +
            `(${report.blobsCopied} copied, ${report.blobsAlreadyThere} already there), taken ${report.manifest.takenAt}.`,
        );
        if (report.trail.intact)
          say(`Trail intact: ${report.trail.events} events, head ${report.trail.headHash}.`);
        else {
          say(`Trail BROKEN at event ${report.trail.firstBroken.seq}: ${report.trail.firstBroken.reason}.`);
          process.exitCode = 1;
        }
      } finally {
        await database.close();
        await blobs.close();
      }
    });

  program
    .command('fsck')
    .description('re-hash every stored blob and report missing or damaged ones (changes nothing; resumable)')
    .option('--restart', 'start over instead of going on from an interrupted check')
    .action((options: { restart?: boolean }) =>
      withStorage(program, async (storage, config) => {
        const bar = progressBar('fsck');
        const report = await checkFixity(
          { blobs: storage.blobs, records: new BlobRepository(storage.database.db) },
          path.join(config.blobs.dir, 'fsck-checkpoint.json'),
          { restart: options.restart, progress: (done, total, bytes) => bar(done, total, mebibytes(bytes)) },
        );
        if (report.resumedAfter) say(`(went on from an interrupted check, after ${report.resumedAfter})`);
        say(
          `Checked ${report.checked} blobs (${mebibytes(report.bytes)}): ${report.missing.length} missing, ${report.corrupt.length} damaged.`,
        );
        for (const sha of report.missing) say(`  missing  ${sha}`);
        for (const { sha256, actual } of report.corrupt)
          say(`  damaged  ${sha256} (bytes hash to ${actual})`);
        if (report.missing.length + report.corrupt.length > 0) process.exitCode = 1;
      }),
    );
}
