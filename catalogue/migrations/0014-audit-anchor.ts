import { type Kysely, sql } from 'kysely';

/**
 * The trail is append-only at the database too: a trigger refuses UPDATE and DELETE of any row of
 * `audit_events`, and TRUNCATE unless the table is already empty (a restore truncates every table
 * of an empty catalogue; nothing is lost then).
 *
 * This stops accidents and application bugs, not an attacker: the table's owner (the role
 * Assetflow connects as) can drop or disable the trigger. Against that the head of the chain is
 * anchored outside the database with a key the database never sees (catalogue/audit-anchors.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM audit_events) THEN
        RETURN NULL;
      END IF;
      RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$`.execute(db);
  await sql`
    CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`.execute(db);
  await sql`
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER audit_events_no_truncate ON audit_events`.execute(db);
  await sql`DROP TRIGGER audit_events_no_update_delete ON audit_events`.execute(db);
  await sql`DROP FUNCTION audit_events_append_only()`.execute(db);
}
