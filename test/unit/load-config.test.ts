import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load-config';
import { AssetflowError } from '../../domain/errors';

function configFile(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-config-'));
  const file = path.join(dir, 'temporal.config.yaml');
  writeFileSync(file, yaml);
  return file;
}

function errorOf(fn: () => unknown): AssetflowError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AssetflowError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('loadConfig', () => {
  it('uses the defaults when there is no file, with paths relative to where the file would be', () => {
    const file = path.join(os.tmpdir(), 'nowhere', 'temporal.config.yaml');
    const config = loadConfig({ file, env: {} });
    expect(config.temporal.address).toBe('embedded');
    expect(config.database.url).toBe('embedded');
    expect(config.database.dataDir).toBe(path.join(os.tmpdir(), 'nowhere', '.assetflow', 'postgres'));
    expect(config.http.port).toBe(3000);
  });

  it('the shipped temporal.config.yaml is valid', () => {
    const config = loadConfig({ file: path.join(__dirname, '..', '..', 'temporal.config.yaml'), env: {} });
    expect(config.temporal.taskQueue).toBe('assetflow');
  });

  it('merges the file over the defaults, and the environment over the file', () => {
    const file = configFile(
      'temporal:\n  address: temporal.internal:7233\n  namespace: dam\nhttp:\n  port: 8080\n',
    );
    const config = loadConfig({ file, env: { PORT: '9090', DATABASE_URL: 'postgres://u:p@db/assetflow' } });
    expect(config.temporal.address).toBe('temporal.internal:7233');
    expect(config.temporal.namespace).toBe('dam');
    expect(config.temporal.taskQueue).toBe('assetflow');
    expect(config.http.port).toBe(9090);
    expect(config.database.url).toBe('postgres://u:p@db/assetflow');
  });

  it('names an unknown key', () => {
    const error = errorOf(() => loadConfig({ file: configFile('temporal:\n  adress: x:1\n'), env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('unknown key temporal.adress');
  });

  it('names a key with the wrong type', () => {
    const error = errorOf(() => loadConfig({ file: configFile('http:\n  port: eighty\n'), env: {} }));
    expect(error.message).toContain('http.port: must be integer');
  });

  it('names a bad environment override', () => {
    const error = errorOf(() =>
      loadConfig({ file: configFile(''), env: { PORT: 'abc', TEMPORAL_ADDRESS: 'nope' } }),
    );
    expect(error.message).toContain('http.port: must be integer');
    expect(error.message).toContain('temporal.address');
  });

  it('reads the worker cache and concurrency, and rejects settings the SDK would bend silently', () => {
    const config = loadConfig({
      file: configFile(
        'temporal:\n  worker:\n    maxCachedWorkflows: 600\n    maxConcurrentWorkflowTasks: 20\n',
      ),
      env: {},
    });
    expect(config.temporal.worker).toEqual({
      maxCachedWorkflows: 600,
      stickyQueueTimeoutSeconds: 10,
      maxConcurrentWorkflowTasks: 20,
      maxConcurrentActivities: 100,
    });
    const one = errorOf(() =>
      loadConfig({ file: configFile('temporal:\n  worker:\n    maxCachedWorkflows: 1\n'), env: {} }),
    );
    expect(one.message).toContain('temporal.worker.maxCachedWorkflows must be 0 (no cache) or at least 2');
    const over = errorOf(() =>
      loadConfig({ file: configFile('temporal:\n  worker:\n    maxCachedWorkflows: 10\n'), env: {} }),
    );
    expect(over.message).toContain('maxConcurrentWorkflowTasks (40) must not exceed');
    const off = loadConfig({
      file: configFile('temporal:\n  worker:\n    maxCachedWorkflows: 0\n'),
      env: {},
    });
    expect(off.temporal.worker.maxCachedWorkflows).toBe(0);
  });

  it('reports YAML syntax errors with line and column', () => {
    const error = errorOf(() => loadConfig({ file: configFile('http:\n  port: 1\n\thost: x\n'), env: {} }));
    expect(error.details).toMatchObject({ line: 3, column: 1 });
    expect(error.message).toMatch(/temporal\.config\.yaml:3:1: Tabs are not allowed/);
  });
});
