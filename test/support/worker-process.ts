/**
 * One Assetflow worker in a process of its own, so a test can kill it with SIGKILL the way a
 * machine failure would. Started by `spawnWorkerProcess`; its settings arrive as one JSON argument.
 *
 * With `holdAfter` set, the named activity does its real work, prints `HELD <activity>` on stdout
 * and then never returns (while still heartbeating), so the test knows the work is done on disk
 * and in the catalogue but its result has not reached Temporal.
 */
import { Context } from '@temporalio/activity';
import { NativeConnection } from '@temporalio/worker';
import { openDatabase } from '../../catalogue/database';
import type { AppConfig } from '../../config/config.schema';
import { openBlobStore, storageOn } from '../../runtime/catalogue';
import { createAssetflowWorker, installTemporalRuntime } from '../../runtime/worker';
import { ruleTaggingOnly } from '../../tagging/offline-tagging';

export interface WorkerProcessSettings {
  temporalAddress: string;
  taskQueue: string;
  databaseUrl: string;
  /** The harness's `blobs` configuration: a directory, or S3 (credentials from the environment). */
  blobs: AppConfig['blobs'];
  workflowBundle: string;
  maxImagePixels: number;
  holdAfter?: string;
}

async function main() {
  const settings = JSON.parse(process.argv[2] ?? '{}') as WorkerProcessSettings;
  installTemporalRuntime();
  const database = await openDatabase({ url: settings.databaseUrl, migrate: false });
  const storage = storageOn(database, await openBlobStore(settings.blobs));
  const connection = await NativeConnection.connect({ address: settings.temporalAddress });
  const worker = await createAssetflowWorker({
    connection,
    namespace: 'default',
    taskQueue: settings.taskQueue,
    activityDeps: {
      ...storage,
      limits: { maxImagePixels: settings.maxImagePixels },
      tagging: ruleTaggingOnly(),
    },
    workflowBundle: { codePath: settings.workflowBundle },
    interceptors: {
      activity: [
        () => ({
          inbound: {
            async execute(input, next) {
              const context = Context.current();
              const result = await next(input);
              if (context.info.activityType !== settings.holdAfter) return result;
              process.stdout.write(`HELD ${settings.holdAfter}\n`);
              setInterval(() => context.heartbeat(), 1_000);
              return new Promise(() => {});
            },
          },
        }),
      ],
    },
  });
  process.stdout.write('READY\n');
  await worker.run();
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
