import { TRASH_BATCH_MAX, TRASH_LIST_MAX } from '../../services/trash.service';
import { operation } from '../contract/operation';
import { Closed, component, Type, Uuid } from '../contract/schema';
import { Asset, AssetState, assetParams } from './assets.contract';
import { LifecycleView } from './lifecycle.contract';

const Tag = 'Trash';
const Reason = Type.String({ minLength: 1, maxLength: 500, description: 'Why (kept in the timeline)' });
const trashRefusals =
  'ON_LEGAL_HOLD, ASSET_FROZEN, RETENTION_KEEPS: a retention rule keeps the asset (forever or until a date, named in the message); ASSET_TRASHED: already in the trash; ASSET_PURGED';

export const trashAsset = operation({
  method: 'delete',
  path: '/api/assets/{id}',
  operationId: 'trashAsset',
  tag: Tag,
  summary: 'Delete an asset: into the trash, restorable until the trash empties itself of it',
  description:
    'The asset leaves search and the library; its share links and downloads stop. It is purged (bytes no other asset uses are deleted; the record stays) `trash.keepDays` after (30 by default) unless restored first. Refused while the asset is on legal hold, frozen, or kept by a retention rule.',
  params: assetParams,
  query: Closed({ reason: Type.Optional(Reason) }),
  responses: { 200: { description: 'The lifecycle view, in the trash', json: LifecycleView } },
  errors: { 409: trashRefusals, 404: 'ASSET_NOT_FOUND' },
});

export const restoreAssetFromTrash = operation({
  method: 'post',
  path: '/api/trash/{id}/restore',
  operationId: 'restoreAssetFromTrash',
  tag: Tag,
  summary: 'Restore an asset from the trash to the state it left',
  params: assetParams,
  responses: { 200: { description: 'The lifecycle view, out of the trash', json: LifecycleView } },
  errors: { 409: 'NOT_IN_TRASH: the asset is not in the trash; ASSET_PURGED', 404: 'ASSET_NOT_FOUND' },
});

const BatchBody = Closed({
  assetIds: Type.Array(Uuid, { minItems: 1, maxItems: TRASH_BATCH_MAX, uniqueItems: true }),
});

/** What became of one asset of a bulk request: the state it is in now, or why it was refused (also a bulk edit's). */
export const AssetOutcome = component(
  'AssetOutcome',
  Type.Union([
    Closed({ assetId: Uuid, ok: Type.Literal(true), state: AssetState }),
    Closed({
      assetId: Uuid,
      ok: Type.Literal(false),
      error: Closed({ code: Type.String(), message: Type.String() }),
    }),
  ]),
);

const batchAnswer = {
  200: {
    description: 'Per asset, in the order given: the state it is in now, or why it was refused',
    json: Closed({ results: Type.Array(AssetOutcome) }),
  },
};

export const trashAssets = operation({
  method: 'post',
  path: '/api/trash',
  operationId: 'trashAssets',
  tag: Tag,
  summary: `Delete several assets (at most ${TRASH_BATCH_MAX}); each is decided on its own`,
  description:
    'Each asset needs edit access and is decided by its own workflow, as `DELETE /api/assets/{id}`; a refusal (or an asset the caller cannot see: ASSET_NOT_FOUND) is reported for that asset and does not stop the others.',
  body: { json: Closed({ ...BatchBody.properties, reason: Type.Optional(Reason) }), required: true },
  responses: batchAnswer,
  errors: { 400: `VALIDATION_FAILED: not 1–${TRASH_BATCH_MAX} distinct asset ids` },
});

export const restoreFromTrash = operation({
  method: 'post',
  path: '/api/trash/restore',
  operationId: 'restoreFromTrash',
  tag: Tag,
  summary: `Restore assets from the trash (at most ${TRASH_BATCH_MAX}) to the state each left`,
  description: 'Per asset as `POST /api/trash`; NOT_IN_TRASH for an asset that is not in it.',
  body: { json: BatchBody, required: true },
  responses: batchAnswer,
  errors: { 400: `VALIDATION_FAILED: not 1–${TRASH_BATCH_MAX} distinct asset ids` },
});

export const listTrash = operation({
  method: 'get',
  path: '/api/trash',
  operationId: 'listTrash',
  tag: Tag,
  summary: `The trash: assets the caller can see, most recently deleted first (at most ${TRASH_LIST_MAX})`,
  responses: {
    200: {
      description: '`trashed` on each says who deleted it, when, and when it will be purged',
      json: Closed({ items: Type.Array(Asset) }),
    },
  },
});

export const trashOperations = [trashAsset, restoreAssetFromTrash, trashAssets, restoreFromTrash, listTrash];
