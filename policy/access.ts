/**
 * Access levels on projects, and who a grant names. Pure: no I/O, usable anywhere.
 *
 * A project (a collection of assets) grants a level to principals: `user:<id>`, `team:<name>`
 * or `everyone` (every signed-in user). A person's level on a project is the highest level any
 * grant gives them; administrators manage everything.
 */

export const AccessLevels = ['view', 'edit', 'manage'] as const;
export type AccessLevel = (typeof AccessLevels)[number];

/** The signed-in person a decision is about. */
export interface Principal {
  id: string;
  email: string;
  roles: string[];
  teams: string[];
}

export interface Grant {
  principal: string;
  level: AccessLevel;
}

export const ADMIN_ROLE = 'admin';
export const EVERYONE = 'everyone';

export function isAdmin(principal: Principal): boolean {
  return principal.roles.includes(ADMIN_ROLE);
}

/** The grant principals that name this person. */
export function principalKeys(principal: Principal): string[] {
  return [EVERYONE, `user:${principal.id}`, ...principal.teams.map((team) => `team:${team}`)];
}

/** The highest level the grants give the person, or undefined when none names them. */
export function levelOf(principal: Principal, grants: readonly Grant[]): AccessLevel | undefined {
  if (isAdmin(principal)) return 'manage';
  const keys = new Set(principalKeys(principal));
  let best: AccessLevel | undefined;
  for (const grant of grants) {
    if (keys.has(grant.principal) && (!best || atLeast(grant.level, best))) best = grant.level;
  }
  return best;
}

/** Whether `level` is `required` or higher. */
export function atLeast(level: AccessLevel | undefined, required: AccessLevel): boolean {
  return level !== undefined && AccessLevels.indexOf(level) >= AccessLevels.indexOf(required);
}

/** A grant principal as written in the API: `user:<uuid>`, `team:<name>` or `everyone`. */
export const GRANT_PRINCIPAL_PATTERN = '^(everyone|user:[0-9a-f-]{36}|team:[\\w.-]{1,64})$';

/** Project ids are short slugs: they appear in URLs and search facets. */
export const PROJECT_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
