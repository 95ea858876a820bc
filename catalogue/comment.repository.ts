import type { Selectable } from 'kysely';
import type { CatalogueDb } from './database';
import { jsonb } from './json';
import type { CommentsTable } from './schema';

/** Where on the image a comment points, in fractions of the width and height (0–1). */
export type CommentRegion =
  | { kind: 'point'; x: number; y: number }
  | { kind: 'rect'; x: number; y: number; width: number; height: number };

export interface CommentRecord {
  id: string;
  assetId: string;
  version: number;
  parentId: string | null;
  author: string;
  body: string;
  region: CommentRegion | null;
  /** E-mail addresses of the users the comment notified. */
  mentions: string[];
  resolvedAt: string | null;
  resolvedBy: string | null;
  createdAt: string;
}

/** Comments stay attached to the version they were made on. */
export class CommentRepository {
  constructor(private readonly db: CatalogueDb) {}

  async create(
    comment: Omit<CommentRecord, 'resolvedAt' | 'resolvedBy' | 'createdAt'>,
  ): Promise<CommentRecord> {
    const row = await this.db
      .insertInto('comments')
      .values({
        id: comment.id,
        asset_id: comment.assetId,
        version: comment.version,
        parent_id: comment.parentId,
        author: comment.author,
        body: comment.body,
        region: comment.region ? jsonb(comment.region) : null,
        mentions: comment.mentions,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toComment(row);
  }

  async byId(id: string): Promise<CommentRecord | undefined> {
    const row = await this.db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toComment(row) : undefined;
  }

  /** The asset's comments, oldest first (optionally only those on one version). */
  async forAsset(assetId: string, version?: number): Promise<CommentRecord[]> {
    let query = this.db
      .selectFrom('comments')
      .selectAll()
      .where('asset_id', '=', assetId)
      .orderBy('created_at')
      .orderBy('id');
    if (version !== undefined) query = query.where('version', '=', version);
    return (await query.execute()).map(toComment);
  }

  /** Resolves (or reopens, with nulls) a comment and returns it as it is now. */
  async setResolved(id: string, by: string | null, at: Date | null): Promise<CommentRecord> {
    const row = await this.db
      .updateTable('comments')
      .set({ resolved_at: at, resolved_by: by })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toComment(row);
  }
}

function toComment(row: Selectable<CommentsTable>): CommentRecord {
  return {
    id: row.id,
    assetId: row.asset_id,
    version: row.version,
    parentId: row.parent_id,
    author: row.author,
    body: row.body,
    region: (row.region as CommentRegion | null) ?? null,
    mentions: row.mentions,
    resolvedAt: row.resolved_at ? new Date(row.resolved_at).toISOString() : null,
    resolvedBy: row.resolved_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
