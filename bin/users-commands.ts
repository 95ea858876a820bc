import type { Command } from 'commander';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { isUuid } from '../domain/ids';
import type { Principal } from '../policy/access';
import { generatePassword, IdentityService } from '../services/identity.service';
import { say, withStorage } from './catalogue-commands';

/**
 * Whoever runs the CLI holds the catalogue's credentials already: they act as an administrator.
 * The id is not a user's, so no "own account" rule applies to it.
 */
const OPERATOR: Principal = { id: 'cli-operator', email: 'cli', roles: ['admin'], teams: [] };
const list = (value: string) => value.split(',').filter((v) => v !== '');

/**
 * `users …` and `tokens …`: incident response without the web app or direct SQL. Changes reach a
 * running server at once (it reads credentials from the catalogue on every request; its event
 * streams notice on their next heartbeat).
 */
export function registerUsersCommands(program: Command) {
  const identityOf = (run: (identity: IdentityService) => Promise<void>) => () =>
    withStorage(program, (storage, config) => run(new IdentityService(storage.identity, config.auth)));
  const users = program.command('users').description('accounts: list, add, disable, passwords, roles');

  users
    .command('list')
    .description('every user, with roles, teams and whether disabled')
    .action(
      identityOf(async (identity) => {
        for (const u of await identity.listUsers())
          say(
            `${u.email}\t${u.name}\troles: ${u.roles.join(',') || '-'}\tteams: ${u.teams.join(',') || '-'}${u.disabled ? '\tDISABLED' : ''}`,
          );
      }),
    );

  users
    .command('add')
    .argument('<email>')
    .option('--name <name>', 'display name (default: the e-mail)')
    .option('--roles <roles>', 'comma-separated roles', '')
    .option('--teams <teams>', 'comma-separated teams', '')
    .description('make a user with a generated password, printed once')
    .action((email: string, o: { name?: string; roles: string; teams: string }) =>
      identityOf(async (identity) => {
        const password = generatePassword();
        const user = await identity.createUser({
          email,
          name: o.name ?? email,
          password,
          roles: list(o.roles),
          teams: list(o.teams),
        });
        say(`Made ${user.email} with the password ${password} (shown once).`);
      })(),
    );

  users
    .command('disable')
    .argument('<email>')
    .description('disable a user: their sessions end and their API tokens are revoked at once')
    .action((email: string) =>
      identityOf(async (identity) => {
        await identity.disable(OPERATOR, (await identity.userByEmail(email)).id);
        say(`Disabled ${email}; their sessions and tokens no longer work.`);
      })(),
    );

  users
    .command('enable')
    .argument('<email>')
    .description('re-enable a disabled user (their revoked tokens stay revoked)')
    .action((email: string) =>
      identityOf(async (identity) => {
        await identity.enable((await identity.userByEmail(email)).id);
        say(`Enabled ${email}.`);
      })(),
    );

  users
    .command('reset-password')
    .argument('<email>')
    .description('set a generated password, printed once; the user is signed out everywhere')
    .action((email: string) =>
      identityOf(async (identity) => {
        const { password } = await identity.resetPassword((await identity.userByEmail(email)).id);
        say(`New password for ${email}: ${password} (shown once).`);
      })(),
    );

  users
    .command('roles')
    .argument('<email>')
    .requiredOption('--roles <roles>', 'comma-separated roles (empty for none)')
    .option('--teams <teams>', 'comma-separated teams (default: unchanged)')
    .description("set a user's roles (and teams)")
    .action((email: string, o: { roles: string; teams?: string }) =>
      identityOf(async (identity) => {
        const user = await identity.userByEmail(email);
        const set = await identity.setRolesAndTeams(
          OPERATOR,
          user.id,
          list(o.roles),
          o.teams === undefined ? user.teams : list(o.teams),
        );
        say(`${set.email}: roles ${set.roles.join(',') || '-'}, teams ${set.teams.join(',') || '-'}.`);
      })(),
    );

  users
    .command('sign-out')
    .argument('<email>')
    .description('end every session of a user')
    .action((email: string) =>
      identityOf(async (identity) => {
        const ended = await identity.endAllSessions((await identity.userByEmail(email)).id);
        say(`Ended ${ended} session(s) of ${email}.`);
      })(),
    );

  const tokens = program.command('tokens').description('API tokens: list, create, revoke');

  tokens
    .command('list')
    .argument('<email>')
    .description("a user's API tokens: id, name, created, last used, expiry, revoked")
    .action((email: string) =>
      identityOf(async (identity) => {
        for (const t of await identity.tokensOf((await identity.userByEmail(email)).id))
          say(
            `${t.id}\t${t.name}\tcreated ${t.createdAt}\tlast used ${t.lastUsedAt ?? 'never'}\texpires ${t.expiresAt}${t.revokedAt ? `\tREVOKED ${t.revokedAt}` : ''}`,
          );
      })(),
    );

  tokens
    .command('create')
    .argument('<email>')
    .argument('<name>')
    .option('--days <days>', 'days until it expires (default and maximum: auth.tokenDays)')
    .description('make an API token for a user, printed once')
    .action((email: string, name: string, o: { days?: string }) =>
      identityOf(async (identity) => {
        const user = await identity.userByEmail(email);
        const made = await identity.createToken(
          user.id,
          name,
          o.days === undefined ? undefined : Number(o.days),
        );
        say(`Token ${made.id} for ${user.email}, expires ${made.expiresAt} (shown once):\n${made.token}`);
      })(),
    );

  tokens
    .command('revoke')
    .argument('<id>')
    .description('revoke an API token by its id')
    .action((id: string) =>
      identityOf(async (identity) => {
        if (!isUuid(id)) throw new AssetflowError(ErrorCodes.TOKEN_NOT_FOUND, `No token ${id}.`, 404);
        await identity.revokeToken(OPERATOR, id);
        say(`Revoked token ${id}.`);
      })(),
    );
}
