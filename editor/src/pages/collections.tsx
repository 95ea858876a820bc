import { Anchor, Button, Group, NativeSelect, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type CollectionSummary, call, client, type Me, messageOf } from '../api';
import { ErrorAlert, StatusPanel } from '../feedback';
import { useT } from '../i18n';
import { TeamSelect } from './smart-collections';

/** The person's collections and those shared with their teams, and a form to start one. */
export function CollectionsPage({ me }: { me: Me }) {
  const t = useT();
  const [collections, setCollections] = useState<CollectionSummary[] | null>(null);
  const [name, setName] = useState('');
  const [team, setTeam] = useState('');
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    setCollections((await call(client.GET('/api/collections'))).collections);
  }, []);
  useEffect(() => {
    void load().catch((err) => setError(messageOf(err)));
  }, [load]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      const made = await call(client.POST('/api/collections', { body: { name, ...(team ? { team } : {}) } }));
      window.location.hash = `#/collections/${made.id}`;
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section className="collections-page" aria-labelledby="collections-heading">
      <Title order={1} id="collections-heading">
        {t('collections')}
      </Title>
      <p className="hint">{t('collectionsHint')}</p>
      <form onSubmit={create} aria-label={t('newCollection')}>
        <Group gap="sm" align="flex-end">
          <TextInput
            label={t('newCollection')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={100}
            required
            withAsterisk={false}
          />
          <TeamSelect teams={me.teams} value={team} onChange={setTeam} />
          <Button type="submit">{t('create')}</Button>
        </Group>
      </form>
      <ErrorAlert message={error} />
      {collections && collections.length === 0 && <Text my="sm">{t('noCollections')}</Text>}
      <ul className="collection-list">
        {collections?.map((c) => (
          <li key={c.id} data-testid="collection">
            <a href={`#/collections/${c.id}`}>{c.name}</a> · {c.assetCount} {t('assetsCount')}
            {c.team && ` · ${t('team')} ${c.team}`}
            {!c.mine && ` · ${t('sharedBy')} ${c.owner.name}`}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * "Add to collection" for a selection: to one of the person's collections (after what it holds)
 * or to a new one named here.
 */
export function AddToCollection({ assetIds }: { assetIds: string[] }) {
  const t = useT();
  const [collections, setCollections] = useState<CollectionSummary[]>([]);
  const [target, setTarget] = useState('');
  const [newName, setNewName] = useState('');
  const [message, setMessage] = useState<{ text: string; id?: string; error?: boolean } | null>(null);
  useEffect(() => {
    void call(client.GET('/api/collections'))
      .then((r) => setCollections(r.collections))
      .catch(() => setCollections([]));
  }, []);

  const add = async () => {
    setMessage(null);
    try {
      let id: string;
      if (target === '') {
        id = (await call(client.POST('/api/collections', { body: { name: newName, assetIds } }))).id;
      } else {
        const path = { collectionId: target };
        const current = await call(client.GET('/api/collections/{collectionId}', { params: { path } }));
        const held = current.items.map((i) => i.id);
        const body = { assetIds: [...held, ...assetIds.filter((a) => !held.includes(a))] };
        id = (await call(client.PUT('/api/collections/{collectionId}/assets', { params: { path }, body })))
          .id;
      }
      setMessage({ text: `${t('addedToCollection')} (${assetIds.length})`, id });
    } catch (err) {
      setMessage({ text: messageOf(err), error: true });
    }
  };

  return (
    <div className="add-to-collection">
      <Group gap="sm">
        <NativeSelect
          aria-label={t('collection')}
          value={target}
          onChange={(e) => setTarget(e.currentTarget.value)}
        >
          <option value="">{t('newCollection')}</option>
          {collections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </NativeSelect>
        {target === '' && (
          <TextInput
            aria-label={t('newCollectionName')}
            placeholder={t('newCollectionName')}
            value={newName}
            maxLength={100}
            onChange={(e) => setNewName(e.currentTarget.value)}
          />
        )}
        <Button
          variant="default"
          disabled={target === '' && newName.trim() === ''}
          onClick={() => void add()}
        >
          {t('addToCollection')} ({assetIds.length})
        </Button>
      </Group>
      {message?.error && <ErrorAlert message={message.text} />}
      {message && !message.error && (
        <StatusPanel>
          {message.text} {message.id && <Anchor href={`#/collections/${message.id}`}>{t('open')}</Anchor>}
        </StatusPanel>
      )}
    </div>
  );
}
