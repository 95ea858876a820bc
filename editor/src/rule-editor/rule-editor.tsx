import { Button, Checkbox, Group, Modal, NativeSelect, Textarea, TextInput, Title } from '@mantine/core';
import {
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type Edge,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import { diffLines } from 'diff';
import { type DragEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type CompileResult, compileRuleSet } from '../../../rules/compile';
import { FLOW_TRIGGERS, type FlowDefinition } from '../../../rules/document';
import { ruleSetSchema } from '../../../rules/rule-set.schema';
import { call, client, messageOf, type RuleSetVersion } from '../api';
import { ErrorAlert, notifyDone } from '../feedback';
import { useT } from '../i18n';
import { DryRunPanel } from './dry-run-panel';
import {
  DEFAULT_SETTINGS,
  edgeId,
  type FlowGraph,
  flowToGraph,
  graphToNodes,
  type LinkHandle,
  type NodeType,
  nextNodeId,
  nodeOfProblem,
} from './flow-graph';
import { FlowNodeView, type FlowRfNode } from './flow-node-view';
import { Inspector } from './inspector';
import { layoutGraph } from './layout';
import {
  flowsOf,
  readRuleSet,
  withFlowField,
  withFlowNodes,
  withTopField,
  withValueAt,
} from './rule-document';
import { SchemaForm, type SchemaNode } from './schema-form';

const NODE_TYPES = { flowNode: FlowNodeView };
/**
 * Fitting a flow to the canvas never zooms in past 1 nor out past 0.75, where a node's 16 px title
 * is drawn at 12 px: a flow too large for the canvas at that zoom is shown in part, and the minimap
 * (from MINIMAP_FROM_NODES nodes) finds the rest. Zooming out further by hand stays possible.
 */
const LEGIBLE_FIT = { maxZoom: 1, minZoom: 0.75 };
const MINIMAP_FROM_NODES = 8;
const PALETTE: NodeType[] = ['start', 'condition', 'approval', 'parallel', 'join', 'action', 'end'];
/** A name typed for a new rule set or flow: stricter than the schema's `id`, it starts with a letter. */
const NEW_NAME = /^[a-z][a-z0-9-]*$/;
const DRAG_TYPE = 'application/x-assetflow-node';
/** The sections edited as forms (flows are the canvas). */
const SECTIONS = [
  'title',
  'description',
  'roles',
  'teams',
  'fields',
  'create',
  'store',
  'distribute',
  'use',
  'archive',
];
const SCHEMA = ruleSetSchema as unknown as { properties: Record<string, SchemaNode> };

/** `routeName` is the rule set named by the location hash (`#/rules/<name>`). */
export function RuleEditor({ routeName }: { routeName?: string }) {
  return (
    <ReactFlowProvider>
      <Editor routeName={routeName} />
    </ReactFlowProvider>
  );
}

/**
 * The visual rule editor. The YAML text is the single truth: the canvas shows one flow of it as
 * a graph and writes every change back through the YAML document model; the YAML pane edits the
 * same text; problems come from the same `compileRuleSet` the server runs, on every change.
 */
function Editor({ routeName }: { routeName?: string }) {
  const t = useT();
  const { screenToFlowPosition, fitView } = useReactFlow();
  const [names, setNames] = useState<string[]>([]);
  const [published, setPublished] = useState<RuleSetVersion | null>(null);
  const [history, setHistory] = useState<Array<{ version: number; createdAt: string }>>([]);
  const [source, setSource] = useState('');
  const [flow, setFlow] = useState('');
  const [newName, setNewName] = useState('');
  const [newFlow, setNewFlow] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [rfNodes, setRfNodes] = useState<FlowRfNode[]>([]);
  const [showDiff, setShowDiff] = useState(false);
  const [error, setError] = useState('');
  const [pathNodes, setPathNodes] = useState<string[]>([]);
  const [section, setSection] = useState<string | null>(null);
  /** A published version being looked at, against the text being edited. */
  const [older, setOlder] = useState<{ version: number; source: string } | null>(null);
  const lastGoodFlows = useRef<Record<string, FlowDefinition>>({});

  /** The list of rule sets and, when one is named, that rule set as last published. */
  const load = useCallback(async (name: string | undefined) => {
    const list = call(client.GET('/api/rule-sets')).then((r) => setNames(r.ruleSets.map((s) => s.name)));
    if (!name) return list;
    const r = await call(client.GET('/api/rule-sets/{name}', { params: { path: { name } } }));
    setPublished(r.latest);
    setHistory(r.versions);
    setSource(r.latest.source);
    setFlow(Object.keys(flowsOf(r.latest.source))[0] ?? '');
    setSelected(null);
    setRfNodes([]);
    await list;
  }, []);

  // The hash is the one source of which rule set is open: choosing or publishing one sets it.
  useEffect(() => {
    void load(routeName);
  }, [routeName, load]);

  /**
   * Opens a rule set by setting the hash. When the hash names it already (after "New rule set", or
   * publishing the open one) setting it would not fire, so it is reloaded here.
   */
  const show = async (name: string) => {
    if (name !== (routeName ?? ''))
      window.location.hash = name ? `#/rules/${encodeURIComponent(name)}` : '#/rules';
    else await load(name);
  };

  const compiled = useMemo<CompileResult>(
    () => (source ? compileRuleSet(source) : { problems: [] }),
    [source],
  );
  const { problems, plan } = compiled;
  const errors = problems.filter((p) => p.severity === 'error');
  const ruleSet = useMemo(() => readRuleSet(source).document, [source]);
  const flows = useMemo(() => {
    const parsed = (ruleSet?.flows ?? {}) as Record<string, FlowDefinition>;
    // While the text does not parse, the canvas keeps the flows it last could read.
    if (Object.keys(parsed).length > 0 || !source) lastGoodFlows.current = parsed;
    return lastGoodFlows.current;
  }, [ruleSet, source]);
  const graph: FlowGraph = useMemo(() => flowToGraph(flows[flow] ?? { nodes: {} }), [flows, flow]);
  const savedPositions = useRef<Record<string, { x: number; y: number }>>({});
  savedPositions.current =
    (ruleSet as { layout?: { flows?: Record<string, Record<string, { x: number; y: number }>> } } | undefined)
      ?.layout?.flows?.[flow] ?? {};
  const problemsByPointer = useMemo(() => {
    const byPointer: Record<string, string[]> = {};
    for (const p of problems) byPointer[p.path] = [...(byPointer[p.path] ?? []), p.message];
    return byPointer;
  }, [problems]);
  const nodeProblems = useMemo(() => {
    const byNode: Record<string, string[]> = {};
    for (const p of problems) {
      const node = nodeOfProblem(p.path, flow);
      // On the node itself its own path is noise: "is missing the required key "next"".
      if (node)
        byNode[node] = [
          ...(byNode[node] ?? []),
          p.message.replace(`/flows/${flow}/nodes/${node}`, '').trim(),
        ];
    }
    return byNode;
  }, [problems, flow]);

  // Canvas nodes follow the graph, keeping where people put them; new ones from YAML are laid out.
  const graphKey = JSON.stringify(graph.nodes) + JSON.stringify(nodeProblems);
  // biome-ignore lint/correctness/useExhaustiveDependencies: graphKey stands for graph and nodeProblems
  useEffect(() => {
    setRfNodes((previous) => {
      const laidOut = previous.length === 0 && graph.nodes.length > 1;
      const auto = laidOut ? layoutGraph(graph) : {};
      // Where the author put the nodes (the rule set's `layout`) wins over the automatic layout.
      const saved = savedPositions.current;
      // A flow opened from YAML is laid out and fitted once; drawing never moves the view.
      if (laidOut) setTimeout(() => void fitView(LEGIBLE_FIT), 50);
      return graph.nodes.map((node) => {
        const old = previous.find((p) => p.id === node.id);
        return {
          ...(old ?? {}),
          id: node.id,
          type: 'flowNode' as const,
          position: old?.position ?? saved[node.id] ?? auto[node.id] ?? { x: 80, y: 80 },
          data: { node, problems: nodeProblems[node.id] ?? [], onPath: pathNodes.includes(node.id) },
          selected: node.id === selected,
        };
      });
    });
  }, [graphKey, selected, pathNodes]);

  const applyGraph = (next: FlowGraph) =>
    setSource((current) => withFlowNodes(current, flow, graphToNodes(next)));

  const onNodesChange = (changes: NodeChange<FlowRfNode>[]) => {
    setRfNodes((nodes) => applyNodeChanges(changes, nodes));
    // A node dropped where the author wants it: kept in the rule set's `layout` (no behaviour).
    for (const change of changes)
      if (change.type === 'position' && change.dragging === false && change.position)
        setSource((current) =>
          withValueAt(current, ['layout', 'flows', flow, change.id], {
            x: Math.round(change.position!.x),
            y: Math.round(change.position!.y),
          }),
        );
    const removed = changes.filter((c) => c.type === 'remove').map((c) => c.id);
    if (removed.length > 0) {
      applyGraph({
        nodes: graph.nodes.filter((n) => !removed.includes(n.id)),
        edges: graph.edges.filter((e) => !removed.includes(e.source) && !removed.includes(e.target)),
      });
    }
    for (const change of changes) if (change.type === 'select' && change.selected) setSelected(change.id);
  };
  const onEdgesChange = (changes: EdgeChange[]) => {
    const removed = changes.filter((c) => c.type === 'remove').map((c) => c.id);
    if (removed.length > 0)
      applyGraph({ ...graph, edges: graph.edges.filter((e) => !removed.includes(e.id)) });
  };
  /** Sets the targets of one handle of a node, replacing the edges it had. */
  const setLinks = (from: string, handle: LinkHandle, targets: string[]) => {
    const kept = graph.edges.filter((e) => !(e.source === from && e.handle === handle));
    const added = targets.map((target) => ({
      id: edgeId(from, handle, target),
      source: from,
      target,
      handle,
    }));
    applyGraph({ ...graph, edges: [...kept, ...added] });
  };
  const onConnect = (connection: Connection) => {
    const handle = (connection.sourceHandle ?? 'next') as LinkHandle;
    const { source: from, target: to } = connection;
    if (!from || !to || from === to) return;
    // One edge per handle, except a parallel split's branches, which gain one.
    const branches =
      handle === 'branch'
        ? graph.edges.filter((e) => e.source === from && e.handle === handle).map((e) => e.target)
        : [];
    setLinks(from, handle, [...branches, to]);
  };
  const addNode = (type: NodeType, position: { x: number; y: number }) => {
    const id = nextNodeId(
      type,
      graph.nodes.map((n) => n.id),
    );
    setRfNodes((nodes) => [
      ...nodes,
      {
        id,
        type: 'flowNode',
        position,
        data: { node: { id, type, settings: DEFAULT_SETTINGS[type] }, problems: [], onPath: false },
      },
    ]);
    applyGraph({ ...graph, nodes: [...graph.nodes, { id, type, settings: { ...DEFAULT_SETTINGS[type] } }] });
    setSource((current) =>
      withValueAt(current, ['layout', 'flows', flow, id], {
        x: Math.round(position.x),
        y: Math.round(position.y),
      }),
    );
    setSelected(id);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const type = event.dataTransfer.getData(DRAG_TYPE) as NodeType;
    if (!PALETTE.includes(type)) return;
    addNode(type, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
  };

  const edges: Edge[] = graph.edges.map((e) => {
    // The dry run's path: both ends visited.
    const onPath = pathNodes.includes(e.source) && pathNodes.includes(e.target);
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      sourceHandle: e.handle,
      label: e.handle,
      animated: onPath,
      className: onPath ? 'on-path' : '',
    };
  });
  const selectedNode = graph.nodes.find((n) => n.id === selected);

  const publish = async () => {
    setError('');
    try {
      // The document takes the YAML as text or as JSON `{ source }`; JSON keeps openapi-fetch's serializer.
      const r = await call(client.POST('/api/rule-sets', { body: { source } }));
      notifyDone(`${t('published')} ${r.version}`);
      setShowDiff(false);
      // Reloads the rule set and the list, so a new name appears in it.
      await show(r.name);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const startNew = async () => {
    const template = await call(
      client.GET('/api/rule-sets/{name}', { params: { path: { name: 'default' } } }),
    );
    const base = withTopField(template.latest.source, 'name', newName);
    setPublished(null);
    setHistory([]);
    setSource(base);
    setFlow('');
    setRfNodes([]);
  };

  return (
    <div className="rule-editor">
      <Group className="toolbar" gap="xs" align="flex-end">
        <NativeSelect
          label={t('ruleSet')}
          value={published?.name ?? ''}
          onChange={(e) => void show(e.currentTarget.value)}
          data={[{ value: '', label: '—' }, ...names]}
        />
        <TextInput
          placeholder={t('name')}
          aria-label={t('newRuleSet')}
          value={newName}
          onChange={(e) => setNewName(e.currentTarget.value)}
        />
        <Button variant="default" disabled={!NEW_NAME.test(newName)} onClick={() => void startNew()}>
          {t('newRuleSet')}
        </Button>
        <NativeSelect
          label={t('flow')}
          value={flow}
          onChange={(e) => setFlow(e.currentTarget.value)}
          data={Object.keys(flows)}
        />
        <TextInput
          placeholder={t('flow')}
          aria-label={t('addFlow')}
          value={newFlow}
          onChange={(e) => setNewFlow(e.currentTarget.value)}
        />
        <Button
          variant="default"
          disabled={!source || !NEW_NAME.test(newFlow)}
          onClick={() => {
            setSource(withFlowNodes(source, newFlow, {}));
            setFlow(newFlow);
            setNewFlow('');
            setRfNodes([]);
          }}
        >
          {t('addFlow')}
        </Button>
        {flow && (
          <NativeSelect
            label={t('trigger')}
            value={String(flows[flow]?.trigger ?? '')}
            onChange={(e) => setSource(withFlowField(source, flow, 'trigger', e.currentTarget.value))}
            data={[...FLOW_TRIGGERS]}
          />
        )}
        {flow &&
          (['requesterMayApprove', 'reviewerMayApproveTwice'] as const).map((duty) => (
            <Checkbox
              key={duty}
              label={t(duty)}
              checked={flows[flow]?.separationOfDuties?.[duty] === true}
              onChange={(e) =>
                setSource(
                  withValueAt(
                    source,
                    ['flows', flow, 'separationOfDuties', duty],
                    e.currentTarget.checked ? true : undefined,
                  ),
                )
              }
            />
          ))}
        <NativeSelect
          label="Section"
          value={section ?? 'flows'}
          disabled={!source}
          onChange={(e) => setSection(e.currentTarget.value === 'flows' ? null : e.currentTarget.value)}
          data={[{ value: 'flows', label: 'flows (canvas)' }, ...SECTIONS]}
        />
        <span className="spacer" />
        <Button
          disabled={!source || errors.length > 0 || source === published?.source}
          onClick={() => setShowDiff(true)}
        >
          {t('publish')}
        </Button>
      </Group>
      <ErrorAlert message={error} />
      {older && (
        <DiffDialog
          title={
            <>
              v{older.version} → {t('ruleSet')} ({published?.name})
            </>
          }
          before={older.source}
          after={source}
          onClose={() => setOlder(null)}
        />
      )}
      {showDiff && (
        <DiffDialog
          title={t('changes')}
          before={published?.source ?? ''}
          after={source}
          onClose={() => setShowDiff(false)}
        >
          <Button onClick={() => void publish()}>{t('publish')}</Button>
        </DiffDialog>
      )}
      <div className="editor-body">
        <aside className="palette" aria-label={t('palette')}>
          <Title order={3}>{t('palette')}</Title>
          {PALETTE.map((type) => (
            <button
              type="button"
              key={type}
              draggable
              disabled={!flow}
              data-testid={`palette-${type}`}
              onDragStart={(e) => {
                e.dataTransfer.setData(DRAG_TYPE, type);
                e.dataTransfer.effectAllowed = 'move';
              }}
              // Keyboard: Enter adds the node below the others.
              onClick={() =>
                addNode(type, { x: 80 + graph.nodes.length * 24, y: 60 + graph.nodes.length * 90 })
              }
            >
              {type}
            </button>
          ))}
          {history.length > 0 && (
            <>
              <Title order={3}>{t('history')}</Title>
              <ol className="history">
                {history.map((v) => (
                  <li key={v.version}>
                    <Button
                      variant="subtle"
                      size="compact-sm"
                      onClick={async () => {
                        const old = await call(
                          client.GET('/api/rule-sets/{name}/versions/{version}', {
                            params: { path: { name: published?.name ?? '', version: v.version } },
                          }),
                        );
                        setOlder({ version: v.version, source: old.source });
                      }}
                    >
                      v{v.version} · {new Date(v.createdAt).toLocaleDateString()}
                    </Button>
                  </li>
                ))}
              </ol>
            </>
          )}
        </aside>
        {section && (
          <section className="section-form" aria-label={`section ${section}`} data-testid="section-form">
            <Title order={3}>{section}</Title>
            <SchemaForm
              schema={SCHEMA.properties[section] ?? {}}
              value={(ruleSet as Record<string, unknown> | undefined)?.[section]}
              path={[section]}
              onChange={(at, value) => setSource((current) => withValueAt(current, at, value))}
              problems={problemsByPointer}
            />
          </section>
        )}
        <div
          hidden={section !== null}
          className="canvas"
          role="application"
          aria-label="flow canvas"
          onDragOver={(e) => e.preventDefault()}
          onDrop={onDrop}
          data-testid="canvas"
        >
          <ReactFlow
            nodes={rfNodes}
            edges={edges}
            nodeTypes={NODE_TYPES}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            deleteKeyCode={['Delete', 'Backspace']}
            defaultViewport={{ x: 0, y: 0, zoom: 1 }}
            maxZoom={1.5}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls fitViewOptions={LEGIBLE_FIT} />
            {rfNodes.length >= MINIMAP_FROM_NODES && (
              <MiniMap pannable zoomable ariaLabel={t('flowOverview')} nodeStrokeWidth={3} />
            )}
          </ReactFlow>
        </div>
        <aside className="side">
          <DryRunPanel
            key={`${published?.name ?? ''}/${flow}`}
            plan={plan}
            flow={flow}
            trigger={flows[flow]?.trigger}
            onPath={setPathNodes}
          />
          <Inspector
            nodeIds={graph.nodes.map((n) => n.id)}
            edges={graph.edges}
            onLink={(handle, targets) => {
              if (selectedNode) setLinks(selectedNode.id, handle, targets);
            }}
            node={selectedNode}
            problems={selectedNode ? (nodeProblems[selectedNode.id] ?? []) : []}
            onChange={(settings) =>
              applyGraph({
                ...graph,
                nodes: graph.nodes.map((n) => (n.id === selectedNode?.id ? { ...n, settings } : n)),
              })
            }
          />
        </aside>
      </div>
      <div className="editor-bottom">
        <section className="problems" aria-label={t('problems')}>
          <Title order={3}>
            {t('problems')} ({errors.length})
          </Title>
          {problems.length === 0 && <p>{t('noProblems')}</p>}
          <ul data-testid="problems">
            {problems.map((p) => (
              <li key={`${p.path}|${p.code}|${p.message}`} className={p.severity}>
                {p.line ? `${p.line}:${p.column} ` : ''}
                <code>{p.path}</code> {p.message}
              </li>
            ))}
          </ul>
        </section>
        <section className="yaml-pane">
          <Title order={3}>YAML</Title>
          <Textarea
            aria-label="YAML"
            data-testid="yaml"
            spellCheck={false}
            value={source}
            onChange={(e) => setSource(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
        </section>
      </div>
    </div>
  );
}

/** Two texts' line diff in a dialog named by its title; `children` are its actions, above the diff. */
function DiffDialog({
  title,
  before,
  after,
  onClose,
  children,
}: {
  title: ReactNode;
  before: string;
  after: string;
  onClose(): void;
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <Modal
      opened
      onClose={onClose}
      title={title}
      size="xl"
      className="diff"
      closeButtonProps={{ 'aria-label': t('close') }}
    >
      {children && <Group mb="sm">{children}</Group>}
      <pre>
        {diffText(before, after).map((line) => (
          <span key={line.key} className={line.kind}>
            {line.text}
          </span>
        ))}
      </pre>
    </Modal>
  );
}

/** A line diff as lines marked added, removed or the same, each with a stable key. */
function diffText(
  before: string,
  after: string,
): Array<{ key: string; kind: 'added' | 'removed' | 'same'; text: string }> {
  const lines: Array<{ key: string; kind: 'added' | 'removed' | 'same'; text: string }> = [];
  let oldLine = 0;
  let newLine = 0;
  for (const part of diffLines(before, after)) {
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    const texts = part.value.split('\n');
    if (texts.at(-1) === '') texts.pop();
    for (const text of texts) {
      if (kind !== 'added') oldLine += 1;
      if (kind !== 'removed') newLine += 1;
      lines.push({
        key: `${oldLine}:${newLine}:${kind}`,
        kind,
        text: `${kind === 'added' ? '+ ' : kind === 'removed' ? '- ' : '  '}${text}\n`,
      });
    }
  }
  return lines;
}
