import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { AccessLevel, Principal } from '../../policy/access';
import { endpointPolicy } from '../../policy/endpoints';
import { decide, type Requirement, type ResourceAccess } from '../../policy/policy';
import { type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { uploadLuxury } from '../support/luxury';
import { databaseKinds } from '../support/test-databases';

/** The people of the matrix and what project `p1` grants each. */
const PERSONAS = ['anonymous', 'viewer', 'editor', 'manager', 'other-team', 'admin'] as const;
type Persona = (typeof PERSONAS)[number];
const LEVEL_ON_P1: Record<Persona, AccessLevel | undefined> = {
  anonymous: undefined,
  viewer: 'view',
  editor: 'edit',
  manager: 'manage',
  'other-team': undefined,
  admin: 'manage',
};
/** Codes by which the policy refuses; any other answer means the request got past it. */
const POLICY_CODES = new Set([
  'NOT_SIGNED_IN',
  'FORBIDDEN',
  'ASSET_NOT_FOUND',
  'APPROVAL_NOT_FOUND',
  'PROJECT_NOT_FOUND',
  'SHARE_NOT_FOUND',
]);

/**
 * Every endpoint × (anonymous, viewer, editor, manager, other team, admin), with the expected
 * answer computed by the policy itself from what each persona holds, then asked of the real
 * server: a refusal must be exactly the policy's (status and code), and an allowed request must
 * not be refused by the policy (it may still fail on its empty body, which is the point: the
 * policy runs first). The resources are real: an asset in project p1 (luxury rule set), an
 * approval on it, a share link made by the administrator.
 */
describe.each(databaseKinds)('authorisation matrix (%s)', (kind) => {
  let harness: Harness;
  const headers = new Map<Persona, Record<string, string>>();
  const params: Record<string, string> = {};

  beforeAll(async () => {
    harness = await startHarness(kind);
    for (const persona of PERSONAS) {
      if (persona === 'anonymous') continue;
      const extra = persona === 'admin' ? ['admin'] : persona === 'other-team' ? ['team:other'] : [];
      headers.set(persona, await harness.as(`matrix-${persona}`, ...extra));
    }
    const requester = await harness.as('matrix-requester', 'employee');
    const grant = async (persona: Persona | 'requester', level: AccessLevel) => ({
      principal: `user:${await harness.userId(`matrix-${persona}`)}`,
      level,
    });
    await harness.http
      .post('/api/projects')
      .send({
        id: 'p1',
        name: 'Project one',
        grants: [
          await grant('viewer', 'view'),
          await grant('editor', 'edit'),
          await grant('manager', 'manage'),
          await grant('requester', 'view'),
        ],
      })
      .expect(201);
    await harness.http
      .post('/api/projects')
      .send({ id: 'p2', name: 'Other team', grants: [{ principal: 'team:other', level: 'edit' }] })
      .expect(201);

    const assetId = await uploadLuxury(harness, await makeJpeg(640, 480), { project: 'p1' });
    await waitUntilStored(harness, assetId);
    const asked = await harness.http
      .post(`/api/assets/${assetId}/download-requests`)
      .set(requester)
      .send({ audience: 'internal', rendition: 'original' })
      .expect(202);
    const share = await harness.http
      .post('/api/shares')
      .send({ assetIds: [assetId], permission: 'download', rendition: 'medium', password: 'a long password' })
      .expect(201);
    const comment = await harness.http
      .post(`/api/assets/${assetId}/comments`)
      .send({ body: 'matrix' })
      .expect(201);
    Object.assign(params, {
      commentId: comment.body.id,
      notificationId: randomUUID(),
      id: assetId,
      approvalId: asked.body.approvalId,
      project: 'p1',
      name: 'luxury',
      version: '1',
      rendition: 'thumbnail',
      ruleSet: 'automotive',
      tree: 'parts',
      token: (share.body.url as string).split('/s/')[1]!,
      assetId,
      shareId: share.body.id,
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const principalOf = (persona: Persona): Principal | undefined =>
    persona === 'anonymous'
      ? undefined
      : {
          id: persona,
          email: `matrix-${persona}@example.test`,
          roles: persona === 'admin' ? ['admin'] : [],
          teams: persona === 'other-team' ? ['other'] : [],
        };
  // The share link was made by the administrator; nobody else is its maker.
  const accessOf = (persona: Persona, requirement: Requirement): ResourceAccess =>
    requirement.kind === 'share'
      ? { level: LEVEL_ON_P1[persona], creator: persona === 'admin' }
      : { level: LEVEL_ON_P1[persona] };

  const cases = Object.entries(endpointPolicy).flatMap(([key, requirement]) =>
    PERSONAS.map((persona) => [key, persona, requirement] as const),
  );

  it.each(cases)('%s as %s', async (key, persona, requirement) => {
    const [method, template] = key.split(' ') as [string, string];
    const path = template.replace(/\{(\w+)\}/g, (_m, name: string) =>
      encodeURIComponent(
        name === 'id' && template.startsWith('/api/shares') ? params.shareId! : params[name]!,
      ),
    );
    let req = request(harness.app)[method.toLowerCase() as 'get'](path);
    const auth = headers.get(persona);
    if (auth) req = req.set(auth);
    if (['POST', 'PUT', 'PATCH'].includes(method)) req = req.send({});
    // An event stream never ends: read up to its first chunk, then hang up.
    req = req.buffer(true).parse((stream, done) => {
      let text = '';
      const eventStream = String(stream.headers['content-type']).startsWith('text/event-stream');
      stream.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (eventStream) {
          (stream as unknown as { destroy(): void }).destroy();
          done(null, {});
        }
      });
      stream.on('end', () => {
        try {
          done(null, JSON.parse(text));
        } catch {
          done(null, {});
        }
      });
    });
    const res = await req;

    const expected = decide(principalOf(persona), requirement, accessOf(persona, requirement));
    const code: string | undefined = res.body?.error?.code;
    if (process.env.MATRIX_REPORT) process.stdout.write(`${key} ${persona} ${res.status} ${code ?? ''}\n`);
    // Every path of the table is a real route: the request reached the policy and the router.
    expect(code).not.toBe('ROUTE_NOT_FOUND');
    if (expected.allow) {
      expect({ key, persona, refusedWith: POLICY_CODES.has(code ?? '') ? code : undefined }).toEqual({
        key,
        persona,
        refusedWith: undefined,
      });
    } else {
      expect({ key, persona, status: res.status }).toEqual({ key, persona, status: expected.status });
      expect(code).toBe(
        expected.status === 401
          ? 'NOT_SIGNED_IN'
          : expected.status === 403
            ? 'FORBIDDEN'
            : `${expected.resource.toUpperCase()}_NOT_FOUND`,
      );
    }
  });
});
