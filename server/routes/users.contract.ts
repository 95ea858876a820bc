import { operation } from '../contract/operation';
import { Closed, component, Type, Uuid } from '../contract/schema';
import { ApiToken, Ended, RoleOrTeam, Session, User, UserSummary } from './auth.contract';

const params = Closed({ userId: Uuid });
const RolesOrTeams = Type.Array(RoleOrTeam, { maxItems: 50 });
const noUser = 'USER_NOT_FOUND';
const ownAccount = 'OWN_ACCOUNT';

export const listUsers = operation({
  method: 'get',
  path: '/api/users',
  operationId: 'listUsers',
  tag: 'Users',
  summary: 'Every user, disabled ones included (administrators only)',
  responses: {
    200: { description: 'By e-mail', json: Closed({ users: Type.Array(UserSummary) }) },
  },
});

export const createUser = operation({
  method: 'post',
  path: '/api/users',
  operationId: 'createUser',
  tag: 'Users',
  summary: 'Make a user ({email, name, password ≥ 12 characters, roles?, teams?}); administrators only',
  description: 'The e-mail is kept in lower case.',
  body: {
    json: component(
      'NewUser',
      Closed({
        email: Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 320 }),
        name: Type.String({ minLength: 1, maxLength: 200 }),
        password: Type.String({ minLength: 12, maxLength: 1024 }),
        roles: Type.Optional(RolesOrTeams),
        teams: Type.Optional(RolesOrTeams),
      }),
    ),
  },
  responses: { 201: { description: 'The user', json: User } },
  errors: { 409: 'USER_EXISTS: a user has this e-mail' },
});

export const setUserRolesAndTeams = operation({
  method: 'put',
  path: '/api/users/{userId}/roles',
  operationId: 'setUserRolesAndTeams',
  tag: 'Users',
  summary: "Set a user's {roles, teams} (administrators); an administrator cannot drop their own admin role",
  params,
  body: {
    json: component('RolesAndTeams', Closed({ roles: RolesOrTeams, teams: RolesOrTeams })),
  },
  responses: { 200: { description: 'The user', json: User } },
  errors: { 404: noUser, 409: `${ownAccount}: the caller's own administrator role` },
});

export const disableUser = operation({
  method: 'post',
  path: '/api/users/{userId}/disable',
  operationId: 'disableUser',
  tag: 'Users',
  summary:
    "Disable a user (administrators): their sessions end and tokens are revoked at once; not one's own account",
  params,
  responses: { 204: { description: 'Disabled', empty: true } },
  errors: { 404: noUser, 409: `${ownAccount}: the caller's own account` },
});

export const enableUser = operation({
  method: 'post',
  path: '/api/users/{userId}/enable',
  operationId: 'enableUser',
  tag: 'Users',
  summary: 'Re-enable a user (administrators); revoked tokens stay revoked',
  params,
  responses: { 204: { description: 'Enabled', empty: true } },
  errors: { 404: noUser },
});

export const resetUserPassword = operation({
  method: 'post',
  path: '/api/users/{userId}/password-reset',
  operationId: 'resetUserPassword',
  tag: 'Users',
  summary: "Set a generated password, returned once (administrators); the user's sessions end",
  params,
  responses: {
    200: {
      description: 'The new password, in this answer only (`Cache-Control: no-store`)',
      json: Closed({ password: Type.String({ minLength: 1 }) }),
    },
  },
  errors: { 404: noUser },
});

export const listUserSessions = operation({
  method: 'get',
  path: '/api/users/{userId}/sessions',
  operationId: 'listUserSessions',
  tag: 'Users',
  summary: "A user's live sessions (administrators)",
  params,
  responses: {
    200: {
      description: 'Most recently seen first; none for an unknown user',
      json: Closed({ sessions: Type.Array(Session) }),
    },
  },
});

export const endUserSessions = operation({
  method: 'delete',
  path: '/api/users/{userId}/sessions',
  operationId: 'endUserSessions',
  tag: 'Users',
  summary: 'Sign a user out everywhere (administrators)',
  params,
  responses: { 200: { description: 'How many sessions ended', json: Ended } },
});

export const listUserTokens = operation({
  method: 'get',
  path: '/api/users/{userId}/tokens',
  operationId: 'listUserTokens',
  tag: 'Users',
  summary: "A user's API tokens (administrators), to review and revoke",
  params,
  responses: {
    200: {
      description: 'Newest first, revoked and expired ones included; none for an unknown user',
      json: Closed({ tokens: Type.Array(ApiToken) }),
    },
  },
});

export const usersOperations = [
  listUsers,
  createUser,
  setUserRolesAndTeams,
  disableUser,
  enableUser,
  resetUserPassword,
  listUserSessions,
  endUserSessions,
  listUserTokens,
];
