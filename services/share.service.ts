import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { AccessRepository } from '../catalogue/access.repository';
import type { AssetRecord, AssetRepository } from '../catalogue/asset.repository';
import type { AuditRepository } from '../catalogue/audit.repository';
import type { IdentityRepository } from '../catalogue/identity.repository';
import type { ShareRecord, ShareRepository } from '../catalogue/share.repository';
import { withheldReason } from '../domain/asset';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { own } from '../domain/own';
import { regionRefusal } from '../lifecycle/asset-rules';
import { atLeast, type Principal } from '../policy/access';
import type { RuleSetPlan } from '../rules/plan';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';
import { requestDownloadUpdate } from '../workflows/messages';
import type { AccessService } from './access.service';
import type { DistributionService, OutgoingFile } from './distribution.service';
import { hashPassword, verifyPassword } from './password-hashing';
import { consumeOr429 } from './rate-limit';
import { sha256Hex } from './sha256';
import type { UseRecorder } from './use-recorder';

export interface ShareRequest {
  assetIds?: string[];
  project?: string;
  permission: 'view' | 'download';
  rendition: string;
  audience?: string;
  password?: string;
  expiresInDays?: number;
  expiresAt?: string;
  allowedEmails?: string[];
  maxDownloads?: number;
}

/** Who opens a link: their address, the signed-in user if any, and the password proof cookie. */
export interface Visitor {
  address: string;
  email?: string;
  unlockProof?: string;
}

/** What the landing page shows; dead links (unknown, expired, revoked, taken down) look alike. */
export type LinkView =
  | { kind: 'dead' }
  | { kind: 'sign-in' }
  | { kind: 'password'; wrong: boolean }
  | { kind: 'open'; share: ShareRecord; assets: AssetRecord[]; downloadsLeft: number | null };

const MAX_ASSETS_PER_LINK = 500;
/**
 * Unknown tokens per address before 429: a token has 256 bits, so this only stops scanners. Only
 * misses are refused: a live token always opens, so misses by one client cannot lock out every
 * recipient behind the same proxy or NAT address (security review M2).
 */
const MISSES_PER_ADDRESS = 30;
const MISS_WINDOW_SECONDS = 10 * 60;
/** Wrong passwords for one link from one address, then 429 for the window. */
const PASSWORD_ATTEMPTS = 5;
/** Wrong passwords for one link from all addresses, then 429 for the window (rotating addresses). */
const PASSWORD_ATTEMPTS_PER_LINK = 10;
/** Wrong passwords for one link over its life, then it is locked for good (423); its maker makes a new one. */
export const LINK_LOCKS_AFTER = 50;
/** A visitor's repeated views of a link within this window are one view in the trail. */
const VIEW_WINDOW_SECONDS = 10 * 60;
const PASSWORD_WINDOW_SECONDS = 15 * 60;

/**
 * Share links: made by someone who may edit the assets, for a rendition the rule set lets leave
 * (checked by each asset's workflow, as a download request of an external audience would be),
 * within the rule set's expiry and password policy. The token is 256 random bits, returned once
 * and stored as sha256. Opening a link checks, every time, that it is unexpired, unrevoked, that
 * its assets are not taken down, the password and the recipient list.
 */
export class ShareService {
  private readonly misses = new RateLimiterMemory({
    points: MISSES_PER_ADDRESS,
    duration: MISS_WINDOW_SECONDS,
  });
  private readonly views = new RateLimiterMemory({ points: 1, duration: VIEW_WINDOW_SECONDS });
  private readonly passwordAttempts = new RateLimiterMemory({
    points: PASSWORD_ATTEMPTS,
    duration: PASSWORD_WINDOW_SECONDS,
  });
  private readonly linkPasswordAttempts = new RateLimiterMemory({
    points: PASSWORD_ATTEMPTS_PER_LINK,
    duration: PASSWORD_WINDOW_SECONDS,
  });

