import { operation } from '../contract/operation';
import { FreeObject, Type } from '../contract/schema';

export const getOpenApiDocument = operation({
  method: 'get',
  path: '/api/openapi.json',
  operationId: 'getOpenApiDocument',
  tag: 'Reference',
  summary: 'This document: OpenAPI 3.1, generated from the schemas the server enforces',
  responses: {
    200: {
      description: 'The document',
      json: Type.Object({
        openapi: Type.Literal('3.1.0'),
        info: FreeObject,
        paths: FreeObject,
        components: FreeObject,
      }),
    },
  },
});

export const getApiReference = operation({
  method: 'get',
  path: '/api/docs',
  operationId: 'getApiReference',
  tag: 'Reference',
  summary: 'This document as a page for people',
  responses: { 200: { description: 'The API reference', html: true } },
});

export const getApiReferenceStyles = operation({
  method: 'get',
  path: '/api/docs.css',
  operationId: 'getApiReferenceStyles',
  tag: 'Reference',
  summary: 'The stylesheet of the API reference page',
  responses: { 200: { description: 'CSS', file: ['text/css'] } },
});

export const docsOperations = [getOpenApiDocument, getApiReference, getApiReferenceStyles];
