import type { ColumnType, Generated } from 'kysely';

/**
 * Table types of the catalogue, as Kysely sees them. Rows stay inside catalogue/: repositories
 * map them to domain objects before they leave.
 */
export interface CatalogueSchema {
  blobs: BlobsTable;
  assets: AssetsTable;
  asset_versions: AssetVersionsTable;
  asset_transitions: AssetTransitionsTable;
  rule_sets: RuleSetsTable;
  approval_tasks: ApprovalTasksTable;
  perceptual_hashes: PerceptualHashesTable;
  visual_features: VisualFeaturesTable;
  renditions: RenditionsTable;
  search_documents: SearchDocumentsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  projects: ProjectsTable;
  project_grants: ProjectGrantsTable;
  shares: SharesTable;
  audit_events: AuditEventsTable;
  comments: CommentsTable;
  notifications: NotificationsTable;
  saved_searches: SavedSearchesTable;
  collections: CollectionsTable;
  collection_items: CollectionItemsTable;
}

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** int8 comes back as a string from postgres.js and as a number or bigint from PGlite. */
type Int8 = ColumnType<string | number | bigint, number, number>;
type Json = ColumnType<unknown, string, string>;

export interface BlobsTable {
  sha256: string;
  size_bytes: Int8;
  tier: 'hot' | 'cold';
  created_at: CreatedAt;
}

