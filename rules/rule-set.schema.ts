/**
 * JSON Schema (draft 2020-12) of a rule-set document. Structural rules only; what a schema cannot
 * say (references between nodes, reachability, types inside conditions) is checked by
 * `semantic-checks.ts`.
 */
import { FLOW_ACTIONS, FLOW_TRIGGERS, QUORUMS } from './document';

const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 } as const;
const fieldName = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*$', maxLength: 64 } as const;
const duration = {
  type: 'string',
  pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$',
  description: 'ISO-8601 duration, e.g. P7D, PT12H, P3Y',
} as const;
const condition = { type: 'string', minLength: 1, maxLength: 2000, description: 'CEL expression' } as const;
const text = {
  oneOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['en'],
      properties: { en: { type: 'string', minLength: 1 }, zh: { type: 'string', minLength: 1 } },
    },
  ],
} as const;
/** A dimension value's label: text, or an object that may add search aliases (Japanese → JP). */
const valueLabel = {
  oneOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['en'],
      properties: {
        en: { type: 'string', minLength: 1 },
        zh: { type: 'string', minLength: 1 },
        aliases: {
          type: 'array',
          maxItems: 20,
          uniqueItems: true,
          items: { type: 'string', minLength: 1, maxLength: 64 },
        },
      },
    },
  ],
} as const;
const nodeRef = id;
const idList = { type: 'array', items: id, uniqueItems: true } as const;

const flowNode = {
  type: 'object',
  required: ['type'],
  properties: { type: { enum: ['start', 'condition', 'approval', 'parallel', 'join', 'action', 'end'] } },
  allOf: [
    {
      if: { properties: { type: { const: 'start' } } },
      then: { additionalProperties: false, required: ['next'], properties: { type: true, next: nodeRef } },
    },
    {
      if: { properties: { type: { const: 'condition' } } },
      then: {
        additionalProperties: false,
        required: ['when', 'then', 'else'],
        properties: { type: true, when: condition, then: nodeRef, else: nodeRef },
      },
    },
    {
      if: { properties: { type: { const: 'approval' } } },
      then: {
        additionalProperties: false,
        required: ['reviewers', 'approved', 'rejected'],
        properties: {
          type: true,
          label: text,
          reviewers: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              roles: idList,
              users: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
            },
          },
          quorum: { oneOf: [{ enum: QUORUMS }, { type: 'integer', minimum: 1, maximum: 100 }] },
          timeout: {
            type: 'object',
            additionalProperties: false,
            required: ['after', 'action'],
            properties: {
              after: duration,
              action: { enum: ['escalate', 'approve', 'reject'] },
              escalateTo: nodeRef,
            },
          },
          approved: nodeRef,
          rejected: nodeRef,
        },
      },
    },
    {
      if: { properties: { type: { const: 'parallel' } } },
      then: {
        additionalProperties: false,
        required: ['branches', 'join'],
        properties: {
          type: true,
          branches: { type: 'array', items: nodeRef, minItems: 2, uniqueItems: true },
          join: nodeRef,
        },
      },
    },
    {
      if: { properties: { type: { const: 'join' } } },
      then: { additionalProperties: false, required: ['next'], properties: { type: true, next: nodeRef } },
    },
    {
      if: { properties: { type: { const: 'action' } } },
      then: {
        additionalProperties: false,
        required: ['action', 'next'],
        properties: {
          type: true,
          action: { enum: FLOW_ACTIONS },
          params: { type: 'object' },
          next: nodeRef,
        },
      },
    },
    {
      if: { properties: { type: { const: 'end' } } },
      then: {
        additionalProperties: false,
        required: ['outcome'],
        properties: { type: true, outcome: { enum: ['approved', 'rejected'] } },
      },
    },
  ],
} as const;

