import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveTemporalCli } from '../../toolchain/temporal-binaries';

export const HISTORIES_DIR = path.join(__dirname, '..', 'replay', 'histories');

/**
 * With RECORD_HISTORIES=1, saves a workflow's history (as `temporal workflow show --output json`
 * prints it) for the replay test. Record again only when a change is meant to be compatible with
 * running workflows and the new history adds coverage; never re-record to make a replay pass.
 */
export async function recordHistoryIfAsked(address: string, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const cli = await resolveTemporalCli();
  if (cli.type !== 'existing-path') throw new Error('recording histories needs the Temporal CLI binary');
  const json = execFileSync(
    cli.path,
    ['workflow', 'show', '--address', address, '--workflow-id', workflowId, '--output', 'json'],
    {
      encoding: 'utf8',
    },
  );
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), json);
}