  constructor(
    private readonly deps: {
      shares: ShareRepository;
      assets: AssetRepository;
      access: AccessService;
      accessRepository: AccessRepository;
      identity: Pick<IdentityRepository, 'userById'>;
      audit: AuditRepository;
      workflows: AssetWorkflows;
      distribution: DistributionService;
      uses: UseRecorder;
    },
  ) {}

  async create(
    actor: Principal,
    request: ShareRequest,
    address: string,
    baseUrl: string,
  ): Promise<{ id: string; url: string; expiresAt: string; assetIds: string[] }> {
    const assetIds = await this.assetsToShare(actor, request);
    const assets = await Promise.all(assetIds.map((id) => this.deps.assets.find(id)));
    const plans = await Promise.all(assets.map((a) => this.deps.distribution.planOf(a!)));
    const policy = strictestPolicy(plans);
    const expiresAt = expiryOf(request, policy);
    const allowedEmails = (request.allowedEmails ?? []).map((e) => e.trim().toLowerCase());
    checkRecipients(allowedEmails, policy);
    if (policy.passwordRequired && !request.password) {
      throw invalid('The rule set requires a password on share links.', { password: 'required' });
    }
    if (
      policy.maxDownloads !== null &&
      request.maxDownloads !== undefined &&
      request.maxDownloads > policy.maxDownloads
    ) {
      throw invalid(`At most ${policy.maxDownloads} downloads per link.`, {
        maxDownloads: policy.maxDownloads,
      });
    }
    const maxDownloads = request.maxDownloads ?? policy.maxDownloads;

    // The rendition must be one the rule set lets this audience have, for every asset.
    const audiences = new Set<string>();
    for (const [i, asset] of assets.entries()) {
      const audience = request.audience ?? audienceFor(plans[i]!, request.rendition, actor.roles);
      const outward = linkAudiences(plans[i]!);
      if (!outward.includes(audience))
        throw new AssetflowError(
          ErrorCodes.AUDIENCE_REFUSED,
          `Links of rule set ${plans[i]!.name} carry what ${outward.join(', ') || 'no audience'} may have, not "${audience}".`,
          403,
          { audience, linkAudiences: outward },
        );
      audiences.add(audience);
      const decision = await this.deps.workflows.updateAsset(asset!.id, requestDownloadUpdate, {
        by: actor.email,
        roles: actor.roles,
        teams: actor.teams,
        audience,
        rendition: request.rendition,
        external: own(plans[i]!.distribute.audiences, audience)?.external === true,
        via: 'link',
      });
      if (decision.status === 'pending') {
        throw new AssetflowError(
          ErrorCodes.APPROVAL_REQUIRED,
          `"${request.rendition}" of asset ${asset!.id} needs approval first; a request was sent (approval ${decision.approvalId}).`,
          409,
          { assetId: asset!.id, approvalId: decision.approvalId },
        );
      }
    }

    const token = randomBytes(32).toString('base64url');
    const id = randomUUID();
    // Hashed before the transaction: argon2 takes a while and the transaction should not.
    const passwordHash = request.password ? await hashPassword(request.password) : null;
    // The link and its trail events commit together: no link without its record, nor the reverse.
    await this.deps.audit.record(async (tx) => {
      await this.deps.shares.create(
        {
          id,
          tokenSha256: sha256Hex(token),
          createdBy: actor.id,
          assetIds,
          project: request.project ?? null,
          permission: request.permission,
          audience: [...audiences].join(','),
          rendition: request.rendition,
          passwordHash,
          allowedEmails,
          maxDownloads,
          expiresAt: expiresAt.toISOString(),
        },
        tx,
      );
      const events = assets.map((asset) => ({
        actor: actor.email,
        action: 'share.created' as const,
        assetId: asset!.id,
        version: asset!.currentVersion.version,
        rendition: request.rendition,
        shareId: id,
        address,
        details: {
          permission: request.permission,
          expiresAt: expiresAt.toISOString(),
          allowedEmails,
          maxDownloads,
          password: Boolean(request.password),
        },
      }));
      return { value: undefined, events };
    });
    return { id, url: `${baseUrl}/s/${token}`, expiresAt: expiresAt.toISOString(), assetIds };
  }

