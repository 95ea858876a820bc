import type { Selectable } from 'kysely';
import type { CatalogueDb } from './database';
import type { SharesTable } from './schema';

export interface ShareRecord {
  id: string;
  createdBy: string;
  assetIds: string[];
  project: string | null;
  permission: 'view' | 'download';
  audience: string;
  rendition: string;
  passwordHash: string | null;
  allowedEmails: string[];
  maxDownloads: number | null;
  downloads: number;
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
  /** Wrong passwords given for the link, from every address; it locks at a limit. */
  passwordFailures: number;
}

export type NewShare = Omit<ShareRecord, 'downloads' | 'revokedAt' | 'createdAt' | 'passwordFailures'> & {
  tokenSha256: string;
};

/** Share links. Tokens arrive here already hashed (sha256); passwords as argon2id hashes. */
export class ShareRepository {
  constructor(private readonly db: CatalogueDb) {}

  /** `db` may be a transaction, so the link and its trail events are written together. */
  async create(share: NewShare, db: CatalogueDb = this.db): Promise<void> {
    await db
      .insertInto('shares')
      .values({
        id: share.id,
        token_sha256: share.tokenSha256,
        created_by: share.createdBy,
        asset_ids: share.assetIds,
        project: share.project,
        permission: share.permission,
        audience: share.audience,
        rendition: share.rendition,
        password_hash: share.passwordHash,
        allowed_emails: share.allowedEmails,
        max_downloads: share.maxDownloads,
        expires_at: share.expiresAt,
      })
      .execute();
  }

  async byToken(tokenSha256: string): Promise<ShareRecord | undefined> {
    const row = await this.db
      .selectFrom('shares')
      .selectAll()
      .where('token_sha256', '=', tokenSha256)
      .executeTakeFirst();
    return row ? toShare(row) : undefined;
  }

  async byId(id: string): Promise<ShareRecord | undefined> {
    const row = await this.db.selectFrom('shares').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toShare(row) : undefined;
  }

  /** Links made by a user (every link when `createdBy` is undefined), newest first. */
  async list(createdBy: string | undefined): Promise<ShareRecord[]> {
    let query = this.db.selectFrom('shares').selectAll().orderBy('created_at', 'desc').limit(500);
    if (createdBy) query = query.where('created_by', '=', createdBy);
    return (await query.execute()).map(toShare);
  }

  /** Live links whose expiry falls in [from, to). */
  async expiringBetween(from: Date, to: Date): Promise<ShareRecord[]> {
    const rows = await this.db
      .selectFrom('shares')
      .selectAll()
      .where('revoked_at', 'is', null)
      .where('expires_at', '>=', from)
      .where('expires_at', '<', to)
      .execute();
    return rows.map(toShare);
  }

  /** Revokes the link; true when it was live until now. Idempotent. `db` may be a transaction. */
  async revoke(id: string, at: Date, db: CatalogueDb = this.db): Promise<boolean> {
    const result = await db
      .updateTable('shares')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Counts one download if the link has downloads left: one conditional UPDATE, so concurrent
   * downloads can never exceed the maximum. False when the limit is reached. `db` may be a
   * transaction (the download and its trail events commit together).
   */
  async takeDownload(id: string, db: CatalogueDb = this.db): Promise<boolean> {
    const row = await db
      .updateTable('shares')
      .set((eb) => ({ downloads: eb('downloads', '+', 1) }))
      .where('id', '=', id)
      .where((eb) => eb.or([eb('max_downloads', 'is', null), eb('downloads', '<', eb.ref('max_downloads'))]))
      .returning('downloads')
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Counts a password attempt on the link before it is checked, unless `lockAfter` attempts have
   * failed already: one conditional UPDATE, so parallel guesses from any number of addresses
   * cannot pass the limit. False when the link is locked.
   */
  async takePasswordAttempt(id: string, lockAfter: number): Promise<boolean> {
    const row = await this.db
      .updateTable('shares')
      .set((eb) => ({ password_failures: eb('password_failures', '+', 1) }))
      .where('id', '=', id)
      .where('password_failures', '<', lockAfter)
      .returning('password_failures')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The attempt was right: it is not a failure. */
  async givePasswordAttemptBack(id: string): Promise<void> {
    await this.db
      .updateTable('shares')
      .set((eb) => ({ password_failures: eb('password_failures', '-', 1) }))
      .where('id', '=', id)
      .where('password_failures', '>', 0)
      .execute();
  }
}

function toShare(row: Selectable<SharesTable>): ShareRecord {
  return {
    id: row.id,
    createdBy: row.created_by,
    assetIds: row.asset_ids,
    project: row.project,
    permission: row.permission,
    audience: row.audience,
    rendition: row.rendition,
    passwordHash: row.password_hash,
    allowedEmails: row.allowed_emails,
    maxDownloads: row.max_downloads,
    downloads: row.downloads,
    expiresAt: new Date(row.expires_at).toISOString(),
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
    passwordFailures: row.password_failures,
  };
}
