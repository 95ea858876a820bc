import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type ApiToken, call, client, messageOf, type UserSummary } from '../api';
import { ErrorAlert } from '../feedback';
import { useT } from '../i18n';
import { splitList } from '../split-list';
import { TokenList } from './account';

/** The role that may publish rule sets (policy/endpoints.ts: `POST /api/rule-sets`); administrators may too. */
const PUBLISHER_ROLE = 'rule-author';

/**
 * Administrators: make a user; every user, disable / enable, reset a password, roles and teams,
 * who may publish rule sets, their tokens; and the teams with their members.
 */
export function UsersAdmin() {
  const t = useT();
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [error, setError] = useState('');
  const [reset, setReset] = useState<{ email: string; password: string } | null>(null);
  const load = useCallback(async () => {
    setUsers((await call(client.GET('/api/users'))).users);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const [created, setCreated] = useState('');
  /** Runs a change and reads the users again; false (with the refusal shown) when it failed. */
  const attempt = async (work: () => Promise<void>): Promise<boolean> => {
    setError('');
    setCreated('');
    try {
      await work();
      await load();
      return true;
    } catch (err) {
      setError(messageOf(err));
      return false;
    }
  };

  return (
    <section className="users-admin">
      <h1>{t('users')}</h1>
      <ErrorAlert message={error} />
      {reset && (
        <p className="status" role="status">
          {t('newPasswordFor')} {reset.email}:{' '}
          <input
            readOnly
            value={reset.password}
            aria-label="new password"
            onFocus={(e) => e.target.select()}
          />
        </p>
      )}
      {created && (
        <p className="status" role="status">
          {created}
        </p>
      )}
      <NewUser
        onCreate={(user) =>
          attempt(async () => {
            await call(client.POST('/api/users', { body: user }));
            setCreated(`${t('userCreated')} ${user.email}`);
          })
        }
      />
      <table>
        <thead>
          <tr>
            <th>{t('email')}</th>
            <th>{t('name')}</th>
            <th>{t('roles')}</th>
            <th>{t('teams')}</th>
            <th>{t('publishesRuleSets')}</th>
            <th>{t('state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <UserRow
              // A saved change (roles, teams) starts the row afresh from what the server holds.
              key={`${u.id}:${u.roles.join()}:${u.teams.join()}`}
              user={u}
              onDisable={() =>
                attempt(async () => {
                  const params = { path: { userId: u.id } };
                  await call(
                    u.disabled
                      ? client.POST('/api/users/{userId}/enable', { params })
                      : client.POST('/api/users/{userId}/disable', { params }),
                  );
                })
              }
              onReset={() =>
                attempt(async () => {
                  const { password } = await call(
                    client.POST('/api/users/{userId}/password-reset', { params: { path: { userId: u.id } } }),
                  );
                  setReset({ email: u.email, password });
                })
              }
              onRoles={(roles, teams) =>
                attempt(async () => {
                  await call(
                    client.PUT('/api/users/{userId}/roles', {
                      params: { path: { userId: u.id } },
                      body: { roles, teams },
                    }),
                  );
                })
              }
              onError={setError}
            />
          ))}
        </tbody>
      </table>
      <Teams users={users} />
    </section>
  );
}

/** Every team named on a user, with its members: who a `team:<name>` grant or mention reaches. */
function Teams({ users }: { users: UserSummary[] }) {
  const t = useT();
  const members = new Map<string, string[]>();
  for (const u of users)
    for (const team of u.teams) members.set(team, [...(members.get(team) ?? []), u.email]);
  const teams = [...members.keys()].sort();
  return (
    <section aria-labelledby="teams-heading">
      <h2 id="teams-heading">{t('teams')}</h2>
      <table className="data-table">
        <thead>
          <tr>
            <th>{t('aTeam')}</th>
            <th>{t('members')}</th>
          </tr>
        </thead>
        <tbody>
          {teams.map((team) => (
            <tr key={team} data-testid="team">
              <td>{team}</td>
              <td>{members.get(team)!.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type NewUserBody = { email: string; name: string; password: string; roles: string[]; teams: string[] };

function NewUser({ onCreate }: { onCreate(user: NewUserBody): Promise<boolean> }) {
  const t = useT();
  const empty = { email: '', name: '', password: '', roles: '', teams: '' };
  const [form, setForm] = useState(empty);
  const field = (key: keyof typeof empty) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const made = await onCreate({
      email: form.email.trim(),
      name: form.name.trim(),
      password: form.password,
      roles: splitList(form.roles),
      teams: splitList(form.teams),
    });
    // A refused user (the e-mail taken…) keeps what was typed, to be corrected.
    if (made) setForm(empty);
  };
  return (
    <form className="inline-form" aria-label={t('newUser')} onSubmit={submit}>
      <label>
        {t('email')} <input type="email" required {...field('email')} />
      </label>
      <label>
        {t('name')} <input required maxLength={200} {...field('name')} />
      </label>
      <label>
        {t('initialPassword')}{' '}
        <input type="text" autoComplete="off" required minLength={12} {...field('password')} />
      </label>
      <label>
        {t('roles')} <input {...field('roles')} />
      </label>
      <label>
        {t('teams')} <input {...field('teams')} />
      </label>
      <button type="submit">{t('createUser')}</button>
    </form>
  );
}

function UserRow({
  user,
  onDisable,
  onReset,
  onRoles,
  onError,
}: {
  user: UserSummary;
  onDisable(): void;
  onReset(): void;
  onRoles(roles: string[], teams: string[]): void;
  onError(message: string): void;
}) {
  const t = useT();
  const [roles, setRoles] = useState(user.roles.join(', '));
  const [teams, setTeams] = useState(user.teams.join(', '));
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const isPublisher = user.roles.includes(PUBLISHER_ROLE) || user.roles.includes('admin');
  const loadTokens = async () => {
    try {
      setTokens(
        (await call(client.GET('/api/users/{userId}/tokens', { params: { path: { userId: user.id } } })))
          .tokens,
      );
    } catch (err) {
      onError(messageOf(err));
    }
  };
  return (
    <>
      <tr data-testid="user-row" data-email={user.email}>
        <td>{user.email}</td>
        <td>{user.name}</td>
        <td>
          <input
            aria-label={`${t('roles')} ${user.email}`}
            value={roles}
            onChange={(e) => setRoles(e.target.value)}
          />
        </td>
        <td>
          <input
            aria-label={`${t('teams')} ${user.email}`}
            value={teams}
            onChange={(e) => setTeams(e.target.value)}
          />
        </td>
        <td>
          <input
            type="checkbox"
            aria-label={`${t('publishesRuleSets')} ${user.email}`}
            // Administrators may publish whatever their roles say.
            checked={isPublisher}
            disabled={user.roles.includes('admin')}
            onChange={() =>
              onRoles(
                isPublisher
                  ? user.roles.filter((r) => r !== PUBLISHER_ROLE)
                  : [...user.roles, PUBLISHER_ROLE],
                user.teams,
              )
            }
          />
        </td>
        <td>{user.disabled ? t('disabled') : ''}</td>
        <td>
          <button type="button" onClick={() => onRoles(splitList(roles), splitList(teams))}>
            {t('save')}
          </button>
          <button type="button" onClick={onDisable}>
            {user.disabled ? t('enable') : t('disable')}
          </button>
          <button type="button" onClick={onReset}>
            {t('resetPassword')}
          </button>
          <button type="button" className="link" onClick={() => void loadTokens()}>
            {t('apiTokens')}
          </button>
        </td>
      </tr>
      {tokens && (
        <tr>
          <td colSpan={7}>
            <TokenList tokens={tokens} onChanged={() => void loadTokens()} onError={onError} />
          </td>
        </tr>
      )}
    </>
  );
}
