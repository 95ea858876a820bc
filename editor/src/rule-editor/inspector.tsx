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
    <form className="inspector" aria-label={t('inspector')} onSubmit={(e) => e.preventDefault()}>
      <h3>
        {node.type} <code>{node.id}</code>
      </h3>
      {node.type === 'approval' && (
        <>
          {REVIEWER_FIELDS.map(({ key, label }) => (
            <label key={label}>
              {t(label)}
              <input
                name={key}
                defaultValue={(reviewers[key] ?? []).join(', ')}
                key={`${node.id}-${key}`}
                onBlur={(e) => {
                  const values = splitList(e.target.value);
                  const { [key]: _old, ...rest } = reviewers;
                  set('reviewers', values.length > 0 ? { ...rest, [key]: values } : rest);
                }}
              />
            </label>
          ))}
          <label>
            {t('quorum')}
            <select
              value={String(s.quorum ?? '')}
              onChange={(e) => set('quorum', e.target.value || undefined)}
            >
              <option value="">—</option>
              {QUORUMS.map((q) => (
                <option key={q}>{q}</option>
              ))}
            </select>
          </label>
          <label>
            Timeout (ISO 8601, e.g. P2D)
            <input
              name="timeout"
              defaultValue={timeout?.after ?? ''}
              key={`${node.id}-timeout`}
              onBlur={(e) =>
                set(
                  'timeout',
                  e.target.value ? { after: e.target.value, action: timeout?.action ?? 'reject' } : undefined,
                )
              }
            />
          </label>
        </>
      )}
      {node.type === 'condition' && (
        <label>
          {t('condition')}
          <textarea
            name="when"
            defaultValue={String(s.when ?? '')}
            key={`${node.id}-when`}
            onBlur={(e) => set('when', e.target.value)}
          />
        </label>
      )}
      {node.type === 'action' && (
        <label>
          {t('action')}
          <select value={String(s.action ?? 'notify')} onChange={(e) => set('action', e.target.value)}>
            {FLOW_ACTIONS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
      )}
      {node.type === 'end' && (
        <label>
          {t('outcome')}
          <select
            name="outcome"
            value={String(s.outcome ?? 'approved')}
            onChange={(e) => set('outcome', e.target.value)}
          >
            <option>approved</option>
            <option>rejected</option>
          </select>
        </label>
      )}
      {(HANDLES[node.type] ?? []).length > 0 && (
        <fieldset className="links">
          <legend>Links</legend>
          {(HANDLES[node.type] ?? []).map((handle) => {
            const targets = edges
              .filter((e) => e.source === node.id && e.handle === handle)
              .map((e) => e.target);
            const others = nodeIds.filter((id) => id !== node.id);
            return handle === 'branch' ? (
              <label key={handle}>
                {handle} (comma-separated)
                <input
                  aria-label={`link ${handle}`}
                  defaultValue={targets.join(', ')}
                  key={`${node.id}-${handle}-${targets.join(',')}`}
                  onBlur={(e) =>
                    onLink(
                      handle,
                      splitList(e.target.value).filter((id) => others.includes(id)),
                    )
                  }
                />
              </label>
            ) : (
              <label key={handle}>
                {handle}
                <select
                  aria-label={`link ${handle}`}
                  value={targets[0] ?? ''}
                  onChange={(e) => onLink(handle, e.target.value ? [e.target.value] : [])}
                >
                  <option value="">—</option>
                  {others.map((id) => (
                    <option key={id}>{id}</option>
                  ))}
                </select>
              </label>
            );
          })}
        </fieldset>
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
    </form>
  );
}