export interface AssetsTable {
  id: string;
  workflow_id: string;
  display_name: string;
  rule_set: string;
  rule_set_version: number | null;
  state: string;
  /** Sequence number of the transition that set `state`; later transitions only move forward. */
  state_seq: number;
  kind: string;
  metadata: Json;
  frozen: ColumnType<unknown | null, string | null, string | null>;
  legal_hold: ColumnType<unknown | null, string | null, string | null>;
  /** In the trash: by, at, from (the state it left), purgeAt; null otherwise. */
  trashed: ColumnType<unknown | null, string | null | undefined, string | null>;
  /** Tags a person added or confirmed: tag → {source: user, by, at}; null when none. */
  tag_sources: ColumnType<unknown | null, string | null | undefined, string | null>;
  tier: ColumnType<'hot' | 'cold', 'hot' | 'cold' | undefined, 'hot' | 'cold'>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  /** Dimension → values the asset is classified under (see the rule set's store.dimensions). */
  dimensions: ColumnType<unknown, string | undefined, string>;
  compliance: ColumnType<unknown | null, string | null, string | null>;
  last_used_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  purged_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  current_version: number;
  /** The project (collection) the asset lives in: the unit of access. */
  project: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AssetVersionsTable {
  asset_id: string;
  version: number;
  blob_sha256: string;
  original_name: string;
  declared_media_type: string;
  /** What the analysis activity found (dimensions, format…); null until it ran. */
  analysis: ColumnType<unknown | null, string | null, string | null>;
  created_by: string | null;
  note: string | null;
  created_at: CreatedAt;
}

export interface AssetTransitionsTable {
  asset_id: string;
  seq: number;
  from_state: string | null;
  to_state: string;
  reason: string;
  at: ColumnType<Date, Date | string, never>;
  id: Generated<string>;
  /** What happened, for entries that are not state changes (null in rows from before 0012). */
  event: string | null;
  actor: string | null;
}

export interface RuleSetsTable {
  name: string;
  version: number;
  source: string;
  plan: Json;
  plan_sha256: string;
  created_at: CreatedAt;
}

export interface ApprovalTasksTable {
  approval_id: string;
  node: string;
  asset_id: string;
  flow: string;
  users: ColumnType<string[], string[], string[]>;
  roles: ColumnType<string[], string[], string[]>;
  quorum: string;
  status: 'pending' | 'approved' | 'rejected' | 'timed-out' | 'cancelled';
  request: Json;
  decisions: Json;
  timeout_at: ColumnType<Date | null, string | null, string | null>;
  created_at: ColumnType<Date, string, string>;
  closed_at: ColumnType<Date | null, string | null, string | null>;
}

export interface PerceptualHashesTable {
  asset_id: string;
  version: number;
  hash: string;
  band0: number;
  band1: number;
  band2: number;
  band3: number;
}

/** Region pHashes of a version (migration 0016, imaging/visual-features.ts). */
export interface VisualFeaturesTable {
  asset_id: string;
  version: number;
  /** Percent of the width and height kept, centred; 100 is the whole frame. */
  scale: number;
  hash: string;
  band0: number;
  band1: number;
  band2: number;
  band3: number;
}

export interface RenditionsTable {
  source_sha256: string;
  /** Preset name plus a hash of its settings: a changed preset is a different rendition. */
  preset_key: string;
  preset: string;
  media_type: string;
  width: number;
  height: number;
  size_bytes: Int8;
  created_at: CreatedAt;
}

export interface SearchDocumentsTable {
  asset_id: string;
  name: string;
  /** tsvector; written as a weighted tsvector literal (search-index-writes.ts), never read back as text. */
  words: ColumnType<string, never, never>;
  facets: string[];
  made_on: ColumnType<Date | string, string, string>;
  last_used_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  created_at: ColumnType<Date, Date | string, Date | string>;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  teams: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface SessionsTable {
  id: Generated<string>;
  secret_sha256: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  address: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  secret_sha256: string;
  created_at: CreatedAt;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface ProjectsTable {
  id: string;
  name: string;
  created_by: string;
  created_at: CreatedAt;
}

export interface ProjectGrantsTable {
  project_id: string;
  /** `user:<id>`, `team:<name>` or `everyone` (every signed-in user). */
  principal: string;
  level: 'view' | 'edit' | 'manage';
}

export interface SharesTable {
  id: string;
  token_sha256: string;
  created_by: string;
  asset_ids: ColumnType<string[], string[], string[]>;
  project: string | null;
  permission: 'view' | 'download';
  audience: string;
  rendition: string;
  password_hash: string | null;
  allowed_emails: ColumnType<string[], string[] | undefined, string[]>;
  max_downloads: number | null;
  downloads: ColumnType<number, number | undefined, number>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
  /** Wrong passwords given for the link from every address (0013); the link locks at a limit. */
  password_failures: ColumnType<number, number | undefined, number>;
}

export interface AuditEventsTable {
  seq: Int8;
  at: ColumnType<Date, Date | string, never>;
  actor: string;
  action: string;
  asset_id: string | null;
  version: number | null;
  rendition: string | null;
  share_id: string | null;
  address: string | null;
  details: Json;
  prev_hash: string;
  hash: string;
}

export interface CommentsTable {
  id: string;
  asset_id: string;
  version: number;
  parent_id: string | null;
  author: string;
  body: string;
  region: ColumnType<unknown | null, string | null, string | null>;
  mentions: ColumnType<string[], string[] | undefined, string[]>;
  resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  resolved_by: string | null;
  created_at: CreatedAt;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  asset_id: string | null;
  message: string;
  payload: ColumnType<unknown, string | undefined, string>;
  dedupe_key: string;
  created_at: CreatedAt;
  read_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface SavedSearchesTable {
  id: string;
  owner: string;
  /** The team it is shared with (a name from `users.teams`), or null for the owner alone. */
  team: string | null;
  name: string;
  q: string;
  filters: Json;
  sort: 'relevance' | 'newest' | 'oldest' | null;
  /** The InterpretedQuery it runs (search/interpret-query.ts), as read on `interpreted_on`. */
  interpreted: Json;
  /** The day relative dates were counted from; a `date`, read back as text (YYYY-MM-DD). */
  interpreted_on: ColumnType<Date | string, string, string>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CollectionsTable {
  id: string;
  owner: string;
  /** The team it is shared with (a name from `users.teams`): its members may change the items. */
  team: string | null;
  name: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CollectionItemsTable {
  collection_id: string;
  asset_id: string;
  /** The item's place in the collection, from 0. */
  position: number;
  added_by: string;
  added_at: CreatedAt;
}
