import { isMap, parseDocument } from 'yaml';
import type { FlowDefinition, FlowNode, RuleSetDocument } from '../../../rules/document';

/**
 * Edits of the rule set's YAML text made through the `yaml` library's document model, so keys,
 * order and the comments outside the edited flow's nodes survive every change the canvas makes.
 */

export function readRuleSet(source: string): { document?: Partial<RuleSetDocument>; error?: string } {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return { error: doc.errors[0]!.message };
  const value = doc.toJS() as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { error: 'a rule set is a YAML mapping' };
  return { document: value as Partial<RuleSetDocument> };
}

export function flowsOf(source: string): Record<string, FlowDefinition> {
  return (readRuleSet(source).document?.flows ?? {}) as Record<string, FlowDefinition>;
}

/** Replaces the nodes of one flow (creating the flow, and `flows`, if needed). */
export function withFlowNodes(source: string, flow: string, nodes: Record<string, FlowNode>): string {
  const doc = parseDocument(source);
  if (!isMap(doc.get('flows'))) doc.set('flows', doc.createNode({}));
  if (!doc.hasIn(['flows', flow]))
    doc.setIn(['flows', flow], doc.createNode({ trigger: 'download-request' }));
  doc.setIn(['flows', flow, 'nodes'], doc.createNode(nodes));
  return doc.toString();
}

/** Sets one field of a flow (`trigger`, `when`, `label`); undefined removes it. */
export function withFlowField(source: string, flow: string, key: string, value: unknown): string {
  const doc = parseDocument(source);
  if (value === undefined) doc.deleteIn(['flows', flow, key]);
  else doc.setIn(['flows', flow, key], doc.createNode(value));
  return doc.toString();
}

/** Sets a top-level field (the rule set's `name` when starting from a template). */
export function withTopField(source: string, key: string, value: unknown): string {
  const doc = parseDocument(source);
  doc.set(key, doc.createNode(value));
  return doc.toString();
}

/** Sets any part of the document by path; undefined removes it. */
export function withValueAt(source: string, path: (string | number)[], value: unknown): string {
  const doc = parseDocument(source);
  if (value === undefined) doc.deleteIn(path);
  else doc.setIn(path, doc.createNode(value));
  return doc.toString();
}
