import { operation } from '../contract/operation';
import { Closed, component, Nullable, Timestamp, Type, Uuid } from '../contract/schema';

/** A role or team name as users are given them. */
export const RoleOrTeam = Type.String({ pattern: '^[\\w.-]{1,64}$' });

const userFields = {
  id: Uuid,
  email: Type.String({ description: 'Lower case' }),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  teams: Type.Array(Type.String()),
};

/** A user as the API shows them: never a password hash. */
export const User = component('User', Closed(userFields));

/** A user as administrators see them in the list. */
export const UserSummary = component(
  'UserSummary',
  Closed({ ...userFields, disabled: Type.Boolean(), createdAt: Timestamp }),
);

const sessionFields = {
  id: Uuid,
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  expiresAt: Timestamp,
  address: Nullable(Type.String()),
  userAgent: Nullable(Type.String({ description: 'The first 300 characters' })),
};

/** A live session: never its secret nor the secret's digest. */
export const Session = component('Session', Closed(sessionFields));

/** One of the caller's own sessions; `current` is the one this request came with. */
const OwnSession = component('OwnSession', Closed({ ...sessionFields, current: Type.Boolean() }));

/** An API token as its owner and administrators review it: never the secret. */
export const ApiToken = component(
  'ApiToken',
  Closed({
    id: Uuid,
    name: Type.String(),
    createdAt: Timestamp,
    lastUsedAt: Nullable(Timestamp),
    expiresAt: Timestamp,
    revokedAt: Nullable(Timestamp),
  }),
);

export const Ended = Closed({ ended: Type.Integer({ minimum: 0, description: 'How many sessions ended' }) });

const UserAnswer = Closed({ user: User });
const invalidToken = 'NOT_SIGNED_IN: an API token was sent and is not valid';
const tooMany =
  'TOO_MANY_ATTEMPTS: 5 per e-mail and address, 20 per e-mail, 50 per address in 15 minutes; details.retryAfterSeconds';
const busy = 'SERVER_BUSY: password checking is at capacity; retry';
export const signIn = operation({
  method: 'post',
  path: '/api/auth/login',
  operationId: 'signIn',
  tag: 'Authentication',
  summary: 'Sign in with {email, password}; sets the HttpOnly session cookie `assetflow_session`',
  body: {
    json: component(
      'SignIn',
      Closed({
        email: Type.String({ minLength: 3, maxLength: 320 }),
        password: Type.String({ minLength: 1, maxLength: 1024 }),
      }),
    ),
  },
  responses: { 200: { description: 'Signed in: the user', json: UserAnswer } },
  errors: {
    401: `INVALID_CREDENTIALS (also for a disabled user); ${invalidToken}`,
    429: tooMany,
    503: busy,
  },
});

export const signOut = operation({
  method: 'post',
  path: '/api/auth/logout',
  operationId: 'signOut',
  tag: 'Authentication',
  summary: 'End the session and clear its cookie',
  responses: { 204: { description: 'Signed out (also when there was no session)', empty: true } },
  errors: { 401: invalidToken },
});

export const getCurrentUser = operation({
  method: 'get',
  path: '/api/auth/me',
  operationId: 'getCurrentUser',
  tag: 'Authentication',
  summary: 'The signed-in user (session cookie or `Authorization: Bearer` token)',
  responses: { 200: { description: 'The user', json: UserAnswer } },
});

export const changePassword = operation({
  method: 'post',
  path: '/api/auth/password',
  operationId: 'changePassword',
  tag: 'Authentication',
  summary:
    "Change the caller's password ({currentPassword, newPassword ≥ 12 characters}); their other sessions end",
  body: {
    json: component(
      'PasswordChange',
      Closed({
        currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
        newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
      }),
    ),
  },
  responses: {
    200: {
      description: 'Changed; how many of the caller’s other sessions ended',
      json: Closed({ sessionsEnded: Type.Integer({ minimum: 0 }) }),
    },
  },
  errors: {
    400: 'PASSWORD_TOO_WEAK: shorter than 12 characters, or the current one',
    401: 'INVALID_CREDENTIALS: the current password is wrong',
    429: `${tooMany} (counted as sign-ins)`,
    503: busy,
  },
});

export const listOwnSessions = operation({
  method: 'get',
  path: '/api/auth/sessions',
  operationId: 'listOwnSessions',
  tag: 'Sessions',
  summary: "The caller's live sessions (created, last seen, expiry, address, user agent, current)",
  responses: {
    200: {
      description: 'Most recently seen first',
      json: Closed({ sessions: Type.Array(OwnSession) }),
    },
  },
});

export const endOwnSessions = operation({
  method: 'delete',
  path: '/api/auth/sessions',
  operationId: 'endOwnSessions',
  tag: 'Sessions',
  summary: 'Sign out everywhere: end every session of the caller, this one included',
  responses: { 200: { description: 'Signed out everywhere; the cookie is cleared', json: Ended } },
});

export const endOwnSession = operation({
  method: 'delete',
  path: '/api/auth/sessions/{sessionId}',
  operationId: 'endOwnSession',
  tag: 'Sessions',
  summary: "End one of the caller's sessions",
  params: Closed({ sessionId: Uuid }),
  responses: { 204: { description: 'Ended', empty: true } },
  errors: { 404: 'SESSION_NOT_FOUND (also another user’s session)' },
});

export const listOwnTokens = operation({
  method: 'get',
  path: '/api/tokens',
  operationId: 'listOwnTokens',
  tag: 'API tokens',
  summary: "The caller's API tokens (name, created, last used, expiry, revoked); never the secrets",
  responses: {
    200: {
      description: 'Newest first, revoked and expired ones included',
      json: Closed({ tokens: Type.Array(ApiToken) }),
    },
  },
});

export const createToken = operation({
  method: 'post',
  path: '/api/tokens',
  operationId: 'createToken',
  tag: 'API tokens',
  summary:
    'Make an API token ({name, expiresInDays?}); expires after `auth.tokenDays` (90) by default and at most; the secret is returned once and stored hashed',
  body: {
    json: component(
      'NewApiToken',
      Closed({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        expiresInDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650 })),
      }),
    ),
  },
  responses: {
    201: {
      description: 'The token, with its secret: shown this once',
      json: component(
        'CreatedApiToken',
        Closed({
          id: Uuid,
          token: Type.String({ description: '`af_` and 43 URL-safe characters: the bearer secret' }),
          expiresAt: Timestamp,
        }),
      ),
    },
  },
  errors: { 400: 'VALIDATION_FAILED: longer than `auth.tokenDays` (details.maxDays)' },
});

export const revokeToken = operation({
  method: 'delete',
  path: '/api/tokens/{tokenId}',
  operationId: 'revokeToken',
  tag: 'API tokens',
  summary:
    "Revoke a token: the caller's own, or anyone's for an administrator; refused from the next request",
  params: Closed({ tokenId: Uuid }),
  responses: { 204: { description: 'Revoked', empty: true } },
  errors: { 404: 'TOKEN_NOT_FOUND (also another user’s token, for a non-administrator)' },
});

export const authOperations = [
  signIn,
  signOut,
  getCurrentUser,
  changePassword,
  listOwnSessions,
  endOwnSessions,
  endOwnSession,
  listOwnTokens,
  createToken,
  revokeToken,
];
