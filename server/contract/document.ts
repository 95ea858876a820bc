import type { TObject, TSchema } from '@sinclair/typebox';
import { endpointPolicy } from '../../policy/endpoints';
import { namesResource, type Requirement } from '../../policy/policy';
import type { Operation, Success } from './operation';
import { componentNameOf, ErrorBody, RuleSetSourceJson, YAML_TYPES } from './schema';

/** The API's version in its OpenAPI document. */
export const API_VERSION = '0.1.0';

/** An operation's key, as in the policy table: `GET /api/assets/{id}`. */
export const operationKey = (op: Pick<Operation, 'method' | 'path'>) =>
  `${op.method.toUpperCase()} ${op.path}`;

/**
 * Every status an operation can answer and why: its successes, its own errors, and the errors
 * any operation like it can meet — 400 for input that fails its schema, 401/403/404 from the
 * policy (policy/endpoints.ts), 403 for a cross-site write, 503 when the database or Temporal
 * is unreachable.
 */
export function statusesOf(op: Operation): Map<number, string> {
  const statuses = new Map<number, string>();
  for (const [status, success] of Object.entries(op.responses))
    statuses.set(Number(status), success.description);
  const requirement = requirementOf(op);
  const add = (status: number, why: string) => {
    const before = statuses.get(status);
    statuses.set(status, before && !before.includes(why) ? `${before}; ${why}` : (before ?? why));
  };
  for (const [status, why] of Object.entries(op.errors ?? {})) add(Number(status), why);
  if (op.params || op.query || op.body) add(400, 'VALIDATION_FAILED: the request does not match this schema');
  // Public operations too: a request carrying an API token that is not valid is refused as such.
  add(
    401,
    requirement.kind === 'public' ? 'NOT_SIGNED_IN: the API token sent is not valid' : 'NOT_SIGNED_IN',
  );
  if (requirement.kind === 'role' || requirement.kind === 'share' || hasLevel(requirement))
    add(403, 'FORBIDDEN: the caller lacks the role or level this needs');
  // server/cross-site.ts: any /api/ request a browser sends from another site with the session.
  if (op.path.startsWith('/api/'))
    add(403, 'CROSS_SITE_REQUEST: a browser sent it from another site with the session cookie');
  if (op.params)
    add(
      404,
      namesResource(requirement)
        ? `${requirement.kind.toUpperCase().replace('-', '_')}_NOT_FOUND: it does not exist, or is hidden from the caller`
        : 'The resource the path names does not exist',
    );
  if (op.body && ('json' in op.body || 'yaml' in op.body))
    add(413, 'VALIDATION_FAILED: the request body is over its limit');
  add(503, 'SERVICE_UNAVAILABLE: the database or Temporal is not reachable');
  return statuses;
}

/**
 * The error codes a status's description names (`ASSET_FROZEN`, `FORBIDDEN`…), or none when it
 * names none. The response check holds an error to them: an answer with a code the operation does
 * not declare for that status is a violation.
 */
export function codesIn(description: string): Set<string> {
  return new Set(description.match(/\b(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|FORBIDDEN)\b/g) ?? []);
}

function hasLevel(requirement: Requirement): boolean {
  return 'level' in requirement && requirement.level !== 'view';
}

export function requirementOf(op: Operation): Requirement {
  const requirement = endpointPolicy[operationKey(op)];
  if (!requirement) throw new Error(`${operationKey(op)} has no entry in policy/endpoints.ts`);
  return requirement;
}

/** The OpenAPI 3.1 document of these operations: generated, never written by hand. */
export function openApiDocumentOf(operations: readonly Operation[], version = API_VERSION) {
  const components = new Map<string, unknown>();
  const publish = (schema: TSchema) => toJsonSchema(schema, components);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const requirement = requirementOf(op);
    const responses: Record<string, unknown> = {};
    for (const [status, why] of [...statusesOf(op)].sort(([a], [b]) => a - b)) {
      const success = op.responses[status as keyof Operation['responses']];
      responses[String(status)] = success
        ? successResponse(success, publish)
        : {
            description: why,
            content: {
              'application/json': { schema: publish(ErrorBody) },
              ...(op.htmlErrors ? { 'text/html': { schema: { type: 'string' } } } : {}),
            },
          };
    }
    const parameters = [
      ...parametersOf(op.params, 'path', publish),
      ...parametersOf(op.query, 'query', publish),
      ...parametersOf(op.headers, 'header', publish),
    ];
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      ...(requirement.kind === 'public' ? { security: [] } : {}),
      'x-assetflow-requires': describeRequirement(requirement),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: requestBodyOf(op.body, publish) } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Assetflow API',
      version,
      description:
        'Digital asset management: every asset is a durable Temporal workflow driven by YAML rule sets. ' +
        'Generated from the schemas the server enforces (server/contract/). Errors are always ' +
        '`{error: {code, message, details}}`.',
    },
    security: [{ session: [] }, { bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'assetflow_session',
          description: 'Set by POST /api/auth/login',
        },
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token from POST /api/tokens' },
      },
      schemas: Object.fromEntries([...components].sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}

