import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { BasicColour } from '../../imaging/colour-names';
import { SearchIndexer } from '../../operations/search-indexer';
import type { Storage } from '../../runtime/catalogue';

/** What a search test needs an asset to be; everything else is a fixed JPEG of the ecommerce rule set. */
export interface IndexedAsset {
  id: string;
  name: string;
  capturedAt: string;
  colour: BasicColour;
  tags: string[];
  dimensions: Record<string, string[]>;
  project: string;
  metadata?: Record<string, unknown>;
  lastUsedAt?: string | null;
  /** Upload time (default: now). */
  createdAt?: string;
}

/**
 * An analysed, indexed asset made directly in the catalogue, without an upload or a workflow:
 * for tests whose subject is search, not ingest.
 */
export async function addIndexedAsset(storage: Storage, asset: IndexedAsset): Promise<void> {
  const { assets, search, ruleSets } = storage;
  const ruleSet = (await ruleSets.latest('ecommerce'))!;
  const metadata = asset.metadata ?? {};
  await assets.create({
    id: asset.id,
    workflowId: `asset-${asset.id}`,
    displayName: asset.name,
    ruleSet: 'ecommerce',
    ruleSetVersion: ruleSet.version,
    metadata,
    blob: { sha256: createHash('sha256').update(asset.id).digest('hex'), sizeBytes: 1 },
    declaredMediaType: 'image/jpeg',
    dimensions: asset.dimensions,
    project: asset.project,
  });
  if (asset.createdAt) {
    await sql`UPDATE assets SET created_at = ${asset.createdAt} WHERE id = ${asset.id}`.execute(
      storage.database.db,
    );
  }
  await assets.saveAnalysis(asset.id, 1, {
    kind: 'image',
    format: 'jpeg',
    width: 100,
    height: 100,
    embedded: { capturedAt: asset.capturedAt },
    colours: {
      palette: [
        { hex: '#000000', share: 0.8, name: { en: asset.colour, zh: asset.colour }, family: asset.colour },
      ],
      tone: { temperature: 'neutral', brightness: 'medium' },
    },
  });
  await assets.saveStatus(asset.id, {
    kind: 'image',
    tags: asset.tags,
    metadata,
    frozen: null,
    legalHold: null,
    tier: 'hot',
    compliance: null,
    lastUsedAt: asset.lastUsedAt ?? (null as unknown as string),
    ruleSetVersion: ruleSet.version,
  });
  await new SearchIndexer(search, ruleSets).reindex(asset.id);
}
