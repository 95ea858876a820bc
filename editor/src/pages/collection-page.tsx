import { Anchor, Button, Group, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { type Collection, call, client, type Me, messageOf } from '../api';
import { confirmAction, ErrorAlert } from '../feedback';
import { useT } from '../i18n';
import { SharePanel } from './share-panel';
import { TeamSelect } from './smart-collections';

/**
 * One collection: its assets in order (move up, move down, remove), renaming, sharing with a team
 * and deleting for its owner, and a share link of its assets under the usual link rules.
 */
export function CollectionPage({ id, me }: { id: string; me: Me }) {
  const t = useT();
  const [collection, setCollection] = useState<Collection | null>(null);
  const [renditions, setRenditions] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const path = { collectionId: id };

  const show = useCallback((c: Collection) => {
    setCollection(c);
    setName(c.name);
  }, []);
  const load = useCallback(async () => {
    try {
      show(
        await call(client.GET('/api/collections/{collectionId}', { params: { path: { collectionId: id } } })),
      );
    } catch (err) {
      setError(messageOf(err));
    }
  }, [id, show]);
  useEffect(() => {
    void load();
  }, [load]);
  // A link carries one rendition for every asset: the ones every item's rule set has.
  const versionsKey = [
    ...new Set(
      collection?.items.flatMap((i) => (i.ruleSetVersion ? [`${i.ruleSet}/${i.ruleSetVersion}`] : [])),
    ),
  ].join();
  useEffect(() => {
    if (!versionsKey) return setRenditions([]);
    void Promise.all(
      versionsKey.split(',').map(async (key) => {
        const [name, version] = key.split('/') as [string, string];
        const plan = await call(
          client.GET('/api/rule-sets/{name}/versions/{version}', {
            params: { path: { name, version: Number(version) } },
          }),
        );
        return Object.keys(plan.plan.distribute.renditions);
      }),
    ).then((lists) => setRenditions(lists.reduce((a, b) => a.filter((r) => b.includes(r)))));
  }, [versionsKey]);

  const change = async (action: () => Promise<Collection>) => {
    setError('');
    try {
      show(await action());
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const setAssets = (assetIds: string[]) =>
    change(() =>
      call(client.PUT('/api/collections/{collectionId}/assets', { params: { path }, body: { assetIds } })),
    );
  const patch = (body: { name?: string; team?: string | null }) =>
    change(() => call(client.PATCH('/api/collections/{collectionId}', { params: { path }, body })));
  const move = (from: number, to: number) => {
    const ids = collection!.items.map((i) => i.id);
    const [moved] = ids.splice(from, 1);
    ids.splice(to, 0, moved!);
    void setAssets(ids);
  };

  if (!collection) return error ? <ErrorAlert message={error} /> : null;
  const items = collection.items;
  return (
    <section className="collection-page" aria-labelledby="collection-heading">
      <p>
        <Anchor href="#/collections">← {t('collections')}</Anchor>
      </p>
      <Title order={1} id="collection-heading">
        {collection.name}
      </Title>
      <p className="hint">
        {collection.mine ? '' : `${t('sharedBy')} ${collection.owner.name} · `}
        {items.length} {t('assetsCount')}
        {collection.assetCount > items.length &&
          ` (${collection.assetCount - items.length} ${t('hiddenItems')})`}
      </p>
      {collection.mine && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void patch({ name });
          }}
        >
          <Group gap="sm" align="flex-end">
            <TextInput
              label={t('name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              maxLength={100}
              required
              withAsterisk={false}
            />
            <Button type="submit">{t('rename')}</Button>
            <TeamSelect
              teams={me.teams}
              value={collection.team ?? ''}
              onChange={(team) => void patch({ team: team || null })}
            />
            <Button
              color="red"
              variant="light"
              onClick={async () => {
                const confirmed = await confirmAction({
                  title: t('deleteCollection'),
                  message: t('deleteCollectionConfirm'),
                  confirmLabel: t('deleteCollection'),
                  cancelLabel: t('cancel'),
                });
                if (!confirmed) return;
                await call(client.DELETE('/api/collections/{collectionId}', { params: { path } }));
                window.location.hash = '#/collections';
              }}
            >
              {t('deleteCollection')}
            </Button>
          </Group>
        </form>
      )}
      <ErrorAlert message={error} />
      {items.length === 0 && <Text my="sm">{t('collectionEmpty')}</Text>}
      <ol className="grid ordered" aria-label={collection.name}>
        {items.map((item, i) => (
          <li key={item.id} data-testid="collection-item">
            <a href={`#/assets/${item.id}`}>
              <img
                src={`/api/assets/${item.id}/thumbnail?v=${item.latestVersion.version}`}
                alt=""
                loading="lazy"
              />
              <span className="name">{item.name}</span>
            </a>
            <span className="item-actions">
              <Button
                variant="default"
                size="compact-sm"
                disabled={i === 0}
                aria-label={`${t('moveUp')} ${item.name}`}
                onClick={() => move(i, i - 1)}
              >
                ↑
              </Button>
              <Button
                variant="default"
                size="compact-sm"
                disabled={i === items.length - 1}
                aria-label={`${t('moveDown')} ${item.name}`}
                onClick={() => move(i, i + 1)}
              >
                ↓
              </Button>
              <Button
                variant="default"
                size="compact-sm"
                aria-label={`${t('removeFromCollection')} ${item.name}`}
                onClick={() => void setAssets(items.filter((x) => x.id !== item.id).map((x) => x.id))}
              >
                ✕
              </Button>
            </span>
          </li>
        ))}
      </ol>
      {items.length > 0 && renditions.length > 0 && (
        <SharePanel assetIds={items.map((i) => i.id)} renditions={renditions} />
      )}
    </section>
  );
}
