import { CONTENT_LOOKUP_MAX } from '../../services/content-lookup.service';
import { operation } from '../contract/operation';
import { Closed, component, Sha256, Type, Uuid } from '../contract/schema';

const StoredContent = component(
  'StoredContent',
  Closed({
    sha256: Sha256,
    assetId: Uuid,
    version: Type.Integer({ minimum: 1, description: 'The version of that asset holding these bytes' }),
  }),
);

export const lookUpContent = operation({
  method: 'post',
  path: '/api/assets/lookup',
  operationId: 'lookUpContent',
  tag: 'Assets',
  summary: 'Which of these files are stored already (by sha256)',
  description: `Names every version, of the assets the caller may see, whose bytes have one of the given sha256 digests (the asset's first version first). A bulk import (\`assetflow upload\`) asks this before uploading so that a second run skips what the first stored. At most ${CONTENT_LOOKUP_MAX} digests per request.`,
  body: {
    json: Closed({ sha256: Type.Array(Sha256, { minItems: 1, maxItems: CONTENT_LOOKUP_MAX }) }),
    required: true,
  },
  responses: {
    200: { description: 'The stored versions found', json: Closed({ found: Type.Array(StoredContent) }) },
  },
  errors: { 400: `VALIDATION_FAILED: not a list of 1–${CONTENT_LOOKUP_MAX} sha256 digests` },
});

export const contentLookupOperations = [lookUpContent];
