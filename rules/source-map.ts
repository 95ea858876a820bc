import {
  type Document,
  isMap,
  isPair,
  isScalar,
  LineCounter,
  type Node,
  type ParsedNode,
  parseDocument,
  visit,
} from 'yaml';
import type { RuleProblem } from './problems';

export interface Position {
  line: number;
  column: number;
}

/**
 * The parsed YAML document with positions, so problems found later (schema, semantics, CEL) can be
 * reported at the line and column of the value they concern.
 */
export interface ParsedRuleSource {
  value: unknown;
  /** Problems of the YAML itself; when there are errors, `value` is undefined. */
  problems: RuleProblem[];
  /** Line and column of the node at `path`, or of its nearest existing ancestor. */
  locate(path: readonly (string | number)[]): Position | undefined;
  /** Line and column of the key `key` inside the mapping at `path` (for "unknown key" problems). */
  locateKey(path: readonly (string | number)[], key: string): Position | undefined;
  /** Position of character `offset` inside the scalar string at `path` (for CEL errors). */
  locateInScalar(path: readonly (string | number)[], offset: number): Position | undefined;
}

/**
 * Limits that keep a hostile document from exhausting the parser. Real rule sets are a few KB and
 * a few hundred nodes (the largest shipped example: about 6 KB, 600 nodes); every later stage —
 * schema, semantic checks, CEL type checks — is then bounded by these.
 */
export const RULE_SET_LIMITS = { characters: 64 * 1024, nodes: 10_000, aliases: 50 };

export function parseRuleSource(source: string, file?: string): ParsedRuleSource {
  const lineCounter = new LineCounter();
  const tooLarge = source.length > RULE_SET_LIMITS.characters;
  // yaml's own `uniqueKeys` compares each key with every earlier one (quadratic); duplicates are
  // found below with one set per mapping instead.
  const doc: Document.Parsed = parseDocument(tooLarge ? '' : source, {
    lineCounter,
    uniqueKeys: false,
    prettyErrors: false,
  });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: RuleProblem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    code: 'YAML_SYNTAX' as const,
    message: e.message.split('\n')[0] ?? e.message,
    path: '',
    ...at(e.pos[0]),
    ...(file ? { file } : {}),
    severity: doc.errors.includes(e) ? ('error' as const) : ('warning' as const),
  }));
  const error = (code: RuleProblem['code'], message: string, offset: number) =>
    problems.push({ code, message, path: '', ...at(offset), ...(file ? { file } : {}), severity: 'error' });
  if (tooLarge)
    error(
      'TOO_LARGE',
      `the rule set has ${source.length} characters; at most ${RULE_SET_LIMITS.characters} are allowed`,
      0,
    );
  let nodes = 0;
  visit(doc, {
    Node() {
      if (++nodes > RULE_SET_LIMITS.nodes) {
        error('TOO_LARGE', `the rule set has more than ${RULE_SET_LIMITS.nodes} YAML nodes`, 0);
        return visit.BREAK;
      }
      return undefined;
    },
    Map(_, map) {
      const keys = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (keys.has(key)) error('YAML_SYNTAX', 'Map keys must be unique', pair.key.range?.[0] ?? 0);
        keys.add(key);
      }
    },
  });

  let value: unknown;
  if (!problems.some((p) => p.severity === 'error')) {
    try {
      value = doc.toJS({ maxAliasCount: RULE_SET_LIMITS.aliases });
    } catch (error) {
      problems.push({
        code: 'YAML_SYNTAX',
        message: (error as Error).message,
        path: '',
        line: 1,
        column: 1,
        severity: 'error',
        ...(file ? { file } : {}),
      });
    }
  }

  const nodeAt = (path: readonly (string | number)[]): Node | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node =
        path.length === 0 || depth === 0
          ? doc.contents
          : (doc.getIn(path.slice(0, depth), true) as Node | undefined);
      if (node && (node as ParsedNode).range) return node;
    }
    return undefined;
  };

  return {
    value,
    problems,
    locate(path) {
      const node = nodeAt(path) as ParsedNode | undefined;
      return node?.range ? at(node.range[0]) : undefined;
    },
    locateKey(path, key) {
      const node = nodeAt(path);
      if (isMap(node)) {
        for (const pair of node.items) {
          if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range)
            return at(pair.key.range[0]);
        }
      }
      return (node as ParsedNode | undefined)?.range ? at((node as ParsedNode).range[0]) : undefined;
    },
    locateInScalar(path, offset) {
      const node = doc.getIn(path, true) as ParsedNode | undefined;
      if (!isScalar(node) || !node.range) return this.locate(path);
      // Quoted scalars start one character before their text; block scalars (| >) a line later.
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
      if (block) return at(node.range[0]);
      return at(node.range[0] + (quoted ? 1 : 0) + offset);
    },
  };
}
