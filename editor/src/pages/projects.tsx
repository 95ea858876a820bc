import {
  Button,
  CloseButton,
  Code,
  Fieldset,
  Group,
  NativeSelect,
  Paper,
  Table,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { call, client, type Me, messageOf, type UserSummary } from '../api';
import { ErrorAlert, notifyDone } from '../feedback';
import { useT } from '../i18n';
import type { ProjectWithLevel } from '../use-projects';

type Grant = ProjectWithLevel['grants'][number];
type Level = Grant['level'];
const LEVELS: Level[] = ['view', 'edit', 'manage'];

/**
 * Projects and who may do what in them. Everyone sees the projects they hold a grant on, with
 * their level, and may start one (they manage it). A manager edits its grants — everyone, a team,
 * or a person — and saves them as one list (`PUT /api/projects/{id}/grants`; the server keeps at
 * least one `manage`). People are picked by e-mail where the caller may list users
 * (administrators); other managers grant to teams, everyone, or keep the person grants there are.
 */
export function ProjectsPage({ me }: { me: Me }) {
  const t = useT();
  const [projects, setProjects] = useState<ProjectWithLevel[] | null>(null);
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [error, setError] = useState('');
  const isAdmin = me.roles.includes('admin');

  const load = useCallback(async () => {
    setProjects((await call(client.GET('/api/projects'))).projects);
  }, []);
  useEffect(() => {
    load().catch((err) => setError(messageOf(err)));
    if (isAdmin)
      call(client.GET('/api/users'))
        .then((r) => setUsers(r.users))
        .catch(() => setUsers([]));
  }, [load, isAdmin]);

  /** Runs a change and reads the projects again; false (with the refusal shown) when it failed. */
  const attempt = async (work: () => Promise<unknown>, done: string): Promise<boolean> => {
    setError('');
    try {
      await work();
      await load();
      notifyDone(done);
      return true;
    } catch (err) {
      setError(messageOf(err));
      return false;
    }
  };

  return (
    <section className="projects-page" aria-labelledby="projects-heading">
      <Title order={1} id="projects-heading">
        {t('projects')}
      </Title>
      <ErrorAlert message={error} />
      <NewProject
        onCreate={(id, name) =>
          attempt(() => call(client.POST('/api/projects', { body: { id, name } })), t('projectCreated'))
        }
      />
      {projects?.map((p) => (
        <ProjectGrants
          key={`${p.id}:${JSON.stringify(p.grants)}`}
          project={p}
          users={users}
          onSave={(grants) =>
            attempt(
              () =>
                call(
                  client.PUT('/api/projects/{project}/grants', {
                    params: { path: { project: p.id } },
                    body: { grants },
                  }),
                ),
              t('grantsSaved'),
            )
          }
        />
      ))}
    </section>
  );
}

function NewProject({ onCreate }: { onCreate(id: string, name: string): Promise<boolean> }) {
  const t = useT();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // A refused project (the id taken…) keeps what was typed, to be corrected.
    if (await onCreate(id.trim(), name.trim())) {
      setId('');
      setName('');
    }
  };
  return (
    <Paper component="form" aria-label={t('newProject')} onSubmit={submit} p="md" my="md" withBorder>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('projectId')}
          value={id}
          onChange={(e) => setId(e.currentTarget.value)}
          pattern="[a-z0-9][a-z0-9\-]{0,62}"
          required
          withAsterisk={false}
        />
        <TextInput
          label={t('name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          withAsterisk={false}
          maxLength={200}
        />
        <Button type="submit">{t('createProject')}</Button>
      </Group>
    </Paper>
  );
}

/** One project: its grants as rows; editable (add, change level, remove, save) by its managers. */
function ProjectGrants({
  project,
  users,
  onSave,
}: {
  project: ProjectWithLevel;
  users: UserSummary[];
  onSave(grants: Grant[]): Promise<boolean>;
}) {
  const t = useT();
  const [grants, setGrants] = useState<Grant[]>(project.grants);
  const manages = project.level === 'manage';
  const emailOf = new Map(users.map((u) => [`user:${u.id}`, u.email]));
  const label = (principal: string) =>
    principal === 'everyone'
      ? t('everyone')
      : principal.startsWith('team:')
        ? `${t('aTeam')} ${principal.slice(5)}`
        : (emailOf.get(principal) ?? principal);
  const setLevel = (i: number, level: Level) =>
    setGrants(grants.map((g, j) => (j === i ? { ...g, level } : g)));

  return (
    <Paper
      component="section"
      className="project"
      data-testid="project"
      aria-labelledby={`project-${project.id}`}
      p="md"
      my="md"
      withBorder
    >
      <Title order={2} id={`project-${project.id}`}>
        {project.name} <Code>{project.id}</Code>
      </Title>
      <p className="hint">
        {t('yourLevel')}: {project.level} · {t('createdBy')} {project.createdBy}
      </p>
      <Table className="data-table">
        <Table.Caption className="visually-hidden">
          {t('grantsOf')} {project.name}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('who')}</Table.Th>
            <Table.Th>{t('level')}</Table.Th>
            {manages && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {grants.map((g, i) => (
            <Table.Tr key={g.principal} data-testid="grant">
              <Table.Td>{label(g.principal)}</Table.Td>
              <Table.Td>
                {manages ? (
                  <NativeSelect
                    aria-label={`${t('level')} ${label(g.principal)}`}
                    value={g.level}
                    onChange={(e) => setLevel(i, e.currentTarget.value as Level)}
                    data={LEVELS}
                  />
                ) : (
                  g.level
                )}
              </Table.Td>
              {manages && (
                <Table.Td>
                  <CloseButton
                    aria-label={`${t('remove')} ${label(g.principal)}`}
                    onClick={() => setGrants(grants.filter((_, j) => j !== i))}
                  />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {manages && (
        <>
          <AddGrant
            project={project}
            users={users}
            taken={new Set(grants.map((g) => g.principal))}
            onAdd={(grant) => setGrants([...grants, grant])}
          />
          <Button onClick={() => void onSave(grants)}>{t('saveGrants')}</Button>
        </>
      )}
    </Paper>
  );
}

function AddGrant({
  project,
  users,
  taken,
  onAdd,
}: {
  project: ProjectWithLevel;
  users: UserSummary[];
  taken: Set<string>;
  onAdd(grant: Grant): void;
}) {
  const t = useT();
  const [kind, setKind] = useState<'team' | 'user' | 'everyone'>('team');
  const [who, setWho] = useState('');
  const [level, setLevel] = useState<Level>('view');
  const principal = kind === 'everyone' ? 'everyone' : `${kind}:${who.trim()}`;
  const ready = kind === 'everyone' || who.trim() !== '';
  return (
    <Fieldset legend={`${t('addGrant')} (${project.name})`} my="sm">
      <Group align="flex-end" gap="sm">
        <NativeSelect
          label={t('grantTo')}
          value={kind}
          onChange={(e) => {
            setKind(e.currentTarget.value as typeof kind);
            setWho('');
          }}
          data={[
            { value: 'team', label: t('aTeam') },
            { value: 'user', label: t('person') },
            { value: 'everyone', label: t('everyone') },
          ]}
        />
        {kind === 'team' && (
          <TextInput
            label={t('teamName')}
            value={who}
            onChange={(e) => setWho(e.currentTarget.value)}
            pattern="[\w.\-]{1,64}"
          />
        )}
        {kind === 'user' && users.length > 0 && (
          <NativeSelect
            label={t('person')}
            value={who}
            onChange={(e) => setWho(e.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...users.map((u) => ({ value: u.id, label: u.email }))]}
          />
        )}
        {kind === 'user' && users.length === 0 && (
          <TextInput label={t('userId')} value={who} onChange={(e) => setWho(e.currentTarget.value)} />
        )}
        <NativeSelect
          label={t('level')}
          value={level}
          onChange={(e) => setLevel(e.currentTarget.value as Level)}
          data={LEVELS}
        />
        <Button
          variant="default"
          disabled={!ready || taken.has(principal)}
          onClick={() => {
            onAdd({ principal, level });
            setWho('');
          }}
        >
          {t('add')}
        </Button>
      </Group>
    </Fieldset>
  );
}
