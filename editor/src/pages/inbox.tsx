import { Anchor, Button, Group, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { type ApprovalTask, call, client, messageOf } from '../api';
import { ErrorAlert } from '../feedback';
import { useT } from '../i18n';
import { useNotificationStream } from '../notification-stream';

/** Pending approval steps the reviewer may decide, updated live from their notification stream. */
export function Inbox() {
  const t = useT();
  const [tasks, setTasks] = useState<ApprovalTask[]>([]);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const load = useCallback(async () => {
    setTasks((await call(client.GET('/api/approvals'))).approvals);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const reload = useCallback(() => void load(), [load]);
  useNotificationStream({ onNotification: reload });

  const decide = async (task: ApprovalTask, decision: 'approve' | 'reject') => {
    setError('');
    try {
      const key = `${task.approvalId}/${task.node}`;
      await call(
        client.POST('/api/approvals/{approvalId}/decision', {
          params: { path: { approvalId: task.approvalId } },
          body: { node: task.node, decision, ...(reasons[key] ? { reason: reasons[key] } : {}) },
        }),
      );
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section className="inbox">
      <Title order={1}>{t('inbox')}</Title>
      <ErrorAlert message={error} />
      {tasks.length === 0 && <p>{t('nothingPending')}</p>}
      <ul>
        {tasks.map((task) => {
          const key = `${task.approvalId}/${task.node}`;
          return (
            <li key={key} className="task" data-testid="approval-task">
              <img src={`/api/assets/${task.assetId}/thumbnail`} alt="" width={96} height={96} />
              <div>
                <p>
                  <Anchor href={`#/assets/${task.assetId}`}>{task.assetId.slice(0, 8)}</Anchor> ·{' '}
                  {t('rendition')}: <strong>{task.request.rendition}</strong> ({task.request.audience})
                </p>
                <p>
                  {t('requester')}: {task.request.user} · {t('rule')}: {task.flow} / {task.node}
                  {task.timeoutAt && ` · ${t('deadline')}: ${new Date(task.timeoutAt).toLocaleString()}`}
                </p>
                <Group align="flex-end" gap="xs">
                  <TextInput
                    label={t('reason')}
                    value={reasons[key] ?? ''}
                    onChange={(e) => setReasons({ ...reasons, [key]: e.currentTarget.value })}
                  />
                  <Button variant="default" onClick={() => void decide(task, 'approve')}>
                    {t('approve')}
                  </Button>
                  <Button variant="default" onClick={() => void decide(task, 'reject')}>
                    {t('reject')}
                  </Button>
                </Group>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
