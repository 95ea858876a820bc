import { COLLECTION_LIMITS } from '../../services/collection.service';
import { operation } from '../contract/operation';
import { Closed, component, Nullable, Timestamp, Type, Uuid } from '../contract/schema';
import { Asset } from './assets.contract';

const Tag = 'Collections';

/** A team as users carry it (`users.teams`), the same names grants write as `team:<name>`. */
const TeamName = Type.String({ pattern: '^[\\w.-]{1,64}$', description: 'A team the caller belongs to' });
const Name = Type.String({ minLength: 1, maxLength: 100, description: 'At most 100 characters' });
const AssetIds = Type.Array(Uuid, {
  maxItems: COLLECTION_LIMITS.assets,
  uniqueItems: true,
  description: `Assets in order, each once (at most ${COLLECTION_LIMITS.assets}); the caller must be able to see each`,
});

const CollectionSummary = component(
  'CollectionSummary',
  Closed({
    id: Uuid,
    name: Type.String(),
    owner: Closed({ id: Uuid, name: Type.String() }),
    mine: Type.Boolean({ description: 'Whether the caller owns it (and so may rename, share or delete it)' }),
    team: Nullable(
      Type.String({ description: 'The team it is shared with: its members may change its items' }),
    ),
    assetCount: Type.Integer({
      minimum: 0,
      description: 'How many assets it holds, including any the caller cannot see or that are in the trash',
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);

export const Collection = component(
  'Collection',
  Closed({
    ...CollectionSummary.properties,
    items: Type.Array(Asset, {
      description: 'Its assets in order: those the caller can see, none in the trash or purged',
    }),
  }),
);

const params = Closed({
  // Any string: what is not a collection the caller may see is a 404, as an unknown id is.
  collectionId: Type.String({ description: 'A collection’s id (a UUID)' }),
});

export const listCollections = operation({
  method: 'get',
  path: '/api/collections',
  operationId: 'listCollections',
  tag: Tag,
  summary: `The caller’s collections and those shared with their teams (most recently changed first, ${COLLECTION_LIMITS.listed})`,
  responses: {
    200: { description: 'The collections', json: Closed({ collections: Type.Array(CollectionSummary) }) },
  },
});

export const createCollection = operation({
  method: 'post',
  path: '/api/collections',
  operationId: 'createCollection',
  tag: Tag,
  summary: 'Start a collection (a lightbox), optionally with assets and shared with one of your teams',
  description: `At most ${COLLECTION_LIMITS.perOwner} per person. Members of the team may add, remove and reorder its assets; only the owner renames, shares or deletes it. A collection is shared outside Assetflow as a share link of its assets (\`POST /api/shares\`), under the same rules as any link.`,
  body: {
    json: Closed({ name: Name, team: Type.Optional(Nullable(TeamName)), assetIds: Type.Optional(AssetIds) }),
    required: true,
  },
  responses: { 201: { description: 'The collection with its items', json: Collection } },
  errors: {
    400: 'VALIDATION_FAILED: a blank name, or a team the caller is not in',
    403: 'FORBIDDEN: the caller cannot see one of the assets at the level needed',
    404: 'ASSET_NOT_FOUND: an asset that does not exist or that the caller cannot see',
    409: `TOO_MANY_COLLECTIONS: the caller already keeps ${COLLECTION_LIMITS.perOwner}`,
  },
});

export const getCollection = operation({
  method: 'get',
  path: '/api/collections/{collectionId}',
  operationId: 'getCollection',
  tag: Tag,
  summary: 'A collection with the assets the caller can see, in order',
  params,
  responses: { 200: { description: 'The collection', json: Collection } },
  errors: { 404: 'COLLECTION_NOT_FOUND: unknown, or neither the caller’s nor shared with their team' },
});

export const updateCollection = operation({
  method: 'patch',
  path: '/api/collections/{collectionId}',
  operationId: 'updateCollection',
  tag: Tag,
  summary: 'Rename a collection, or share it with a team (`team: null` to stop sharing); its owner only',
  params,
  body: {
    json: Closed({ name: Type.Optional(Name), team: Type.Optional(Nullable(TeamName)) }),
    required: true,
  },
  responses: { 200: { description: 'The collection as changed', json: Collection } },
  errors: {
    400: 'VALIDATION_FAILED: a blank name, or a team the caller is not in',
    403: 'FORBIDDEN: a team member who is not the owner',
    404: 'COLLECTION_NOT_FOUND',
  },
});

export const deleteCollection = operation({
  method: 'delete',
  path: '/api/collections/{collectionId}',
  operationId: 'deleteCollection',
  tag: Tag,
  summary: 'Delete a collection (its owner only); its assets are untouched',
  params,
  responses: { 204: { description: 'Deleted', empty: true } },
  errors: { 403: 'FORBIDDEN: a team member who is not the owner', 404: 'COLLECTION_NOT_FOUND' },
});

export const setCollectionAssets = operation({
  method: 'put',
  path: '/api/collections/{collectionId}/assets',
  operationId: 'setCollectionAssets',
  tag: Tag,
  summary: 'Set what a collection holds and in which order (add, remove and reorder in one request)',
  description:
    'The list replaces the items the caller can see; items the caller cannot see (another project’s, or in the trash) are not theirs to remove and stay, after the listed ones.',
  params,
  body: { json: Closed({ assetIds: AssetIds }), required: true },
  responses: { 200: { description: 'The collection as changed', json: Collection } },
  errors: {
    400: `VALIDATION_FAILED: a repeated asset, or more than ${COLLECTION_LIMITS.assets} with the ones kept`,
    403: 'FORBIDDEN: the caller cannot see one of the assets at the level needed',
    404: 'COLLECTION_NOT_FOUND; ASSET_NOT_FOUND: an asset that does not exist or the caller cannot see',
  },
});

export const collectionsOperations = [
  listCollections,
  createCollection,
  getCollection,
  updateCollection,
  deleteCollection,
  setCollectionAssets,
];
