import { useCallback, useEffect, useRef, useState } from 'react';
import { type Asset, call, client, messageOf } from '../api';
import { ErrorAlert } from '../feedback';
import { useT } from '../i18n';

/**
 * The trash: what the person can see that was deleted, who deleted it, when it will be purged;
 * several can be restored at once, and each refusal is shown beside its asset.
 */
export function TrashPage() {
  const t = useT();
  const [items, setItems] = useState<Asset[] | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [refusals, setRefusals] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  // Assets restored from this page. The workflow answers before the catalogue records the restore,
  // so a list read just after could still hold them: they are left out of every list shown.
  const restoredHere = useRef(new Set<string>());

  const load = useCallback(async () => {
    try {
      const { items } = await call(client.GET('/api/trash'));
      setItems(items.filter((a) => !restoredHere.current.has(a.id)));
    } catch (err) {
      setError(messageOf(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const restore = async (assetIds: string[]) => {
    setError('');
    try {
      const { results } = await call(client.POST('/api/trash/restore', { body: { assetIds } }));
      setRefusals(Object.fromEntries(results.flatMap((r) => (r.ok ? [] : [[r.assetId, r.error.message]]))));
      for (const r of results) if (r.ok) restoredHere.current.add(r.assetId);
      setSelected(new Set());
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section className="trash-page" aria-labelledby="trash-page-heading">
      <h1 id="trash-page-heading">{t('trash')}</h1>
      <p className="hint">{t('trashHint')}</p>
      <ErrorAlert message={error} />
      {items && items.length === 0 && <p>{t('trashEmpty')}</p>}
      {items && items.length > 0 && (
        <>
          <button type="button" disabled={selected.size === 0} onClick={() => void restore([...selected])}>
            {t('restoreSelected')} ({selected.size})
          </button>
          <table className="trash-table">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">{t('select')}</span>
                </th>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('deletedBy')}</th>
                <th scope="col">{t('purgedOn')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('restoreFromTrash')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-testid="trashed-asset">
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${t('select')} ${a.name}`}
                      checked={selected.has(a.id)}
                      onChange={() => toggle(a.id)}
                    />
                  </td>
                  <td>
                    <a href={`#/assets/${a.id}`}>{a.name}</a>
                    {a.trashed?.reason ? ` · ${a.trashed.reason}` : ''}
                    {refusals[a.id] && (
                      <span className="error" role="alert">
                        {' '}
                        {refusals[a.id]}
                      </span>
                    )}
                  </td>
                  <td>
                    {a.trashed?.by} · {a.trashed ? new Date(a.trashed.at).toLocaleDateString() : ''}
                  </td>
                  <td>{a.trashed ? new Date(a.trashed.purgeAt).toLocaleDateString() : ''}</td>
                  <td>
                    <button type="button" onClick={() => void restore([a.id])}>
                      {t('restoreFromTrash')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
