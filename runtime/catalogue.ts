import { FileBlobStore } from '../blobstore/file-blob-store';
import { AccessRepository } from '../catalogue/access.repository';
import { AnalyticsRepository } from '../catalogue/analytics.repository';
import { ApprovalRepository } from '../catalogue/approval.repository';
import { AssetRepository } from '../catalogue/asset.repository';
import { AuditRepository } from '../catalogue/audit.repository';
import { CommentRepository } from '../catalogue/comment.repository';
import { type Database, openDatabase } from '../catalogue/database';
import { DuplicateRepository } from '../catalogue/duplicate.repository';
import { IdentityRepository } from '../catalogue/identity.repository';
import { NotificationRepository } from '../catalogue/notification.repository';
import { RenditionRepository } from '../catalogue/rendition.repository';
import { RuleSetRepository } from '../catalogue/rule-set.repository';
import { SearchRepository } from '../catalogue/search.repository';
import { ShareRepository } from '../catalogue/share.repository';
import type { AppConfig } from '../config/config.schema';

/** What both the worker and the server need: the catalogue (migrated) and the blob store. */
export interface Storage {
  database: Database;
  assets: AssetRepository;
  ruleSets: RuleSetRepository;
  approvals: ApprovalRepository;
  duplicates: DuplicateRepository;
  renditions: RenditionRepository;
  search: SearchRepository;
  identity: IdentityRepository;
  access: AccessRepository;
  shares: ShareRepository;
  audit: AuditRepository;
  comments: CommentRepository;
  notifications: NotificationRepository;
  analytics: AnalyticsRepository;
  blobs: FileBlobStore;
}

export async function openStorage(config: AppConfig): Promise<Storage> {
  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  return storageOn(database, config.blobs.dir, config.blobs.coldDir);
}

export function storageOn(database: Database, blobDir: string, coldDir?: string): Storage {
  return {
    database,
    assets: new AssetRepository(database.db),
    ruleSets: new RuleSetRepository(database.db),
    approvals: new ApprovalRepository(database.db),
    duplicates: new DuplicateRepository(database.db),
    renditions: new RenditionRepository(database.db),
    search: new SearchRepository(database.db),
    identity: new IdentityRepository(database.db),
    access: new AccessRepository(database.db),
    shares: new ShareRepository(database.db),
    audit: new AuditRepository(database.db),
    comments: new CommentRepository(database.db),
    notifications: new NotificationRepository(database.db),
    analytics: new AnalyticsRepository(database.db),
    blobs: new FileBlobStore(blobDir, coldDir),
  };
}
