import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureSchemathesis } from '../../toolchain/schemathesis';
import { type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { uploadLuxury } from '../support/luxury';

/**
 * The API fuzzed from outside by Schemathesis over every operation of the generated OpenAPI
 * document, as an administrator and again as a viewer, with a fixed budget and seed. Failing
 * checks: a server error, a response that breaks its schema, a status or content type the
 * document does not declare, undeclared response headers. The server also checks each response
 * against its contract itself (a violation becomes a 500, which Schemathesis reports).
 */
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
];
const SEED = 20261201;

describe('the API under Schemathesis', () => {
  let harness: Harness;
  let server: Server;
  let st: string;
  let base: string;
  const reports = mkdtempSync(path.join(os.tmpdir(), 'assetflow-fuzz-'));
  const config = path.join(reports, 'schemathesis.toml');
  let requests = 0;

  beforeAll(async () => {
    st = await ensureSchemathesis();
    harness = await startHarness('embedded');
    // Something to find: a project the viewer may see, with a stored asset in it.
    const viewer = await harness.userId('fuzz-viewer');
    const requester = await harness.as('fuzz-requester', 'employee');
    await harness.http
      .post('/api/projects')
      .send({
        id: 'p1',
        name: 'Fuzzed',
        grants: [
          { principal: `user:${viewer}`, level: 'view' },
          { principal: `user:${await harness.userId('fuzz-requester')}`, level: 'view' },
        ],
      })
      .expect(201);
    const assetId = await uploadLuxury(harness, await makeJpeg(320, 240), { project: 'p1' });
    await waitUntilStored(harness, assetId);
    const share = await harness.http
      .post('/api/shares')
      .send({ assetIds: [assetId], permission: 'download', rendition: 'medium', password: 'a long password' })
      .expect(201);
    // An approval waiting for a reviewer: the luxury rule set's hi-res flow.
    const asked = await harness.http
      .post(`/api/assets/${assetId}/download-requests`)
      .set(requester)
      .send({ audience: 'internal', rendition: 'original' })
      .expect(202);
    const comment = await harness.http
      .post(`/api/assets/${assetId}/comments`)
      .send({ body: 'fuzz' })
      .expect(201);
    // Half the time a path names something that exists, so the fuzzer reaches past "not found".
    // No user, session or token ids: the fuzzer would disable the viewer or revoke its own token.
    writeFileSync(
      config,
      [
        ['ids', [assetId, share.body.id]],
        ['projects', ['p1']],
        ['ruleSets', ['luxury', 'automotive']],
        ['approvals', [asked.body.approvalId]],
        ['trees', ['parts']],
        ['versions', [1]],
        ['comments', [comment.body.id]],
        ['tokens', [(share.body.url as string).split('/s/')[1]!]],
      ]
        .map(([name, values]) => `[dictionaries.${name}]\nvalues = ${JSON.stringify(values)}\n`)
        .join('\n') +
        `\n[parameters]\n${Object.entries({
          id: 'ids',
          assetId: 'ids',
          project: 'projects',
          name: 'ruleSets',
          ruleSet: 'ruleSets',
          commentId: 'comments',
          approvalId: 'approvals',
          tree: 'trees',
          version: 'versions',
          token: 'tokens',
        })
          .map(
            ([param, dictionary]) => `"path.${param}" = { dictionary = "${dictionary}", probability = 0.5 }`,
          )
          .join('\n')}\n`,
    );
    // Every request Schemathesis sends is counted as it reaches the server.
    server = createServer((req, res) => {
      requests += 1;
      harness.app(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 300_000);
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await harness?.close();
    rmSync(reports, { recursive: true, force: true });
  });

  // The viewer first: the administrator's run may change p1's grants.
  it.each([
    ['a viewer', [], 8],
    ['an administrator', ['admin'], 12],
  ] as const)(
    'finds no server error and no contract violation as %s',
    async (who, roles, maxExamples) => {
      const { Authorization } = await harness.as(who === 'a viewer' ? 'fuzz-viewer' : 'fuzz-admin', ...roles);
      const report = path.join(reports, `${roles.length ? 'admin' : 'viewer'}.json`);
      const before = requests;
      const { code, output } = await run(
        st,
        [
          '--config-file',
          config,
          'run',
          `${base}/api/openapi.json`,
          '--header',
          `Authorization: ${Authorization}`,
          '--checks',
          CHECKS.join(','),
          '--max-examples',
          String(maxExamples),
          '--seed',
          String(SEED),
          '--phases',
          'examples,coverage,fuzzing',
          '--generation-database',
          'none',
          '--no-color',
          '--report',
          'json',
          '--report-json-path',
          report,
        ],
        reports,
      );
      // The summary goes to the test log: operations, generated cases and requests, failures.
      process.stdout.write(`\n[schemathesis as ${who}]\n${summaryOf(output)}\n`);
      const result = JSON.parse(readFileSync(report, 'utf8')) as {
        test_cases: { generated: number };
        failures: unknown[];
        errors: unknown[];
        operations: { selected: number; tested: number };
      };
      const received = requests - before;
      const line =
        `[schemathesis as ${who}] ${received} requests received by the server, ${result.test_cases.generated} test cases, ` +
        `${result.operations.tested}/${result.operations.selected} operations, ${result.failures.length} failures, ${result.errors.length} errors\n`;
      process.stdout.write(line);
      // .ci/run prints these at the end of its log.
      if (process.env.ASSETFLOW_FUZZ_SUMMARY) appendFileSync(process.env.ASSETFLOW_FUZZ_SUMMARY, line);
      expect({ code, failures: failuresIn(output), errors: result.errors }).toEqual({
        code: 0,
        failures: [],
        errors: [],
      });
      expect(result.operations.tested).toBe(result.operations.selected);
      expect(received).toBeGreaterThan(2_000);
    },
    900_000,
  );
});

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      // The run's temporary directory: Schemathesis keeps its cache (.schemathesis/) where it runs.
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Schemathesis's closing summary (everything from its SUMMARY banner). */
function summaryOf(output: string): string {
  const at = output.lastIndexOf('SUMMARY');
  return at < 0 ? output.slice(-4000) : output.slice(output.lastIndexOf('\n', at - 40) + 1);
}

/** The FAILURES section, one entry per failing operation and check; empty when none. */
function failuresIn(output: string): string[] {
  const at = output.indexOf('FAILURES');
  if (at < 0) return [];
  const end = output.indexOf('SUMMARY', at);
  return [output.slice(at, end < 0 ? undefined : end).slice(0, 20_000)];
}
