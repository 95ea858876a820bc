import type { FlowDefinition, FlowNode } from '../../../rules/document';
import { fromPointer } from '../../../rules/problems';

/**
 * A flow as a graph, and back. Pure: the canvas shows the graph, the YAML holds the flow, and
 * `graphToFlow(flowToGraph(flow))` equals `flow` (the round-trip test checks every shipped flow).
 *
 * Links between nodes are fields of the YAML nodes (`next`, `then`/`else`, `approved`/`rejected`,
 * a parallel split's `branches` and `join`); on the canvas each is an edge leaving the handle of
 * that name. Everything else about a node is its settings.
 */

export type NodeType = FlowNode['type'];
export type LinkHandle = 'next' | 'then' | 'else' | 'approved' | 'rejected' | 'branch' | 'join';

export interface GraphNode {
  id: string;
  type: NodeType;
  /** The node's fields other than links (reviewers, quorum, when, outcome…). */
  settings: Record<string, unknown>;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  handle: LinkHandle;
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The handles each node type has, in the order they are written. */
export const HANDLES: Record<NodeType, LinkHandle[]> = {
  start: ['next'],
  condition: ['then', 'else'],
  approval: ['approved', 'rejected'],
  parallel: ['branch', 'join'],
  join: ['next'],
  action: ['next'],
  end: [],
};

/** Field order of each node type in YAML: type, settings, then links. */
const SETTINGS_ORDER: Record<NodeType, string[]> = {
  start: [],
  condition: ['when'],
  approval: ['label', 'reviewers', 'quorum', 'timeout'],
  parallel: [],
  join: [],
  action: ['action', 'params'],
  end: ['outcome'],
};

/** What a node of each type starts with when dropped on the canvas. */
export const DEFAULT_SETTINGS: Record<NodeType, Record<string, unknown>> = {
  start: {},
  condition: { when: 'true' },
  approval: { reviewers: {} },
  parallel: {},
  join: {},
  action: { action: 'notify' },
  end: { outcome: 'approved' },
};

const LINK_FIELDS = new Set(['next', 'then', 'else', 'approved', 'rejected', 'branches', 'join']);

export function edgeId(source: string, handle: LinkHandle, target: string): string {
  return `${source}:${handle}->${target}`;
}

export function flowToGraph(flow: Pick<FlowDefinition, 'nodes'>): FlowGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const [id, node] of Object.entries(flow.nodes ?? {})) {
    const fields = node as unknown as Record<string, unknown>;
    const settings = Object.fromEntries(
      Object.entries(fields).filter(([key]) => key !== 'type' && !LINK_FIELDS.has(key)),
    );
    nodes.push({ id, type: node.type, settings });
    const link = (handle: LinkHandle, target: unknown) => {
      if (typeof target === 'string' && target !== '')
        edges.push({ id: edgeId(id, handle, target), source: id, target, handle });
    };
    if (node.type === 'parallel') {
      for (const branch of node.branches ?? []) link('branch', branch);
      link('join', node.join);
    } else {
      for (const handle of HANDLES[node.type] ?? []) link(handle, fields[handle]);
    }
  }
  return { nodes, edges };
}

/**
 * The YAML nodes of a graph. A handle with no edge leaves its field out, and the rule-set
 * checks report it on the node, which is how the canvas shows an unconnected step.
 */
export function graphToNodes(graph: FlowGraph): Record<string, FlowNode> {
  const nodes: Record<string, FlowNode> = {};
  for (const node of graph.nodes) {
    const out: Record<string, unknown> = { type: node.type };
    const order = SETTINGS_ORDER[node.type] ?? [];
    for (const key of order) if (node.settings[key] !== undefined) out[key] = node.settings[key];
    for (const [key, value] of Object.entries(node.settings))
      if (!(key in out) && value !== undefined) out[key] = value;
    const from = (handle: LinkHandle) =>
      graph.edges.filter((e) => e.source === node.id && e.handle === handle);
    if (node.type === 'parallel') {
      out.branches = from('branch').map((e) => e.target);
      const join = from('join')[0];
      if (join) out.join = join.target;
    } else {
      for (const handle of HANDLES[node.type] ?? []) {
        const edge = from(handle)[0];
        if (edge) out[handle] = edge.target;
      }
    }
    nodes[node.id] = out as unknown as FlowNode;
  }
  return nodes;
}

/** A fresh id for a node of `type`: `approval-1`, `approval-2`, … */
export function nextNodeId(type: NodeType, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) {
    const id = `${type}-${n}`;
    if (!used.has(id)) return id;
  }
}

/** The node a problem's JSON pointer is about (`/flows/<flow>/nodes/<node>/…`), if any. */
export function nodeOfProblem(path: string, flow: string): string | undefined {
  const [top, name, nodes, node] = fromPointer(path);
  return top === 'flows' && name === flow && nodes === 'nodes' ? node : undefined;
}
