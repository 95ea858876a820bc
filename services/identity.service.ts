import { randomBytes, randomUUID } from 'node:crypto';
import type {
  Authenticated,
  IdentityRepository,
  SessionSummary,
  TokenSummary,
  UserRecord,
  UserSummary,
} from '../catalogue/identity.repository';
import { defaultConfig } from '../config/config.schema';
import { AssetflowError, ErrorCodes, isAssetflowError } from '../domain/errors';
import { isAdmin, type Principal } from '../policy/access';
import { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './password-hashing';
import { sha256Hex } from './sha256';

/** NIST SP 800-63B's minimum for passwords people choose; the same for the first administrator's. */
export const MIN_PASSWORD_LENGTH = 12;
/** Expired sessions are deleted at most this often (on a sign-in). */
const PURGE_EVERY_MS = 10 * 60_000;
/** 256 random bits, URL-safe. */
const newSecret = () => randomBytes(32).toString('base64url');
const DAY_MS = 86_400_000;

export interface SessionPolicy {
  sessionIdleMinutes: number;
  sessionMaxDays: number;
  tokenDays: number;
}

/** Where a sign-in comes from, kept with the session so its owner can recognise it. */
export interface Origin {
  address: string;
  userAgent?: string | undefined;
}

/**
 * Who someone is: passwords (argon2id), sign-in with rate limiting, sessions for the web app and
 * API tokens for scripts, and their lifecycle (change, reset, disable, revoke). Secrets are
 * returned once and stored only as sha256 digests.
 */
export class IdentityService {
  private readonly throttle = new LoginThrottle();
  // A hash to verify against when the e-mail is unknown, so timing does not reveal which exist.
  private readonly decoy = hashPassword(newSecret());
  private readonly listeners = new Set<(userId: string) => void>();
  private lastPurge = 0;

  constructor(
    private readonly users: IdentityRepository,
    private readonly policy: SessionPolicy = defaultConfig.auth,
  ) {}

  /**
   * Called with a user's id whenever some of their credentials end (sign-out, disable, password
   * change or reset, token revocation), so live connections (event streams) can check theirs now.
   */
  onCredentialsEnded(listener: (userId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async createUser(input: {
    email: string;
    name: string;
    password: string;
    roles?: string[];
    teams?: string[];
  }): Promise<UserRecord> {
    requireStrong(input.password);
    const email = input.email.trim().toLowerCase();
    if (await this.users.userByEmail(email)) {
      throw new AssetflowError(
        ErrorCodes.USER_EXISTS,
        `A user with the e-mail ${email} exists already.`,
        409,
      );
    }
    const user: UserRecord = {
      id: randomUUID(),
      email,
      name: input.name,
      roles: input.roles ?? [],
      teams: input.teams ?? [],
    };
    await this.users.createUser({ ...user, passwordHash: await hashPassword(input.password) });
    return user;
  }

  /**
   * The first start makes an administrator: from ASSETFLOW_ADMIN_EMAIL / ASSETFLOW_ADMIN_PASSWORD
   * (at least MIN_PASSWORD_LENGTH characters), or with a generated password that is returned (to
   * be printed once) and never stored in clear.
   */
  async ensureAdministrator(
    env: NodeJS.ProcessEnv,
  ): Promise<{ email: string; generatedPassword?: string } | null> {
    if ((await this.users.countUsers()) > 0) return null;
    const email = env.ASSETFLOW_ADMIN_EMAIL?.trim() || 'admin@localhost';
    const given = env.ASSETFLOW_ADMIN_PASSWORD;
    const password = given || generatePassword(12);
    if (given) requireStrong(given, 'ASSETFLOW_ADMIN_PASSWORD');
    await this.createUser({ email, name: 'Administrator', password, roles: ['admin'] });
    return given ? { email } : { email, generatedPassword: password };
  }

  listUsers(): Promise<UserSummary[]> {
    return this.users.listUsers();
  }

  async userByEmail(email: string): Promise<UserRecord> {
    const user = await this.users.userByEmail(email.trim().toLowerCase());
    if (!user) throw userNotFound(email);
    return publicPart(user);
  }

  /** A new session secret for the cookie, or 401 / 429 (too many attempts) / 503 (hashing at capacity). */
  async login(
    email: string,
    password: string,
    from: Origin,
  ): Promise<{ session: string; user: UserRecord; expiresAt: Date }> {
    const normalised = email.trim().toLowerCase();
    await this.throttle.take(normalised, from.address);
    const user = await this.users.userByEmail(normalised);
    const ok = await this.checked(normalised, from.address, () =>
      user && !user.disabled
        ? verifyPassword(user.passwordHash, password)
        : this.decoy.then((decoy) => verifyPassword(decoy, password)),
    );
    if (!user || user.disabled || !ok)
      throw new AssetflowError(ErrorCodes.INVALID_CREDENTIALS, 'Wrong e-mail or password.', 401);
    await this.throttle.succeeded(normalised, from.address);
    await this.purgeExpiredSessions();
    const session = newSecret();
    const expiresAt = new Date(Date.now() + this.policy.sessionMaxDays * DAY_MS);
    await this.users.createSession({
      secretSha256: sha256Hex(session),
      userId: user.id,
      expiresAt,
      address: from.address,
      userAgent: from.userAgent,
    });
    return { session, user: publicPart(user), expiresAt };
  }

  async logout(session: string): Promise<void> {
    const ended = await this.users.deleteSession(sha256Hex(session));
    if (ended) this.ended(ended.userId);
  }

  /**
   * Changes the caller's own password, given the current one (counted like a sign-in, so a stolen
   * session cannot be used to guess it). Their other sessions end; the one asking stays.
   */
  async changePassword(
    who: Authenticated,
    current: string,
    next: string,
    from: Origin,
  ): Promise<{ sessionsEnded: number }> {
    requireStrong(next);
    const user = await this.users.userById(who.user.id);
    if (!user) throw userNotFound(who.user.email);
    await this.throttle.take(user.email, from.address);
    if (!(await this.checked(user.email, from.address, () => verifyPassword(user.passwordHash, current))))
      throw new AssetflowError(ErrorCodes.INVALID_CREDENTIALS, 'The current password is wrong.', 401);
    await this.throttle.succeeded(user.email, from.address);
    if (current === next)
      throw new AssetflowError(ErrorCodes.PASSWORD_TOO_WEAK, 'The new password is the current one.', 400);
    await this.users.setPasswordHash(user.id, await hashPassword(next));
    const sessionsEnded = await this.users.deleteSessionsOf(user.id, who.sessionId);
    this.ended(user.id);
    return { sessionsEnded };
  }

  /** An administrator sets a generated password (returned once) and ends the user's sessions. */
  async resetPassword(userId: string): Promise<{ password: string }> {
    const user = await this.users.userById(userId);
    if (!user) throw userNotFound(userId);
    const password = generatePassword();
    await this.users.setPasswordHash(user.id, await hashPassword(password));
    await this.users.deleteSessionsOf(user.id);
    this.ended(user.id);
    return { password };
  }

  /** Disables a user: every session and token of theirs stops at once, for good. */
  async disable(actor: Principal, userId: string): Promise<void> {
    if (actor.id === userId)
      throw new AssetflowError(ErrorCodes.OWN_ACCOUNT, 'You cannot disable your own account.', 409);
    if (!(await this.users.userById(userId))) throw userNotFound(userId);
    await this.users.disable(userId, new Date());
    this.ended(userId);
  }

  async enable(userId: string): Promise<void> {
    if (!(await this.users.enable(userId))) throw userNotFound(userId);
  }

  async setRolesAndTeams(actor: Principal, userId: string, roles: string[], teams: string[]) {
    if (actor.id === userId && isAdmin(actor) && !roles.includes('admin'))
      throw new AssetflowError(
        ErrorCodes.OWN_ACCOUNT,
        'You cannot take the administrator role from yourself; another administrator can.',
        409,
      );
    if (!(await this.users.setRolesAndTeams(userId, roles, teams))) throw userNotFound(userId);
    const user = await this.users.userById(userId);
    return publicPart(user!);
  }

  // ---- sessions ----

  sessionsOf(userId: string): Promise<SessionSummary[]> {
    const now = new Date();
    return this.users.sessionsOf(userId, now, this.idleSince(now));
  }

  async endSession(userId: string, sessionId: string): Promise<void> {
    if (!(await this.users.deleteSessionOf(userId, sessionId)))
      throw new AssetflowError(ErrorCodes.SESSION_NOT_FOUND, `No session ${sessionId}.`, 404);
    this.ended(userId);
  }

  /** Signs the user out everywhere (every session, this one too); how many ended. */
  async endAllSessions(userId: string): Promise<number> {
    const ended = await this.users.deleteSessionsOf(userId);
    this.ended(userId);
    return ended;
  }

  // ---- API tokens ----

  /** A new API token for the user, shown once; it expires after `days` (at most the configured maximum). */
  async createToken(
    userId: string,
    name: string,
    days = this.policy.tokenDays,
  ): Promise<{ id: string; token: string; expiresAt: string }> {
    if (days > this.policy.tokenDays)
      throw new AssetflowError(
        ErrorCodes.VALIDATION_FAILED,
        `Tokens last at most ${this.policy.tokenDays} days here.`,
        400,
        { maxDays: this.policy.tokenDays },
      );
    const id = randomUUID();
    const token = `af_${newSecret()}`;
    const expiresAt = new Date(Date.now() + days * DAY_MS);
    await this.users.createToken({ id, userId, name, secretSha256: sha256Hex(token), expiresAt });
    return { id, token, expiresAt: expiresAt.toISOString() };
  }

  tokensOf(userId: string): Promise<TokenSummary[]> {
    return this.users.tokensOf(userId);
  }

  /** Revokes a token of the caller's (or anyone's, for an administrator); 404 for anyone else's. */
  async revokeToken(actor: Principal, tokenId: string): Promise<void> {
    const owner = await this.users.tokenOwner(tokenId);
    if (!owner || (owner !== actor.id && !isAdmin(actor)))
      throw new AssetflowError(ErrorCodes.TOKEN_NOT_FOUND, `No token ${tokenId}.`, 404);
    await this.users.revokeToken(tokenId, new Date());
    this.ended(owner);
  }

  /**
   * The user behind a session cookie or a bearer token, if either is valid, and which it was.
   * `recordUse: false` for re-checks (an open event stream's heartbeat), which must not keep an
   * abandoned session alive nor make a token look used.
   */
  async authenticate(
    credentials: { session?: string; bearer?: string },
    { recordUse = true } = {},
  ): Promise<Authenticated | undefined> {
    const now = new Date();
    if (credentials.bearer) return this.users.userByToken(sha256Hex(credentials.bearer), now, recordUse);
    if (credentials.session)
      return this.users.userBySession(sha256Hex(credentials.session), now, this.idleSince(now), recordUse);
    return undefined;
  }

  /** Runs a counted password check; one refused for load (503) is not counted as a guess. */
  private async checked(email: string, address: string, check: () => Promise<boolean>): Promise<boolean> {
    try {
      return await check();
    } catch (error) {
      if (isAssetflowError(error) && error.code === ErrorCodes.SERVER_BUSY)
        await this.throttle.notChecked(email, address);
      throw error;
    }
  }

  private idleSince(now: Date): Date {
    return new Date(now.getTime() - this.policy.sessionIdleMinutes * 60_000);
  }

  private async purgeExpiredSessions(): Promise<void> {
    const now = new Date();
    if (now.getTime() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now.getTime();
    await this.users.purgeExpiredSessions(now, this.idleSince(now));
  }

  private ended(userId: string): void {
    for (const listener of this.listeners) listener(userId);
  }
}

/** A random password of `bytes` random bytes (base64url: 4 characters per 3 bytes), shown once. */
export function generatePassword(bytes = 15): string {
  return randomBytes(bytes).toString('base64url');
}

function requireStrong(password: string, what = 'A password'): void {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    throw new AssetflowError(
      ErrorCodes.PASSWORD_TOO_WEAK,
      `${what} needs at least ${MIN_PASSWORD_LENGTH} characters.`,
      400,
      { minLength: MIN_PASSWORD_LENGTH },
    );
}

function userNotFound(who: string): AssetflowError {
  return new AssetflowError(ErrorCodes.USER_NOT_FOUND, `No user ${who}.`, 404);
}

function publicPart(user: UserRecord & { passwordHash?: string; disabled?: boolean }): UserRecord {
  return { id: user.id, email: user.email, name: user.name, roles: user.roles, teams: user.teams };
}
