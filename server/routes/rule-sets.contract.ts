import { dryRunRequestSchema } from '../../lifecycle/dry-run.schema';
import { FLOW_TRIGGERS } from '../../rules/document';
import { operation } from '../contract/operation';
import {
  Closed,
  component,
  FreeObject,
  Nullable,
  Sha256,
  StringEnum,
  Timestamp,
  Type,
  versionNumber,
} from '../contract/schema';

const Name = Type.String({ minLength: 1, maxLength: 100, description: 'The rule set\u2019s name' });
/** A rule set named in the path. */
export const ruleSetParams = Closed({ name: Name });
const params = ruleSetParams;

export const LocalisedText = component(
  'LocalisedText',
  Closed({ en: Type.String(), zh: Type.Optional(Type.String()) }),
);

/**
 * The compiled rule set the workflows run (rules/plan.ts): every default filled in, keys sorted.
 * Its sections are described in docs/rule-sets.md; the contract fixes their names and kinds.
 */
/** Who may have what (rules/plan.ts AudiencePlan): the web app offers downloads from these. */
const AudiencePlan = component(
  'AudiencePlan',
  Closed({
    label: LocalisedText,
    roles: Type.Array(Type.String()),
    teams: Type.Array(Type.String()),
    external: Type.Boolean(),
    regions: Type.Optional(Type.Array(Type.String(), { description: 'Absent in older plans' })),
    when: Nullable(Type.String({ description: 'A CEL condition' })),
    approvals: Type.Record(Type.String(), Type.String(), { description: 'rendition → approval flow' }),
    renditions: Type.Array(Type.String()),
  }),
);

/** An approval or automation flow (rules/plan.ts FlowPlan); its nodes are the rule author's graph. */
const FlowPlan = component(
  'FlowPlan',
  Closed({
    label: LocalisedText,
    trigger: StringEnum(FLOW_TRIGGERS),
    when: Nullable(Type.String()),
    start: Type.String({ description: 'The id of the start node' }),
    separationOfDuties: Type.Optional(
      Closed({ requesterMayApprove: Type.Boolean(), reviewerMayApproveTwice: Type.Boolean() }),
    ),
    nodes: Type.Record(Type.String(), FreeObject),
  }),
);

export const RuleSetPlan = component(
  'RuleSetPlan',
  Closed({
    planFormat: Type.Literal(1),
    name: Type.String(),
    title: LocalisedText,
    description: Type.String(),
    roles: Type.Array(Type.String()),
    teams: Type.Array(Type.String()),
    fields: FreeObject,
    create: FreeObject,
    store: FreeObject,
    distribute: Closed({
      rights: Type.Optional(FreeObject),
      renditions: Type.Record(Type.String(), FreeObject, { description: 'name → preset' }),
      audiences: Type.Record(Type.String(), AudiencePlan),
      shareLinks: FreeObject,
      channels: Type.Record(
        Type.String(),
        Closed({ renditions: Type.Array(Type.String()), when: Nullable(Type.String()) }),
      ),
    }),
    flows: Type.Record(Type.String(), FlowPlan),
    use: FreeObject,
    archive: FreeObject,
  }),
);

export const RuleProblem = component(
  'RuleProblem',
  Closed({
    code: Type.String({ description: 'e.g. YAML_SYNTAX, SCHEMA, UNKNOWN_NODE, CONDITION_TYPE' }),
    message: Type.String(),
    path: Type.String({ description: 'JSON pointer into the document' }),
    line: Type.Optional(Type.Integer()),
    column: Type.Optional(Type.Integer()),
    file: Type.Optional(Type.String()),
    severity: StringEnum(['error', 'warning']),
  }),
);

const RuleSetVersion = component(
  'RuleSetVersion',
  Closed({
    name: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    source: Type.String({ description: 'The YAML as published' }),
    plan: RuleSetPlan,
    planSha256: Sha256,
    createdAt: Timestamp,
  }),
);

const invalid = 'RULE_SET_INVALID: details.problems lists every problem with line, column and path';

export const listRuleSets = operation({
  method: 'get',
  path: '/api/rule-sets',
  operationId: 'listRuleSets',
  tag: 'Rule sets',
  summary: 'Published rule sets with their latest version',
  responses: {
    200: {
      description: 'Every rule set',
      json: Closed({
        ruleSets: Type.Array(
          Closed({
            name: Type.String(),
            latestVersion: Type.Integer({ minimum: 1 }),
            title: LocalisedText,
            updatedAt: Timestamp,
          }),
        ),
      }),
    },
  },
});