function successResponse(success: Success, publish: (s: TSchema) => unknown) {
  const binary = { type: 'string', format: 'binary' };
  if ('json' in success)
    return {
      description: success.description,
      content: {
        'application/json': { schema: publish(success.json) },
        ...Object.fromEntries((success.file ?? []).map((type) => [type, { schema: binary }])),
      },
    };
  if ('file' in success)
    return {
      description: success.description,
      content: Object.fromEntries(success.file.map((type) => [type, { schema: binary }])),
    };
  if ('html' in success)
    return { description: success.description, content: { 'text/html': { schema: { type: 'string' } } } };
  if ('eventStream' in success)
    return {
      description: success.description,
      content: { 'text/event-stream': { schema: publish(success.eventStream) } },
    };
  if ('redirect' in success)
    return { description: success.description, headers: { Location: { schema: { type: 'string' } } } };
  return { description: success.description };
}

function requestBodyOf(body: NonNullable<Operation['body']>, publish: (s: TSchema) => unknown) {
  if ('json' in body)
    return {
      required: body.required ?? true,
      content: { 'application/json': { schema: publish(body.json) } },
    };
  if ('multipart' in body)
    return { required: true, content: { 'multipart/form-data': { schema: publish(body.multipart) } } };
  if ('raw' in body)
    return {
      required: true,
      content: Object.fromEntries(
        body.raw.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
      ),
    };
  if ('form' in body)
    return {
      required: true,
      content: { 'application/x-www-form-urlencoded': { schema: publish(body.form) } },
    };
  const yaml = { type: 'string', description: 'The YAML; at most 64 Ki characters' };
  return {
    required: true,
    content: {
      ...Object.fromEntries(YAML_TYPES.map((type) => [type, { schema: yaml }])),
      'application/json': { schema: publish(RuleSetSourceJson) },
    },
  };
}

function parametersOf(
  schema: TObject | undefined,
  where: 'path' | 'query' | 'header',
  publish: (s: TSchema) => unknown,
) {
  if (!schema) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(property.description ? { description: property.description } : {}),
    schema: publish(property),
  }));
}

function describeRequirement(requirement: Requirement): string {
  switch (requirement.kind) {
    case 'public':
      return 'anyone';
    case 'signed-in':
      return 'any signed-in user';
    case 'role':
      return requirement.anyOf.length
        ? `role ${requirement.anyOf.join(' or ')} (or administrator)`
        : 'administrator';
    case 'share':
      return 'the link\u2019s creator (or administrator)';
    case 'project':
      return `${requirement.level} on the project`;
    case 'saved-search':
      return requirement.level === 'view'
        ? 'its owner, or a member of the team it is shared with (or administrator)'
        : 'its owner (or administrator)';
    default:
      return `${requirement.level} on the ${requirement.kind}\u2019s project`;
  }
}

/**
 * A plain JSON Schema copy: TypeBox's symbol keys dropped, and schemas declared with `component`
 * replaced by a `$ref` (their body published once under `components/schemas`).
 */
function toJsonSchema(schema: unknown, components: Map<string, unknown>): unknown {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item, components));
  if (!schema || typeof schema !== 'object') return schema;
  const name = componentNameOf(schema);
  if (name) {
    if (!components.has(name)) {
      components.set(name, {}); // reserve first: a schema may refer to itself
      components.set(name, copyObject(schema, components));
    }
    return { $ref: `#/components/schemas/${name}` };
  }
  return copyObject(schema, components);
}

function copyObject(schema: object, components: Map<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, toJsonSchema(value, components)]),
  );
}
