import { Button, Group, NativeSelect, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { type Asset, call, client, messageOf, type RuleSetPlan } from '../api';
import type { components, paths } from '../generated/api-schema';

type LifecycleView = components['schemas']['LifecycleView'];

import { ErrorAlert } from '../feedback';
import { useT } from '../i18n';
import { useProjects } from '../use-projects';
import { type Dimensions, DimensionTicks, dimensionsOf } from './rule-set-forms';

/** Tags and dimensions are changed in part (PATCH); a move is an act (POST). */
type Patched = '/api/assets/{id}/tags' | '/api/assets/{id}/dimensions';
type Body<P extends Patched> = NonNullable<paths[P]['patch']['requestBody']>['content']['application/json'];

/**
 * Correcting what ingest got wrong, on the asset page: tags (remove, confirm, add), the
 * classification (each dimension of the rule set), the project. Every change goes to the asset's
 * workflow, which records it in the timeline; a refusal is shown as it says it.
 */
export function CorrectionsPanel({
  asset,
  plan,
  onChanged,
}: {
  asset: Asset;
  plan: RuleSetPlan | null;
  /** With the workflow's answer: the page waits for the catalogue to record the change. */
  onChanged(view: LifecycleView): void;
}) {
  const t = useT();
  const [error, setError] = useState('');
  const id = asset.id;
  const run = async (request: () => Promise<LifecycleView>) => {
    setError('');
    try {
      onChanged(await request());
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const send = <P extends Patched>(path: P, body: Body<P>) =>
    // Both answer the lifecycle view; the generic path hides that from the checker.
    run(
      () =>
        call(
          client.PATCH(path, { params: { path: { id } }, body } as never),
        ) as Promise<unknown> as Promise<LifecycleView>,
    );
  if (asset.state === 'trashed' || asset.state === 'purged') return null;
  return (
    <section aria-labelledby="corrections-heading" className="corrections">
      <Title order={2} mt="lg" mb="xs" id="corrections-heading">
        {t('corrections')}
      </Title>
      <TagEditor asset={asset} onEdit={(body) => void send('/api/assets/{id}/tags', body)} />
      {plan && Object.keys(dimensionsOf(plan)).length > 0 && (
        <DimensionEditor
          key={JSON.stringify(asset.dimensions)}
          asset={asset}
          dimensions={dimensionsOf(plan)}
          onSave={(set) => void send('/api/assets/{id}/dimensions', { set })}
        />
      )}
      <ProjectMover
        asset={asset}
        onMove={(project) =>
          void run(() =>
            call(client.POST('/api/assets/{id}/move', { params: { path: { id } }, body: { project } })),
          )
        }
      />
      <ErrorAlert message={error} />
    </section>
  );
}

function TagEditor({ asset, onEdit }: { asset: Asset; onEdit(body: Body<'/api/assets/{id}/tags'>): void }) {
  const t = useT();
  const [adding, setAdding] = useState('');
  const byRule = new Set(asset.compliance?.complianceTags ?? []);
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (!adding.trim()) return;
    onEdit({ add: [adding.trim()] });
    setAdding('');
  };
  return (
    <div>
      <ul className="tag-list" aria-label={t('tags')}>
        {asset.tags.map((tag) => (
          <li key={tag} className="chip" data-testid="tag">
            {tag}
            {asset.tagSources[tag] && <span title={asset.tagSources[tag].by}> ✓</span>}
            {!asset.tagSources[tag] && !byRule.has(tag) && (
              <Button variant="subtle" size="compact-sm" onClick={() => onEdit({ confirm: [tag] })}>
                <span aria-hidden="true">✓</span>
                <span className="visually-hidden">
                  {t('confirmTag')} {tag}
                </span>
              </Button>
            )}
            {!byRule.has(tag) && (
              <Button variant="subtle" size="compact-sm" onClick={() => onEdit({ remove: [tag] })}>
                <span aria-hidden="true">✕</span>
                <span className="visually-hidden">
                  {t('removeTag')} {tag}
                </span>
              </Button>
            )}
          </li>
        ))}
      </ul>
      <Group component="form" onSubmit={add} align="flex-end">
        <TextInput
          label={t('addTag')}
          value={adding}
          maxLength={64}
          onChange={(e) => setAdding(e.currentTarget.value)}
        />
        <Button type="submit">{t('add')}</Button>
      </Group>
    </div>
  );
}

function DimensionEditor({
  asset,
  dimensions: byName,
  onSave,
}: {
  asset: Asset;
  dimensions: Dimensions;
  onSave(set: Record<string, string[]>): void;
}) {
  const t = useT();
  const [chosen, setChosen] = useState<Record<string, string[]>>(asset.dimensions);
  const dimensions = Object.entries(byName);
  const save = (e: FormEvent) => {
    e.preventDefault();
    // Only the dimensions that changed, so the timeline names only those.
    const same = (name: string) =>
      [...(chosen[name] ?? [])].sort().join('\n') === [...(asset.dimensions[name] ?? [])].sort().join('\n');
    const changed = dimensions.filter(([name]) => !same(name));
    if (changed.length > 0) onSave(Object.fromEntries(changed.map(([name]) => [name, chosen[name] ?? []])));
  };
  return (
    <form onSubmit={save} className="dimension-editor">
      <DimensionTicks dimensions={byName} chosen={chosen} onChange={setChosen} name="dimension" />
      <Button type="submit">{t('saveClassification')}</Button>
    </form>
  );
}

function ProjectMover({ asset, onMove }: { asset: Asset; onMove(project: string): void }) {
  const t = useT();
  const projects = useProjects().filter((p) => p.level !== 'view' && p.id !== asset.project);
  const [target, setTarget] = useState('');
  if (projects.length === 0) return null;
  return (
    <Group
      component="form"
      align="flex-end"
      mt="sm"
      onSubmit={(e) => {
        e.preventDefault();
        onMove(target || (projects[0]?.id ?? ''));
      }}
    >
      <NativeSelect
        label={t('moveToProject')}
        value={target}
        onChange={(e) => setTarget(e.currentTarget.value)}
      >
        {projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </NativeSelect>
      <Button type="submit">{t('move')}</Button>
    </Group>
  );
}