  list(actor: Principal, all: boolean): Promise<ShareRecord[]> {
    return this.deps.shares.list(all ? undefined : actor.id);
  }

  async revoke(actor: Principal, id: string, address: string): Promise<void> {
    const share = await this.deps.shares.byId(id);
    if (!share) return;
    await this.deps.audit.record(async (tx) => {
      const revoked = await this.deps.shares.revoke(id, new Date(), tx);
      const events = (revoked ? share.assetIds : []).map((assetId) => ({
        actor: actor.email,
        action: 'share.revoked' as const,
        assetId,
        shareId: id,
        address,
      }));
      return { value: revoked, events };
    });
  }

  /** What the visitor of `/s/<token>` may see. Records the view. */
  async open(token: string, visitor: Visitor): Promise<LinkView> {
    const live = await this.liveShare(token, visitor.address);
    if (!live) return { kind: 'dead' };
    const gate = this.gate(live.share, token, visitor);
    if (gate) return gate;
    // One recorded view per visitor and link in each window: reloading a page (or a bot hammering
    // it) must not flood the trail, which has one chain for the whole installation.
    const fresh = await this.views.consume(`${live.share.id}|${visitor.address}|${visitor.email ?? ''}`).then(
      () => true,
      () => false,
    );
    // One append for the whole link (one transaction, one turn at the chain's lock), however many
    // assets it holds.
    await this.deps.audit.appendMany(
      (fresh ? live.assets : []).map((asset) => ({
        actor: visitor.email ?? `link:${live.share.id}`,
        action: 'share.viewed' as const,
        assetId: asset.id,
        version: asset.currentVersion.version,
        shareId: live.share.id,
        address: visitor.address,
      })),
    );
    for (const asset of live.assets)
      await this.deps.uses.used(asset, visitor.email ?? `link:${live.share.id}`, 'view');
    const { share } = live;
    return { kind: 'open', share, assets: live.assets, downloadsLeft: downloadsLeft(share) };
  }

  /**
   * Checks a password for the link; returns the proof to keep in a cookie, or undefined when
   * wrong. The proof is an HMAC of the token keyed by the password's hash: it cannot be made
   * without the database, and changes if the link's password does.
   */
  async unlock(token: string, password: string, address: string): Promise<string | undefined> {
    const live = await this.liveShare(token, address);
    if (!live?.share.passwordHash) return undefined;
    const { id } = live.share;
    const key = `${id}|${address}`;
    // Count the attempt before checking it, so concurrent guesses cannot all slip under the limit:
    // per address, per link from everywhere, and over the link's life (stored, so a restart does
    // not forget it).
    await consumeOr429(this.passwordAttempts, key, 'attempts');
    await consumeOr429(this.linkPasswordAttempts, id, 'attempts');
    if (!(await this.deps.shares.takePasswordAttempt(id, LINK_LOCKS_AFTER)))
      throw new AssetflowError(
        ErrorCodes.SHARE_LOCKED,
        'This link is locked after too many wrong passwords; ask its sender for a new one.',
        423,
      );
    if (!(await verifyPassword(live.share.passwordHash, password))) return undefined;
    await this.passwordAttempts.delete(key);
    await this.linkPasswordAttempts.reward(id, 1);
    await this.deps.shares.givePasswordAttemptBack(id);
    return proofOf(live.share.passwordHash, token);
  }

