import { checkCondition, type FieldDeclarations } from './conditions';
import type { FlowDefinition, FlowNode, RuleSetDocument } from './document';
import { compilePattern } from './metadata';
import { BUILT_IN_PLACEHOLDERS, parseNamingTemplate } from './naming';
import type { RuleProblem, RuleProblemCode } from './problems';
import { toPointer } from './problems';
import type { ParsedRuleSource } from './source-map';

type Path = (string | number)[];

/**
 * What the schema cannot say: references between parts of the document, the shape of approval
 * graphs, and the types inside conditions. Runs on a document that passed the schema, and
 * reports every problem it finds.
 */
export function semanticProblems(
  doc: RuleSetDocument,
  source: ParsedRuleSource,
  file?: string,
): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const report = (code: RuleProblemCode, path: Path, message: string, offsetInScalar?: number) => {
    const position =
      offsetInScalar === undefined ? source.locate(path) : source.locateInScalar(path, offsetInScalar);
    problems.push({
      code,
      message,
      path: toPointer(path),
      ...position,
      ...(file ? { file } : {}),
      severity: 'error',
    });
  };

  const declaredFields = doc.fields ?? {};
  const fields: FieldDeclarations = declaredFields;
  const roles = new Set(doc.roles ?? []);
  const teams = new Set(doc.teams ?? []);
  const renditions = new Set(Object.keys(doc.distribute?.renditions ?? {}));
  const flows = doc.flows ?? {};

  const condition = (path: Path, expression: string | undefined) => {
    if (expression === undefined) return;
    const checked = checkCondition(fields, expression);
    if (!checked.ok) {
      const unknown = /^(?:No such key|Unknown variable): (\S+)/.exec(checked.message);
      if (unknown) {
        report(
          'UNKNOWN_FIELD',
          path,
          `condition "${expression}" uses "${unknown[1]}", which is not declared (declare metadata fields under fields; asset.*, request.* and now are built in)`,
          checked.offset,
        );
      } else {
        report(
          checked.kind === 'syntax' ? 'CONDITION_SYNTAX' : 'CONDITION_TYPE',
          path,
          `condition "${expression}": ${checked.message}`,
          checked.offset,
        );
      }
    }
  };
  const knownRoles = (path: Path, list: string[] | undefined) =>
    list?.forEach((role, i) => {
      if (!roles.has(role))
        report(
          'UNKNOWN_ROLE',
          [...path, i],
          `role "${role}" is not declared in roles: [${[...roles].join(', ')}]`,
        );
    });
  const knownTeams = (path: Path, list: string[] | undefined) =>
    list?.forEach((team, i) => {
      if (!teams.has(team))
        report(
          'UNKNOWN_TEAM',
          [...path, i],
          `team "${team}" is not declared in teams: [${[...teams].join(', ')}]`,
        );
    });
  const knownRenditions = (path: Path, list: string[] | undefined) =>
    list?.forEach((name, i) => {
      if (!renditions.has(name))
        report(
          'UNKNOWN_RENDITION',
          [...path, i],
          `rendition "${name}" is not defined under distribute.renditions`,
        );
    });

  // Fields
  for (const [name, field] of Object.entries(declaredFields)) {
    const path = ['fields', name];
    if (field.type === 'enum' && !field.values)
      report('FIELD_DEFINITION', path, `enum field "${name}" needs values`);
    if (field.values && field.type !== 'enum' && field.type !== 'list')
      report('FIELD_DEFINITION', [...path, 'values'], `only enum and list fields take values`);
    if (field.min !== undefined && field.max !== undefined && field.min > field.max)
      report('FIELD_DEFINITION', [...path, 'min'], `min ${field.min} is above max ${field.max}`);
    if (field.pattern !== undefined) {
      try {
        compilePattern(field.pattern);
      } catch (error) {
        report(
          'FIELD_DEFINITION',
          [...path, 'pattern'],
          `pattern is not a valid RE2 regular expression (no lookaround or backreferences): ${(error as Error).message}`,
        );
      }
    }
  }

  // Create
  const naming = doc.create?.naming;
  if (naming) {
    const parsed = parseNamingTemplate(naming.template);
    if (parsed.error)
      report('NAMING_TEMPLATE', ['create', 'naming', 'template'], parsed.error.message, parsed.error.offset);
    for (const token of parsed.tokens) {
      if (
        'field' in token &&
        !fields[token.field] &&
        !(BUILT_IN_PLACEHOLDERS as readonly string[]).includes(token.field)
      ) {
        report(
          'UNKNOWN_FIELD',
          ['create', 'naming', 'template'],
          `placeholder {${token.field}} is neither a declared field nor one of ${BUILT_IN_PLACEHOLDERS.join(', ')}`,
          naming.template.indexOf(`{${token.field}`),
        );
      }
      if (
        'field' in token &&
        token.format &&
        token.field !== 'date' &&
        fields[token.field]?.type !== 'date'
      ) {
        report(
          'NAMING_TEMPLATE',
          ['create', 'naming', 'template'],
          `only dates take a format ({${token.field}:${token.format}})`,
          naming.template.indexOf(`{${token.field}`),
        );
      }
    }
  }
  /** A field a rule names must be declared, and of the type the rule reads. */
  const fieldOfType = (
    path: (string | number)[],
    name: string | undefined,
    types: string[],
    what: string,
  ) => {
    if (name === undefined) return;
    const field = fields[name];
    if (!field) report('UNKNOWN_FIELD', path, `field "${name}" is not declared under fields`);
    else if (!types.includes(field.type))
      report(
        'FIELD_DEFINITION',
        path,
        `${what} needs a ${types.join(' or ')} field; "${name}" is ${field.type}`,
      );
  };
  for (const [i, rule] of (doc.create?.complianceTags ?? []).entries())
    condition(['create', 'complianceTags', i, 'when'], rule.when);
  for (const [name, fill] of Object.entries(doc.create?.aiFill ?? {})) {
    const path = ['create', 'aiFill', name];
    fieldOfType(path, name, ['enum', 'string'], 'AI fill');
    const allowed = doc.fields?.[name]?.values;
    for (const value of Object.keys(fill.fromTags))
      if (allowed && !allowed.includes(value))
        report(
          'FIELD_DEFINITION',
          [...path, 'fromTags', value],
          `"${value}" is not a value of field ${name}`,
        );
  }

  // Distribute
  for (const [name, audience] of Object.entries(doc.distribute?.audiences ?? {})) {
    const path = ['distribute', 'audiences', name];
    knownRoles([...path, 'roles'], audience.roles);
    knownTeams([...path, 'teams'], audience.teams);
    knownRenditions([...path, 'renditions'], audience.renditions);
    condition([...path, 'when'], audience.when);
    for (const [rendition, flow] of Object.entries(audience.approvals ?? {})) {
      if (!renditions.has(rendition))
        report(
          'UNKNOWN_RENDITION',
          [...path, 'approvals', rendition],
          `rendition "${rendition}" is not defined`,
        );
      if (!flows[flow])
        report(
          'UNKNOWN_FLOW',
          [...path, 'approvals', rendition],
          `approval flow "${flow}" is not defined under flows`,
        );
      else if (flows[flow].trigger !== 'download-request') {
        report(
          'WRONG_FLOW_TRIGGER',
          [...path, 'approvals', rendition],
          `flow "${flow}" approves downloads, so its trigger must be download-request (it is ${flows[flow].trigger})`,
        );
      }
    }
  }
  for (const [name, channel] of Object.entries(doc.distribute?.channels ?? {})) {
    knownRenditions(['distribute', 'channels', name, 'renditions'], channel.renditions);
    condition(['distribute', 'channels', name, 'when'], channel.when);
  }
  const links = doc.distribute?.shareLinks;
  for (const [i, audience] of (links?.audiences ?? []).entries())
    if (!Object.hasOwn(doc.distribute?.audiences ?? {}, audience))
      report(
        'UNKNOWN_AUDIENCE',
        ['distribute', 'shareLinks', 'audiences', i],
        `audience "${audience}" is not declared in distribute.audiences`,
      );
  if (
    links?.defaultExpiryDays !== undefined &&
    links.maxExpiryDays !== undefined &&
    links.defaultExpiryDays > links.maxExpiryDays
  ) {
    report(
      'SHARE_LINK_LIMITS',
      ['distribute', 'shareLinks', 'defaultExpiryDays'],
      `default expiry (${links.defaultExpiryDays} days) exceeds the maximum (${links.maxExpiryDays} days)`,
    );
  }

  // Flows
  for (const [name, flow] of Object.entries(flows)) checkFlow(name, flow, { report, condition, knownRoles });

  // Use and archive
  for (const [i, rule] of (doc.use?.freeze ?? []).entries())
    condition(['use', 'freeze', i, 'when'], rule.when);
  fieldOfType(['archive', 'validity', 'field'], doc.archive?.validity?.field, ['date'], 'validity');
  fieldOfType(
    ['distribute', 'rights', 'expiry', 'field'],
    doc.distribute?.rights?.expiry?.field,
    ['date'],
    'a rights expiry',
  );
  fieldOfType(
    ['distribute', 'rights', 'region', 'field'],
    doc.distribute?.rights?.region?.field,
    ['enum', 'string'],
    'a usage region',
  );
  for (const [event, rule] of Object.entries(doc.archive?.events ?? {}))
    condition(['archive', 'events', event, 'when'], rule?.when);
  for (const [i, rule] of (doc.archive?.retention ?? []).entries())
    condition(['archive', 'retention', i, 'when'], rule.when);
  knownRoles(['archive', 'legalHold', 'roles'], doc.archive?.legalHold?.roles);
  knownRoles(['use', 'freezeRoles'], doc.use?.freezeRoles);
  for (const [tree, { levels }] of Object.entries(doc.store?.trees ?? {})) {
    levels.forEach((level, i) => {
      if (!doc.store?.dimensions?.[level] && !doc.fields?.[level])
        report(
          'UNKNOWN_FIELD',
          ['store', 'trees', tree, 'levels', i],
          `"${level}" is neither a dimension nor a field`,
        );
    });
  }

  return problems;
}

