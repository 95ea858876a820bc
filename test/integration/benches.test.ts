import { spawn } from 'node:child_process';
import path from 'node:path';
import { testEmbeddedPostgresUrl } from '../support/test-env';

/**
 * Every bench still runs at HEAD: each at a tiny size, through `npm run bench`'s runner, on a real
 * PostgreSQL and (where the bench needs one) its own Temporal dev server. The figures are not
 * checked (timed tests would be flaky); that it runs to the end and prints its table is.
 */
const TABLE = /^\|(---\|)+/m;
const BENCHES: [name: string, args: string[], prints: RegExp][] = [
  ['contract', ['2000'], TABLE],
  // Its output is a verdict, not a table: the workflow and the dry-run agreed on every script.
  ['differential', ['3', '1'], /scripts: 3, .* disagreed: 0/],
  ['duplicates', ['2000'], TABLE],
  ['ingest', ['2'], TABLE],
  ['lifecycle', ['4', '8'], TABLE],
  ['models', ['1'], TABLE],
  ['relevance', ['300'], TABLE],
  ['rules', [], TABLE],
  ['search', ['2000'], TABLE],
  // Every append in the chain and every counter update counted.
  [
    'trail',
    ['200'],
    /^\|(---\|)+[\s\S]*intact: true\s+Appended \d+ events, \d+ in the chain; counters \d+\/\d+; all there$/m,
  ],
  ['watermark', ['2'], TABLE],
  ['worker-memory', ['10', '21', '10'], TABLE],
];

const ROOT = path.join(__dirname, '..', '..');

function runBench(name: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'bench', 'run.ts'), name, ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? testEmbeddedPostgresUrl() },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

describe('benches run at HEAD', () => {
  it.each(BENCHES)(
    '%s runs to its end and prints its results',
    async (name, args, prints) => {
      const { code, out, err } = await runBench(name, args);
      if (code !== 0) throw new Error(`bench ${name} exited ${code}:\n${err.slice(-3000)}`);
      expect(out).toMatch(prints);
    },
    600_000,
  );
});