  /** The link's file (or a zip of its files), counted against its download limit. */
  async download(
    token: string,
    visitor: Visitor,
    assetId?: string,
  ): Promise<{ files: OutgoingFile[]; zipName?: string } | LinkView> {
    const live = await this.liveShare(token, visitor.address);
    if (!live) return { kind: 'dead' };
    const gate = this.gate(live.share, token, visitor);
    if (gate) return gate;
    const { share } = live;
    if (share.permission !== 'download') return { kind: 'dead' };
    const wanted = assetId ? live.assets.filter((a) => a.id === assetId) : live.assets;
    if (wanted.length === 0) return { kind: 'dead' };
    const actor = visitor.email ?? `link:${share.id}`;
    const refusal = {
      actor,
      action: 'share.refused' as const,
      shareId: share.id,
      address: visitor.address,
      details: { reason: 'download limit reached' },
    };
    const noneLeft = () =>
      new AssetflowError(ErrorCodes.TOO_MANY_ATTEMPTS, 'This link has no downloads left.', 429, {
        reason: 'no-downloads-left',
      });
    // A spent link is refused before anything is rendered.
    if (downloadsLeft(share) === 0) {
      await this.deps.audit.append(refusal);
      throw noneLeft();
    }
    // Rendered (and marked) first, then the download is counted and recorded in one transaction:
    // a counted download always has its events, and the lock on the chain is held only for that.
    const files: OutgoingFile[] = [];
    for (const asset of wanted) files.push(await this.deps.distribution.deliver(asset, share.rendition));
    const taken = await this.deps.audit.record(async (tx) => {
      const ok = await this.deps.shares.takeDownload(share.id, tx);
      const events = ok
        ? wanted.map((asset, i) => ({
            actor,
            action: 'download' as const,
            assetId: asset.id,
            version: asset.currentVersion.version,
            rendition: share.rendition,
            shareId: share.id,
            address: visitor.address,
            ...(files[i]!.watermark ? { details: { watermark: files[i]!.watermark } } : {}),
          }))
        : [refusal];
      return { value: ok, events };
    });
    if (!taken) throw noneLeft();
    for (const asset of wanted) await this.deps.uses.used(asset, actor, 'download');
    return wanted.length === 1 ? { files } : { files, zipName: `shared-${share.id.slice(0, 8)}.zip` };
  }

  /** A small preview for the landing page: the rule set's thumbnail, or none. */
  async preview(token: string, visitor: Visitor, assetId: string): Promise<OutgoingFile | undefined> {
    // The landing page asks for one preview per asset: load only that one, not the whole link.
    const live = await this.liveShare(token, visitor.address, { countMiss: false, only: assetId });
    if (!live || this.gate(live.share, token, visitor)) return undefined;
    const [asset] = live.assets;
    if (!asset) return undefined;
    // Only a thumbnail preset makes a preview: the link's own rendition leaves by download only,
    // marked and recorded there.
    const plan = await this.deps.distribution.planOf(asset);
    const thumbnail = plan.distribute.renditions.thumbnail;
    if (!thumbnail || thumbnail.original) return undefined;
    return this.deps.distribution.deliver(asset, 'thumbnail');
  }

  /**
   * The share behind a token if it is live, with its assets that are still distributable (or
   * just the one named `only`, when the link has it). An unknown or dead token counts as a miss
   * for the address unless `countMiss` is false.
   */
  private async liveShare(
    token: string,
    address: string,
    { countMiss = true, only }: { countMiss?: boolean; only?: string } = {},
  ): Promise<{ share: ShareRecord; assets: AssetRecord[] } | undefined> {
    const share =
      token.length >= 40 && token.length <= 64 ? await this.deps.shares.byToken(sha256Hex(token)) : undefined;
    const now = Date.now();
    const alive = share && !share.revokedAt && Date.parse(share.expiresAt) > now;
    const wanted = only === undefined ? share?.assetIds : share?.assetIds.filter((id) => id === only);
    // In the link's order (the page lists them so), only those that may still be distributed.
    const found = alive && wanted ? await this.deps.assets.findMany(wanted) : [];
    const listed = (wanted ?? [])
      .map((id) => found.find((a) => a.id === id))
      .filter((a): a is AssetRecord => a !== undefined && withheldReason(a) === null);
    // A usage region set after the link was made closes it for audiences that do not serve it;
    // an asset its maker may no longer share (disabled, or no longer an editor of its project)
    // leaves the link too: a link is its maker's act, and lasts only as long as they may.
    const mayShare = share && listed.length > 0 ? await this.makerMayShare(share, listed) : new Set<string>();
    const served = share ? await Promise.all(listed.map((asset) => this.servesRegion(share, asset))) : [];
    const assets = listed.filter((asset, i) => mayShare.has(asset.id) && served[i]);
    if (!share || !alive || assets.length === 0) {
      if (countMiss) await consumeOr429(this.misses, address, 'attempts');
      return undefined;
    }
    return { share, assets };
  }

