import type { Command } from 'commander';
import { BlobRepository } from '../catalogue/blob.repository';
import type { AppConfig } from '../config/config.schema';
import { configFilePath, loadConfig, setConfigValue } from '../config/load-config';
import { openBlobStore } from '../runtime/catalogue';
import { migrateBlobs } from '../services/blob-migration.service';
import { withStorage } from './catalogue-commands';
import { mebibytes, progressBar } from './progress';

const say = (line: string) => process.stderr.write(`${line}\n`);

type S3Options = {
  bucket?: string;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  coldBucket?: string;
};

export function registerBlobsCommands(program: Command) {
  const blobs = program.command('blobs').description('the blob store');
  blobs
    .command('migrate')
    .description(
      'copy every blob and its renditions from the file system (blobs.dir) into S3, checking each against its sha256 (run again after an interruption); with --switch, then point the configuration file at S3',
    )
    .requiredOption('--to <store>', 'the store to move to: s3')
    .option('--bucket <name>', 'the bucket (default: blobs.s3.bucket of the configuration)')
    .option('--region <region>', 'the bucket’s region')
    .option('--endpoint <url>', 'an S3-compatible server’s URL')
    .option('--force-path-style', 'path-style URLs (most S3-compatible servers)')
    .option('--cold-bucket <name>', 'the cold tier as a second bucket (default: cold/ in the bucket)')
    .option(
      '--switch',
      'after a complete pass, write blobs.s3 into the configuration file (Assetflow stopped)',
    )
    .action((options: S3Options & { to: string; switch?: boolean }) => {
      if (options.to !== 's3') throw new Error(`--to ${options.to}: only "s3" is supported`);
      return withStorage(program, async (storage, config) => {
        const s3 = s3Settings(options, config);
        const from = await openBlobStore({ dir: config.blobs.dir, coldDir: config.blobs.coldDir });
        const to = await openBlobStore({ dir: config.blobs.dir, s3 });
        try {
          const bar = progressBar('blobs');
          say(
            `Copying the blobs in ${config.blobs.dir} to s3://${s3.bucket}${s3.endpoint ? ` at ${s3.endpoint}` : ''}…`,
          );
          const report = await migrateBlobs(
            { from, to, records: new BlobRepository(storage.database.db) },
            bar,
          );
          say(
            `${report.total} blobs: ${report.copied} copied (${mebibytes(report.bytesCopied)}), ${report.alreadyThere} already there, ` +
              `${report.renditionsCopied} renditions copied; ${report.missing.length} missing, ${report.corrupt.length} damaged.`,
          );
          for (const sha of report.missing) say(`  missing  ${sha}`);
          for (const sha of report.corrupt) say(`  damaged  ${sha}`);
          if (report.missing.length + report.corrupt.length > 0) {
            say(
              'The configuration was not changed: fix or restore the blobs above (npx assetflow fsck), then run again.',
            );
            process.exitCode = 1;
            return;
          }
          if (!options.switch) {
            say(
              `Every blob is in S3. Stop Assetflow (servers and workers), run this again with --switch (it copies what arrived meanwhile, then changes the configuration), and start it. The files in ${config.blobs.dir} were not changed.`,
            );
            return;
          }
          const file = configFilePath({ file: program.opts().config });
          // Merged: settings of blobs.s3 the command has no flag for (cache size, downloads) stay.
          const kept = loadConfig({ file, env: {} }).blobs.s3 ?? {};
          setConfigValue(file, ['blobs', 's3'], { ...kept, ...s3 });
          say(
            `Every blob is in S3; ${file} now has blobs.s3. Start Assetflow (servers and workers) to use it. The files in ${config.blobs.dir} were not changed.`,
          );
        } finally {
          await from.close();
          await to.close();
        }
      });
    });
}

function s3Settings(options: S3Options, config: AppConfig): NonNullable<AppConfig['blobs']['s3']> {
  const configured = config.blobs.s3;
  const bucket = options.bucket ?? configured?.bucket;
  const region = options.region ?? configured?.region;
  if (!bucket || !region)
    throw new Error(
      'Name the bucket and its region: --bucket and --region (or blobs.s3 in the configuration).',
    );
  const endpoint = options.endpoint ?? configured?.endpoint;
  const coldBucket = options.coldBucket ?? configured?.coldBucket;
  const forcePathStyle = options.forcePathStyle ?? configured?.forcePathStyle;
  return {
    bucket,
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(forcePathStyle ? { forcePathStyle } : {}),
    ...(coldBucket ? { coldBucket } : {}),
  };
}
