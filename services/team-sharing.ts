import { AssetflowError, ErrorCodes } from '../domain/errors';
import { isAdmin, type Principal } from '../policy/access';

/**
 * Saved searches and collections are shared only with a team their sharer belongs to
 * (administrators: any team), so nobody can push one into a stranger team's lists.
 */
export function refuseForeignTeam(actor: Principal, team: string | null): void {
  if (team === null || isAdmin(actor) || actor.teams.includes(team)) return;
  throw new AssetflowError(
    ErrorCodes.VALIDATION_FAILED,
    `You are not a member of the team "${team}"; share with one of your teams.`,
    400,
    { field: 'team', team, teams: actor.teams },
  );
}

/** A name without its surrounding spaces; blank is refused. */
export function nameOf(name: string, what: string): string {
  const trimmed = name.trim();
  if (trimmed === '')
    throw new AssetflowError(ErrorCodes.VALIDATION_FAILED, `Give the ${what} a name.`, 400, {
      field: 'name',
    });
  return trimmed;
}
