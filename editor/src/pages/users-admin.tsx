import { Button, Checkbox, Group, Paper, Table, TextInput, Title } from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type ApiToken, call, client, messageOf, type UserSummary } from '../api';
import { ErrorAlert, notifyDone, StatusPanel } from '../feedback';
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
  /** Runs a change and reads the users again; false (with the refusal shown) when it failed. */
  const attempt = async (work: () => Promise<void>): Promise<boolean> => {
    setError('');
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
      <Title order={1}>{t('users')}</Title>
      <ErrorAlert message={error} />
      {reset && (
        <StatusPanel>
          <Group gap="xs">
            {t('newPasswordFor')} {reset.email}:
            <TextInput
              readOnly
              value={reset.password}
              aria-label="new password"
              onFocus={(e) => e.currentTarget.select()}
            />
          </Group>
        </StatusPanel>
      )}
      <NewUser
        onCreate={(user) =>
          attempt(async () => {
            await call(client.POST('/api/users', { body: user }));
            notifyDone(`${t('userCreated')} ${user.email}`);
          })
        }
      />
      <Table.ScrollContainer minWidth={960}>
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('email')}</Table.Th>
              <Table.Th>{t('name')}</Table.Th>
              <Table.Th>{t('roles')}</Table.Th>
              <Table.Th>{t('teams')}</Table.Th>
              <Table.Th>{t('publishesRuleSets')}</Table.Th>
              <Table.Th>{t('state')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
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
                      client.POST('/api/users/{userId}/password-reset', {
                        params: { path: { userId: u.id } },
                      }),
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
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
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
      <Title order={2} id="teams-heading">
        {t('teams')}
      </Title>
      <Table className="data-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('aTeam')}</Table.Th>
            <Table.Th>{t('members')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {teams.map((team) => (
            <Table.Tr key={team} data-testid="team">
              <Table.Td>{team}</Table.Td>
              <Table.Td>{members.get(team)!.join(', ')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
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
    onChange: (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value }),
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
    <Paper component="form" aria-label={t('newUser')} onSubmit={submit} p="md" my="md" withBorder>
      <Group align="flex-end" gap="sm">
        <TextInput label={t('email')} type="email" required withAsterisk={false} {...field('email')} />
        <TextInput label={t('name')} required withAsterisk={false} maxLength={200} {...field('name')} />
        <TextInput
          label={t('initialPassword')}
          autoComplete="off"
          required
          withAsterisk={false}
          minLength={12}
          {...field('password')}
        />
        <TextInput label={t('roles')} {...field('roles')} />
        <TextInput label={t('teams')} {...field('teams')} />
        <Button type="submit">{t('createUser')}</Button>
      </Group>
    </Paper>
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
      <Table.Tr data-testid="user-row" data-email={user.email}>
        <Table.Td>{user.email}</Table.Td>
        <Table.Td>{user.name}</Table.Td>
        <Table.Td>
          <TextInput
            aria-label={`${t('roles')} ${user.email}`}
            value={roles}
            onChange={(e) => setRoles(e.currentTarget.value)}
          />
        </Table.Td>
        <Table.Td>
          <TextInput
            aria-label={`${t('teams')} ${user.email}`}
            value={teams}
            onChange={(e) => setTeams(e.currentTarget.value)}
          />
        </Table.Td>
        <Table.Td>
          <Checkbox
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
        </Table.Td>
        <Table.Td>{user.disabled ? t('disabled') : ''}</Table.Td>
        <Table.Td>
          <Group gap="xs" wrap="nowrap">
            <Button size="xs" onClick={() => onRoles(splitList(roles), splitList(teams))}>
              {t('save')}
            </Button>
            <Button size="xs" variant="default" onClick={onDisable}>
              {user.disabled ? t('enable') : t('disable')}
            </Button>
            <Button size="xs" variant="default" onClick={onReset}>
              {t('resetPassword')}
            </Button>
            <Button size="xs" variant="subtle" onClick={() => void loadTokens()}>
              {t('apiTokens')}
            </Button>
          </Group>
        </Table.Td>
      </Table.Tr>
      {tokens && (
        <Table.Tr>
          <Table.Td colSpan={7}>
            <TokenList tokens={tokens} onChanged={() => void loadTokens()} onError={onError} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}
