import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { type GraphNode, HANDLES } from './flow-graph';

type FlowNodeData = { node: GraphNode; problems: string[]; onPath: boolean };
export type FlowRfNode = Node<FlowNodeData, 'flowNode'>;

/** One step on the canvas: its type, id, a summary of its settings, its problems and its handles. */
export function FlowNodeView({ data, selected }: NodeProps<FlowRfNode>) {
  const { node, problems, onPath } = data;
  const handles = HANDLES[node.type] ?? [];
  return (
    <div
      className={`fnode fnode-${node.type}${problems.length > 0 ? ' has-problems' : ''}${selected ? ' selected' : ''}${onPath ? ' on-path' : ''}`}
      data-testid={`node-${node.id}`}
    >
      {node.type !== 'start' && (
        <Handle type="target" position={Position.Top} data-testid={`target-${node.id}`} />
      )}
      <div className="fnode-type">{node.type}</div>
      <div className="fnode-id">{node.id}</div>
      <div className="fnode-summary">{summaryOf(node)}</div>
      {problems.length > 0 && (
        <div className="fnode-problem" role="alert">
          {problems[0]}
        </div>
      )}
      {handles.map((handle, i) => (
        <Handle
          key={handle}
          id={handle}
          type="source"
          position={Position.Bottom}
          style={{ left: `${((i + 1) / (handles.length + 1)) * 100}%` }}
          data-testid={`handle-${node.id}-${handle}`}
        >
          <span className="handle-label">{handle}</span>
        </Handle>
      ))}
    </div>
  );
}

function summaryOf(node: GraphNode): string {
  const s = node.settings;
  switch (node.type) {
    case 'approval': {
      const reviewers = (s.reviewers ?? {}) as { roles?: string[]; users?: string[] };
      return [...(reviewers.roles ?? []), ...(reviewers.users ?? [])].join(', ') || '—';
    }
    case 'condition':
      return String(s.when ?? '');
    case 'action':
      return String(s.action ?? '');
    case 'end':
      return String(s.outcome ?? '');
    default:
      return '';
  }
}
