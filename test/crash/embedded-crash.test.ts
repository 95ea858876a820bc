import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import sharp from 'sharp';
import { isRunning } from '../../runtime/processes';
import {
  ADMIN,
  assetflow,
  captureOutput,
  exitOfChild,
  type Installation,
  newInstallation,
  ownerFile,
  runAssetflow,
  waitUntilHealthy,
} from '../support/assetflow-process';

/**
 * Nothing lost on a laptop. Assetflow runs as `npm start` runs it (embedded PostgreSQL and Temporal
 * dev server as its children). Each round uploads a batch concurrently while the CLI (`audit
 * verify`, `trace`) works beside it, and at a random moment something is killed with SIGKILL:
 * Assetflow itself in most rounds, the Temporal dev server alone or PostgreSQL alone in others
 * (Assetflow must then stop by itself). After each round: no process of the installation is left,
 * the next start is healthy within 30 s, every upload that was acknowledged is there once and
 * reaches `stored`, nothing is stuck in `created`, and the trail verifies.
 */

type CliRun = Awaited<ReturnType<typeof runAssetflow>>;
const ROUNDS = Number(process.env.ASSETFLOW_CRASH_ROUNDS ?? 10);
const BATCH = 6;
type Kill = 'assetflow' | 'temporal' | 'postgres';
const killOf = (round: number): Kill =>
  round % 4 === 1 ? 'temporal' : round % 4 === 3 ? 'postgres' : 'assetflow';

jest.setTimeout(25 * 60_000);

