import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { installTemporalRuntimeOnce } from '../../runtime/worker';
import { HISTORIES_DIR } from '../support/record-history';
import { testWorkflowBundle } from '../support/test-env';

/**
 * Replays every recorded history against today's workflow code. A change that would break
 * workflows already running in production (different commands in a different order) fails here;
 * such a change must go behind `patched()`.
 */
const histories = readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, history: JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) }));

beforeAll(() => installTemporalRuntimeOnce());

describe('replay of recorded workflow histories', () => {
  it('has histories to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(3);
  });

  it.each(histories.map((h) => [h.file, h.history]))(
    'replays %s without non-determinism',
    async (_file, history) => {
      await Worker.runReplayHistory({ workflowBundle: testWorkflowBundle() }, history);
    },
  );

  it('catches an incompatible change to the workflow', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/incompatible-workflows'),
      logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} },
    });
    const first = histories.find((h) => h.file.startsWith('asset-lifecycle-v2'));
    if (!first) throw new Error('no recorded asset-lifecycle history');
    await expect(Worker.runReplayHistory({ workflowBundle: { code } }, first.history)).rejects.toThrow(
      /[Nn]ondeterminism|DeterminismViolation/,
    );
  });
});
