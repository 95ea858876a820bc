import { useCallback, useEffect, useState } from 'react';
import { type ApiToken, call, client, messageOf, type UserSummary } from '../api';
import { ErrorAlert } from '../error-alert';
import { useT } from '../i18n';
import { splitList } from '../split-list';
import { TokenList } from './account';

/** Administrators: every user, disable / enable, reset a password, roles and teams, their tokens. */
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
  const attempt = async (work: () => Promise<void>) => {
    setError('');
    try {
      await work();
      await load();
    } catch (err) {
      setError(messageOf(err));
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
      <table>
        <thead>
          <tr>
            <th>{t('email')}</th>
            <th>{t('name')}</th>
            <th>{t('roles')}</th>
            <th>{t('teams')}</th>
            <th>{t('state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <UserRow
              key={u.id}
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
    </section>
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
          <td colSpan={6}>
            <TokenList tokens={tokens} onChanged={() => void loadTokens()} onError={onError} />
          </td>
        </tr>
      )}
    </>
  );
}
