import { sql } from 'kysely';
import type { CatalogueDb } from './database';

/** A token's last use, and a session's last sight, are recorded at most this often. */
const USE_RESOLUTION_MS = 60_000;

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  roles: string[];
  teams: string[];
}

/** A user as administrators see them in the list. */
export interface UserSummary extends UserRecord {
  disabled: boolean;
  createdAt: string;
}

export interface UserWithHash extends UserRecord {
  passwordHash: string;
  disabled: boolean;
}

/** A session as its owner sees it: never its secret nor the secret's digest. */
export interface SessionSummary {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  address: string | null;
  userAgent: string | null;
}

export interface TokenSummary {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
  revokedAt: string | null;
}

/** Who a credential belongs to, and which credential it was (to tell "this session" apart). */
export interface Authenticated {
  user: UserRecord;
  sessionId?: string;
  tokenId?: string;
}

const iso = (value: Date | string) => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null) => (value === null ? null : iso(value));

/** Users, sessions and API tokens. Secrets arrive here already hashed (sha256). */
export class IdentityRepository {
  constructor(private readonly db: CatalogueDb) {}

  async countUsers(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async createUser(user: UserRecord & { passwordHash: string }): Promise<void> {
    await this.db
      .insertInto('users')
      .values({
        id: user.id,
        email: user.email,
        name: user.name,
        password_hash: user.passwordHash,
        roles: user.roles,
        teams: user.teams,
      })
      .execute();
  }

  /** Every user, disabled ones included (administrators re-enable them from this list). */
  async listUsers(): Promise<UserSummary[]> {
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'roles', 'teams', 'created_at', 'disabled_at'])
      .orderBy('email')
      .execute();
    return rows.map(({ created_at, disabled_at, ...user }) => ({
      ...user,
      disabled: disabled_at !== null,
      createdAt: iso(created_at),
    }));
  }

  /** Enabled users named by e-mail, or holding one of the roles, or in one of the teams. */
  async usersMatching(who: { emails?: string[]; roles?: string[]; teams?: string[] }): Promise<UserRecord[]> {
    const emails = who.emails ?? [];
    const roles = who.roles ?? [];
    const teams = who.teams ?? [];
    if (emails.length + roles.length + teams.length === 0) return [];
    return this.db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'roles', 'teams'])
      .where('disabled_at', 'is', null)
      .where((eb) =>
        eb.or([
          ...(emails.length > 0 ? [eb('email', 'in', emails)] : []),
          ...(roles.length > 0 ? [sql<boolean>`roles && ${sql.val(roles)}::text[]`] : []),
          ...(teams.length > 0 ? [sql<boolean>`teams && ${sql.val(teams)}::text[]`] : []),
        ]),
      )
      .orderBy('email')
      .execute();
  }

  /** False when there is no such user. */
  async setRolesAndTeams(id: string, roles: string[], teams: string[]): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ roles, teams })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async userByEmail(email: string): Promise<UserWithHash | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row ? withHash(row) : undefined;
  }

  async userById(id: string): Promise<UserWithHash | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? withHash(row) : undefined;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  }

  /**
   * Disables a user and ends every credential they hold, in one transaction: sessions are deleted
   * and tokens revoked, so re-enabling the account later does not bring a stolen key back.
   */
  async disable(id: string, now: Date): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('users')
        .set({ disabled_at: now })
        .where('id', '=', id)
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      await trx
        .updateTable('api_tokens')
        .set({ revoked_at: now })
        .where('user_id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      return Number(result.numUpdatedRows) > 0;
    });
  }

  async enable(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ disabled_at: null })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  // ---- sessions ----

  async createSession(session: {
    secretSha256: string;
    userId: string;
    expiresAt: Date;
    address: string;
    userAgent: string | undefined;
  }): Promise<string> {
    const row = await this.db
      .insertInto('sessions')
      .values({
        secret_sha256: session.secretSha256,
        user_id: session.userId,
        expires_at: session.expiresAt,
        address: session.address,
        // Only for people to recognise the session by; a header of any length is not kept whole.
        user_agent: session.userAgent?.slice(0, 300) ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Deletes the session with this secret; whose it was, if it existed. */
  async deleteSession(secretSha256: string): Promise<{ userId: string } | undefined> {
    const row = await this.db
      .deleteFrom('sessions')
      .where('secret_sha256', '=', secretSha256)
      .returning('user_id')
      .executeTakeFirst();
    return row ? { userId: row.user_id } : undefined;
  }

  async deleteSessionOf(userId: string, sessionId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .where('id', '=', sessionId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Ends every session of the user but `except` (the one asking, when it should stay). */
  async deleteSessionsOf(userId: string, except?: string): Promise<number> {
    let query = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (except) query = query.where('id', '!=', except);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** The user's live sessions, most recently seen first. */
  async sessionsOf(userId: string, now: Date, idleSince: Date): Promise<SessionSummary[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'address', 'user_agent'])
      .where('user_id', '=', userId)
      .where('expires_at', '>', now)
      .where('last_seen_at', '>', idleSince)
      .orderBy('last_seen_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      createdAt: iso(r.created_at),
      lastSeenAt: iso(r.last_seen_at),
      expiresAt: iso(r.expires_at),
      address: r.address,
      userAgent: r.user_agent,
    }));
  }

  /**
   * The enabled user behind a session that has neither expired nor been idle since `idleSince`;
   * its last sight is recorded to the minute unless `recordUse` is false (a re-check is not use).
   */
  async userBySession(
    secretSha256: string,
    now: Date,
    idleSince: Date,
    recordUse = true,
  ): Promise<Authenticated | undefined> {
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id as session_id', 's.last_seen_at', 'u.id', 'u.email', 'u.name', 'u.roles', 'u.teams'])
      .where('s.secret_sha256', '=', secretSha256)
      .where('s.expires_at', '>', now)
      .where('s.last_seen_at', '>', idleSince)
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const { session_id: sessionId, last_seen_at: lastSeenAt, ...user } = row;
    if (recordUse && now.getTime() - new Date(lastSeenAt).getTime() >= USE_RESOLUTION_MS) {
      await this.db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
    }
    return { user, sessionId };
  }

  /** Deletes sessions past their absolute end or idle since `idleSince`; how many. */
  async purgeExpiredSessions(now: Date, idleSince: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // ---- API tokens ----

  async createToken(token: {
    id: string;
    userId: string;
    name: string;
    secretSha256: string;
    expiresAt: Date;
  }): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({
        id: token.id,
        user_id: token.userId,
        name: token.name,
        secret_sha256: token.secretSha256,
        expires_at: token.expiresAt,
      })
      .execute();
  }

  /** The user's tokens, revoked and expired ones included (for review), newest first. */
  async tokensOf(userId: string): Promise<TokenSummary[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: iso(r.created_at),
      lastUsedAt: isoOrNull(r.last_used_at),
      expiresAt: iso(r.expires_at),
      revokedAt: isoOrNull(r.revoked_at),
    }));
  }

  async tokenOwner(tokenId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .select('user_id')
      .where('id', '=', tokenId)
      .executeTakeFirst();
    return row?.user_id;
  }

  /** Revokes the token (once: a second revocation keeps the first date). */
  async revokeToken(tokenId: string, now: Date): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', tokenId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /**
   * The enabled user behind an unrevoked, unexpired token; records its use to the minute (when it
   * was last used is for whoever reviews tokens — a write on every request of a busy script is not).
   */
  async userByToken(secretSha256: string, now: Date, recordUse = true): Promise<Authenticated | undefined> {
    const row = await this.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['t.id as token_id', 't.last_used_at', 'u.id', 'u.email', 'u.name', 'u.roles', 'u.teams'])
      .where('t.secret_sha256', '=', secretSha256)
      .where('t.revoked_at', 'is', null)
      .where('t.expires_at', '>', now)
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const { token_id: tokenId, last_used_at: lastUsedAt, ...user } = row;
    if (recordUse && (!lastUsedAt || now.getTime() - new Date(lastUsedAt).getTime() >= USE_RESOLUTION_MS)) {
      await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', tokenId).execute();
    }
    return { user, tokenId };
  }
}

function withHash(row: {
  id: string;
  email: string;
  name: string;
  roles: string[];
  teams: string[];
  password_hash: string;
  disabled_at: Date | null;
}): UserWithHash {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles,
    teams: row.teams,
    passwordHash: row.password_hash,
    disabled: row.disabled_at !== null,
  };
}
