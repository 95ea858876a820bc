import { Button, Group, NativeSelect, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type Asset, call, client, messageOf, type RuleSetPlan } from '../api';
import { ErrorAlert } from '../feedback';
import type { components } from '../generated/api-schema';
import { useT } from '../i18n';
import { useProjects } from '../use-projects';
import { FieldInputs, fieldsOf } from './rule-set-forms';

type LifecycleView = components['schemas']['LifecycleView'];
type BusinessEvent = 'delisting' | 'end-of-production' | 'relisting' | 'production-resumed';
const BUSINESS_EVENTS: BusinessEvent[] = [
  'delisting',
  'end-of-production',
  'relisting',
  'production-resumed',
];

/**
 * The asset's lifecycle on its page: its metadata as the rule set's form, freeze and unfreeze,
 * archive and restore, a legal hold, business events, and every pending timer with its date. The
 * asset's workflow decides each change; a refusal is shown as it says it.
 */
export function LifecyclePanel({
  asset,
  plan,
  admin,
  onChanged,
}: {
  asset: Asset;
  plan: RuleSetPlan | null;
  /** Administrators may do everything; others' level comes from the asset's project. */
  admin: boolean;
  /** With the workflow's answer: the page waits for the catalogue to record the change. */
  onChanged(view: LifecycleView): void;
}) {
  const t = useT();
  const id = asset.id;
  const path = { id };
  const [view, setView] = useState<LifecycleView | null>(null);
  const [values, setValues] = useState<Record<string, unknown>>(asset.metadata);
  const [freezeReason, setFreezeReason] = useState('');
  const [holdReason, setHoldReason] = useState('');
  const [event, setEvent] = useState<BusinessEvent>('delisting');
  const [error, setError] = useState('');
  // Restoring from the archive needs manage on the project: others are told so, not shown a button
  // that would be refused.
  const projects = useProjects();
  const manager = admin || projects.some((p) => p.id === asset.project && p.level === 'manage');

  const load = useCallback(async () => {
    setView(await call(client.GET('/api/assets/{id}/lifecycle', { params: { path: { id } } })));
  }, [id]);
  // Read again whenever the catalogue's copy of the asset changes (a change made elsewhere, or the
  // mirror of one made here), keeping the last view on screen meanwhile.
  const changedAt = asset.updatedAt;
  useEffect(() => {
    if (changedAt) void load().catch((err) => setError(messageOf(err)));
  }, [load, changedAt]);
  useEffect(() => setValues(asset.metadata), [asset.metadata]);

  const act = async (request: () => Promise<LifecycleView>) => {
    setError('');
    try {
      const next = await request();
      setView(next);
      onChanged(next);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const saveFields = (e: FormEvent) => {
    e.preventDefault();
    // Only what changed: the timeline then names exactly those fields.
    const set = Object.fromEntries(
      Object.entries(values).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(asset.metadata[k])),
    );
    if (Object.keys(set).length > 0)
      void act(() => call(client.PATCH('/api/assets/{id}/metadata', { params: { path }, body: { set } })));
  };

  if (!view || asset.state === 'trashed' || asset.state === 'purged') return null;
  const fields = fieldsOf(plan);
  const archivedish = view.state === 'archived' || view.state === 'expired';
  return (
    <section aria-labelledby="lifecycle-heading" className="lifecycle-panel">
      <Title order={2} mt="lg" mb="xs" id="lifecycle-heading">
        {t('lifecycle')}
      </Title>
      {Object.keys(fields).length > 0 && (
        <form onSubmit={saveFields} aria-label={t('metadata')}>
          <FieldInputs fields={fields} values={values} onChange={setValues} idPrefix="asset-field" />
          <Button type="submit" mt="xs">
            {t('saveFields')}
          </Button>
        </form>
      )}
      <Group align="flex-end" mt="sm">
        {view.frozen ? (
          <Button
            variant="default"
            onClick={() =>
              void act(() => call(client.POST('/api/assets/{id}/unfreeze', { params: { path } })))
            }
          >
            {t('unfreeze')}
          </Button>
        ) : (
          <Group
            component="form"
            align="flex-end"
            onSubmit={(e) => {
              e.preventDefault();
              void act(() =>
                call(
                  client.POST('/api/assets/{id}/freeze', {
                    params: { path },
                    body: { reason: freezeReason },
                  }),
                ),
              );
            }}
          >
            <TextInput
              label={t('freezeReason')}
              value={freezeReason}
              maxLength={500}
              required
              withAsterisk={false}
              onChange={(e) => setFreezeReason(e.currentTarget.value)}
            />
            <Button type="submit">{t('freeze')}</Button>
          </Group>
        )}
        {archivedish && !manager ? (
          <Text component="span" className="hint">
            {t('restoreNeedsManage')}
          </Text>
        ) : archivedish ? (
          <Button
            variant="default"
            onClick={() =>
              void act(() => call(client.POST('/api/assets/{id}/restore', { params: { path } })))
            }
          >
            {t('restoreFromArchive')}
          </Button>
        ) : (
          <Button
            variant="default"
            onClick={() =>
              void act(() => call(client.POST('/api/assets/{id}/archive', { params: { path } })))
            }
          >
            {t('archive')}
          </Button>
        )}
      </Group>
      <Group
        component="form"
        align="flex-end"
        mt="sm"
        onSubmit={(e) => {
          e.preventDefault();
          const body = view.legalHold
            ? { on: false }
            : { on: true, ...(holdReason ? { reason: holdReason } : {}) };
          void act(() => call(client.POST('/api/assets/{id}/legal-hold', { params: { path }, body })));
        }}
      >
        {view.legalHold ? (
          <span className="badge frozen" data-testid="legal-hold">
            {t('legalHold')}: {view.legalHold.reason} ({view.legalHold.by})
          </span>
        ) : (
          <TextInput
            label={t('legalHoldReason')}
            value={holdReason}
            maxLength={500}
            onChange={(e) => setHoldReason(e.currentTarget.value)}
          />
        )}
        <Button type="submit">{view.legalHold ? t('liftLegalHold') : t('placeLegalHold')}</Button>
      </Group>
      <Group
        component="form"
        align="flex-end"
        mt="sm"
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => call(client.POST('/api/assets/{id}/events', { params: { path }, body: { event } })));
        }}
      >
        <NativeSelect
          label={t('businessEvent')}
          value={event}
          onChange={(e) => setEvent(e.currentTarget.value as BusinessEvent)}
        >
          {BUSINESS_EVENTS.map((name) => (
            <option key={name} value={name}>
              {t(`event_${name}`)}
            </option>
          ))}
        </NativeSelect>
        <Button type="submit">{t('recordEvent')}</Button>
      </Group>
      <ErrorAlert message={error} />
      <Title order={3} mt="sm">
        {t('timers')}
      </Title>
      {view.timers.length === 0 ? (
        <p>{t('noTimers')}</p>
      ) : (
        <Table className="timers" w="auto">
          <Table.Tbody>
            {view.timers.map((timer) => (
              <Table.Tr key={`${timer.kind}-${timer.at}`} data-testid="timer">
                <Table.Td>{t(`timer_${timer.kind}`)}</Table.Td>
                <Table.Td>{new Date(timer.at).toLocaleDateString()}</Table.Td>
                <Table.Td>{timer.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}
