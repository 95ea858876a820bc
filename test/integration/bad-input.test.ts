import type request from 'supertest';
import { type Harness, startHarness, tmpFilesOf } from '../support/harness';
import { makeJpeg } from '../support/images';
import { databaseKinds } from '../support/test-databases';

/** Every refusal is a 4xx with `{error: {code, message, details}}`, and nothing is left behind. */
describe.each(databaseKinds)('bad input is refused clearly and loses nothing (%s)', (kind) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(kind, {
      config: { limits: { maxUploadBytes: 50_000, maxFilesPerUpload: 3 } },
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const assetCount = async () =>
    Number(
      (
        await harness.storage.database.db
          .selectFrom('assets')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const tmpFiles = () => tmpFilesOf(harness);

  const expectError = (res: request.Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: { code, message: expect.any(String), details: expect.any(Object) } });
  };

  it('refuses a request without a file', async () => {
    const res = await harness.http.post('/api/assets').field('metadata', '{}');
    expectError(res, 400, 'FILE_MISSING');
  });

  it('refuses an empty file', async () => {
    const res = await harness.http.post('/api/assets').attach('file', Buffer.alloc(0), 'empty.jpg');
    expectError(res, 400, 'FILE_EMPTY');
  });

  it('refuses a body that is not multipart', async () => {
    const res = await harness.http.post('/api/assets').send({ file: 'x' });
    expectError(res, 415, 'MULTIPART_INVALID');
  });

  it('refuses a file over the configured size limit with 413', async () => {
    const big = Buffer.alloc(60_000, 7);
    const res = await harness.http.post('/api/assets').attach('file', big, 'big.bin');
    expectError(res, 413, 'FILE_TOO_LARGE');
    expect(res.body.error.details.maxUploadBytes).toBe(50_000);
  });

  it('refuses more files than the configured limit', async () => {
    const small = await makeJpeg(16, 16);
    let req = harness.http.post('/api/assets');
    for (let i = 0; i < 4; i++) req = req.attach('file', small, `f${i}.jpg`);
    expectError(await req, 413, 'TOO_MANY_FILES');
  });

  it('refuses metadata that is not a JSON object, naming the problem', async () => {
    const jpeg = await makeJpeg(16, 16);
    expectError(
      await harness.http.post('/api/assets').field('metadata', '{"a":').attach('file', jpeg, 'x.jpg'),
      400,
      'METADATA_INVALID',
    );
    expectError(
      await harness.http.post('/api/assets').field('metadata', '[1,2]').attach('file', jpeg, 'x.jpg'),
      400,
      'METADATA_INVALID',
    );
    expectError(
      await harness.http
        .post('/api/assets')
        .field('metadata', '{"validUntil":"someday"}')
        .attach('file', jpeg, 'x.jpg'),
      400,
      'METADATA_INVALID',
    );
  });

  it('refuses an unknown rule set', async () => {
    const res = await harness.http
      .post('/api/assets')
      .field('ruleSet', 'no-such-rules')
      .attach('file', await makeJpeg(16, 16), 'x.jpg');
    expectError(res, 400, 'RULE_SET_UNKNOWN');
    expect(res.body.error.details.known).toEqual(['automotive', 'default', 'ecommerce', 'luxury']);
  });

  it('answers 404 for an unknown asset id, whether or not it looks like a uuid', async () => {
    expectError(
      await harness.http.get('/api/assets/0b6f5a0e-1111-4222-8333-444455556666'),
      404,
      'ASSET_NOT_FOUND',
    );
    expectError(await harness.http.get('/api/assets/not-a-uuid'), 404, 'ASSET_NOT_FOUND');
    expectError(await harness.http.get('/api/no-such-route'), 404, 'ROUTE_NOT_FOUND');
  });

  it('refuses a huge recipient address at once: the length check stops it before any pattern (security review H2)', async () => {
    // 160 000 dots took 12.6 s of blocked event loop before (allErrors ran the quadratic pattern).
    const res = await harness.http.post('/api/shares').send({
      assetIds: ['00000000-0000-4000-8000-000000000000'],
      permission: 'view',
      rendition: 'x',
      allowedEmails: [`a@${'.'.repeat(160_000)}@`],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain('320');
  }, 5_000);

  it('answers 404, not 500, to an administrator naming an asset or link by something not a UUID (found by Schemathesis)', async () => {
    for (const path of [
      '/api/assets/null%2Cnull/trail',
      '/api/assets/%C2%BFZ/timeline',
      '/api/assets/x/versions',
      '/api/shares/null%2Cnull/trail',
    ]) {
      const res = await harness.http.get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body.error.code).toMatch(/^(ASSET|SHARE)_NOT_FOUND$/);
    }
  });

  it('answers 4xx, not 500, to what the Schemathesis run of the generated document found', async () => {
    const unknown = 'e3e70682-c209-1cac-a29f-6fbed82c07cd';
    // An administrator naming an asset that does not exist in a link or an export: 404.
    const share = await harness.http
      .post('/api/shares')
      .send({ assetIds: [unknown], permission: 'view', rendition: 'medium', password: 'a long password' });
    expectError(share, 404, 'ASSET_NOT_FOUND');
    expectError(
      await harness.http.post('/api/exports').send({ assetIds: [unknown], channel: 'web' }),
      404,
      'ASSET_NOT_FOUND',
    );
    // The same principal granted twice: 400 (it was the database's unique key, a 500).
    const twice = [
      { principal: 'everyone', level: 'manage' },
      { principal: 'everyone', level: 'view' },
    ];
    expectError(
      await harness.http.put('/api/projects/default/grants').send({ grants: twice }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await harness.http.post('/api/projects').send({ id: 'twice', name: 'Twice', grants: twice }),
      400,
      'VALIDATION_FAILED',
    );
    // A NUL character (PostgreSQL text cannot hold one) in a query or a JSON body: 400.
    expectError(await harness.http.get('/api/search?state=a%00b'), 400, 'VALIDATION_FAILED');
    expectError(
      await harness.http.post('/api/projects').send({ id: 'nul', name: 'a\u0000b' }),
      400,
      'VALIDATION_FAILED',
    );
    // …and in an upload's form fields, raw or escaped inside the metadata JSON (a 500 before).
    const jpeg = await makeJpeg(16, 16);
    const upload = () => harness.http.post('/api/assets').attach('file', jpeg, 'n.jpg');
    expectError(
      await upload().field('metadata', JSON.stringify({ note: 'a\u0000b' })),
      400,
      'METADATA_INVALID',
    );
    expectError(
      await upload().field('metadata', JSON.stringify({ 'n\u0000': 'x' })),
      400,
      'METADATA_INVALID',
    );
    expectError(await upload().field('ruleSet', 'lux\u0000'), 400, 'VALIDATION_FAILED');
    expectError(await upload().field('project', 'p\u0000'), 400, 'VALIDATION_FAILED');
    // A lone surrogate (half a UTF-16 pair) is no more storable: found by the upload fuzz test.
    expectError(await upload().field('metadata', '{"\\ud800": 0}'), 400, 'METADATA_INVALID');
    const lone = await harness.http
      .post('/api/projects')
      .set('Content-Type', 'application/json')
      .send('{"id": "lone", "name": "\\udfff"}');
    expectError(lone, 400, 'VALIDATION_FAILED');
  });

  it('left no asset rows and no temporary files behind', async () => {
    expect(await assetCount()).toBe(0);
    expect(tmpFiles()).toEqual([]);
  });
});
