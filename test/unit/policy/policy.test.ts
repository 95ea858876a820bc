import { levelOf, type Principal } from '../../../policy/access';
import { endpointPolicy, matchEndpoint } from '../../../policy/endpoints';
import { decide, levelOnSavedSearch } from '../../../policy/policy';

const person = (roles: string[] = [], teams: string[] = []): Principal => ({
  id: '7d0c0a52-3f4e-4b1a-9d55-2b1c4e0f9a11',
  email: 'p@example.test',
  roles,
  teams,
});

describe('levelOf', () => {
  it('takes the highest level any grant naming the person gives', () => {
    const p = person([], ['design']);
    expect(
      levelOf(p, [
        { principal: 'everyone', level: 'view' },
        { principal: 'team:design', level: 'edit' },
        { principal: 'team:other', level: 'manage' },
      ]),
    ).toBe('edit');
    expect(levelOf(p, [{ principal: `user:${p.id}`, level: 'manage' }])).toBe('manage');
    expect(levelOf(p, [{ principal: 'team:other', level: 'manage' }])).toBeUndefined();
  });

  it('gives administrators manage everywhere, grants or not', () => {
    expect(levelOf(person(['admin']), [])).toBe('manage');
  });
});

describe('decide', () => {
  const asset = (level: 'view' | 'edit' | 'manage') => ({ kind: 'asset', level }) as const;

  it('refuses anonymous callers everything but public endpoints', () => {
    expect(decide(undefined, { kind: 'public' })).toEqual({ allow: true });
    expect(decide(undefined, { kind: 'signed-in' })).toMatchObject({ allow: false, status: 401 });
    expect(decide(undefined, asset('view'), { level: 'manage' })).toMatchObject({ status: 401 });
  });

  it('hides resources the caller cannot view (404), and forbids what their level does not allow (403)', () => {
    const p = person();
    expect(decide(p, asset('view'), {})).toMatchObject({ status: 404, resource: 'asset' });
    expect(decide(p, asset('edit'), { level: 'view' })).toMatchObject({ status: 403 });
    expect(decide(p, asset('edit'), { level: 'edit' })).toEqual({ allow: true });
    expect(decide(p, asset('edit'), { level: 'manage' })).toEqual({ allow: true });
    expect(decide(p, { kind: 'project', level: 'manage' }, { level: 'edit' })).toMatchObject({ status: 403 });
  });

  it('lets only the maker or a manager see a share link', () => {
    const p = person();
    expect(decide(p, { kind: 'share' }, { creator: true })).toEqual({ allow: true });
    expect(decide(p, { kind: 'share' }, { level: 'manage' })).toEqual({ allow: true });
    expect(decide(p, { kind: 'share' }, { level: 'edit' })).toMatchObject({ status: 404, resource: 'share' });
  });

  it('lets the owner change a saved search, members of its team run it, and hides it from others', () => {
    const owner = person();
    const member = { ...person([], ['design']), id: '0b3f5c1e-2d4a-4e6b-8c7d-9e0f1a2b3c4d' };
    const stranger = { ...person([], ['other']), id: '1c4e6d2f-3e5b-4f7c-9d8e-0f1a2b3c4d5e' };
    const search = { owner: owner.id, team: 'design' };
    const manage = { kind: 'saved-search', level: 'manage' } as const;
    const view = { kind: 'saved-search', level: 'view' } as const;
    const at = (p: typeof owner, s: typeof search | { owner: string; team: null }) => {
      const level = levelOnSavedSearch(p, s);
      return level ? { level } : {};
    };
    expect(decide(owner, manage, at(owner, search))).toEqual({ allow: true });
    expect(decide(member, view, at(member, search))).toEqual({ allow: true });
    expect(decide(member, manage, at(member, search))).toMatchObject({ status: 403 });
    expect(decide(stranger, view, at(stranger, search))).toMatchObject({
      status: 404,
      resource: 'saved-search',
    });
    expect(decide(member, view, at(member, { owner: owner.id, team: null }))).toMatchObject({ status: 404 });
  });

  it('checks global roles, and administrators pass every check', () => {
    expect(decide(person(['rule-author']), { kind: 'role', anyOf: ['rule-author'] })).toEqual({
      allow: true,
    });
    expect(decide(person(['editor']), { kind: 'role', anyOf: ['rule-author'] })).toMatchObject({
      status: 403,
    });
    expect(decide(person(['admin']), { kind: 'role', anyOf: [] })).toEqual({ allow: true });
    expect(decide(person(['admin']), asset('manage'), {})).toEqual({ allow: true });
  });
});

describe('matchEndpoint', () => {
  it('finds the entry for a request and decodes its parameters', () => {
    expect(matchEndpoint('GET', '/api/assets/abc/renditions/hi%20res')).toMatchObject({
      key: 'GET /api/assets/{id}/renditions/{rendition}',
      params: { id: 'abc', rendition: 'hi res' },
    });
    expect(matchEndpoint('HEAD', '/api/assets/abc')?.key).toBe('GET /api/assets/{id}');
    expect(matchEndpoint('GET', '/s/share.css')?.key).toBe('GET /s/share.css');
    expect(matchEndpoint('GET', '/s/tok')?.key).toBe('GET /s/{token}');
  });

  it('matches nothing that is not in the table (so it cannot be reached)', () => {
    expect(matchEndpoint('PUT', '/api/assets/abc')).toBeUndefined();
    expect(matchEndpoint('GET', '/api/assets/abc/secret')).toBeUndefined();
    expect(matchEndpoint('GET', '/api/assets/%E0%A4%A')).toBeUndefined();
  });

  it('every entry is reachable by its own path', () => {
    for (const key of Object.keys(endpointPolicy)) {
      const [method, path] = key.split(' ') as [string, string];
      const concrete = path.replace(/\{(\w+)\}/g, 'x1');
      expect(matchEndpoint(method, concrete)?.key).toBe(key);
    }
  });
});

describe('the sensitive endpoints, written out by hand', () => {
  // The authorisation matrix derives its expectations from the table; this pins the entries whose
  // loosening would leak most, so changing one is a deliberate edit in two places.
  it.each([
    ['GET /api/users', { kind: 'role', anyOf: [] }],
    ['POST /api/users', { kind: 'role', anyOf: [] }],
    ['GET /api/audit', { kind: 'role', anyOf: [] }],
    ['POST /api/trace', { kind: 'role', anyOf: ['investigator'] }],
    ['PUT /api/projects/{project}/grants', { kind: 'project', level: 'manage' }],
    ['GET /api/assets/{id}/trail', { kind: 'asset', level: 'manage' }],
    ['POST /api/assets/{id}/restore', { kind: 'asset', level: 'manage' }],
    ['POST /api/assets/{id}/versions/{version}/restore', { kind: 'asset', level: 'edit' }],
    ['GET /api/shares/{id}/trail', { kind: 'share' }],
  ])('%s requires %j', (endpoint, requirement) => {
    expect(endpointPolicy[endpoint]).toEqual(requirement);
  });
});
