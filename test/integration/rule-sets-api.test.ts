import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RuleSetService } from '../../services/rule-set.service';
import { type Harness, startHarness } from '../support/harness';
import { makeJpeg } from '../support/images';
import { databaseKinds } from '../support/test-databases';

const examples = path.join(__dirname, '..', '..', 'rules', 'examples');
const luxury = readFileSync(path.join(examples, 'luxury.yaml'), 'utf8');
const sample = JSON.parse(readFileSync(path.join(examples, 'samples', 'luxury-event-photo.json'), 'utf8'));

describe.each(databaseKinds)('rule-set API (%s)', (kind) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(kind);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('lists the shipped rule sets, published at start-up', async () => {
    const res = await harness.http.get('/api/rule-sets').expect(200);
    expect(res.body.ruleSets.map((r: { name: string }) => r.name)).toEqual([
      'automotive',
      'default',
      'ecommerce',
      'luxury',
    ]);
    expect(res.body.ruleSets[0]).toMatchObject({
      latestVersion: 1,
      title: { en: 'Automotive', zh: '汽车制造' },
    });
  });

  it("never replaces a rule author's newer version with the shipped file at start-up (M6)", async () => {
    const stricter = readFileSync(path.join(examples, 'default.yaml'), 'utf8').replace(
      'maxExpiryDays: 90',
      'maxExpiryDays: 30',
    );
    expect(stricter).toContain('maxExpiryDays: 30');
    const mine = await harness.http
      .post('/api/rule-sets')
      .set('Content-Type', 'application/yaml')
      .send(stricter)
      .expect(201);
    // What start-up does on every start.
    expect(await new RuleSetService(harness.storage.ruleSets).publishExamples()).toEqual([]);
    const latest = await harness.http.get('/api/rule-sets/default').expect(200);
    expect(latest.body.latest.version).toBe(mine.body.version);
    expect(JSON.stringify(latest.body.latest.plan)).toContain('"maxExpiryDays":30');
  });

  it('publishes a changed rule set as the next version, and an unchanged one as nothing new', async () => {
    const changed = luxury.replace('maxDeltaE: 10', 'maxDeltaE: 8');
    const first = await harness.http
      .post('/api/rule-sets')
      .set('Content-Type', 'application/yaml')
      .send(changed)
      .expect(201);
    expect(first.body).toMatchObject({ name: 'luxury', version: 2, created: true });
    expect(first.body.plan.create.brandPalette.maxDeltaE).toBe(8);
    const again = await harness.http.post('/api/rule-sets').send({ source: changed }).expect(200);
    expect(again.body).toMatchObject({ version: 2, created: false });

    const detail = await harness.http.get('/api/rule-sets/luxury').expect(200);
    expect(detail.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const v1 = await harness.http.get('/api/rule-sets/luxury/versions/1').expect(200);
    expect(v1.body.source).toBe(luxury);
    expect(v1.body.plan.create.brandPalette.maxDeltaE).toBe(10);
  });

  it('refuses an invalid rule set with 422 and every problem located', async () => {
    const broken = luxury
      .replace('reviewers: { roles: [reviewer] }', 'reviewers: { roles: [revewer] }')
      .replace('approved: second-approval', 'approved: second-aproval');
    const res = await harness.http
      .post('/api/rule-sets')
      .set('Content-Type', 'text/yaml')
      .send(broken)
      .expect(422);
    expect(res.body.error.code).toBe('RULE_SET_INVALID');
    const problems = res.body.error.details.problems as {
      code: string;
      line: number;
      column: number;
      path: string;
    }[];
    expect([...new Set(problems.map((p) => p.code))].sort()).toEqual([
      'UNKNOWN_NODE',
      'UNKNOWN_ROLE',
      'UNREACHABLE_NODE',
    ]);
    // second-approval is no longer reachable, nor is what only it led to (grant, approved).
    expect(problems.filter((p) => p.code === 'UNREACHABLE_NODE').map((p) => p.path)).toEqual([
      '/flows/hi-res-download/nodes/second-approval',
      '/flows/hi-res-download/nodes/grant',
      '/flows/hi-res-download/nodes/approved',
    ]);
    const role = problems.find((p) => p.code === 'UNKNOWN_ROLE')!;
    expect(broken.split('\n')[role.line - 1]?.slice(role.column - 1)).toMatch(/^revewer/);
    // Nothing was published.
    const detail = await harness.http.get('/api/rule-sets/luxury').expect(200);
    expect(detail.body.latest.source).not.toContain('revewer');
  });

  it('answers 400, not 500, for a version number beyond an integer (found by Schemathesis)', async () => {
    const res = await harness.http.get('/api/rule-sets/default/versions/16165036151072');
    expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    await harness.http.get('/api/rule-sets/default/versions/999999999').expect(404);
    // One version, one URL: a number is written as digits, not as anything that converts to one.
    for (const written of ['0x1', '1e0', '%201', '1.0'])
      expect((await harness.http.get(`/api/rule-sets/default/versions/${written}`)).status).toBe(400);
    await harness.http.get('/api/rule-sets/default/versions/1').expect(200);
  });

  it('validates without publishing', async () => {
    const res = await harness.http
      .post('/api/rule-sets/validate')
      .set('Content-Type', 'application/yaml')
      .send(luxury.replace('name: luxury', 'name: luxury-draft'))
      .expect(200);
    expect(res.body).toMatchObject({ valid: true, name: 'luxury-draft' });
    await harness.http.get('/api/rule-sets/luxury-draft').expect(404);
    const empty = await harness.http
      .post('/api/rule-sets/validate')
      .set('Content-Type', 'application/yaml')
      .send('');
    expect(empty.status).toBe(400);
  });

  it('dry-runs a rule set: the path and every timer with its date', async () => {
    const { events, ...rest } = sample;
    const res = await harness.http
      .post('/api/rule-sets/luxury/dry-run')
      .send({ version: 1, sample: rest, events })
      .expect(200);
    expect(res.body.ruleSet).toEqual({ name: 'luxury', version: 1 });
    expect(res.body.flows[0].status).toBe('approved');
    expect(res.body.timers.find((t: { name: string }) => t.name === 'validity')).toMatchObject({
      at: '2026-03-12T00:00:00.000Z',
    });

    const bad = await harness.http
      .post('/api/rule-sets/luxury/dry-run')
      .send({ sample: { asset: { name: 'x.jpg' } } })
      .expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.message).toContain('uploadedAt');
    await harness.http.post('/api/rule-sets/nope/dry-run').send({ sample: rest }).expect(404);
  });

  it('an upload runs under the latest version of the rule set it names', async () => {
    const res = await harness.http
      .post('/api/assets')
      .field('ruleSet', 'automotive')
      .field('metadata', JSON.stringify({ modelCode: 'X1A', partNumber: '12345-AB12', modelYear: 2026 }))
      .attach('file', await makeJpeg(64, 64), 'X1A_12345-AB12_MY2026_V1.jpg')
      .expect(201);
    expect(res.body).toMatchObject({ ruleSet: 'automotive', ruleSetVersion: 1 });
  });

  it('refuses an automotive upload without its mandatory fields, naming each (P1)', async () => {
    const res = await harness.http
      .post('/api/assets')
      .field('ruleSet', 'automotive')
      .attach('file', await makeJpeg(64, 64, [9, 9, 9]), 'X1A_12345-AB12_MY2026_V1.jpg')
      .expect(422);
    expect(res.body.error).toMatchObject({
      code: 'REQUIRED_FIELDS_MISSING',
      details: { kind: 'image', missing: ['modelCode', 'modelYear', 'partNumber'] },
    });
    expect(res.body.error.message).toContain('metadata.partNumber');
  });
});
