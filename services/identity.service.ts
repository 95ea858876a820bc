import { randomBytes, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { IdentityRepository, UserRecord } from '../catalogue/identity.repository';
import { AssetflowError, ErrorCodes, tooManyAttempts } from '../domain/errors';
import { sha256Hex } from './sha256';

/** Sessions last a working week; tokens until revoked. */
const SESSION_DAYS = 7;
/** Five wrong passwords per e-mail and address in 15 minutes, then 429 until the window ends. */
const LOGIN_ATTEMPTS = 5;
const LOGIN_WINDOW_SECONDS = 15 * 60;
/** Hashed with argon2id at the library's defaults (19 MiB, 2 passes: OWASP's minimum profile). */
/** 256 random bits, URL-safe. */
const newSecret = () => randomBytes(32).toString('base64url');

/**
 * Who someone is: passwords (argon2id), sign-in with rate limiting, sessions for the web app and
 * API tokens for scripts. Secrets are returned once and stored only as sha256 digests.
 */
export class IdentityService {
  private readonly attempts = new RateLimiterMemory({
    points: LOGIN_ATTEMPTS,
    duration: LOGIN_WINDOW_SECONDS,
  });
  // A hash to verify against when the e-mail is unknown, so timing does not reveal which exist.
  private readonly decoy = hash(newSecret());

  constructor(private readonly users: IdentityRepository) {}

  async createUser(input: {
    email: string;
    name: string;
    password: string;
    roles?: string[];
    teams?: string[];
  }) {
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
    await this.users.createUser({ ...user, passwordHash: await hash(input.password) });
    return user;
  }

  /**
   * The first start makes an administrator: from ASSETFLOW_ADMIN_EMAIL / ASSETFLOW_ADMIN_PASSWORD,
   * or with a generated password that is returned (to be printed once) and never stored in clear.
   */
  async ensureAdministrator(
    env: NodeJS.ProcessEnv,
  ): Promise<{ email: string; generatedPassword?: string } | null> {
    if ((await this.users.countUsers()) > 0) return null;
    const email = env.ASSETFLOW_ADMIN_EMAIL?.trim() || 'admin@localhost';
    const given = env.ASSETFLOW_ADMIN_PASSWORD;
    const password = given || randomBytes(12).toString('base64url');
    await this.createUser({ email, name: 'Administrator', password, roles: ['admin'] });
    return given ? { email } : { email, generatedPassword: password };
  }

  listUsers(): Promise<UserRecord[]> {
    return this.users.listUsers();
  }

  /** A new session secret for the cookie, or 401 / 429. */
  async login(
    email: string,
    password: string,
    from: string,
  ): Promise<{ session: string; user: UserRecord; expiresAt: Date }> {
    const key = `${email.trim().toLowerCase()}|${from}`;
    const limited = await this.attempts.get(key);
    if (limited && limited.consumedPoints >= LOGIN_ATTEMPTS)
      throw tooManyAttempts('failed sign-ins', limited.msBeforeNext);
    const user = await this.users.userByEmail(email.trim().toLowerCase());
    const ok =
      user && !user.disabled
        ? await verify(user.passwordHash, password)
        : await verify(await this.decoy, password);
    if (!user || user.disabled || !ok) {
      await this.attempts.consume(key).catch(() => {});
      throw new AssetflowError(ErrorCodes.INVALID_CREDENTIALS, 'Wrong e-mail or password.', 401);
    }
    await this.attempts.delete(key);
    const session = newSecret();
    const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
    await this.users.createSession(sha256Hex(session), user.id, expiresAt);
    const { passwordHash: _hash, disabled: _disabled, ...record } = user;
    return { session, user: record, expiresAt };
  }

  logout(session: string): Promise<void> {
    return this.users.deleteSession(sha256Hex(session));
  }

  /** A new API token for the user; the secret is shown once. */
  async createToken(userId: string, name: string): Promise<{ id: string; token: string }> {
    const id = randomUUID();
    const token = `af_${newSecret()}`;
    await this.users.createToken({ id, userId, name, secretSha256: sha256Hex(token) });
    return { id, token };
  }

  /** The user behind a session cookie or a bearer token, if either is valid. */
  async authenticate(credentials: { session?: string; bearer?: string }): Promise<UserRecord | undefined> {
    const now = new Date();
    if (credentials.bearer) return this.users.userByToken(sha256Hex(credentials.bearer), now);
    if (credentials.session) return this.users.userBySession(sha256Hex(credentials.session), now);
    return undefined;
  }
}
