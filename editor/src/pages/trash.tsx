import { Button, Checkbox, Table, Text, Title } from '@mantine/core';
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
      <Title order={1} id="trash-page-heading">
        {t('trash')}
      </Title>
      <p className="hint">{t('trashHint')}</p>
      <ErrorAlert message={error} />
      {items && items.length === 0 && <Text my="sm">{t('trashEmpty')}</Text>}
      {items && items.length > 0 && (
        <>
          <Button
            variant="default"
            disabled={selected.size === 0}
            onClick={() => void restore([...selected])}
          >
            {t('restoreSelected')} ({selected.size})
          </Button>
          <Table.ScrollContainer minWidth={560} mt="sm">
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">
                    <span className="visually-hidden">{t('select')}</span>
                  </Table.Th>
                  <Table.Th scope="col">{t('name')}</Table.Th>
                  <Table.Th scope="col">{t('deletedBy')}</Table.Th>
                  <Table.Th scope="col">{t('purgedOn')}</Table.Th>
                  <Table.Th scope="col">
                    <span className="visually-hidden">{t('restoreFromTrash')}</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((a) => (
                  <Table.Tr key={a.id} data-testid="trashed-asset">
                    <Table.Td>
                      <Checkbox
                        aria-label={`${t('select')} ${a.name}`}
                        checked={selected.has(a.id)}
                        onChange={() => toggle(a.id)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <a href={`#/assets/${a.id}`}>{a.name}</a>
                      {a.trashed?.reason ? ` · ${a.trashed.reason}` : ''}
                      <ErrorAlert message={refusals[a.id] ?? ''} />
                    </Table.Td>
                    <Table.Td>
                      {a.trashed?.by} · {a.trashed ? new Date(a.trashed.at).toLocaleDateString() : ''}
                    </Table.Td>
                    <Table.Td>{a.trashed ? new Date(a.trashed.purgeAt).toLocaleDateString() : ''}</Table.Td>
                    <Table.Td>
                      <Button variant="default" size="compact-sm" onClick={() => void restore([a.id])}>
                        {t('restoreFromTrash')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </section>
  );
}
