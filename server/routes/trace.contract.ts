import { operation } from '../contract/operation';
import { Closed, component, StringEnum, Type, Uuid, uuid } from '../contract/schema';
import { AuditEvent } from './distribution.contract';

/** Where a cropped suspect was found in a rendition that marked copies were made of. */
const TraceMatch = component(
  'TraceMatch',
  Closed({
    assetId: Uuid,
    version: Type.Integer({ minimum: 1 }),
    rendition: Type.String(),
    scale: Type.Number({ description: 'Rendition pixels per suspect pixel' }),
    left: Type.Number({ description: 'The suspect\u2019s top-left corner in the rendition' }),
    top: Type.Number(),
    score: Type.Number({ description: 'Correlation with the rendition there (a true match \u2248 0.99)' }),
    coverage: Type.Number({ description: 'Share of the watermark\u2019s blocks the suspect still covers' }),
  }),
);

const Payload = Type.String({ pattern: '^[0-9a-f]{10}$', description: 'The 40-bit watermark payload, hex' });
const Confidence = Type.Number({ minimum: 0, maximum: 1 });

const TraceResult = component(
  'TraceResult',
  Type.Union([
    Closed({
      found: Type.Literal(true),
      payload: Payload,
      confidence: Confidence,
      events: Type.Array(AuditEvent, { description: 'The distribution events that sent this payload' }),
      method: StringEnum(['blind', 'registered'], {
        description: '`blind`: read directly; `registered`: read after locating a crop in its rendition',
      }),
      match: Type.Optional(TraceMatch),
    }),
    Closed({
      found: Type.Literal(false),
      confidence: Confidence,
      message: Type.String(),
      payload: Type.Optional(Payload),
      match: Type.Optional(TraceMatch),
      candidatesTried: Type.Integer({ minimum: 0 }),
      skipped: Type.Optional(
        Type.Array(
          Closed({
            assetId: Uuid,
            version: Type.Integer({ minimum: 1 }),
            rendition: Type.String(),
            reason: Type.String(),
          }),
          { description: 'Candidates whose rendition could not be made or read' },
        ),
      ),
    }),
  ]),
);

/** The suspect image is the raw request body (any content type, up to limits.maxUploadBytes). */
export const traceLeak = operation({
  method: 'post',
  path: '/api/trace',
  operationId: 'traceLeak',
  tag: 'Distribution',
  summary: 'Trace a leaked image: the distribution events whose invisible watermark it carries',
  description:
    'Send the image as the request body. The blind read names the payload, and the trail the ' +
    'distribution events that sent it; a crop is located in the marked renditions (nearest ' +
    'perceptual hash first, limits.traceCandidates of them, or only those of `?asset=`) and read ' +
    'there. `found: false` when no distribution used what was read. Investigators and administrators.',
  query: Type.Object({
    asset: Type.Optional(uuid({ description: 'Compare a cropped image with this asset only' })),
  }),
  body: { raw: ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'] },
  responses: { 200: { description: 'What was read and who it was sent to', json: TraceResult } },
  errors: {
    400: 'FILE_MISSING: no body',
    413: 'IMAGE_TOO_LARGE (pixel limit), or a body over limits.maxUploadBytes',
    422: 'FILE_CORRUPT: not an image that can be read',
  },
});

export const traceOperations = [traceLeak];
