import { MAX_TAG_EDITS, MAX_TAG_LENGTH } from '../../lifecycle/transition-table';
import { MAX_VALUES_PER_DIMENSION } from '../../rules/classification';
import { Closed, Type } from '../contract/schema';
import { lifecycleAction } from './lifecycle.contract';

/** Correcting what ingest got wrong: tags, classification, project. Each change is in the timeline. */

const Tags = (description: string) =>
  Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: MAX_TAG_LENGTH }), {
      maxItems: MAX_TAG_EDITS,
      uniqueItems: true,
      description,
    }),
  );

export const editAssetTags = lifecycleAction({
  method: 'patch',
  path: '/api/assets/{id}/tags',
  operationId: 'editAssetTags',
  summary: 'Add, remove or confirm tags',
  description: `Added and confirmed tags become the person's (\`tagSources\` on the asset: source \`user\`, who, when); a removed tag is not added again by a re-ingest or the models unless a person adds it. A tag a compliance rule gives cannot be removed (change what the rule reads). At most ${MAX_TAG_EDITS} tags per request, each 1–${MAX_TAG_LENGTH} characters.`,
  body: {
    json: Closed({
      add: Tags('Tags to add'),
      remove: Tags('Tags to remove'),
      confirm: Tags('Tags (typically from the models) the person confirms'),
    }),
  },
  errors: {
    400: 'TAG_INVALID: no tag named, too many, or one empty or too long',
    409: 'TAG_UNKNOWN: removing or confirming a tag the asset lacks; TAG_FROM_RULE; ASSET_FROZEN; ASSET_TRASHED; ASSET_PURGED',
  },
});

export const setAssetDimensions = lifecycleAction({
  method: 'patch',
  path: '/api/assets/{id}/dimensions',
  operationId: 'setAssetDimensions',
  summary:
    'Reclassify: replace the values of the named dimensions (and so the asset’s place in browsing trees)',
  description:
    'Each named dimension gets exactly the values given (an empty list clears it, unless it is required), checked against the rule set: a known dimension, allowed values, one value unless the dimension is multiple. The timeline records each dimension before and after.',
  body: {
    json: Closed({
      set: Type.Record(
        Type.String(),
        Type.Array(Type.String(), { maxItems: MAX_VALUES_PER_DIMENSION, uniqueItems: true }),
        { minProperties: 1, description: 'Dimension → its new values' },
      ),
    }),
  },
  errors: {
    400: 'METADATA_INVALID: an unknown dimension or value, several values for a single one, a required one cleared',
    409: 'ASSET_FROZEN; ASSET_TRASHED; ASSET_PURGED',
  },
});

export const moveAsset = lifecycleAction({
  path: '/api/assets/{id}/move',
  operationId: 'moveAsset',
  summary: 'Move the asset to another project (who may see it follows the new project’s grants)',
  description:
    'Needs edit on the asset (its current project) and edit on the target project. Recorded in the timeline (from → to).',
  body: { json: Closed({ project: Type.String({ minLength: 1, maxLength: 100 }) }) },
  errors: {
    403: 'FORBIDDEN: no edit on the target project',
    404: 'ASSET_NOT_FOUND; PROJECT_NOT_FOUND: no such target project (also when not visible)',
    409: 'ALREADY_IN_PROJECT; ASSET_TRASHED; ASSET_PURGED',
  },
});

export const correctionOperations = [editAssetTags, setAssetDimensions, moveAsset];
