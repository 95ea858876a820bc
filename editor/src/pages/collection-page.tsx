import { useCallback, useEffect, useState } from 'react';
import { type Collection, call, client, type Me, messageOf } from '../api';
import { ErrorAlert } from '../feedback';
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

  if (!collection) return error ? <p className="error">{error}</p> : null;
  const items = collection.items;
  return (
    <section className="collection-page" aria-labelledby="collection-heading">
      <p>
        <a href="#/collections">← {t('collections')}</a>
      </p>
      <h1 id="collection-heading">{collection.name}</h1>
      <p className="hint">
        {collection.mine ? '' : `${t('sharedBy')} ${collection.owner.name} · `}
        {items.length} {t('assetsCount')}
        {collection.assetCount > items.length &&
          ` (${collection.assetCount - items.length} ${t('hiddenItems')})`}
      </p>
      {collection.mine && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void patch({ name });
          }}
        >
          <label>
            {t('name')}
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
          </label>
          <button type="submit">{t('rename')}</button>
          <TeamSelect
            teams={me.teams}
            value={collection.team ?? ''}
            onChange={(team) => void patch({ team: team || null })}
          />
          <button
            type="button"
            className="danger"
            onClick={async () => {
              if (!window.confirm(t('deleteCollectionConfirm'))) return;
              await call(client.DELETE('/api/collections/{collectionId}', { params: { path } }));
              window.location.hash = '#/collections';
            }}
          >
            {t('deleteCollection')}
          </button>
        </form>
      )}
      <ErrorAlert message={error} />
      {items.length === 0 && <p>{t('collectionEmpty')}</p>}
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
              <button
                type="button"
                disabled={i === 0}
                aria-label={`${t('moveUp')} ${item.name}`}
                onClick={() => move(i, i - 1)}
              >
                ↑
              </button>
              <button
                type="button"
                disabled={i === items.length - 1}
                aria-label={`${t('moveDown')} ${item.name}`}
                onClick={() => move(i, i + 1)}
              >
                ↓
              </button>
              <button
                type="button"
                aria-label={`${t('removeFromCollection')} ${item.name}`}
                onClick={() => void setAssets(items.filter((x) => x.id !== item.id).map((x) => x.id))}
              >
                ✕
              </button>
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
