import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describeAjvError } from '../domain/describe-ajv-error';

/** JSON Schema of a dry-run request (sample asset and events), checked at every edge with ajv. */
const isoTime = { type: 'string', format: 'date-time' } as const;

export const dryRunRequestSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['sample'],
  properties: {
    // Nine digits at most: rule-set versions are PostgreSQL integers.
    version: { type: 'integer', minimum: 1, maximum: 999_999_999 },
    sample: {
      type: 'object',
      additionalProperties: false,
      required: ['asset'],
      properties: {
        asset: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'uploadedAt'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 1024 },
            kind: { enum: ['image', 'video', 'document', 'cad', 'generic'] },
            format: { type: 'string' },
            width: { type: 'integer', minimum: 1 },
            height: { type: 'integer', minimum: 1 },
            tags: {
              type: 'array',
              maxItems: 200,
              items: {
                oneOf: [
                  { type: 'string', maxLength: 100 },
                  {
                    type: 'object',
                    additionalProperties: false,
                    required: ['name', 'confidence'],
                    properties: {
                      name: { type: 'string', maxLength: 100 },
                      confidence: { type: 'number', minimum: 0, maximum: 1 },
                    },
                  },
                ],
              },
            },
            uploadedAt: isoTime,
            uploadedBy: { type: 'string' },
          },
        },
        metadata: { type: 'object' },
        directory: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      },
    },
    events: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        required: ['type'],
        properties: {
          type: {
            enum: [
              'metadata',
              'download-request',
              'decision',
              'archive',
              'restore',
              'freeze',
              'unfreeze',
              'legal-hold',
              'use',
              'delist',
              'relist',
              'end-of-production',
              'resume-production',
              'manual',
              'advance',
            ],
          },
          by: { type: 'string' },
          roles: { type: 'array', items: { type: 'string' } },
        },
        allOf: [
          {
            if: { properties: { type: { const: 'advance' } } },
            then: { required: ['to'], properties: { to: isoTime } },
            else: { required: ['at'], properties: { at: isoTime } },
          },
          {
            if: { properties: { type: { const: 'metadata' } } },
            then: { required: ['set'], properties: { set: { type: 'object' } } },
          },
          {
            if: { properties: { type: { const: 'download-request' } } },
            then: {
              required: ['audience', 'rendition', 'user'],
              properties: {
                audience: { type: 'string' },
                rendition: { type: 'string' },
                user: { type: 'string' },
                roles: { type: 'array', items: { type: 'string' } },
                external: { type: 'boolean' },
                teams: { type: 'array', items: { type: 'string' } },
              },
            },
          },
          {
            if: { properties: { type: { const: 'legal-hold' } } },
            then: { required: ['on'], properties: { on: { type: 'boolean' }, reason: { type: 'string' } } },
          },
          {
            if: { properties: { type: { const: 'decision' } } },
            then: {
              required: ['node', 'reviewer', 'decision'],
              properties: {
                flow: { type: 'string' },
                node: { type: 'string' },
                reviewer: { type: 'string' },
                decision: { enum: ['approve', 'reject'] },
                reason: { type: 'string', maxLength: 2000 },
              },
            },
          },
        ],
      },
    },
  },
} as const;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateDryRunRequest = ajv.compile(dryRunRequestSchema);

/** Every problem of a dry-run request (`{sample, events?, version?}`), or an empty list. */
export function dryRunRequestProblems(request: unknown): string[] {
  if (validateDryRunRequest(request)) return [];
  return (validateDryRunRequest.errors ?? []).filter((e) => e.keyword !== 'if').map(describeAjvError);
}
