import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pino from 'pino';
import { AuditRepository } from '../../catalogue/audit.repository';
import { appendAnchor, lastAnchor } from '../../catalogue/audit-anchors';
import { type AuditEventInput, auditHash } from '../../catalogue/audit-event';
import type { Database } from '../../catalogue/database';
import { loadConfig } from '../../config/load-config';
import { startAnchoring } from '../../runtime/audit-anchoring';
import { AuditAnchoring, verifyTrail } from '../../services/audit-anchoring.service';
import { databaseKinds, openTestDatabase } from '../support/test-databases';

const run = promisify(execFile);

/**
 * Issue 19 M10: the trail cannot be quietly shortened or rewritten. Someone with write access to
 * the database (simulated by its owner switching the append-only trigger off) cuts the tail,
 * recomputes the whole chain, or signs their own anchor; `audit verify` says so. Appends of a
 * whole link are one transaction.
 */
describe.each(databaseKinds)('the anchored trail on %s', (kind) => {
  let database: Database & { url: string };
  let audit: AuditRepository;
  let dir: string;
  let anchorFile: string;
  const key = randomBytes(32);
  const otherKey = randomBytes(32);

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    audit = new AuditRepository(database.db);
    dir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-anchor-'));
    anchorFile = path.join(dir, 'audit-anchors.jsonl');
  });
  afterEach(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const event = (i: number): AuditEventInput => ({
    actor: `visitor${i}@example.test`,
    action: 'download',
    assetId: randomUUID(),
    version: 1,
    rendition: 'preview',
    address: '198.51.100.7',
    details: { i },
  });
  const appendEvents = async (n: number) => {
    for (let i = 0; i < n; i++) await audit.append(event(i));
  };
  const anchoring = () => new AuditAnchoring({ audit, file: anchorFile, key });
  /** What an attacker with the database's owner role can do: switch the trigger off and write. */
  const asDatabaseOwner = async (work: () => Promise<unknown>) => {
    await sql`ALTER TABLE audit_events DISABLE TRIGGER USER`.execute(database.db);
    try {
      await work();
    } finally {
      await sql`ALTER TABLE audit_events ENABLE TRIGGER USER`.execute(database.db);
    }
  };

  it('passes an intact trail, anchored and then grown', async () => {
    await appendEvents(12);
    expect(await anchoring().anchor()).toMatchObject({ kind: 'written', anchor: { seq: 12 } });
    expect(await anchoring().anchor()).toEqual({ kind: 'unchanged', seq: 12 });
    await appendEvents(3);
    expect(await anchoring().anchor()).toMatchObject({ kind: 'written', anchor: { seq: 15 } });
    await appendEvents(2);
    const result = await verifyTrail(audit, anchorFile, key);
    expect(result).toMatchObject({
      verdict: 'intact',
      anchors: 2,
      problems: [],
      chain: { intact: true, events: 17 },
    });
    expect(result.lastAnchor).toMatchObject({ seq: 15 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the trail at the database', async () => {
    await appendEvents(3);
    const refused = (statement: Promise<unknown>) =>
      statement.then(
        () => 'allowed',
        (error: { code?: string; message: string }) => `${error.code}: ${error.message}`,
      );
    expect(
      await refused(sql`UPDATE audit_events SET address = '203.0.113.9' WHERE seq = 2`.execute(database.db)),
    ).toBe('42501: audit_events is append-only: UPDATE refused');
    expect(await refused(sql`DELETE FROM audit_events WHERE seq > 1`.execute(database.db))).toBe(
      '42501: audit_events is append-only: DELETE refused',
    );
    expect(await refused(sql`TRUNCATE audit_events`.execute(database.db))).toBe(
      '42501: audit_events is append-only: TRUNCATE refused',
    );
    expect(await audit.verify()).toMatchObject({ intact: true, events: 3 });
    await appendEvents(1); // appending still works
    expect(await audit.head()).toMatchObject({ seq: 4 });
  });

  it('detects a removed tail, and writes no anchor over it', async () => {
    await appendEvents(10);
    await anchoring().anchor();
    await asDatabaseOwner(() => sql`DELETE FROM audit_events WHERE seq > 6`.execute(database.db));
    // The chain alone is a valid shorter chain: this is what verification could not see before.
    expect(await audit.verify()).toMatchObject({ intact: true, events: 6 });
    const result = await verifyTrail(audit, anchorFile, key);
    expect(result.verdict).toBe('tampered');
    expect(result.problems).toEqual([
      expect.stringMatching(
        /^the trail ends at event 6 but event 10 was anchored at .*: events were removed$/,
      ),
    ]);
    expect(await anchoring().anchor()).toEqual({
      kind: 'refused',
      reason:
        'the trail ends at event 6 but event 10 was anchored at ' +
        (await lastAnchor(anchorFile).then((l) => (l as { anchor: { at: string } }).anchor.at)),
    });
    // New events on the shortened chain do not hide the cut either.
    await appendEvents(8);
    expect((await verifyTrail(audit, anchorFile, key)).verdict).toBe('tampered');
  });

  it('detects a chain whose every hash was recomputed', async () => {
    await appendEvents(10);
    await anchoring().anchor();
    await appendEvents(2);
    // Change event 4's address and recompute every hash from there on, as someone with write
    // access to the database could.
    await asDatabaseOwner(async () => {
      const events = await audit.list({ limit: 5000 });
      let prevHash = events[2]!.hash;
      for (const e of events.slice(3)) {
        const { hash: _old, prevHash: _prev, ...content } = e;
        if (e.seq === 4) content.address = '203.0.113.66';
        const hash = auditHash(prevHash, content);
        await sql`UPDATE audit_events SET address = ${content.address}, prev_hash = ${prevHash}, hash = ${hash} WHERE seq = ${e.seq}`.execute(
          database.db,
        );
        prevHash = hash;
      }
    });
    expect(await audit.verify()).toMatchObject({ intact: true, events: 12 });
    const result = await verifyTrail(audit, anchorFile, key);
    expect(result).toMatchObject({
      verdict: 'tampered',
      chain: {
        intact: false,
        firstBroken: { seq: 10, reason: 'its hash differs from the signed anchor (the chain was rewritten)' },
      },
    });
  });

  it('detects anchors forged without the key, and anchor lines removed', async () => {
    await appendEvents(5);
    await anchoring().anchor();
    await appendEvents(5);
    await anchoring().anchor();
    await appendEvents(5);
    await anchoring().anchor();
    const honest = readFileSync(anchorFile, 'utf8');

    // Cut the tail, then sign the new head with a key of one's own and append it.
    await asDatabaseOwner(() => sql`DELETE FROM audit_events WHERE seq > 12`.execute(database.db));
    const last = (await lastAnchor(anchorFile)) as { anchor: Parameters<typeof appendAnchor>[3] };
    await appendAnchor(anchorFile, otherKey, (await audit.head())!, last.anchor);
    let result = await verifyTrail(audit, anchorFile, key);
    expect(result.verdict).toBe('tampered');
    expect(result.problems).toContainEqual(
      'anchor line 4 (event 12) is not signed with this key (forged, or another key)',
    );

    // Replace the whole file with anchors signed by another key: none of them counts.
    writeFileSync(anchorFile, '');
    let previous = null;
    for (const seq of [5, 12]) {
      const hash = (await audit.hashAt(seq))!;
      previous = await appendAnchor(anchorFile, otherKey, { seq, hash }, previous);
    }
    result = await verifyTrail(audit, anchorFile, key);
    expect(result).toMatchObject({ verdict: 'tampered', anchors: 0 });
    expect(result.problems).toHaveLength(2);

    // Drop the middle honest line: the MAC chain shows a line missing between the other two.
    // (Dropping only the last line cannot be seen in the file; see docs/security.md.)
    const [first, , third] = honest.trim().split('\n');
    writeFileSync(anchorFile, `${first}\n${third}\n`);
    result = await verifyTrail(audit, anchorFile, key);
    expect(result.problems).toContainEqual(
      'anchor line 2 does not follow the line before it (a line was removed or moved)',
    );

    // A line that claims a MAC but was edited (seq changed) fails its signature.
    const edited = JSON.parse(first!) as { seq: number; mac: string };
    writeFileSync(anchorFile, `${JSON.stringify({ ...edited, seq: 4 })}\n`);
    expect((await verifyTrail(audit, anchorFile, key)).problems).toEqual([
      'anchor line 1 (event 4) is not signed with this key (forged, or another key)',
    ]);
  });

  it('without the key or the anchors, an intact chain is "not verified", never "intact"', async () => {
    await appendEvents(3);
    expect(await verifyTrail(audit, anchorFile, null)).toMatchObject({ verdict: 'unverified' });
    expect(await verifyTrail(audit, anchorFile, key)).toMatchObject({
      verdict: 'unverified',
      unverifiedBecause: `${anchorFile} holds no anchor`,
    });
  });

  it('the API process anchors at start, on its timer when the trail grew, and at stop; logs anchors, never the key', async () => {
    const config = loadConfig({
      file: path.join(dir, 'none.yaml'),
      env: {},
      overrides: {
        audit: { anchorFile, keyFile: path.join(dir, 'audit-anchor.key'), anchorIntervalSeconds: 1 },
      },
    });
    const logged: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logged.push(line) });
    await appendEvents(2);
    const anchoring = await startAnchoring(config, audit, logger, () => {});
    // The key file was made, for its owner only.
    expect(statSync(config.audit.keyFile).mode & 0o777).toBe(0o600);
    const key = Buffer.from(readFileSync(config.audit.keyFile, 'utf8').trim());
    expect((await lastAnchor(anchorFile)) as unknown).toMatchObject({ anchor: { seq: 2 } });
    await appendEvents(3);
    const anchoredSeq = async () => {
      const last = await lastAnchor(anchorFile);
      return last && 'anchor' in last ? last.anchor.seq : 0;
    };
    // The timer (1 s here) picks the new head up by itself.
    const deadline = Date.now() + 10_000;
    while ((await anchoredSeq()) < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await anchoredSeq()).toBe(5);
    await appendEvents(1);
    await anchoring.stop();
    expect(await lastAnchor(anchorFile)).toMatchObject({ anchor: { seq: 6 } });
    expect(await verifyTrail(audit, anchorFile, key)).toMatchObject({ verdict: 'intact', anchors: 3 });
    const log = logged.join('');
    expect(log.match(/audit anchor written/g)).toHaveLength(3);
    expect(log).not.toContain(key.toString('utf8'));
  });

  it('the command line: verify exits 0 intact, 1 tampered, 2 unverifiable; anchor refuses a cut trail; the key is never printed', async () => {
    // A key from the environment is text.
    const textKey = randomBytes(24).toString('base64url');
    await appendEvents(4);
    await new AuditAnchoring({ audit, file: anchorFile, key: Buffer.from(textKey) }).anchor();
    const configFile = path.join(dir, 'assetflow.yaml');
    writeFileSync(
      configFile,
      `audit:\n  anchorFile: ${anchorFile}\n  keyFile: ${path.join(dir, 'no.key')}\n`,
    );
    const cli = (auditKey: string, command = 'verify') =>
      run(
        process.execPath,
        [path.join(__dirname, '..', '..', 'bin', 'assetflow.js'), '-c', configFile, 'audit', command],
        { env: { ...process.env, DATABASE_URL: database.url, ASSETFLOW_AUDIT_KEY: auditKey } },
      ).then(
        (ok) => ({ code: 0, stdout: ok.stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );

    const intact = await cli(textKey);
    expect(intact).toMatchObject({ code: 0, stdout: expect.stringContaining('Trail intact: 4 events') });
    expect(intact.stdout).not.toContain(textKey);
    const noKey = await cli('');
    expect(noKey).toMatchObject({ code: 2, stdout: expect.stringContaining('NOT VERIFIED against anchors') });
    await appendEvents(2);
    expect(await cli(textKey, 'anchor')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Anchored event 6'),
    });
    await asDatabaseOwner(() => sql`DELETE FROM audit_events WHERE seq > 2`.execute(database.db));
    expect(await cli(textKey, 'anchor')).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('Not anchored: the trail ends at event 2 but event 6 was anchored'),
    });
    const cut = await cli(textKey);
    expect(cut).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('the trail ends at event 2 but event 6 was anchored'),
    });
    expect(cut.stdout).toContain('Trail TAMPERED WITH');
  });

  it('appends the events of a 500-asset link in one transaction, contiguous and chained', async () => {
    await appendEvents(1);
    const shareId = randomUUID();
    const batch = Array.from({ length: 500 }, (_, i) => ({
      ...event(i),
      action: 'share.viewed' as const,
      shareId,
    }));
    const appended = await audit.appendMany(batch);
    expect(appended.map((e) => e.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 2));
    // Every row a transaction inserts carries its id (xmin): one id, one transaction.
    const { rows } = await sql<{ transactions: number; events: number }>`
      SELECT count(DISTINCT xmin::text)::int AS transactions, count(*)::int AS events
      FROM audit_events WHERE share_id = ${shareId}`.execute(database.db);
    expect(rows[0]).toEqual({ transactions: 1, events: 500 });
    expect(await audit.verify()).toMatchObject({ intact: true, events: 501 });
  });
});
