import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
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

/**
 * With RECORD_HISTORIES=1, saves the history of one run (continue-as-new starts a new run, and the
 * CLI shows only the latest), in the JSON the CLI prints.
 */
export async function recordRunIfAsked(client: Client, workflowId: string, runId: string, name: string) {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), `${historyToJSON(history)}\n`);
}
