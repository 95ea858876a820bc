import { randomUUID } from 'node:crypto';
import type { AssetRepository } from '../catalogue/asset.repository';
import type { CommentRecord, CommentRegion, CommentRepository } from '../catalogue/comment.repository';
import type { NotificationRepository } from '../catalogue/notification.repository';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { isUuid } from '../domain/ids';
import type { Recipients } from '../operations/recipients';
import type { SearchIndexer } from '../operations/search-indexer';
import type { Principal } from '../policy/access';

export interface NewComment {
  body: string;
  /** The version commented on (default: the latest); a reply is always on its parent's version. */
  version?: number;
  parentId?: string;
  region?: CommentRegion;
}

export interface CommentThread extends CommentRecord {
  replies: CommentRecord[];
}

/** `@ann@example.com` mentions a person, `@team:design` everyone in a team. */
const MENTION = /(?<![\w@])@(team:[\w.-]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)/g;

/**
 * Threaded comments on a version, optionally pinned to a region of the image, resolvable; each
 * @mention notifies the people it names who may see the asset. Comment text is searchable.
 */
export class CommentService {
  constructor(
    private readonly deps: {
      assets: AssetRepository;
      comments: CommentRepository;
      notifications: NotificationRepository;
      recipients: Recipients;
      indexer: Pick<SearchIndexer, 'reindex'>;
    },
  ) {}

  async add(author: Principal, assetId: string, input: NewComment): Promise<CommentRecord> {
    const asset = await this.deps.assets.find(assetId);
    if (!asset) throw new AssetflowError(ErrorCodes.ASSET_NOT_FOUND, `No asset with id ${assetId}.`, 404);
    let version = input.version ?? asset.currentVersion.version;
    if (input.parentId) {
      const parent = isUuid(input.parentId) ? await this.deps.comments.byId(input.parentId) : undefined;
      if (!parent || parent.assetId !== assetId) throw commentNotFound(input.parentId);
      if (parent.parentId) {
        throw new AssetflowError(ErrorCodes.VALIDATION_FAILED, 'Reply to the thread, not to a reply.', 400);
      }
      version = parent.version;
    }
    if (version < 1 || version > asset.currentVersion.version) {
      throw new AssetflowError(
        ErrorCodes.VALIDATION_FAILED,
        `Asset ${assetId} has versions 1 to ${asset.currentVersion.version}.`,
        400,
        { version },
      );
    }
    if (
      input.region?.kind === 'rect' &&
      (input.region.x + input.region.width > 1 || input.region.y + input.region.height > 1)
    ) {
      throw new AssetflowError(
        ErrorCodes.VALIDATION_FAILED,
        'The region must lie within the image (0–1).',
        400,
        {
          region: input.region,
        },
      );
    }
    const named = mentionsIn(input.body);
    const notified = (
      await this.deps.recipients.viewersOf(assetId, { emails: named.emails, teams: named.teams })
    ).filter((person) => person.id !== author.id);
    const comment = await this.deps.comments.create({
      id: randomUUID(),
      assetId,
      version,
      parentId: input.parentId ?? null,
      author: author.email,
      body: input.body,
      region: input.region ?? null,
      mentions: notified.map((p) => p.email),
    });
    await this.deps.notifications.raise(
      notified.map((person) => ({
        userId: person.id,
        kind: 'mention',
        assetId,
        message: `${author.email} mentioned you on ${asset.displayName} (version ${version}): ${excerpt(input.body)}`,
        payload: { commentId: comment.id, version, author: author.email },
        dedupeKey: `mention:${comment.id}`,
      })),
    );
    await this.deps.indexer.reindex(assetId);
    return comment;
  }

  /** Threads (top-level comments with their replies), oldest first. */
  async threads(assetId: string, version?: number): Promise<CommentThread[]> {
    const all = await this.deps.comments.forAsset(assetId, version);
    const threads = all.filter((c) => !c.parentId).map((c) => ({ ...c, replies: [] as CommentRecord[] }));
    const byId = new Map(threads.map((t) => [t.id, t]));
    for (const reply of all.filter((c) => c.parentId)) byId.get(reply.parentId!)?.replies.push(reply);
    return threads;
  }

  async setResolved(
    actor: Principal,
    assetId: string,
    commentId: string,
    resolved: boolean,
  ): Promise<CommentRecord> {
    const comment = isUuid(commentId) ? await this.deps.comments.byId(commentId) : undefined;
    if (!comment || comment.assetId !== assetId) throw commentNotFound(commentId);
    return this.deps.comments.setResolved(
      commentId,
      resolved ? actor.email : null,
      resolved ? new Date() : null,
    );
  }
}

export function mentionsIn(body: string): { emails: string[]; teams: string[] } {
  const emails = new Set<string>();
  const teams = new Set<string>();
  for (const [, name] of body.matchAll(MENTION)) {
    if (name!.startsWith('team:')) teams.add(name!.slice(5));
    else emails.add(name!.toLowerCase());
  }
  return { emails: [...emails], teams: [...teams] };
}

function excerpt(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

function commentNotFound(id: string): AssetflowError {
  return new AssetflowError(ErrorCodes.COMMENT_NOT_FOUND, `No comment ${id} on this asset.`, 404, { id });
}
