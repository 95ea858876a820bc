import { Router } from 'express';
import { API_REFERENCE_CSS, type ApiDocumentView, renderApiReference } from '../api-reference-page';
import type { openApiDocumentOf } from '../contract/document';
import { mount } from '../contract/route';
import { getApiReference, getApiReferenceStyles, getOpenApiDocument } from './docs.contract';

/** The generated OpenAPI document and the reference page rendered from it, built once. */
export function docsRouter(document: ReturnType<typeof openApiDocumentOf>): Router {
  const router = Router();
  // The generated document types its operations loosely; the page reads the fields it shows.
  const page = renderApiReference(document as unknown as ApiDocumentView);
  mount(router, getOpenApiDocument, (_input, _req, res) => {
    res.json(document);
  });
  mount(router, getApiReference, (_input, _req, res) => {
    res.type('html').set('Cache-Control', 'no-cache').send(page);
  });
  mount(router, getApiReferenceStyles, (_input, _req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=86400').send(API_REFERENCE_CSS);
  });
  return router;
}