export const ruleSetSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://assetflow.dev/schemas/rule-set.json',
  title: 'Assetflow rule set',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'name'],
  properties: {
    apiVersion: { const: 'assetflow/v1' },
    kind: { const: 'RuleSet' },
    name: id,
    title: text,
    description: { type: 'string' },
    roles: idList,
    teams: idList,
    fields: {
      type: 'object',
      propertyNames: fieldName,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['type'],
        properties: {
          type: { enum: ['string', 'int', 'number', 'bool', 'date', 'enum', 'list'] },
          label: text,
          required: {
            oneOf: [
              { type: 'boolean' },
              {
                type: 'array',
                items: { enum: ['image', 'video', 'document', 'cad', 'generic'] },
                minItems: 1,
              },
            ],
          },
          values: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, uniqueItems: true },
          whenMissing: { enum: ['refuse', 'incomplete'] },
          pattern: { type: 'string', minLength: 1 },
          min: { type: 'number' },
          max: { type: 'number' },
        },
      },
    },
    create: {
      type: 'object',
      additionalProperties: false,
      properties: {
        naming: {
          type: 'object',
          additionalProperties: false,
          required: ['template', 'policy'],
          properties: {
            template: { type: 'string', minLength: 1 },
            policy: { enum: ['reject', 'rename', 'warn'] },
          },
        },
        complianceTags: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['when', 'tags'],
            properties: {
              when: condition,
              tags: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
            },
          },
        },
        aiFill: {
          type: 'object',
          propertyNames: fieldName,
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['fromTags'],
            properties: {
              minConfidence: { type: 'number', minimum: 0, maximum: 1 },
              fromTags: {
                type: 'object',
                minProperties: 1,
                additionalProperties: {
                  type: 'array',
                  items: { type: 'string', minLength: 1, maxLength: 100 },
                  minItems: 1,
                  uniqueItems: true,
                },
              },
            },
          },
        },
        brandPalette: {
          type: 'object',
          additionalProperties: false,
          required: ['colours', 'maxDeltaE', 'policy'],
          properties: {
            colours: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name', 'hex'],
                properties: {
                  name: { type: 'string', minLength: 1 },
                  hex: { type: 'string', pattern: '^#[0-9A-Fa-f]{6}$' },
                },
              },
            },
            maxDeltaE: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
            policy: { enum: ['reject', 'warn'] },
          },
        },
        autoTagging: {
          type: 'object',
          additionalProperties: false,
          properties: {
            objects: { type: 'boolean' },
            colours: { type: 'boolean' },
            exif: { type: 'boolean' },
            text: { type: 'boolean' },
          },
        },
      },
    },
    store: {
      type: 'object',
      additionalProperties: false,
      properties: {
        duplicates: {
          type: 'object',
          additionalProperties: false,
          properties: {
            exact: { enum: ['warn', 'block', 'link-as-version'] },
            near: {
              type: 'object',
              additionalProperties: false,
              required: ['threshold', 'action'],
              properties: {
                threshold: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
                action: { enum: ['warn', 'block', 'link-as-version'] },
              },
            },
          },
        },
        trees: {
          type: 'object',
          propertyNames: id,
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['levels'],
            properties: {
              label: text,
              levels: {
                type: 'array',
                minItems: 1,
                uniqueItems: true,
                items: { type: 'string', minLength: 1 },
              },
            },
          },
        },
        synonyms: {
          type: 'array',
          items: {
            type: 'array',
            minItems: 2,
            uniqueItems: true,
            items: { type: 'string', minLength: 1, pattern: '^[^\\s]+$' },
          },
        },
        dimensions: {
          type: 'object',
          propertyNames: id,
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['values'],
            properties: {
              label: text,
              values: { type: 'object', minProperties: 1, additionalProperties: valueLabel },
              multiple: { type: 'boolean' },
              required: { type: 'boolean' },
            },
          },
        },
      },
    },
    distribute: {
      type: 'object',
      additionalProperties: false,
      properties: {
        renditions: {
          type: 'object',
          propertyNames: id,
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            properties: {
              original: { type: 'boolean' },
              width: { type: 'integer', minimum: 1, maximum: 20000 },
              height: { type: 'integer', minimum: 1, maximum: 20000 },
              fit: { enum: ['cover', 'contain', 'inside', 'outside', 'fill'] },
              format: { enum: ['jpeg', 'png', 'webp', 'avif'] },
              quality: { type: 'integer', minimum: 1, maximum: 100 },
              background: { type: 'string', pattern: '^#[0-9A-Fa-f]{6}$' },
              watermark: {
                type: 'object',
                additionalProperties: false,
                required: ['text'],
                properties: {
                  text: { type: 'string', minLength: 1 },
                  opacity: { type: 'number', minimum: 0, maximum: 1 },
                  position: { enum: ['center', 'bottom-right', 'tiled'] },
                },
              },
              invisibleWatermark: { type: 'boolean' },
            },
          },
        },
        audiences: {
          type: 'object',
          propertyNames: id,
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['renditions'],
            properties: {
              label: text,
              roles: idList,
              teams: idList,
              external: { type: 'boolean' },
              regions: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
              renditions: { ...idList, minItems: 1 },
              when: condition,
              approvals: { type: 'object', propertyNames: id, additionalProperties: id },
            },
          },
        },
        rights: {
          type: 'object',
          additionalProperties: false,
          properties: {
            expiry: {
              type: 'object',
              additionalProperties: false,
              required: ['field'],
              properties: { field: fieldName, notifyBefore: duration },
            },
            region: {
              type: 'object',
              additionalProperties: false,
              required: ['field'],
              properties: { field: fieldName, everywhere: { type: 'string', minLength: 1 } },
            },
          },
        },
        shareLinks: {
          type: 'object',
          additionalProperties: false,
          properties: {
            defaultExpiryDays: { type: 'integer', minimum: 1, maximum: 3650 },
            maxExpiryDays: { type: 'integer', minimum: 1, maximum: 3650 },
            passwordRequired: { type: 'boolean' },
            allowedDomains: {
              type: 'array',
              items: { type: 'string', pattern: '^[a-z0-9.-]+\\.[a-z]{2,}$' },
              uniqueItems: true,
            },
            maxDownloads: { type: 'integer', minimum: 1 },
            audiences: { ...idList, minItems: 1 },
          },
        },
        channels: {
          type: 'object',
          propertyNames: id,
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['renditions'],
            properties: { renditions: { ...idList, minItems: 1 }, when: condition },
          },
        },
      },
    },
    flows: {
      type: 'object',
      propertyNames: id,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['trigger', 'nodes'],
        properties: {
          label: text,
          trigger: { enum: FLOW_TRIGGERS },
          when: condition,
          separationOfDuties: {
            type: 'object',
            additionalProperties: false,
            properties: {
              requesterMayApprove: { type: 'boolean' },
              reviewerMayApproveTwice: { type: 'boolean' },
            },
          },
          nodes: { type: 'object', minProperties: 2, propertyNames: id, additionalProperties: flowNode },
        },
      },
    },
    use: {
      type: 'object',
      additionalProperties: false,
      properties: {
        freeze: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['when', 'reason'],
            properties: { when: condition, reason: { type: 'string', minLength: 1 } },
          },
        },
        freezeRoles: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
      },
    },
    archive: {
      type: 'object',
      additionalProperties: false,
      properties: {
        validity: {
          type: 'object',
          additionalProperties: false,
          required: ['field'],
          properties: { field: fieldName, after: duration },
        },
        coldAfterDaysUnused: { type: 'integer', minimum: 1 },
        retention: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['keep'],
            properties: {
              when: condition,
              keep: { oneOf: [{ const: 'forever' }, duration] },
              after: { enum: ['archive', 'delisting', 'end-of-production', 'upload'] },
            },
          },
        },
        legalHold: {
          type: 'object',
          additionalProperties: false,
          required: ['roles'],
          properties: { roles: { ...idList, minItems: 1 } },
        },
        events: {
          type: 'object',
          additionalProperties: false,
          properties: {
            delisting: {
              type: 'object',
              additionalProperties: false,
              required: ['when'],
              properties: { when: condition },
            },
            'end-of-production': {
              type: 'object',
              additionalProperties: false,
              required: ['when'],
              properties: { when: condition },
            },
          },
        },
      },
    },
    layout: {
      type: 'object',
      additionalProperties: false,
      properties: {
        flows: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              additionalProperties: false,
              required: ['x', 'y'],
              properties: { x: { type: 'number' }, y: { type: 'number' } },
            },
          },
        },
      },
    },
  },
} as const;