interface FlowCheckContext {
  report: (code: RuleProblemCode, path: Path, message: string) => void;
  condition: (path: Path, expression: string | undefined) => void;
  knownRoles: (path: Path, list: string[] | undefined) => void;
}

/** Every node a node can lead to, with the key that names it. */
export function successors(node: FlowNode): { key: string; target: string }[] {
  switch (node.type) {
    case 'start':
    case 'join':
    case 'action':
      return [{ key: 'next', target: node.next }];
    case 'condition':
      return [
        { key: 'then', target: node.then },
        { key: 'else', target: node.else },
      ];
    case 'approval':
      return [
        { key: 'approved', target: node.approved },
        { key: 'rejected', target: node.rejected },
        ...(node.timeout?.escalateTo ? [{ key: 'escalateTo', target: node.timeout.escalateTo }] : []),
      ];
    case 'parallel':
      return [
        ...node.branches.map((b, i) => ({ key: `branches/${i}`, target: b })),
        { key: 'join', target: node.join },
      ];
    case 'end':
      return [];
  }
}

function checkFlow(
  name: string,
  flow: FlowDefinition,
  { report, condition, knownRoles }: FlowCheckContext,
): void {
  const base: Path = ['flows', name];
  const nodes = flow.nodes;
  condition([...base, 'when'], flow.when);

  const starts = Object.entries(nodes).filter(([, n]) => n.type === 'start');
  if (starts.length !== 1) {
    report(
      'START_NODE',
      [...base, 'nodes'],
      `flow "${name}" needs exactly one start node, it has ${starts.length}`,
    );
  }

  const joinOwners = new Map<string, string[]>();
  for (const [id, node] of Object.entries(nodes)) {
    const path = [...base, 'nodes', id];
    for (const { key, target } of successors(node)) {
      if (!nodes[target])
        report(
          'UNKNOWN_NODE',
          [...path, ...key.split('/').map((k) => (/^\d+$/.test(k) ? Number(k) : k))],
          `node "${target}" does not exist in flow "${name}"`,
        );
    }
    if (node.type === 'condition') condition([...path, 'when'], node.when);
    if (node.type === 'approval') {
      knownRoles([...path, 'reviewers', 'roles'], node.reviewers.roles);
      if (node.timeout?.action === 'escalate' && !node.timeout.escalateTo) {
        report(
          'ESCALATION',
          [...path, 'timeout'],
          `timeout action "escalate" needs escalateTo (the node that takes over)`,
        );
      }
      if (node.timeout && node.timeout.action !== 'escalate' && node.timeout.escalateTo) {
        report(
          'ESCALATION',
          [...path, 'timeout', 'escalateTo'],
          `escalateTo is only used with action "escalate"`,
        );
      }
    }
    if (node.type === 'parallel') {
      const join = nodes[node.join];
      if (join && join.type !== 'join')
        report(
          'SPLIT_WITHOUT_JOIN',
          [...path, 'join'],
          `"${node.join}" is of type ${join.type}; a parallel split must name a join node`,
        );
      joinOwners.set(node.join, [...(joinOwners.get(node.join) ?? []), id]);
    }
  }
  for (const [id, node] of Object.entries(nodes)) {
    if (node.type !== 'join') continue;
    const owners = joinOwners.get(id) ?? [];
    if (owners.length !== 1) {
      report(
        'JOIN_WITHOUT_SPLIT',
        [...base, 'nodes', id],
        owners.length === 0
          ? `join "${id}" has no parallel node that names it`
          : `join "${id}" is shared by ${owners.join(', ')}`,
      );
    }
  }

  // Reachability from the start node.
  const start = starts[0]?.[0];
  if (start) {
    const reached = new Set<string>([start]);
    const queue = [start];
    while (queue.length > 0) {
      const node = nodes[queue.shift()!];
      for (const { target } of node ? successors(node) : []) {
        if (nodes[target] && !reached.has(target)) {
          reached.add(target);
          queue.push(target);
        }
      }
    }
    for (const id of Object.keys(nodes)) {
      if (!reached.has(id))
        report('UNREACHABLE_NODE', [...base, 'nodes', id], `node "${id}" cannot be reached from "${start}"`);
    }
  }

  // A cycle must pass through an approval with a timeout; otherwise it can spin or wait forever.
  for (const cycle of findCycles(nodes)) {
    const guarded = cycle.some((id) => {
      const node = nodes[id];
      return node?.type === 'approval' && node.timeout !== undefined;
    });
    if (!guarded) {
      report(
        'CYCLE_WITHOUT_TIMEOUT',
        [...base, 'nodes', cycle[0]!],
        `cycle ${[...cycle, cycle[0]].join(' → ')} has no approval step with a timeout`,
      );
    }
  }
}

/** Elementary cycles, one per strongly connected component with an edge back into itself. */
function findCycles(nodes: Record<string, FlowNode>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const visit = (id: string) => {
    index.set(id, counter);
    low.set(id, counter);
    counter++;
    stack.push(id);
    onStack.add(id);
    for (const { target } of nodes[id] ? successors(nodes[id]) : []) {
      if (!nodes[target]) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(id, Math.min(low.get(id)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(id, Math.min(low.get(id)!, index.get(target)!));
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== id);
      const selfLoop = component.length === 1 && successors(nodes[id]!).some((s) => s.target === id);
      if (component.length > 1 || selfLoop) components.push(component.reverse());
    }
  };
  for (const id of Object.keys(nodes)) if (!index.has(id)) visit(id);
  return components;
}