  /** The assets of the link its maker may still share: they are enabled and can edit them. */
  private async makerMayShare(share: ShareRecord, assets: AssetRecord[]): Promise<Set<string>> {
    const maker = await this.deps.identity.userById(share.createdBy);
    if (!maker || maker.disabled) return new Set();
    const levels = await this.deps.access.levelsOn(
      maker,
      assets.map((a) => a.id),
    );
    return new Set(assets.filter((a) => atLeast(levels.get(a.id), 'edit')).map((a) => a.id));
  }

  /** Whether the link's audience for this asset's rule set serves the asset's usage region. */
  private async servesRegion(share: ShareRecord, asset: AssetRecord): Promise<boolean> {
    const plan = await this.deps.distribution.planOf(asset);
    const audience = share.audience.split(',').find((name) => own(plan.distribute.audiences, name));
    return audience === undefined || regionRefusal(plan, asset.metadata, audience) === null;
  }

  /** Recipient list and password, in that order; undefined when the visitor may go on. */
  private gate(share: ShareRecord, token: string, visitor: Visitor): LinkView | undefined {
    if (share.allowedEmails.length > 0) {
      if (!visitor.email) return { kind: 'sign-in' };
      if (!recipientAllowed(visitor.email, share.allowedEmails)) return { kind: 'dead' };
    }
    if (share.passwordHash) {
      const expected = proofOf(share.passwordHash, token);
      const given = visitor.unlockProof ?? '';
      // A proof is 64 hex digits; anything else (a tampered cookie) is simply wrong, never an error.
      const ok = /^[0-9a-f]{64}$/.test(given) && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      if (!ok) return { kind: 'password', wrong: false };
    }
    return undefined;
  }

  private async assetsToShare(actor: Principal, request: ShareRequest): Promise<string[]> {
    if (request.project) {
      await this.deps.access.requireOnProject(actor, request.project, 'edit');
      const ids = await this.deps.accessRepository.assetIdsIn(request.project, MAX_ASSETS_PER_LINK + 1);
      if (ids.length === 0) throw invalid(`Project ${request.project} has no assets to share.`, {});
      if (ids.length > MAX_ASSETS_PER_LINK)
        throw invalid(`A link holds at most ${MAX_ASSETS_PER_LINK} assets.`, { max: MAX_ASSETS_PER_LINK });
      return ids;
    }
    const ids = [...new Set(request.assetIds ?? [])];
    if (ids.length === 0) throw invalid('Say what to share: assetIds or project.', {});
    await this.deps.access.requireOnAssets(actor, ids, 'edit');
    return ids;
  }
}

export function proofOf(passwordHash: string, token: string): string {
  return createHmac('sha256', passwordHash).update(token).digest('hex');
}

function downloadsLeft(share: ShareRecord): number | null {
  return share.maxDownloads === null ? null : Math.max(0, share.maxDownloads - share.downloads);
}

/** An address matches `ann@example.com` exactly, or a domain entry `@example.com`. */
export function recipientAllowed(email: string, allowed: string[]): boolean {
  const lower = email.toLowerCase();
  return allowed.some((entry) => (entry.startsWith('@') ? lower.endsWith(entry) : lower === entry));
}

interface EffectivePolicy {
  defaultExpiryDays: number;
  maxExpiryDays: number;
  passwordRequired: boolean;
  allowedDomains: string[];
  /** Some rule set restricts recipients (even if the restrictions leave no domain in common). */
  domainsRestricted: boolean;
  maxDownloads: number | null;
}

