import { Button, Group, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { type Asset, call, client, messageOf } from '../api';
import { ErrorAlert } from '../feedback';
import type { components } from '../generated/api-schema';
import { useT } from '../i18n';

type LifecycleView = components['schemas']['LifecycleView'];

/**
 * The asset page's delete and restore: a live asset can be moved to the trash (with an optional
 * reason, after a confirmation); an asset in the trash says until when and can be restored. The
 * workflow decides, so a refusal (legal hold, a freeze, a retention rule) is shown as it says it.
 */
export function TrashActions({
  asset,
  onChanged,
}: {
  asset: Asset;
  /** With the workflow's answer: the page waits for the catalogue to record the change. */
  onChanged(view: LifecycleView): void;
}) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const id = asset.id;

  const act = async (work: () => Promise<LifecycleView>) => {
    setError('');
    try {
      const view = await work();
      setConfirming(false);
      setReason('');
      onChanged(view);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const moveToTrash = (e: FormEvent) => {
    e.preventDefault();
    void act(() =>
      call(
        client.DELETE('/api/assets/{id}', {
          params: { path: { id }, query: reason.trim() ? { reason: reason.trim() } : {} },
        }),
      ),
    );
  };
  const restore = () =>
    void act(() => call(client.POST('/api/trash/{id}/restore', { params: { path: { id } } })));

  if (asset.state === 'purged') return null;
  return (
    <section aria-labelledby="trash-heading" className="trash-actions">
      <Title order={2} id="trash-heading">
        {t('trash')}
      </Title>
      {asset.trashed ? (
        <p className="badge frozen" data-testid="in-trash">
          {t('inTrashSince')} {new Date(asset.trashed.at).toLocaleDateString()} ({asset.trashed.by}) ·{' '}
          {t('purgedOn')} {new Date(asset.trashed.purgeAt).toLocaleDateString()}{' '}
          <Button variant="default" size="compact-sm" onClick={restore}>
            {t('restoreFromTrash')}
          </Button>
        </p>
      ) : confirming ? (
        <form onSubmit={moveToTrash}>
          <Group gap="sm" align="flex-end">
            <TextInput
              label={t('deleteReason')}
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
            <Button type="submit" color="red" variant="light">
              {t('confirmDelete')}
            </Button>
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('cancel')}
            </Button>
          </Group>
        </form>
      ) : (
        <Button variant="default" onClick={() => setConfirming(true)}>
          {t('moveToTrash')}
        </Button>
      )}
      <ErrorAlert message={error} />
    </section>
  );
}
