import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..', '..');
const cli = (...args: string[]) =>
  run(process.execPath, [path.join(root, 'bin', 'assetflow.js'), ...args], { cwd: root }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );

/** The real command line, in a child process, as a rule author runs it. */
describe('assetflow rules (CLI)', () => {
  it('validate exits 0 for the shipped rule sets', async () => {
    const r = await cli('rules', 'validate', 'rules/examples/automotive.yaml', 'rules/examples/luxury.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rules/examples/luxury.yaml: valid (rule set "luxury")');
  });

  it('validate exits 1 and prints file:line:column for a broken one, also as JSON', async () => {
    const file = 'test/fixtures/broken-rule-sets/22-undefined-reviewer-role.yaml';
    const text = await cli('rules', 'validate', file);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${file}:15:49: error UNKNOWN_ROLE`);
    const json = await cli('rules', 'validate', '--json', file);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)[0]).toMatchObject({
      valid: false,
      problems: [{ code: 'UNKNOWN_ROLE', line: 15, column: 49 }],
    });
  });

  it('dry-run prints the path and the timers', async () => {
    const r = await cli(
      'rules',
      'dry-run',
      'rules/examples/luxury.yaml',
      '--asset',
      'rules/examples/samples/luxury-event-photo.json',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('hi-res-download#1 (approved): start → is-internal → first-approval');
    expect(r.stdout).toContain('2026-03-12T00:00:00.000Z  validity [fired]');
  }, 30_000);
});
