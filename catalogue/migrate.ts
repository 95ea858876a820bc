import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as initialCatalogue from './migrations/0001-initial-catalogue';
import * as ruleSets from './migrations/0002-rule-sets';
import * as lifecycleStatus from './migrations/0003-lifecycle-status';
import * as approvalTasks from './migrations/0004-approval-tasks';
import * as versionAuthors from './migrations/0005-version-authors';
import * as ingestResults from './migrations/0006-ingest-results';
import * as search from './migrations/0007-search';
import * as identity from './migrations/0008-identity';
import * as accessAndDistribution from './migrations/0009-access-and-distribution';
import * as collaboration from './migrations/0010-collaboration';
import * as watermarks from './migrations/0011-watermarks';
import * as timelineEvents from './migrations/0012-timeline-events';
import * as accountLifecycle from './migrations/0013-account-lifecycle';
import * as auditAnchor from './migrations/0014-audit-anchor';
import * as visualFeatures from './migrations/0016-visual-features';
import * as savedSearches from './migrations/0017-saved-searches';
import * as searchPendingLists from './migrations/0018-search-pending-lists';
import * as trash from './migrations/0019-trash';
import * as tagSources from './migrations/0020-tag-sources';
import * as collections from './migrations/0021-collections';

/**
 * Migrations in the order they run. Listed here rather than read from disk so they are the same
 * under tsx, compiled output and Jest. Never edit a migration that has shipped; add the next one.
 */
const migrations: Record<string, Migration> = {
  '0001-initial-catalogue': initialCatalogue,
  '0002-rule-sets': ruleSets,
  '0003-lifecycle-status': lifecycleStatus,
  '0004-approval-tasks': approvalTasks,
  '0005-version-authors': versionAuthors,
  '0006-ingest-results': ingestResults,
  '0007-search': search,
  '0008-identity': identity,
  '0009-access-and-distribution': accessAndDistribution,
  '0010-collaboration': collaboration,
  '0011-watermarks': watermarks,
  '0012-timeline-events': timelineEvents,
  '0013-account-lifecycle': accountLifecycle,
  '0014-audit-anchor': auditAnchor,
  '0016-visual-features': visualFeatures,
  '0017-saved-searches': savedSearches,
  '0018-search-pending-lists': searchPendingLists,
  '0019-trash': trash,
  '0020-tag-sources': tagSources,
  '0021-collections': collections,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; safe to run at every start (Kysely locks and skips applied ones). */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Brings the schema to exactly `name` (a snapshot's version), applying what is missing. */
export async function migrateTo(db: Kysely<unknown>, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** Every migration this version of Assetflow knows, oldest first. */
export function migrationNames(): string[] {
  return Object.keys(migrations);
}
