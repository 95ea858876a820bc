import type { Express } from 'express';
import pino from 'pino';
import { endpointPolicy } from '../../policy/endpoints';
import { createApp } from '../../server/app';
import { openApiDocument } from '../../server/openapi';

/** Every route the app registers is described in the OpenAPI document, and nothing more. */
describe('OpenAPI document', () => {
  it('describes exactly the routes the app serves', () => {
    // Route registration only: none of these dependencies is called.
    const app = createApp({
      assets: {},
      health: {},
      blobs: {},
      limits: {},
      logger: pino({ level: 'silent' }),
    } as never) as Express & {
      router: { stack: Layer[] };
    };
    type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
    const routes = new Set<string>();
    const collect = (stack: Layer[]) => {
      for (const layer of stack) {
        if (layer.route) {
          for (const method of Object.keys(layer.route.methods)) {
            routes.add(`${method} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
          }
        } else if (layer.handle?.stack) {
          collect(layer.handle.stack);
        }
      }
    };
    collect(app.router.stack);
    const documented = new Set(
      Object.entries(openApiDocument.paths).flatMap(([p, ops]) =>
        Object.keys(ops).map((method) => `${method} ${p}`),
      ),
    );
    expect([...routes].sort()).toEqual([...documented].sort());
  });

  it('has a policy entry for every documented operation, and no entry for anything else', () => {
    const documented = Object.entries(openApiDocument.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${p}`),
    );
    expect(Object.keys(endpointPolicy).sort()).toEqual(documented.sort());
  });
});
