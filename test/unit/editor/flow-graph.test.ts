import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  flowToGraph,
  graphToNodes,
  nextNodeId,
  nodeOfProblem,
} from '../../../editor/src/rule-editor/flow-graph';
import { flowsOf, withFlowNodes } from '../../../editor/src/rule-editor/rule-document';
import type { FlowDefinition } from '../../../rules/document';

const examples = ['automotive', 'ecommerce', 'luxury', 'default'].map((name) =>
  readFileSync(path.join(__dirname, '..', '..', '..', 'rules', 'examples', `${name}.yaml`), 'utf8'),
);

describe('flow ⇄ graph', () => {
  it('round-trips every flow of the shipped rule sets without losing a node, a link or a setting', () => {
    let flows = 0;
    for (const source of examples) {
      for (const flow of Object.values(flowsOf(source))) {
        expect(graphToNodes(flowToGraph(flow))).toEqual(flow.nodes);
        flows += 1;
      }
    }
    expect(flows).toBeGreaterThanOrEqual(4);
  });

  it('rewrites one flow in the YAML and keeps the comments and the rest of the document', () => {
    const luxury = examples[2]!;
    const flow = flowsOf(luxury)['hi-res-download'] as FlowDefinition;
    const graph = flowToGraph(flow);
    const rewritten = withFlowNodes(luxury, 'hi-res-download', graphToNodes(graph));
    expect(parse(rewritten)).toEqual(parse(luxury));
    const comments = (text: string) => text.split('\n').filter((l) => l.trim().startsWith('#'));
    expect(comments(rewritten)).toEqual(comments(luxury));
  });

  it('leaves an unconnected handle out, so the rule-set checks report it on its node', () => {
    const nodes = graphToNodes({
      nodes: [
        { id: 'start-1', type: 'start', settings: {} },
        { id: 'approval-1', type: 'approval', settings: { reviewers: { roles: ['editor'] } } },
      ],
      edges: [{ id: 'e', source: 'start-1', target: 'approval-1', handle: 'next' }],
    });
    expect(nodes).toEqual({
      'start-1': { type: 'start', next: 'approval-1' },
      'approval-1': { type: 'approval', reviewers: { roles: ['editor'] } },
    });
  });

  it('names new nodes and finds the node a problem is about', () => {
    expect(nextNodeId('approval', ['approval-1', 'start-1'])).toBe('approval-2');
    expect(nodeOfProblem('/flows/hi-res/nodes/approval-2/reviewers', 'hi-res')).toBe('approval-2');
    expect(nodeOfProblem('/flows/other/nodes/approval-2', 'hi-res')).toBeUndefined();
  });
});
