import { sql } from 'kysely';
import type { CatalogueDb } from './database';

/** A token's last use is recorded at most this often. */
const TOKEN_USE_RESOLUTION_MS = 60_000;

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  roles: string[];
  teams: string[];
}

interface UserWithHash extends UserRecord {
  passwordHash: string;
  disabled: boolean;
}

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

  async listUsers(): Promise<UserRecord[]> {
    return this.db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'roles', 'teams'])
      .where('disabled_at', 'is', null)
      .orderBy('email')
      .execute();
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

  async setRolesAndTeams(id: string, roles: string[], teams: string[]): Promise<void> {
    await this.db.updateTable('users').set({ roles, teams }).where('id', '=', id).execute();
  }

  async userByEmail(email: string): Promise<UserWithHash | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row
      ? {
          id: row.id,
          email: row.email,
          name: row.name,
          roles: row.roles,
          teams: row.teams,
          passwordHash: row.password_hash,
          disabled: row.disabled_at !== null,
        }
      : undefined;
  }

  async createSession(secretSha256: string, userId: string, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ secret_sha256: secretSha256, user_id: userId, expires_at: expiresAt })
      .execute();
  }

  async deleteSession(secretSha256: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('secret_sha256', '=', secretSha256).execute();
  }

  /** The enabled user behind an unexpired session. */
  async userBySession(secretSha256: string, now: Date): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['u.id', 'u.email', 'u.name', 'u.roles', 'u.teams'])
      .where('s.secret_sha256', '=', secretSha256)
      .where('s.expires_at', '>', now)
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
    return row ?? undefined;
  }

  async createToken(token: {
    id: string;
    userId: string;
    name: string;
    secretSha256: string;
  }): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({ id: token.id, user_id: token.userId, name: token.name, secret_sha256: token.secretSha256 })
      .execute();
  }

  /**
   * The enabled user behind an unrevoked token; records its use to the minute (when it was last
   * used is for whoever reviews tokens — a write on every request of a busy script is not).
   */
  async userByToken(secretSha256: string, now: Date): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['t.id as token_id', 't.last_used_at', 'u.id', 'u.email', 'u.name', 'u.roles', 'u.teams'])
      .where('t.secret_sha256', '=', secretSha256)
      .where('t.revoked_at', 'is', null)
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const { token_id: tokenId, last_used_at: lastUsedAt, ...user } = row;
    if (!lastUsedAt || now.getTime() - new Date(lastUsedAt).getTime() >= TOKEN_USE_RESOLUTION_MS) {
      await this.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', tokenId).execute();
    }
    return user;
  }
}