/** Several rule sets in one link: the strictest of each setting applies. */
function strictestPolicy(plans: RuleSetPlan[]): EffectivePolicy {
  const policies = plans.map((p) => p.distribute.shareLinks);
  const caps = policies.map((p) => p.maxDownloads).filter((n): n is number => n !== null);
  const domainLists = policies.map((p) => p.allowedDomains).filter((d) => d.length > 0);
  return {
    defaultExpiryDays: Math.min(...policies.map((p) => p.defaultExpiryDays)),
    maxExpiryDays: Math.min(...policies.map((p) => p.maxExpiryDays)),
    passwordRequired: policies.some((p) => p.passwordRequired),
    allowedDomains:
      domainLists.length === 0 ? [] : domainLists.reduce((a, b) => a.filter((d) => b.includes(d))),
    domainsRestricted: domainLists.length > 0,
    maxDownloads: caps.length === 0 ? null : Math.min(...caps),
  };
}

function expiryOf(request: ShareRequest, policy: EffectivePolicy): Date {
  const now = Date.now();
  const latest = now + policy.maxExpiryDays * 86_400_000;
  let at: number;
  if (request.expiresAt) at = Date.parse(request.expiresAt);
  else at = now + (request.expiresInDays ?? policy.defaultExpiryDays) * 86_400_000;
  if (!Number.isFinite(at) || at <= now)
    throw invalid('The expiry must be in the future.', { expiresAt: request.expiresAt });
  if (at > latest + 60_000) {
    throw invalid(`Links may last at most ${policy.maxExpiryDays} days under this rule set.`, {
      maxExpiryDays: policy.maxExpiryDays,
    });
  }
  return new Date(at);
}

function checkRecipients(allowedEmails: string[], policy: EffectivePolicy): void {
  if (!policy.domainsRestricted) return;
  const domains = policy.allowedDomains;
  if (domains.length === 0) {
    throw invalid(
      'The rule sets of these assets allow recipients in no common domain: share them separately.',
      {},
    );
  }
  const outside = allowedEmails.filter((e) => !domains.some((d) => e.endsWith(`@${d}`) || e === `@${d}`));
  if (allowedEmails.length === 0 || outside.length > 0) {
    throw invalid(`Links must be restricted to recipients in ${domains.join(', ')}.`, {
      allowedDomains: domains,
      outside,
    });
  }
}

/**
 * The audiences whose renditions a link may carry: those the rule set names, else its external
 * audiences (a link reaches outsiders: what only colleagues may have does not leave by link),
 * else — a rule set with no outside audience — all of them.
 */
function linkAudiences(plan: RuleSetPlan): string[] {
  const named = plan.distribute.shareLinks.audiences;
  if (named) return named;
  const all = Object.keys(plan.distribute.audiences);
  const external = all.filter((name) => plan.distribute.audiences[name]?.external);
  return external.length > 0 ? external : all;
}

/**
 * The audience a link is made for when the request names none: an external audience that may
 * have the rendition (a link leaves the organisation), else one the creator belongs to.
 */
function audienceFor(plan: RuleSetPlan, rendition: string, roles: string[]): string {
  const outward = linkAudiences(plan);
  const entries = Object.entries(plan.distribute.audiences).filter(
    ([name, a]) => outward.includes(name) && a.renditions.includes(rendition),
  );
  const external = entries.find(([, a]) => a.external);
  const member = entries.find(([, a]) => a.roles.some((r) => roles.includes(r)));
  const chosen = external ?? member;
  if (!chosen) {
    throw new AssetflowError(
      ErrorCodes.RENDITION_REFUSED,
      `No audience of rule set ${plan.name} you can share with may have "${rendition}".`,
      403,
      { rendition },
    );
  }
  return chosen[0];
}

function invalid(message: string, details: Record<string, unknown>): AssetflowError {
  return new AssetflowError(ErrorCodes.SHARE_INVALID, message, 400, details);
}

/** Counts one point against `key`, or throws 429 with how long to wait when none is left. */
