import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { compileRuleSet } from '../../rules';
import { installTemporalRuntimeOnce } from '../../runtime/worker';
import { testTemporalAddress } from '../support/test-env';

/**
 * rules/ promises to run unchanged inside workflows. This bundles a workflow that uses the CEL
 * evaluator, the flow machine and duration arithmetic, and runs it on the dev server.
 */
describe('rules/ inside the Temporal workflow sandbox', () => {
  it('bundles without Node APIs and evaluates conditions and flows deterministically', async () => {
    installTemporalRuntimeOnce();
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/rules-in-workflow'),
      logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
    });
    process.stderr.write(
      `[rules-in-sandbox] workflow bundle with rules/: ${(code.length / 1024 / 1024).toFixed(2)} MiB\n`,
    );

    const plan = compileRuleSet(
      readFileSync(path.join(__dirname, '..', '..', 'rules', 'examples', 'luxury.yaml'), 'utf8'),
    ).plan!;
    const address = testTemporalAddress();
    const taskQueue = `rules-${randomUUID()}`;
    const connection = await NativeConnection.connect({ address });
    const worker = await Worker.create({ connection, taskQueue, workflowBundle: { code } });
    const clientConnection = await Connection.connect({ address });
    try {
      const result = await worker.runUntil(
        new Client({ connection: clientConnection }).workflow.execute('rulesInWorkflow', {
          taskQueue,
          workflowId: `rules-${randomUUID()}`,
          args: [plan],
        }),
      );
      expect(result).toEqual({
        internal: true,
        path: [
          'start',
          'is-internal',
          'first-approval',
          'first-approval',
          'second-approval',
          'second-approval',
          'grant',
          'approved',
        ],
        status: 'approved',
        retentionEnds: '2045-06-30T00:00:00.000Z',
        releaseEnding: { ok: true, value: true },
        releaseEndingAsRecordedBefore: { ok: false, error: 'Unsupported type: Date' },
      });
    } finally {
      await clientConnection.close();
      await connection.close();
    }
  });
});
