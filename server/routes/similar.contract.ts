import { SIMILAR_DEFAULT_LIMIT, SIMILAR_MAX_LIMIT } from '../../services/similar.service';
import { operation } from '../contract/operation';
import { Closed, component, Type, Uuid } from '../contract/schema';
import { assetParams } from './assets.contract';

/** An asset whose picture resembles the one asked about (services/similar.service.ts). */
const SimilarAsset = component(
  'SimilarAsset',
  Closed({
    assetId: Uuid,
    displayName: Type.String(),
    version: Type.Integer({ minimum: 1, description: 'The version of that asset that matched' }),
    similarity: Type.Number({
      minimum: 0,
      maximum: 1,
      description: '1 − d/64 for the Hamming distance d between the nearest pair of region hashes',
    }),
    distance: Type.Integer({ minimum: 0, maximum: 64 }),
  }),
);

export const findSimilarAssets = operation({
  method: 'get',
  path: '/api/assets/{id}/similar',
  operationId: 'findSimilarAssets',
  tag: 'Assets',
  summary: 'Assets whose pictures look like this one, nearest first',
  description:
    'Compares the perceptual hashes of the centred regions (100, 95, 90, 85 %) of the current version with every image version in the catalogue, so edited, recompressed and cropped copies are found; within 89 % similarity (7 of 64 bits). Only assets the caller may see are listed, one row per asset. Not an image (or no bytes left): an empty list.',
  params: assetParams,
  query: Type.Object({
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: SIMILAR_MAX_LIMIT,
        default: SIMILAR_DEFAULT_LIMIT,
        description: 'At most this many assets',
      }),
    ),
  }),
  responses: {
    200: { description: 'The similar assets', json: Closed({ similar: Type.Array(SimilarAsset) }) },
  },
  errors: { 400: 'VALIDATION_FAILED (limit)', 404: 'ASSET_NOT_FOUND' },
});

export const similarOperations = [findSimilarAssets];