export const validateRuleSet = operation({
  method: 'post',
  path: '/api/rule-sets/validate',
  operationId: 'validateRuleSet',
  tag: 'Rule sets',
  summary: 'Validate a rule set without publishing it',
  body: { yaml: true },
  responses: {
    200: {
      description: 'Valid; `problems` lists warnings',
      json: Closed({
        valid: Type.Literal(true),
        name: Type.String(),
        problems: Type.Array(RuleProblem),
        plan: RuleSetPlan,
      }),
    },
  },
  errors: {
    413: 'A body over 256 KB (YAML) or 1 MB (JSON)',
    422: `${invalid}; a rule set over 64 Ki characters or 10 000 YAML nodes is the problem TOO_LARGE`,
  },
});

const Published = Closed({
  name: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  created: Type.Boolean(),
  problems: Type.Array(RuleProblem),
  plan: RuleSetPlan,
});

export const publishRuleSet = operation({
  method: 'post',
  path: '/api/rule-sets',
  operationId: 'publishRuleSet',
  tag: 'Rule sets',
  summary: 'Validate and publish a new version of a rule set',
  description: 'Publishing a rule set whose plan is unchanged answers the latest version with 200.',
  body: { yaml: true },
  responses: {
    201: { description: 'Published as a new version', json: Published },
    200: { description: 'Unchanged: the latest version', json: Published },
  },
  errors: {
    413: 'A body over 256 KB (YAML) or 1 MB (JSON)',
    422: `${invalid}; a rule set over 64 Ki characters or 10 000 YAML nodes is the problem TOO_LARGE`,
  },
});

export const getRuleSet = operation({
  method: 'get',
  path: '/api/rule-sets/{name}',
  operationId: 'getRuleSet',
  tag: 'Rule sets',
  summary: 'All versions of a rule set, and the latest with its YAML and plan',
  params,
  responses: {
    200: {
      description: 'The rule set',
      json: Closed({
        name: Type.String(),
        versions: Type.Array(
          Closed({ version: Type.Integer({ minimum: 1 }), createdAt: Timestamp, planSha256: Type.String() }),
        ),
        latest: RuleSetVersion,
      }),
    },
  },
  errors: { 404: 'RULE_SET_NOT_FOUND' },
});

export const getRuleSetVersion = operation({
  method: 'get',
  path: '/api/rule-sets/{name}/versions/{version}',
  operationId: 'getRuleSetVersion',
  tag: 'Rule sets',
  summary: 'One version of a rule set: YAML source and compiled plan',
  params: Closed({ name: Name, version: versionNumber() }),
  responses: { 200: { description: 'The version', json: RuleSetVersion } },
  errors: { 404: 'RULE_SET_NOT_FOUND' },
});

export const DryRunRequest = component('DryRunRequest', Type.Unsafe<unknown>(dryRunRequestSchema));

const DryRunResult = component(
  'DryRunResult',
  Closed({
    ruleSet: Closed({ name: Type.String(), version: Type.Integer({ minimum: 1 }) }),
    create: Closed({
      naming: Type.Union([FreeObject, Type.Null()]),
      missingFields: Type.Array(Type.String()),
      complianceTags: Type.Array(Type.String()),
    }),
    log: Type.Array(Closed({ at: Timestamp, event: Type.String(), outcome: Type.String() })),
    answers: Type.Array(
      Closed({ at: Timestamp, type: Type.String(), refused: Type.Union([Type.String(), Type.Null()]) }),
    ),
    flows: Type.Array(FreeObject),
    timers: Type.Array(FreeObject),
    retention: FreeObject,
    final: Closed({
      state: StringEnum(['created', 'stored', 'frozen', 'expired', 'archived', 'trashed', 'purged']),
      frozen: Type.Boolean(),
      tags: Type.Array(Type.String()),
      metadata: FreeObject,
      grants: Type.Array(Type.String()),
    }),
    engine: FreeObject,
  }),
);

export const dryRunRuleSet = operation({
  method: 'post',
  path: '/api/rule-sets/{name}/dry-run',
  operationId: 'dryRunRuleSet',
  tag: 'Rule sets',
  summary:
    'Play a sample asset and events through a rule set: the path through every flow, every timer with its date',
  params,
  body: { json: DryRunRequest },
  responses: { 200: { description: 'What the engine would do', json: DryRunResult } },
  errors: { 404: 'RULE_SET_NOT_FOUND' },
});

export const ruleSetOperations = [
  listRuleSets,
  validateRuleSet,
  publishRuleSet,
  getRuleSet,
  getRuleSetVersion,
  dryRunRuleSet,
];
