import { hostname } from 'node:os';
import type { BlobStore, BlobWriter } from '../blobstore/blob-store';
import { FileBlobStore } from '../blobstore/file-blob-store';
import { S3BlobStore } from '../blobstore/s3-blob-store';
import { createS3Client } from '../blobstore/s3-client';
import { AccessRepository } from '../catalogue/access.repository';
import { AnalyticsRepository } from '../catalogue/analytics.repository';
import { ApprovalRepository } from '../catalogue/approval.repository';
import { AssetRepository } from '../catalogue/asset.repository';
import { AuditRepository } from '../catalogue/audit.repository';
import { CollectionRepository } from '../catalogue/collection.repository';
import { CommentRepository } from '../catalogue/comment.repository';
import { type Database, openDatabase } from '../catalogue/database';
import { DuplicateRepository } from '../catalogue/duplicate.repository';
import { IdentityRepository } from '../catalogue/identity.repository';
import { NotificationRepository } from '../catalogue/notification.repository';
import { RenditionRepository } from '../catalogue/rendition.repository';
import { RuleSetRepository } from '../catalogue/rule-set.repository';
import { SavedSearchRepository } from '../catalogue/saved-search.repository';
import { SearchRepository } from '../catalogue/search.repository';
import { ShareRepository } from '../catalogue/share.repository';
import { VisualFeatureRepository } from '../catalogue/visual-feature.repository';
import type { AppConfig } from '../config/config.schema';
import { type EmbeddedPostgres, type EmbeddedUse, openEmbeddedPostgres } from './embedded-postgres';
import { migrateLegacyPglite } from './legacy-pglite';
import { isRunning, thisProcess } from './processes';

/** What both the worker and the server need: the catalogue (migrated) and the blob store. */
export interface Storage {
  database: Database;
  assets: AssetRepository;
  ruleSets: RuleSetRepository;
  approvals: ApprovalRepository;
  duplicates: DuplicateRepository;
  visualFeatures: VisualFeatureRepository;
  renditions: RenditionRepository;
  search: SearchRepository;
  identity: IdentityRepository;
  access: AccessRepository;
  shares: ShareRepository;
  audit: AuditRepository;
  comments: CommentRepository;
  notifications: NotificationRepository;
  savedSearches: SavedSearchRepository;
  collections: CollectionRepository;
  analytics: AnalyticsRepository;
  blobs: BlobStore;
}

export interface OpenCatalogueOptions {
  /**
   * `service` for long-running processes (`start`, `worker`, `server`), `command` for the CLI's
   * short commands; decides who may borrow an embedded server (see runtime/embedded-postgres.ts).
   */
  use: EmbeddedUse;
  log?: (message: string) => void;
  /** Run migrations (the default). */
  migrate?: boolean;
}

/** An open catalogue and, on the embedded default, the PostgreSQL server behind it. */
export interface Catalogue {
  database: Database;
  /**
   * The embedded server (undefined with `database.url`). When `owned`, this process started it
   * and it stops with `database.close()`.
   */
  embedded: EmbeddedPostgres | undefined;
}

/**
 * Opens the catalogue the configuration names: `database.url`, or on the embedded default the
 * data directory's PostgreSQL server, started if none runs. Closing the database also stops a
 * server this process started.
 */
export async function openCatalogue(config: AppConfig, options: OpenCatalogueOptions): Promise<Catalogue> {
  if (config.database.url !== 'embedded') {
    const database = await openDatabase({ url: config.database.url, migrate: options.migrate });
    return { database, embedded: undefined };
  }
  const embedded = await openEmbeddedPostgres({
    dataDir: config.database.dataDir,
    use: options.use,
    ...(options.log ? { log: options.log } : {}),
    prepare: (url) => migrateLegacyPglite(config, url, options.log),
  });
  let database: Database;
  try {
    database = await openDatabase({ url: embedded.url, migrate: options.migrate });
  } catch (error) {
    await embedded.stop(0);
    throw error;
  }
  const close = database.close;
  database.close = async () => {
    await close();
    await embedded.stop();
  };
  return { database, embedded };
}

export async function openStorage(
  config: AppConfig,
  options: OpenCatalogueOptions,
): Promise<Storage & { embedded: EmbeddedPostgres | undefined }> {
  const { database, embedded } = await openCatalogue(config, options);
  return { ...storageOn(database, await openBlobStore(config.blobs)), embedded };
}

/**
 * Temporaries in the blob store carry `<host>~<pid>~<start time>` of the process writing them, so
 * a restart deletes exactly those whose writer is gone, on this host, whatever their age.
 */
export function processBlobWriter(): BlobWriter {
  const host = hostname().replace(/[^\w-]/g, '-');
  const me = thisProcess();
  return {
    tag: `${host}~${me.pid}~${me.startedAt ?? 0}`,
    isRunning: (tag) => {
      const [onHost, pid, startedAt] = tag.split('~');
      if (onHost !== host || !pid || !/^\d+$/.test(pid)) return undefined;
      return isRunning({ pid: Number(pid), startedAt: Number(startedAt) || null });
    },
  };
}

/** The repositories on a catalogue, and the blob store (a directory: the file-system store there). */
export function storageOn(database: Database, blobs: BlobStore | string): Storage {
  return {
    database,
    assets: new AssetRepository(database.db),
    ruleSets: new RuleSetRepository(database.db),
    approvals: new ApprovalRepository(database.db),
    duplicates: new DuplicateRepository(database.db),
    visualFeatures: new VisualFeatureRepository(database.db),
    renditions: new RenditionRepository(database.db),
    search: new SearchRepository(database.db),
    identity: new IdentityRepository(database.db),
    access: new AccessRepository(database.db),
    shares: new ShareRepository(database.db),
    audit: new AuditRepository(database.db),
    comments: new CommentRepository(database.db),
    notifications: new NotificationRepository(database.db),
    savedSearches: new SavedSearchRepository(database.db),
    collections: new CollectionRepository(database.db),
    analytics: new AnalyticsRepository(database.db),
    blobs: typeof blobs === 'string' ? new FileBlobStore(blobs, undefined, processBlobWriter()) : blobs,
  };
}

/**
 * The installation's blob store: S3-compatible object storage when `blobs.s3` is set (its buckets
 * checked now, so a wrong name fails at start), the file system under `blobs.dir` otherwise.
 */
export async function openBlobStore(blobs: AppConfig['blobs']): Promise<BlobStore> {
  if (!blobs.s3) return new FileBlobStore(blobs.dir, blobs.coldDir, processBlobWriter());
  const { bucket, coldBucket, cacheMaxBytes, ...endpoint } = blobs.s3;
  const store = new S3BlobStore(
    createS3Client(endpoint),
    { bucket, coldBucket },
    blobs.dir,
    cacheMaxBytes ?? DEFAULT_S3_CACHE_BYTES,
    processBlobWriter(),
  );
  try {
    await store.checkBuckets();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** The local read cache of the S3 store, unless configured: 20 GiB. */
const DEFAULT_S3_CACHE_BYTES = 20 * 1024 ** 3;