describe('crashes on the embedded default (kill -9 of Assetflow, of Temporal, of PostgreSQL)', () => {
  let install: Installation;
  beforeAll(async () => {
    install = await newInstallation();
  });
  afterAll(() => rmSync(install.root, { recursive: true, force: true }));

  const noise = async () =>
    sharp(randomBytes(48 * 48 * 3), { raw: { width: 48, height: 48, channels: 3 } })
      .jpeg()
      .toBuffer();

  const catalogue = () => {
    const { port } = JSON.parse(readFileSync(install.postgresOwnerFile, 'utf8')) as { port: number };
    const password = readFileSync(
      path.join(install.root, '.assetflow', 'postgres', 'password'),
      'utf8',
    ).trim();
    return postgres(`postgres://assetflow:${encodeURIComponent(password)}@127.0.0.1:${port}/assetflow`, {
      max: 1,
      onnotice: () => {},
    });
  };

  /** Every table's rows, hashed: equal before and after only if nothing was written. */
  const catalogueHash = async () => {
    const sql = catalogue();
    try {
      const tables = await sql<{ name: string }[]>`
        select table_name as name from information_schema.tables
         where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`;
      const hashes: Record<string, string | null> = {};
      for (const { name } of tables) {
        const [row] = await sql.unsafe<{ md5: string | null }[]>(
          `select md5(string_agg(r::text, E'\\n' order by r::text)) as md5 from (select row_to_json(t) as r from "${name}" t) x`,
        );
        hashes[name] = row?.md5 ?? null;
      }
      return hashes;
    } finally {
      await sql.end({ timeout: 2 });
    }
  };

  const signIn = async (): Promise<string> => {
    const login = await fetch(`${install.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const made = await fetch(`${install.baseUrl}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ name: 'crash test' }),
    });
    return `Bearer ${((await made.json()) as { token: string }).token}`;
  };

  it('refuses a second start on the same data while one runs, and lets the CLI work beside it', async () => {
    const first = assetflow(install, ['start']);
    const output = captureOutput(first);
    try {
      await waitUntilHealthy(install, 120_000, first);
      const second = await runAssetflow(install, ['start']);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('Assetflow is already running on this data');
      // The CLI beside the running server reads and changes nothing.
      const before = await catalogueHash();
      const verify = await runAssetflow(install, ['audit', 'verify']);
      expect(verify.stdout).toContain('Trail intact');
      expect(verify.code).toBe(0);
      const suspect = path.join(install.root, 'beside.jpg');
      writeFileSync(suspect, await noise());
      const trace = await runAssetflow(install, ['trace', suspect]);
      expect([trace.code, trace.stdout]).toEqual([1, expect.stringContaining('No watermark found')]);
      expect(await catalogueHash()).toEqual(before);
    } finally {
      first.kill('SIGINT');
      expect(await exitOfChild(first)).toBe(0);
    }
    expect(output.text()).toContain('Stopped.');
  });

  it(`keeps every acknowledged upload through ${ROUNDS} rounds of kill -9, with nothing duplicated or stuck`, async () => {
    const acknowledged = new Map<string, string>(); // asset id → file name
    const totals = { rounds: 0, acknowledged: 0, refused: 0, lost: 0, duplicated: 0, cliRuns: 0 };
    let token = '';
    let counter = 0;
    const suspect = path.join(install.root, 'suspect.jpg');
    writeFileSync(suspect, await noise());

    for (let round = 0; round < ROUNDS; round++) {
      const roundStarted = Date.now();
      const app = assetflow(install, ['start']);
      const output = captureOutput(app);
      const healthyAfter = await waitUntilHealthy(install, round === 0 ? 120_000 : 30_000, app).catch(
        (error) => {
          throw new Error(`round ${round}: ${(error as Error).message}\n${output.text()}`);
        },
      );
      if (!token) token = await signIn();

      // Everything acknowledged so far is there, once, and stored; the trail verifies.
      await expectAllStored(acknowledged, round, totals);
      const verified = await runAssetflow(install, ['audit', 'verify']);
      expect([round, verified.code, verified.stdout]).toEqual([
        round,
        0,
        expect.stringContaining('Trail intact'),
      ]);

      // A batch of uploads, the CLI beside them, and a kill at a random moment.
      let firstAcknowledged: () => void = () => {};
      const acknowledgedInRound = new Promise<void>((resolve) => {
        firstAcknowledged = resolve;
      });
      const uploads = Array.from({ length: BATCH }, async () => {
        const name = `crash-${round}-${counter++}.jpg`;
        const form = new FormData();
        form.append('file', new Blob([await noise()], { type: 'image/jpeg' }), name);
        try {
          const res = await fetch(`${install.baseUrl}/api/assets`, {
            method: 'POST',
            headers: { authorization: token },
            body: form,
          });
          if (res.status === 201) {
            firstAcknowledged();
            const body = (await res.json()) as { id: string };
            acknowledged.set(body.id, name);
            totals.acknowledged += 1;
          } else totals.refused += 1;
        } catch {
          totals.refused += 1; // the connection died with the server: not acknowledged
        }
      });
      // `trace` compares with one asset (a search through every rendition takes half a minute).
      const someAsset = [...acknowledged.keys()].pop();
      const cli = [
        runAssetflow(install, ['audit', 'verify']),
        runAssetflow(install, ['trace', suspect, ...(someAsset ? ['--asset', someAsset] : [])]),
      ];
      // Even rounds kill once an upload has been answered (so there is acknowledged work in flight
      // to lose), odd rounds at any moment; both after a random delay.
      if (round % 2 === 0)
        await Promise.race([acknowledgedInRound, new Promise((r) => setTimeout(r, 15_000))]);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 1500));
      const victim = killOf(round);
      const temporal = ownerFile(install.temporalOwnerFile);
      const database = ownerFile(install.postgresOwnerFile);
      const pid = { assetflow: app.pid!, temporal: temporal.server!.pid, postgres: database.server!.pid }[
        victim
      ];
      process.kill(pid, 'SIGKILL');
      const exit = await Promise.race([
        exitOfChild(app),
        new Promise((resolve) => setTimeout(() => resolve('still running'), 30_000)),
      ]);
      expect([round, victim, exit === 'still running' ? exit : 'exited']).toEqual([round, victim, 'exited']);
      const killedAt = Date.now();
      await Promise.allSettled(uploads);
      const uploadsSettled = Date.now() - killedAt;
      const cliRuns = await Promise.all(cli);
      const cliDone = Date.now() - killedAt;
      const [verify, trace] = cliRuns as [CliRun, CliRun];
      totals.cliRuns += 2;
      // Each command either did its work or was cut off by the kill with a one-line reason.
      const cutOff = (run: CliRun) => run.code === 1 && /^assetflow: /m.test(run.stderr);
      expect([round, 'audit verify', verify.code === 0 ? verify.stdout : cutOff(verify)]).toEqual([
        round,
        'audit verify',
        verify.code === 0 ? expect.stringContaining('Trail intact') : true,
      ]);
      // Its answers: "Watermark <payload> …", "No watermark found.", "A watermark was read, but no
      // distribution … used it." (noise can read as a payload nobody sent), "… no watermark could be read".
      const traced = /watermark/i.test(trace.stdout);
      // On failure the run itself is shown: its exit code and the end of what it wrote.
      const shown = (run: CliRun) => ({
        code: run.code,
        stdout: run.stdout.slice(-400),
        stderr: run.stderr.slice(-800),
      });
      expect([round, 'trace', traced || cutOff(trace) || shown(trace)]).toEqual([round, 'trace', true]);
      for (const run of cliRuns) expect(run.stderr).not.toMatch(/RuntimeError|Aborted|Segmentation/);
      // No process of this installation outlives it (the kernel signals the children).
      await eventuallyGone([temporal.owner, temporal.server!, database.server!]);
      const gone = Date.now() - killedAt;
      totals.rounds += 1;
      process.stderr.write(
        `[crash] round ${round}: killed ${victim}, healthy after ${healthyAfter} ms, uploads settled ${uploadsSettled} ms after the kill, CLI done ${cliDone} ms, all gone ${gone} ms, killed at ${killedAt - roundStarted} ms, round ${Date.now() - roundStarted} ms\n`,
      );
    }

    // A last start: everything acknowledged is stored, the trail verifies, and a clean stop.
    const app = assetflow(install, ['start']);
    await waitUntilHealthy(install, 30_000, app);
    await expectAllStored(acknowledged, ROUNDS, totals);
    const verify = await runAssetflow(install, ['audit', 'verify']);
    expect(verify.stdout).toContain('Trail intact');
    app.kill('SIGINT');
    expect(await exitOfChild(app)).toBe(0);

    process.stderr.write(
      `[crash] ${totals.rounds} rounds, ${totals.acknowledged} uploads acknowledged, ${totals.refused} refused or cut off, ` +
        `${totals.lost} lost, ${totals.duplicated} duplicated, ${totals.cliRuns} CLI runs beside the server\n`,
    );
    expect(totals.rounds).toBe(ROUNDS);
    expect(totals.acknowledged).toBeGreaterThanOrEqual(ROUNDS / 2);
    expect([totals.lost, totals.duplicated]).toEqual([0, 0]);
  });

  /** Every acknowledged asset exists once and reaches `stored`; no asset at all is left in `created`. */
  async function expectAllStored(
    acknowledged: Map<string, string>,
    round: number,
    totals: { lost: number; duplicated: number },
  ) {
    const sql = catalogue();
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const rows = await sql<{ id: string; display_name: string; state: string }[]>`
          select id, display_name, state from assets`;
        const byId = new Map(rows.map((r) => [r.id, r]));
        const lost = [...acknowledged.keys()].filter((id) => !byId.has(id));
        const names = rows.map((r) => r.display_name);
        const duplicated = names.filter((n, i) => names.indexOf(n) !== i);
        const notStored = rows.filter((r) => r.state === 'created');
        if (lost.length > 0 || duplicated.length > 0) {
          totals.lost += lost.length;
          totals.duplicated += duplicated.length;
          throw new Error(
            `round ${round}: lost ${lost.join(', ') || 'none'}; duplicated ${duplicated.join(', ') || 'none'}`,
          );
        }
        if (notStored.length === 0) return;
        if (Date.now() > deadline) {
          throw new Error(
            `round ${round}: stuck in created: ${notStored.map((r) => `${r.display_name} (${acknowledged.has(r.id) ? 'acknowledged' : 'never acknowledged'})`).join(', ')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      await sql.end({ timeout: 2 });
    }
  }
});

async function eventuallyGone(processes: Array<{ pid: number; startedAt: number | null }>) {
  const deadline = Date.now() + 15_000;
  while (processes.some((p) => isRunning(p))) {
    if (Date.now() > deadline) {
      const left = processes.filter((p) => isRunning(p)).map((p) => p.pid);
      throw new Error(`processes left running after the kill: ${left.join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
