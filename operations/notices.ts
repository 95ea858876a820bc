import type { AccessRepository } from '../catalogue/access.repository';
import type { ApprovalSync } from '../catalogue/approval.repository';
import type { AssetRepository } from '../catalogue/asset.repository';
import type { CommentRepository } from '../catalogue/comment.repository';
import type { IdentityRepository, UserRecord } from '../catalogue/identity.repository';
import type {
  NewNotification,
  NotificationKind,
  NotificationRepository,
} from '../catalogue/notification.repository';
import type { ShareRepository } from '../catalogue/share.repository';
import { decidedBy } from '../lifecycle/approvals';
import type { Notice } from '../lifecycle/model';
import { Recipients } from './recipients';

export interface NoticeDeps {
  notifications: NotificationRepository;
  identity: IdentityRepository;
  access: AccessRepository;
  assets: AssetRepository;
  comments: CommentRepository;
  shares: ShareRepository;
}

/**
 * Who is told what, in one place: reviewers when an approval step waits for them, the requester
 * when it is decided, the people who worked on an asset (version authors, commenters) when it is
 * frozen, unfrozen or taken down, and link makers before their links expire. Called from the
 * server and from activities; every notice has a dedupe key, so a retried activity tells nobody
 * twice. Only people who may see the asset are told (the one exception: whoever asked for an
 * original that comes back from cold storage, who was let download it as an audience member).
 */
export class Notices {
  private readonly recipients: Recipients;

  constructor(private readonly deps: NoticeDeps) {
    this.recipients = new Recipients(deps);
  }

  async approvalSteps(input: ApprovalSync): Promise<void> {
    const name = await this.nameOf(input.assetId);
    const notices: NewNotification[] = [];
    for (const [node, step] of Object.entries(input.state.waiting)) {
      const reviewers = await this.recipients.viewersOf(input.assetId, {
        emails: step.users,
        roles: step.roles,
      });
      notices.push(
        ...reviewers.map((reviewer) => ({
          userId: reviewer.id,
          kind: 'approval.requested' as const,
          assetId: input.assetId,
          message: `${input.request.user} asks for "${input.request.rendition}" of ${name}: your approval is needed (${input.flow}).`,
          payload: { approvalId: input.approvalId, node, rendition: input.request.rendition },
          dedupeKey: `approval:${input.approvalId}:${node}`,
        })),
      );
    }
    if (input.state.status !== 'running') {
      const [requester] = await this.recipients.viewersOf(input.assetId, { emails: [input.request.user] });
      if (requester) {
        const decisions = input.state.decisions ?? [];
        const what = input.request.rendition
          ? `Your request for "${input.request.rendition}" of ${name}`
          : `${input.flow} of ${name}`;
        notices.push({
          userId: requester.id,
          kind: 'approval.decided',
          assetId: input.assetId,
          message: `${what} was ${input.state.status}${decidedBy({ decisions })}.`,
          payload: { approvalId: input.approvalId, status: input.state.status, decisions },
          dedupeKey: `approval-decided:${input.approvalId}`,
        });
      }
    }
    await this.deps.notifications.raise(notices);
  }

  async frozen(assetId: string, by: string, reason: string, at: string): Promise<void> {
    await this.toCollaborators(
      assetId,
      by,
      'asset.frozen',
      `frozen:${at}`,
      (name) => `${by} froze ${name}: ${reason}`,
      {
        by,
        reason,
      },
    );
  }

  async unfrozen(assetId: string, by: string, at: string): Promise<void> {
    await this.toCollaborators(
      assetId,
      by,
      'asset.unfrozen',
      `unfrozen:${at}`,
      (name) => `${by} unfroze ${name}.`,
      { by },
    );
  }

  async takenDown(assetId: string, reason: string, seq: number): Promise<void> {
    await this.toCollaborators(
      assetId,
      null,
      'asset.taken-down',
      `taken-down:${seq}`,
      (name) => `${name} was taken down: ${reason}`,
      {
        reason,
      },
    );
  }

  /**
   * A notice the lifecycle engine asked for (a rule's freeze, rights dates, a flow's notify
   * action): to the people it names who may see the asset, and with `owners` to the uploader
   * and collaborators. `key` (asset and effect id) makes a retried activity tell nobody twice.
   */
  async deliver(assetId: string, notice: Notice, uploadedBy: string, key: string): Promise<number> {
    const { users = [], roles = [], teams = [], owners = false } = notice.to;
    // The requester of a restored original was let download it as an audience member (a dealer
    // may have no access to the project): they are told directly. Everyone else must see the asset.
    const named =
      notice.kind === 'asset.restored'
        ? await this.deps.identity.usersMatching({ emails: users })
        : users.length + roles.length + teams.length > 0
          ? await this.recipients.viewersOf(assetId, { emails: users, roles, teams })
          : [];
    const ownersOf = owners
      ? [
          ...(await this.collaboratorsOf(assetId)),
          ...(await this.recipients.viewersOf(assetId, { emails: [uploadedBy] })),
        ]
      : [];
    const people = [...new Map([...named, ...ownersOf].map((p) => [p.id, p])).values()];
    const name = await this.nameOf(assetId);
    return this.deps.notifications.raise(
      people.map((p) => ({
        userId: p.id,
        kind: notice.kind,
        assetId,
        message: `${name}: ${notice.message}`,
        payload: { kind: notice.kind },
        dedupeKey: `notice:${key}`,
      })),
    );
  }

  /** Tells each link maker once about their live links that expire within `withinMs` of `now`. */
  async expiringShares(now: Date, withinMs: number): Promise<number> {
    const expiring = await this.deps.shares.expiringBetween(now, new Date(now.getTime() + withinMs));
    const notices: NewNotification[] = expiring.map((share) => ({
      userId: share.createdBy,
      kind: 'share.expiring',
      assetId: share.assetIds[0] ?? null,
      message: `Your link to ${share.assetIds.length} file(s) expires at ${share.expiresAt}.`,
      payload: { shareId: share.id, expiresAt: share.expiresAt },
      dedupeKey: `share-expiring:${share.id}`,
    }));
    return this.deps.notifications.raise(notices);
  }

  private async toCollaborators(
    assetId: string,
    actor: string | null,
    kind: NotificationKind,
    key: string,
    message: (name: string) => string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const people = await this.collaboratorsOf(assetId);
    const name = await this.nameOf(assetId);
    await this.deps.notifications.raise(
      people
        .filter((p) => p.email !== actor)
        .map((p) => ({
          userId: p.id,
          kind,
          assetId,
          message: message(name),
          payload,
          dedupeKey: `${key}:${assetId}`,
        })),
    );
  }

  /** Everyone who made a version of the asset or commented on it, if they may still see it. */
  private async collaboratorsOf(assetId: string): Promise<UserRecord[]> {
    const versions = await this.deps.assets.versions(assetId);
    const comments = await this.deps.comments.forAsset(assetId);
    const emails = [...versions.map((v) => v.by), ...comments.map((c) => c.author)].filter((e): e is string =>
      Boolean(e),
    );
    return this.recipients.viewersOf(assetId, { emails: [...new Set(emails)] });
  }

  private async nameOf(assetId: string): Promise<string> {
    return (await this.deps.assets.find(assetId))?.displayName ?? assetId;
  }
}
