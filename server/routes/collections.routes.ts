import { Router } from 'express';
import type { CollectionSummaryRecord } from '../../catalogue/collection.repository';
import type { CollectionService, CollectionView } from '../../services/collection.service';
import { type Actor, actorOf } from '../actor';
import { toAssetResponse } from '../asset.mapper';
import { mount } from '../contract/route';
import {
  createCollection,
  deleteCollection,
  getCollection,
  listCollections,
  setCollectionAssets,
  updateCollection,
} from './collections.contract';

/**
 * Collections (lightboxes): list, start, read, rename or share with a team, delete, and set the
 * ordered assets. The policy (`collection`) has decided who may before any handler runs.
 */
export function collectionsRouter(deps: { collections: CollectionService }): Router {
  const router = Router();
  const { collections } = deps;

  mount(router, listCollections, async (_input, req, res) => {
    const actor = actorOf(req);
    res.json({ collections: (await collections.list(actor)).map((c) => summaryOf(c, actor)) });
  });

  mount(router, createCollection, async ({ body }, req, res) => {
    const actor = actorOf(req);
    res.status(201).json(responseOf(await collections.create(actor, body), actor));
  });

  mount(router, getCollection, async ({ params }, req, res) => {
    const actor = actorOf(req);
    res.json(responseOf(await collections.get(actor, params.collectionId), actor));
  });

  mount(router, updateCollection, async ({ params, body }, req, res) => {
    const actor = actorOf(req);
    res.json(responseOf(await collections.update(actor, params.collectionId, body), actor));
  });

  mount(router, deleteCollection, async ({ params }, _req, res) => {
    await collections.delete(params.collectionId);
    res.status(204).end();
  });

  mount(router, setCollectionAssets, async ({ params, body }, req, res) => {
    const actor = actorOf(req);
    res.json(responseOf(await collections.setAssets(actor, params.collectionId, body.assetIds), actor));
  });

  return router;
}

function summaryOf(c: CollectionSummaryRecord, actor: Actor) {
  return {
    id: c.id,
    name: c.name,
    owner: c.owner,
    mine: c.owner.id === actor.id,
    team: c.team,
    assetCount: c.assetCount,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

function responseOf({ collection, items }: CollectionView, actor: Actor) {
  const { assetIds, ...rest } = collection;
  return { ...summaryOf({ ...rest, assetCount: assetIds.length }, actor), items: items.map(toAssetResponse) };
}
