import { Box, Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, call, client, messageOf } from '../api';
import { ErrorAlert, StatusPanel } from '../feedback';
import type { components } from '../generated/api-schema';
import { useT } from '../i18n';

type BulkProgress = components['schemas']['BulkProgress'];
/** The assets a batch is for: a selection, or what a search finds when the batch starts. */
export type BulkSelection =
  | { assetIds: string[] }
  | { query: { q: string; filters: Record<string, string[]> } };
type Action = 'add-tag' | 'remove-tag' | 'freeze' | 'unfreeze' | 'archive';

/**
 * Edit the library's selection, or every result of its search, at once: the change runs as a
 * durable batch on the server; this shows its progress bar until it has finished, then what was
 * refused and why.
 */
export function BulkEditPanel({
  selection,
  count,
  names,
  onFinished,
}: {
  selection: BulkSelection;
  /** How many assets the selection holds (a search's: its count now). */
  count: number;
  names: Map<string, string>;
  onFinished(): void;
}) {
  const t = useT();
  const [action, setAction] = useState<Action>('add-tag');
  const [value, setValue] = useState('');
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    if (!progress || progress.finished) return;
    const again = setTimeout(() => {
      call(client.GET('/api/bulk/{batchId}', { params: { path: { batchId: progress.batchId } } }))
        .then((next) => {
          setProgress(next);
          if (next.finished) onFinished();
        })
        // No worker answering for a moment (a restart, 503): ask again; any other refusal ends it.
        .catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 503) setProgress({ ...progress });
          else setError(messageOf(err));
        });
    }, 500);
    return () => clearTimeout(again);
  }, [progress, onFinished]);

  const start = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    const change =
      action === 'add-tag'
        ? { kind: 'tags' as const, add: [value.trim()] }
        : action === 'remove-tag'
          ? { kind: 'tags' as const, remove: [value.trim()] }
          : action === 'freeze'
            ? { kind: 'freeze' as const, reason: value.trim() }
            : { kind: action };
    try {
      setProgress(await call(client.POST('/api/bulk', { body: { ...selection, operations: [change] } })));
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const needsText = action === 'add-tag' || action === 'remove-tag' || action === 'freeze';
  const refused = (progress?.results ?? []).flatMap((r) => (r.ok ? [] : [r]));
  return (
    <div className="bulk-edit">
      <form onSubmit={start}>
        <Group gap="sm" align="flex-end">
          <NativeSelect
            label={t('bulkAction')}
            value={action}
            onChange={(e) => setAction(e.currentTarget.value as Action)}
          >
            <option value="add-tag">{t('addTag')}</option>
            <option value="remove-tag">{t('removeTag')}</option>
            <option value="freeze">{t('freeze')}</option>
            <option value="unfreeze">{t('unfreeze')}</option>
            <option value="archive">{t('archive')}</option>
          </NativeSelect>
          {needsText && (
            <TextInput
              label={action === 'freeze' ? t('reason') : t('tag')}
              value={value}
              maxLength={64}
              required
              withAsterisk={false}
              onChange={(e) => setValue(e.currentTarget.value)}
            />
          )}
          <Button type="submit" disabled={!!progress && !progress.finished}>
            {'query' in selection ? t('applyToAllResults') : t('applyToSelected')} ({count})
          </Button>
        </Group>
      </form>
      <ErrorAlert message={error} />
      {progress && (
        <Box data-testid="bulk-progress">
          <StatusPanel>
            <progress max={progress.total} value={progress.done} aria-label={t('bulkProgress')} />{' '}
            {progress.done}/{progress.total} · {t('succeeded')} {progress.succeeded} · {t('failedCount')}{' '}
            {progress.failed}
            {progress.finished ? ` · ${t('finished')}` : ''}
          </StatusPanel>
        </Box>
      )}
      {progress?.finished && refused.length > 0 && (
        <ul className="error" aria-label={t('refused')}>
          {refused.map((r) => (
            <li key={r.assetId}>
              {names.get(r.assetId) ?? r.assetId}: {r.error.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
