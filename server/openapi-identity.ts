import { errorResponse, jsonBody } from './openapi-parts';

/** The OpenAPI paths of sign-in, sessions, passwords, API tokens and users (see openapi.ts). */
const ok = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object' } } },
});
const uuidParam = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
});
const userParam = uuidParam('userId');
const adminOnly = { '401': errorResponse('NOT_SIGNED_IN'), '403': errorResponse('FORBIDDEN') };
const noUser = errorResponse('USER_NOT_FOUND');

export const identityPaths = {
  '/api/auth/login': {
    post: {
      security: [],
      summary: 'Sign in with {email, password}; sets the HttpOnly session cookie `assetflow_session`',
      requestBody: jsonBody,
      responses: {
        '200': ok('{user}'),
        '400': errorResponse('Missing e-mail or password'),
        '401': errorResponse('INVALID_CREDENTIALS (also for a disabled user)'),
        '429': errorResponse(
          'TOO_MANY_ATTEMPTS: 5 per e-mail and address, 20 per e-mail, 50 per address in 15 minutes',
        ),
        '503': errorResponse('SERVER_BUSY: password checking is at capacity; retry'),
      },
    },
  },
  '/api/auth/logout': {
    post: {
      security: [],
      summary: 'End the session and clear its cookie',
      responses: { '204': { description: 'Signed out' } },
    },
  },
  '/api/auth/me': {
    get: {
      summary: 'The signed-in user (session cookie or `Authorization: Bearer` token)',
      responses: { '200': ok('{user}'), '401': errorResponse('NOT_SIGNED_IN') },
    },
  },
  '/api/auth/password': {
    post: {
      summary:
        "Change the caller's password ({currentPassword, newPassword ≥ 12 characters}); their other sessions end",
      requestBody: jsonBody,
      responses: {
        '200': ok('{sessionsEnded}'),
        '400': errorResponse('PASSWORD_TOO_WEAK or an invalid body'),
        '401': errorResponse('INVALID_CREDENTIALS: the current password is wrong'),
        '429': errorResponse('TOO_MANY_ATTEMPTS (counted as sign-ins)'),
      },
    },
  },
  '/api/auth/sessions': {
    get: {
      summary: "The caller's live sessions (created, last seen, expiry, address, user agent, current)",
      responses: { '200': ok('{sessions}'), '401': errorResponse('NOT_SIGNED_IN') },
    },
    delete: {
      summary: 'Sign out everywhere: end every session of the caller, this one included',
      responses: { '200': ok('{ended}'), '401': errorResponse('NOT_SIGNED_IN') },
    },
  },
  '/api/auth/sessions/{sessionId}': {
    delete: {
      summary: "End one of the caller's sessions",
      parameters: [uuidParam('sessionId')],
      responses: { '204': { description: 'Ended' }, '404': errorResponse('SESSION_NOT_FOUND') },
    },
  },
  '/api/tokens': {
    get: {
      summary: "The caller's API tokens (name, created, last used, expiry, revoked); never the secrets",
      responses: { '200': ok('{tokens}'), '401': errorResponse('NOT_SIGNED_IN') },
    },
    post: {
      summary:
        'Make an API token ({name, expiresInDays?}); expires after `auth.tokenDays` (90) by default and at most; the secret is returned once and stored hashed',
      requestBody: jsonBody,
      responses: {
        '201': ok('{id, token, expiresAt}'),
        '400': errorResponse('VALIDATION_FAILED (e.g. longer than auth.tokenDays)'),
        '401': errorResponse('NOT_SIGNED_IN'),
      },
    },
  },
  '/api/tokens/{tokenId}': {
    delete: {
      summary:
        "Revoke a token: the caller's own, or anyone's for an administrator; refused from the next request",
      parameters: [uuidParam('tokenId')],
      responses: { '204': { description: 'Revoked' }, '404': errorResponse('TOKEN_NOT_FOUND') },
    },
  },
  '/api/users': {
    get: {
      summary: 'Every user, disabled ones included (administrators only)',
      responses: { '200': ok('{users}'), ...adminOnly },
    },
    post: {
      summary: 'Make a user ({email, name, password ≥ 12 characters, roles?, teams?}); administrators only',
      requestBody: jsonBody,
      responses: { '201': ok('The user'), ...adminOnly, '409': errorResponse('USER_EXISTS') },
    },
  },
  '/api/users/{userId}/roles': {
    put: {
      summary:
        "Set a user's {roles, teams} (administrators); an administrator cannot drop their own admin role",
      parameters: [userParam],
      requestBody: jsonBody,
      responses: { '200': ok('The user'), ...adminOnly, '404': noUser, '409': errorResponse('OWN_ACCOUNT') },
    },
  },
  '/api/users/{userId}/disable': {
    post: {
      summary:
        "Disable a user (administrators): their sessions end and tokens are revoked at once; not one's own account",
      parameters: [userParam],
      responses: {
        '204': { description: 'Disabled' },
        ...adminOnly,
        '404': noUser,
        '409': errorResponse('OWN_ACCOUNT'),
      },
    },
  },
  '/api/users/{userId}/enable': {
    post: {
      summary: 'Re-enable a user (administrators); revoked tokens stay revoked',
      parameters: [userParam],
      responses: { '204': { description: 'Enabled' }, ...adminOnly, '404': noUser },
    },
  },
  '/api/users/{userId}/password-reset': {
    post: {
      summary: "Set a generated password, returned once (administrators); the user's sessions end",
      parameters: [userParam],
      responses: { '200': ok('{password}'), ...adminOnly, '404': noUser },
    },
  },
  '/api/users/{userId}/sessions': {
    get: {
      summary: "A user's live sessions (administrators)",
      parameters: [userParam],
      responses: { '200': ok('{sessions}'), ...adminOnly },
    },
    delete: {
      summary: 'Sign a user out everywhere (administrators)',
      parameters: [userParam],
      responses: { '200': ok('{ended}'), ...adminOnly },
    },
  },
  '/api/users/{userId}/tokens': {
    get: {
      summary: "A user's API tokens (administrators), to review and revoke",
      parameters: [userParam],
      responses: { '200': ok('{tokens}'), ...adminOnly },
    },
  },
};
