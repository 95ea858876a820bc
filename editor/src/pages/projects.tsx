import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { call, client, type Me, messageOf, type UserSummary } from '../api';
import { ErrorAlert } from '../feedback';
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
  const [status, setStatus] = useState('');
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
    setStatus('');
    try {
      await work();
      await load();
      setStatus(done);
      return true;
    } catch (err) {
      setError(messageOf(err));
      return false;
    }
  };

  return (
    <section className="projects-page" aria-labelledby="projects-heading">
      <h1 id="projects-heading">{t('projects')}</h1>
      <ErrorAlert message={error} />
      {status && (
        <p className="status" role="status">
          {status}
        </p>
      )}
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
    <form className="inline-form" aria-label={t('newProject')} onSubmit={submit}>
      <label>
        {t('projectId')}{' '}
        <input
          value={id}
          onChange={(e) => setId(e.target.value)}
          pattern="[a-z0-9][a-z0-9\-]{0,62}"
          required
        />
      </label>
      <label>
        {t('name')} <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      </label>
      <button type="submit">{t('createProject')}</button>
    </form>
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
    <section className="project" data-testid="project" aria-labelledby={`project-${project.id}`}>
      <h2 id={`project-${project.id}`}>
        {project.name} <code>{project.id}</code>
      </h2>
      <p className="hint">
        {t('yourLevel')}: {project.level} · {t('createdBy')} {project.createdBy}
      </p>
      <table className="data-table">
        <caption className="visually-hidden">
          {t('grantsOf')} {project.name}
        </caption>
        <thead>
          <tr>
            <th>{t('who')}</th>
            <th>{t('level')}</th>
            {manages && <th />}
          </tr>
        </thead>
        <tbody>
          {grants.map((g, i) => (
            <tr key={g.principal} data-testid="grant">
              <td>{label(g.principal)}</td>
              <td>
                {manages ? (
                  <select
                    aria-label={`${t('level')} ${label(g.principal)}`}
                    value={g.level}
                    onChange={(e) => setLevel(i, e.target.value as Level)}
                  >
                    {LEVELS.map((l) => (
                      <option key={l}>{l}</option>
                    ))}
                  </select>
                ) : (
                  g.level
                )}
              </td>
              {manages && (
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-label={`${t('remove')} ${label(g.principal)}`}
                    onClick={() => setGrants(grants.filter((_, j) => j !== i))}
                  >
                    ✕
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {manages && (
        <>
          <AddGrant
            project={project}
            users={users}
            taken={new Set(grants.map((g) => g.principal))}
            onAdd={(grant) => setGrants([...grants, grant])}
          />
          <button type="button" onClick={() => void onSave(grants)}>
            {t('saveGrants')}
          </button>
        </>
      )}
    </section>
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
    <fieldset className="inline-form">
      <legend>
        {t('addGrant')} ({project.name})
      </legend>
      <label>
        {t('grantTo')}{' '}
        <select
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as typeof kind);
            setWho('');
          }}
        >
          <option value="team">{t('aTeam')}</option>
          <option value="user">{t('person')}</option>
          <option value="everyone">{t('everyone')}</option>
        </select>
      </label>
      {kind === 'team' && (
        <label>
          {t('teamName')}{' '}
          <input value={who} onChange={(e) => setWho(e.target.value)} pattern="[\w.\-]{1,64}" />
        </label>
      )}
      {kind === 'user' && users.length > 0 && (
        <label>
          {t('person')}{' '}
          <select value={who} onChange={(e) => setWho(e.target.value)}>
            <option value="">—</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.email}
              </option>
            ))}
          </select>
        </label>
      )}
      {kind === 'user' && users.length === 0 && (
        <label>
          {t('userId')} <input value={who} onChange={(e) => setWho(e.target.value)} />
        </label>
      )}
      <label>
        {t('level')}{' '}
        <select value={level} onChange={(e) => setLevel(e.target.value as Level)}>
          {LEVELS.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
      </label>
      <button
        type="button"
        disabled={!ready || taken.has(principal)}
        onClick={() => {
          onAdd({ principal, level });
          setWho('');
        }}
      >
        {t('add')}
      </button>
    </fieldset>
  );
}
