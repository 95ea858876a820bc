import { Button, Group, NativeSelect, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { call, client, messageOf, type SavedSearch, type SearchResult } from '../api';
import { ErrorAlert } from '../feedback';
import { useT } from '../i18n';

/** How a query was understood: its date range, colours, types, dimension values and free words. */
export function InterpretationChips({ interpreted }: { interpreted: SearchResult['interpreted'] }) {
  return (
    <>
      {interpreted.dateRange && (
        <span className="chip">{`${interpreted.dateRange.from} → ${interpreted.dateRange.to}`}</span>
      )}
      {[...interpreted.colours, ...interpreted.types].map((c) => (
        <span key={c} className="chip">
          {c}
        </span>
      ))}
      {Object.entries(interpreted.facets).map(([k, v]) => (
        <span key={k} className="chip">{`${k}: ${v.join(', ')}`}</span>
      ))}
      {interpreted.text && <span className="chip">“{interpreted.text}”</span>}
    </>
  );
}

/** "Save this search": a name (the words by default) and, optionally, one of the person's teams. */
export function SaveSearch(props: {
  q: string;
  filters: Record<string, string[]>;
  teams: string[];
  onSaved(saved: SavedSearch): void;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [team, setTeam] = useState('');
  const [error, setError] = useState('');
  if (!open)
    return (
      <Button
        variant="default"
        onClick={() => {
          setName(props.q);
          setOpen(true);
        }}
      >
        {t('saveSearch')}
      </Button>
    );
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      const saved = await call(
        client.POST('/api/saved-searches', {
          body: { name, q: props.q, filters: props.filters, ...(team ? { team } : {}) },
        }),
      );
      setOpen(false);
      props.onSaved(saved);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <form className="save-search" aria-label={t('saveSearch')} onSubmit={save}>
      <Group gap="xs" align="flex-end">
        <TextInput
          label={t('name')}
          value={name}
          maxLength={100}
          required
          withAsterisk={false}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <TeamSelect teams={props.teams} value={team} onChange={setTeam} />
        <Button type="submit">{t('save')}</Button>
        <Button variant="subtle" size="compact-sm" onClick={() => setOpen(false)}>
          {t('cancel')}
        </Button>
      </Group>
      <ErrorAlert message={error} />
    </form>
  );
}

export function TeamSelect(props: { teams: string[]; value: string; onChange(team: string): void }) {
  const t = useT();
  // A search shared with a team the person has since left still shows which team that is.
  const teams =
    props.value && !props.teams.includes(props.value) ? [...props.teams, props.value] : props.teams;
  return (
    <NativeSelect
      label={t('shareWithTeam')}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    >
      <option value="">{t('notShared')}</option>
      {teams.map((team) => (
        <option key={team} value={team}>
          {team}
        </option>
      ))}
    </NativeSelect>
  );
}

/** The person's saved searches and those shared with their teams; one click opens one, live. */
export function SmartCollectionList(props: {
  items: SavedSearch[];
  openId: string | undefined;
  onOpen(saved: SavedSearch): void;
}) {
  const t = useT();
  return (
    <nav className="smart-collections" aria-label={t('smartCollections')}>
      <Title order={3}>{t('smartCollections')}</Title>
      {props.items.length === 0 && <p className="hint">{t('noSavedSearches')}</p>}
      <ul>
        {props.items.map((s) => (
          <li key={s.id}>
            <Button
              variant="subtle"
              size="compact-sm"
              aria-current={s.id === props.openId ? 'true' : undefined}
              onClick={() => props.onOpen(s)}
            >
              {s.name}
            </Button>
            {s.team && <span className="chip">{s.team}</span>}
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * The open smart collection: its stored interpretation (what it runs, whatever the date), and for
 * its owner: share with a team, read the words again today, delete.
 */
export function OpenCollection(props: {
  saved: SavedSearch;
  teams: string[];
  onChanged(saved: SavedSearch): void;
  onDeleted(): void;
}) {
  const t = useT();
  const { saved } = props;
  const [error, setError] = useState('');
  const path = { params: { path: { savedSearchId: saved.id } } };
  const change = async (body: { team?: string | null; reinterpret?: boolean }) => {
    setError('');
    try {
      props.onChanged(await call(client.PATCH('/api/saved-searches/{savedSearchId}', { ...path, body })));
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const remove = async () => {
    setError('');
    try {
      await call(client.DELETE('/api/saved-searches/{savedSearchId}', path));
      props.onDeleted();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <section className="open-collection" aria-label={saved.name} data-testid="open-collection">
      <Title order={2}>{saved.name}</Title>
      <p className="interpreted" data-testid="saved-interpretation">
        {t('savedAs')} {saved.interpretedOn}: <InterpretationChips interpreted={saved.interpreted} />
        {!saved.mine && <span className="hint">{` ${t('sharedBy')} ${saved.owner.name}`}</span>}
      </p>
      {saved.mine && (
        <Group className="collection-actions" gap="xs" align="flex-end">
          <TeamSelect
            teams={props.teams}
            value={saved.team ?? ''}
            onChange={(team) => void change({ team: team || null })}
          />
          <Button variant="default" onClick={() => void change({ reinterpret: true })}>
            {t('reinterpret')}
          </Button>
          <Button variant="default" onClick={() => void remove()}>
            {t('delete')}
          </Button>
        </Group>
      )}
      <ErrorAlert message={error} />
    </section>
  );
}
