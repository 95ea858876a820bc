import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { AccessLevel } from '../../policy/access';
import { endpointPolicy } from '../../policy/endpoints';
import { type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { uploadLuxury } from '../support/luxury';
import { databaseKinds } from '../support/test-databases';

/** The people of the matrix and what project `p1` grants each. */
const PERSONAS = ['anonymous', 'viewer', 'editor', 'manager', 'other-team', 'admin'] as const;
type Persona = (typeof PERSONAS)[number];
/**
 * What each persona gets from each endpoint, written out by hand (not computed by the policy under
 * test): `ok` — the policy lets the request through (it may still be refused by the route for its
 * empty body, never with a 5xx); `401` not signed in; `403` signed in without the role or level;
 * `404` the resource is hidden from them. Columns: anonymous, viewer (view on p1), editor (edit on
 * p1), manager (manage on p1), other-team (a project of its own, nothing on p1), admin. The share
 * link was made by the administrator; so were the saved search and the collection, shared with the
 * team `other`.
 * A new endpoint needs its row here before the test passes.
 */
const EXPECTED: Record<string, string> = {
  'GET /api/health': 'ok ok ok ok ok ok',
  'GET /api/openapi.json': 'ok ok ok ok ok ok',
  'GET /api/docs': 'ok ok ok ok ok ok',
  'GET /api/docs.css': 'ok ok ok ok ok ok',
  'POST /api/auth/login': 'ok ok ok ok ok ok',
  'POST /api/auth/logout': 'ok ok ok ok ok ok',
  'GET /api/auth/me': '401 ok ok ok ok ok',
  'POST /api/auth/password': '401 ok ok ok ok ok',
  'GET /api/auth/sessions': '401 ok ok ok ok ok',
  'DELETE /api/auth/sessions': '401 ok ok ok ok ok',
  'DELETE /api/auth/sessions/{sessionId}': '401 ok ok ok ok ok',
  'GET /api/tokens': '401 ok ok ok ok ok',
  'POST /api/tokens': '401 ok ok ok ok ok',
  'DELETE /api/tokens/{tokenId}': '401 ok ok ok ok ok',
  'GET /api/users': '401 403 403 403 403 ok',
  'POST /api/users': '401 403 403 403 403 ok',
  'PUT /api/users/{userId}/roles': '401 403 403 403 403 ok',
  'POST /api/users/{userId}/disable': '401 403 403 403 403 ok',
  'POST /api/users/{userId}/enable': '401 403 403 403 403 ok',
  'POST /api/users/{userId}/password-reset': '401 403 403 403 403 ok',
  'GET /api/users/{userId}/sessions': '401 403 403 403 403 ok',
  'DELETE /api/users/{userId}/sessions': '401 403 403 403 403 ok',
  'GET /api/users/{userId}/tokens': '401 403 403 403 403 ok',
  'GET /api/projects': '401 ok ok ok ok ok',
  'POST /api/projects': '401 ok ok ok ok ok',
  'GET /api/projects/{project}': '401 ok ok ok 404 ok',
  'PUT /api/projects/{project}/grants': '401 403 403 ok 404 ok',
  'POST /api/assets': '401 ok ok ok ok ok',
  'POST /api/assets/lookup': '401 ok ok ok ok ok',
  'GET /api/assets/{id}': '401 ok ok ok 404 ok',
  'GET /api/assets/{id}/thumbnail': '401 ok ok ok 404 ok',
  'GET /api/assets/{id}/timeline': '401 ok ok ok 404 ok',
  'GET /api/assets/{id}/similar': '401 ok ok ok 404 ok',
  'GET /api/assets/{id}/lifecycle': '401 ok ok ok 404 ok',
  'GET /api/assets/{id}/renditions/{rendition}': '401 ok ok ok 404 ok',
  'POST /api/assets/{id}/download-requests': '401 ok ok ok 404 ok',
  'POST /api/assets/{id}/versions': '401 403 ok ok 404 ok',
  'PATCH /api/assets/{id}/metadata': '401 403 ok ok 404 ok',
  'POST /api/assets/{id}/events': '401 403 ok ok 404 ok',
  'POST /api/assets/{id}/freeze': '401 403 ok ok 404 ok',
  'POST /api/assets/{id}/unfreeze': '401 403 ok ok 404 ok',
  'POST /api/assets/{id}/legal-hold': '401 403 ok ok 404 ok',
  'POST /api/assets/{id}/archive': '401 403 ok ok 404 ok',
  'PATCH /api/assets/{id}/tags': '401 403 ok ok 404 ok',
  'PATCH /api/assets/{id}/dimensions': '401 403 ok ok 404 ok',
  'POST /api/assets/{id}/move': '401 403 ok ok 404 ok',
  'POST /api/assets/{id}/flows/{flow}': '401 403 ok ok 404 ok',
  'POST /api/assets/{id}/restore': '401 403 403 ok 404 ok',
  'GET /api/assets/{id}/trail': '401 403 403 ok 404 ok',
  'GET /api/assets/{id}/versions': '401 ok ok ok 404 ok',
  'GET /api/assets/{id}/compare': '401 ok ok ok 404 ok',
  'GET /api/assets/{id}/compare/image': '401 ok ok ok 404 ok',
  'POST /api/assets/{id}/versions/{version}/restore': '401 403 ok ok 404 ok',
  'GET /api/assets/{id}/comments': '401 ok ok ok 404 ok',
  'POST /api/assets/{id}/comments': '401 ok ok ok 404 ok',
  'POST /api/assets/{id}/comments/{commentId}/resolve': '401 ok ok ok 404 ok',
  'POST /api/assets/{id}/comments/{commentId}/reopen': '401 ok ok ok 404 ok',
  'GET /api/notifications': '401 ok ok ok ok ok',
  'GET /api/notifications/stream': '401 ok ok ok ok ok',
  'POST /api/notifications/read-all': '401 ok ok ok ok ok',
  'POST /api/notifications/{notificationId}/read': '401 ok ok ok ok ok',
  'GET /api/assets/{id}/analytics': '401 ok ok ok 404 ok',
  'GET /api/analytics/summary': '401 403 403 403 403 ok',
  'GET /api/analytics/assets': '401 403 403 403 403 ok',
  'GET /api/analytics/unused': '401 403 403 403 403 ok',
  'GET /api/approvals': '401 ok ok ok ok ok',
  'GET /api/approvals/{approvalId}': '401 ok ok ok 404 ok',
  'POST /api/approvals/{approvalId}/decision': '401 ok ok ok 404 ok',
  'GET /api/search': '401 ok ok ok ok ok',
  'GET /api/trees/{ruleSet}/{tree}': '401 ok ok ok ok ok',
  'GET /api/saved-searches': '401 ok ok ok ok ok',
  'POST /api/saved-searches': '401 ok ok ok ok ok',
  'GET /api/saved-searches/{savedSearchId}': '401 404 404 404 ok ok',
  'PATCH /api/saved-searches/{savedSearchId}': '401 404 404 404 403 ok',
  'GET /api/saved-searches/{savedSearchId}/results': '401 404 404 404 ok ok',
  // After the rows that read it: the administrator, last, deletes it.
  'DELETE /api/saved-searches/{savedSearchId}': '401 404 404 404 403 ok',
  'GET /api/collections': '401 ok ok ok ok ok',
  'POST /api/collections': '401 ok ok ok ok ok',
  'GET /api/collections/{collectionId}': '401 404 404 404 ok ok',
  'PATCH /api/collections/{collectionId}': '401 404 404 404 403 ok',
  'PUT /api/collections/{collectionId}/assets': '401 404 404 404 ok ok',
  // After the rows that read it: the administrator, last, deletes it.
  'DELETE /api/collections/{collectionId}': '401 404 404 404 403 ok',
  'GET /api/rule-sets': '401 ok ok ok ok ok',
  'GET /api/rule-sets/{name}': '401 ok ok ok ok ok',
  'GET /api/rule-sets/{name}/versions/{version}': '401 ok ok ok ok ok',
  'POST /api/rule-sets/validate': '401 ok ok ok ok ok',
  'POST /api/rule-sets/{name}/dry-run': '401 ok ok ok ok ok',
  'POST /api/rule-sets': '401 403 403 403 403 ok',
  'POST /api/rule-sets/{name}/migrations': '401 403 403 403 403 ok',
  'POST /api/shares': '401 ok ok ok ok ok',
  'GET /api/shares': '401 ok ok ok ok ok',
  'DELETE /api/shares/{id}': '401 404 404 ok 404 ok',
  'GET /api/shares/{id}/trail': '401 404 404 ok 404 ok',
  'POST /api/exports': '401 ok ok ok ok ok',
  'GET /api/audit': '401 403 403 403 403 ok',
  'POST /api/trace': '401 403 403 403 403 ok',
  'GET /s/{token}': 'ok ok ok ok ok ok',
  'POST /s/{token}': 'ok ok ok ok ok ok',
  'GET /s/{token}/download': 'ok ok ok ok ok ok',
  'POST /s/{token}/download': 'ok ok ok ok ok ok',
  'GET /s/{token}/preview/{assetId}': 'ok ok ok ok ok ok',
  'GET /s/share.css': 'ok ok ok ok ok ok',
  // Last: the editor's DELETE really moves the asset to the trash (later personas meet ASSET_TRASHED).
  'POST /api/bulk': '401 ok ok ok ok ok',
  'GET /api/bulk/{batchId}': '401 ok ok ok ok ok',
  'GET /api/trash': '401 ok ok ok ok ok',
  'POST /api/trash': '401 ok ok ok ok ok',
  'POST /api/trash/restore': '401 ok ok ok ok ok',
  'DELETE /api/assets/{id}': '401 403 ok ok 404 ok',
  'POST /api/trash/{id}/restore': '401 403 ok ok 404 ok',
};
const COLUMNS: readonly Persona[] = PERSONAS;
/** Codes by which the policy refuses; any other answer means the request got past it. */
const POLICY_CODES = new Set([
  'NOT_SIGNED_IN',
  'FORBIDDEN',
  'ASSET_NOT_FOUND',
  'APPROVAL_NOT_FOUND',
  'PROJECT_NOT_FOUND',
  'SHARE_NOT_FOUND',
  'SAVED_SEARCH_NOT_FOUND',
  'COLLECTION_NOT_FOUND',
]);

/**
 * Every endpoint × (anonymous, viewer, editor, manager, other team, admin) asked of the real
 * server, against the answers written in EXPECTED: a refusal must be exactly that (status and
 * code), and an allowed request must neither be refused by the policy nor fail with a 5xx (it
 * may still fail on its empty body, which is the point: the policy runs first). The resources
 * are real: an asset in project p1 (luxury rule set), an approval on it, a share link made by
 * the administrator. One table test: its rows are cases of one policy, not separate tests.
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
    const saved = await harness.http
      .post('/api/saved-searches')
      .send({ name: 'matrix', q: 'poster', team: 'other' })
      .expect(201);
    const collection = await harness.http
      .post('/api/collections')
      .send({ name: 'matrix', team: 'other', assetIds: [assetId] })
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
      savedSearchId: saved.body.id,
      collectionId: collection.body.id,
      batchId: randomUUID(),
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('has a hand-written row for every endpoint of the policy, and none for an unknown one', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(endpointPolicy).sort());
  });

  const cases = Object.keys(EXPECTED).flatMap((key) =>
    COLUMNS.map((persona, i) => [key, persona, EXPECTED[key]!.split(' ')[i]!] as const),
  );

  it.each(cases)('%s as %s', async (key, persona, expected) => {
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

    const code: string | undefined = res.body?.error?.code;
    if (process.env.MATRIX_REPORT) process.stdout.write(`${key} ${persona} ${res.status} ${code ?? ''}\n`);
    // Every path of the table is a real route: the request reached the policy and the router.
    expect(code).not.toBe('ROUTE_NOT_FOUND');
    if (expected === 'ok') {
      expect({ key, persona, refusedWith: POLICY_CODES.has(code ?? '') ? code : undefined }).toEqual({
        key,
        persona,
        refusedWith: undefined,
      });
      expect({ key, persona, serverError: res.status >= 500 }).toEqual({ key, persona, serverError: false });
    } else {
      expect({ key, persona, status: res.status }).toEqual({ key, persona, status: Number(expected) });
      if (expected === '401') expect(code).toBe('NOT_SIGNED_IN');
      else if (expected === '403') expect(code).toBe('FORBIDDEN');
      else expect(code).toMatch(/^(ASSET|APPROVAL|PROJECT|SHARE|SAVED_SEARCH|COLLECTION)_NOT_FOUND$/);
    }
  });
});
