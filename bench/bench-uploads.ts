import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import sharp from 'sharp';
import type { Database } from '../catalogue/database';
import { SearchIndexer } from '../operations/search-indexer';
import type { storageOn } from '../runtime/catalogue';
import { AssetService } from '../services/asset.service';
import { RuleSetService } from '../services/rule-set.service';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';

/**
 * Uploads for the workflow benches, through the asset service as the API makes them, and a count
 * of the assets that reached `stored`. Every upload is its own picture (random pixels): with one
 * picture for all, each upload's duplicate lookup matched every earlier asset, and opening
 * thousands of workflows grew quadratically.
 */
export function benchUploads(
  database: Database,
  storage: ReturnType<typeof storageOn>,
  workflows: AssetWorkflows,
) {
  const service = new AssetService({
    assets: storage.assets,
    indexer: new SearchIndexer(storage.search, storage.ruleSets),
    duplicates: storage.duplicates,
    visualFeatures: storage.visualFeatures,
    maxImagePixels: 100_000_000,
    workflows,
    defaultRuleSet: 'default',
    ruleSets: new RuleSetService(storage.ruleSets),
  });
  const imageOf = () =>
    sharp(randomBytes(32 * 32 * 3), { raw: { width: 32, height: 32, channels: 3 } })
      .png()
      .toBuffer();
  return {
    /** Uploads picture `i`; resolves to the new asset's id once its workflow has started. */
    async upload(i: number): Promise<string> {
      const blob = await storage.blobs.write(Readable.from([await imageOf()]));
      const [outcome] = await service.createFromUpload(
        { files: [{ blob, filename: `bench-${i}.png`, declaredMediaType: 'image/png' }], fields: {} },
        { email: 'bench@localhost', project: 'default', levelsOn: async () => new Map() },
      );
      return outcome!.asset.id;
    },
    async storedCount(): Promise<number> {
      const { rows } = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM assets WHERE state = 'stored'`.execute(database.db);
      return Number(rows[0]!.n);
    },
  };
}

/** How many uploads (or workflows) the workflow benches keep in flight. */
export const IN_FLIGHT = 16;

/** Runs `work(0…count − 1)`, IN_FLIGHT at a time, each lane starting the next when one ends. */
export async function inParallel(count: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = next++; i < count; i = next++) await work(i);
    }),
  );
}
