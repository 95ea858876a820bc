import { Code, Fieldset, NativeSelect, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { FLOW_ACTIONS, QUORUMS } from '../../../rules/document';
import { useT } from '../i18n';
import { splitList } from '../split-list';
import { type GraphEdge, type GraphNode, HANDLES, type LinkHandle } from './flow-graph';

/** The two reviewer lists of an approval, each a comma-separated field. */
const REVIEWER_FIELDS = [
  { key: 'roles', label: 'reviewerRoles' },
  { key: 'users', label: 'reviewerUsers' },
] as const;

/** The selected node's settings as a form; every change goes straight to the YAML. */
export function Inspector({
  node,
  problems,
  onChange,
  nodeIds,
  edges,
  onLink,
}: {
  node: GraphNode | undefined;
  problems: string[];
  onChange(settings: Record<string, unknown>): void;
  /** Every node of the flow, to link to. */
  nodeIds: string[];
  edges: GraphEdge[];
  /** Sets the targets of one handle of the selected node (keyboard alternative to dragging). */
  onLink(handle: LinkHandle, targets: string[]): void;
}) {
  const t = useT();
  if (!node) return <p className="hint">{t('selectNode')}</p>;
  const s = node.settings;
  const set = (key: string, value: unknown) => {
    const next = { ...s, [key]: value };
    if (value === undefined) delete next[key];
    onChange(next);
  };
  const reviewers = (s.reviewers ?? {}) as { roles?: string[]; users?: string[] };
  const timeout = s.timeout as { after: string; action: string } | undefined;
  return (
    <Stack
      component="form"
      gap="xs"
      className="inspector"
      aria-label={t('inspector')}
      onSubmit={(e) => e.preventDefault()}
    >
      <Title order={3}>
        {node.type} <Code>{node.id}</Code>
      </Title>
      {node.type === 'approval' && (
        <>
          {REVIEWER_FIELDS.map(({ key, label }) => (
            <TextInput
              key={`${node.id}-${key}`}
              label={t(label)}
              name={key}
              defaultValue={(reviewers[key] ?? []).join(', ')}
              onBlur={(e) => {
                const values = splitList(e.currentTarget.value);
                const { [key]: _old, ...rest } = reviewers;
                set('reviewers', values.length > 0 ? { ...rest, [key]: values } : rest);
              }}
            />
          ))}
          <NativeSelect
            label={t('quorum')}
            value={String(s.quorum ?? '')}
            onChange={(e) => set('quorum', e.currentTarget.value || undefined)}
            data={[{ value: '', label: '—' }, ...QUORUMS]}
          />
          <TextInput
            key={`${node.id}-timeout`}
            label="Timeout (ISO 8601, e.g. P2D)"
            name="timeout"
            defaultValue={timeout?.after ?? ''}
            onBlur={(e) => {
              const after = e.currentTarget.value;
              set('timeout', after ? { after, action: timeout?.action ?? 'reject' } : undefined);
            }}
          />
        </>
      )}
      {node.type === 'condition' && (
        <Textarea
          key={`${node.id}-when`}
          label={t('condition')}
          name="when"
          autosize
          minRows={2}
          defaultValue={String(s.when ?? '')}
          onBlur={(e) => set('when', e.currentTarget.value)}
        />
      )}
      {node.type === 'action' && (
        <NativeSelect
          label={t('action')}
          value={String(s.action ?? 'notify')}
          onChange={(e) => set('action', e.currentTarget.value)}
          data={[...FLOW_ACTIONS]}
        />
      )}
      {node.type === 'end' && (
        <NativeSelect
          label={t('outcome')}
          name="outcome"
          value={String(s.outcome ?? 'approved')}
          onChange={(e) => set('outcome', e.currentTarget.value)}
          data={['approved', 'rejected']}
        />
      )}
      {(HANDLES[node.type] ?? []).length > 0 && (
        <Fieldset className="links" legend="Links">
          {(HANDLES[node.type] ?? []).map((handle) => {
            const targets = edges
              .filter((e) => e.source === node.id && e.handle === handle)
              .map((e) => e.target);
            const others = nodeIds.filter((id) => id !== node.id);
            return handle === 'branch' ? (
              <TextInput
                key={`${node.id}-${handle}-${targets.join(',')}`}
                label={`${handle} (comma-separated)`}
                aria-label={`link ${handle}`}
                defaultValue={targets.join(', ')}
                onBlur={(e) =>
                  onLink(
                    handle,
                    splitList(e.currentTarget.value).filter((id) => others.includes(id)),
                  )
                }
              />
            ) : (
              <NativeSelect
                key={handle}
                label={handle}
                aria-label={`link ${handle}`}
                value={targets[0] ?? ''}
                onChange={(e) => onLink(handle, e.currentTarget.value ? [e.currentTarget.value] : [])}
                data={[{ value: '', label: '—' }, ...others]}
              />
            );
          })}
        </Fieldset>
      )}
      {problems.length > 0 && (
        <ul className="node-problems">
          {problems.map((p) => (
            <li key={p} className="error">
              {p}
            </li>
          ))}
        </ul>
      )}
    </Stack>
  );
}
