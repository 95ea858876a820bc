import { Router } from 'express';
import type { BulkChange } from '../../domain/bulk-change';
import type { BulkEditService } from '../../services/bulk-edit.service';
import { actorOf } from '../actor';
import { mount } from '../contract/route';
import { getBulkEdit, startBulkEdit } from './batches.contract';

/** Bulk edits: start one, follow it. */
export function batchesRouter(deps: { bulkEdits: BulkEditService }): Router {
  const router = Router();
  mount(router, startBulkEdit, async ({ body }, req, res) => {
    // The contract lets through exactly one of the two (its oneOf).
    const selection = body.assetIds ? { assetIds: body.assetIds } : { query: body.query! };
    res
      .status(202)
      .json(await deps.bulkEdits.start(actorOf(req), selection, body.operations as BulkChange[]));
  });
  mount(router, getBulkEdit, async ({ params }, req, res) => {
    res.json(await deps.bulkEdits.progress(actorOf(req), params.batchId));
  });
  return router;
}
