import { readFileSync } from 'node:fs';
import express, { type Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { endpointPolicy } from '../../policy/endpoints';
import { createApp } from '../../server/app';
import { openApiDocumentOf, operationKey } from '../../server/contract/document';
import { allOperations, operationsByKey } from '../../server/contract/operations';
import { endpointTable, README, readmeTable } from '../../server/contract/readme-table';
import { checkResponses, takeContractViolations } from '../../server/contract/response-check';

const document = openApiDocumentOf(allOperations);

/** The routes an app registers, as `METHOD /path/{param}`. */
function registeredRoutes(): string[] {
  // Route registration only: none of these dependencies is called.
  const app = createApp({
    assets: {},
    health: {},
    blobs: {},
    limits: {},
    logger: pino({ level: 'silent' }),
  } as never) as Express & { router: { stack: Layer[] } };
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const routes = new Set<string>();
  const collect = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route)
        for (const method of Object.keys(layer.route.methods))
          routes.add(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
      else if (layer.handle?.stack) collect(layer.handle.stack);
    }
  };
  collect(app.router.stack);
  return [...routes].sort();
}

describe('the API contract', () => {
  it('has one operation for every route the app serves, and one policy entry for each', () => {
    const declared = allOperations.map(operationKey).sort();
    expect(new Set(declared).size).toBe(declared.length);
    expect(registeredRoutes()).toEqual(declared);
    expect(Object.keys(endpointPolicy).sort()).toEqual(declared);
  });

  it('gives every operation a unique id, a summary, and a schema for every JSON body in or out', () => {
    const ids = allOperations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const missing: string[] = [];
    for (const [route, methods] of Object.entries(document.paths)) {
      for (const [method, raw] of Object.entries(methods)) {
        const op = raw as {
          summary?: string;
          requestBody?: { content: Record<string, { schema?: unknown }> };
          responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
        };
        const where = `${method.toUpperCase()} ${route}`;
        if (!op.summary) missing.push(`${where}: summary`);
        for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
          if (!media.schema) missing.push(`${where}: request ${type}`);
        for (const [status, response] of Object.entries(op.responses))
          for (const [type, media] of Object.entries(response.content ?? {}))
            if (!media.schema) missing.push(`${where}: ${status} ${type}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('refers only to schemas it publishes', () => {
    const text = JSON.stringify(document);
    const referred = new Set([...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!));
    expect([...referred].filter((name) => !(name in document.components.schemas))).toEqual([]);
  });

  it('is what the README endpoint table lists (npm run docs:api rewrites it)', () => {
    expect(readmeTable(readFileSync(README, 'utf8'))).toBe(endpointTable(document));
  });
});

describe('response checking', () => {
  // A stand-in route at a real operation's path: the check looks the operation up by the request.
  function appAnswering(handler: express.RequestHandler) {
    const app = express();
    app.use(checkResponses(operationsByKey));
    app.get('/api/rule-sets', handler);
    return app;
  }
  afterEach(() => takeContractViolations());

  it('lets a response that matches its schema through unchanged', async () => {
    const res = await request(appAnswering((_req, res) => res.json({ ruleSets: [] }))).get('/api/rule-sets');
    expect(res.status).toBe(200);
    expect(takeContractViolations()).toEqual([]);
  });

  it('turns a body that breaks the schema into a 500 naming the problem, and records it', async () => {
    const res = await request(appAnswering((_req, res) => res.json({ ruleSets: [{ name: 7 }] }))).get(
      '/api/rule-sets',
    );
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('RESPONSE_CONTRACT_VIOLATION');
    expect(takeContractViolations()).toEqual([expect.stringContaining('ruleSets.0.name: must be string')]);
  });

  it('holds an error to the codes declared for its status', async () => {
    const error = (code: string) => ({ error: { code, message: 'm', details: {} } });
    const declared = await request(
      appAnswering((_req, res) => res.status(401).json(error('NOT_SIGNED_IN'))),
    ).get('/api/rule-sets');
    expect(declared.status).toBe(401);
    const other = await request(appAnswering((_req, res) => res.status(401).json(error('ASSET_FROZEN')))).get(
      '/api/rule-sets',
    );
    expect(other.status).toBe(500);
    expect(takeContractViolations()).toEqual([
      expect.stringContaining('error code ASSET_FROZEN is not declared for 401'),
    ]);
  });

  it('records a status the operation does not declare, and a content type it does not', async () => {
    await request(appAnswering((_req, res) => res.status(418).json({ error: {} }))).get('/api/rule-sets');
    await request(appAnswering((_req, res) => res.type('text/plain').send('ok'))).get('/api/rule-sets');
    expect(takeContractViolations()).toEqual([
      expect.stringContaining('status 418 is not declared'),
      expect.stringContaining('content type "text/plain" is not declared'),
    ]);
  });
});
