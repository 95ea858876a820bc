import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { describeAjvError } from '../domain/describe-ajv-error';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { type AppConfig, configSchema, defaultConfig } from './config.schema';

export const CONFIG_FILE_NAME = 'temporal.config.yaml';

/** The environment variables that override the file, and the key each one sets. */
const ENV_OVERRIDES = {
  TEMPORAL_ADDRESS: ['temporal', 'address'],
  TEMPORAL_NAMESPACE: ['temporal', 'namespace'],
  TEMPORAL_TASK_QUEUE: ['temporal', 'taskQueue'],
  DATABASE_URL: ['database', 'url'],
  PORT: ['http', 'port'],
  ASSETFLOW_BLOB_DIR: ['blobs', 'dir'],
  LOG_LEVEL: ['log', 'level'],
} as const;

const validateConfig = new Ajv({ allErrors: true }).compile(configSchema);

export interface LoadConfigOptions {
  /** Path of the YAML file; defaults to `$ASSETFLOW_CONFIG` or `./temporal.config.yaml`. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values applied after the file and the environment, used by tests. */
  overrides?: DeepPartial<AppConfig>;
}

/** The configuration file a process reads: the one given, `$ASSETFLOW_CONFIG`, or `./temporal.config.yaml`. */
export function configFilePath(options: { file?: string | undefined; env?: NodeJS.ProcessEnv } = {}): string {
  return path.resolve(options.file ?? (options.env ?? process.env).ASSETFLOW_CONFIG ?? CONFIG_FILE_NAME);
}

/**
 * Sets one key of the configuration file, keeping its comments and the rest of its text (the file
 * is made when absent), and checks that the result still loads. Written to a temporary file and
 * renamed over the old one: a crash leaves the old file or the new, never half of one.
 */
export function setConfigValue(file: string, key: string[], value: unknown): void {
  const document = parseDocument(existsSync(file) ? readFileSync(file, 'utf8') : '');
  if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]!.message}`);
  document.setIn(key, document.createNode(value));
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, document.toString());
  try {
    loadConfig({ file: partial, env: {} });
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * Reads, merges and validates the configuration once per process. Precedence, lowest first:
 * built-in defaults, the YAML file, environment variables, explicit overrides. Relative paths are
 * resolved against the directory of the config file so the process may start from anywhere.
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const env = options.env ?? process.env;
  const file = configFilePath(options);
  const fromFile = existsSync(file) ? readYamlConfig(file) : {};
  const merged = deepMerge(
    deepMerge(deepMerge(structuredClone(defaultConfig), fromFile), envOverrides(env)),
    options.overrides ?? {},
  );

  if (!validateConfig(merged)) {
    const problems = (validateConfig.errors ?? []).map(describeAjvError);
    throw new AssetflowError(
      ErrorCodes.CONFIG_INVALID,
      `Invalid configuration (${file}): ${problems.join('; ')}`,
      500,
      { file, problems },
    );
  }
  const worker = workerProblem(merged);
  if (worker)
    throw new AssetflowError(ErrorCodes.CONFIG_INVALID, `Invalid configuration (${file}): ${worker}`, 500, {
      file,
      problems: [worker],
    });
  return resolvePaths(merged, path.dirname(file));
}

/** What the schema cannot say about `temporal.worker`: rules the Temporal SDK would bend silently. */
function workerProblem(config: AppConfig): string | null {
  const { maxCachedWorkflows: cache, maxConcurrentWorkflowTasks: tasks } = config.temporal.worker;
  if (cache === 1) return 'temporal.worker.maxCachedWorkflows must be 0 (no cache) or at least 2';
  if (cache > 0 && tasks > cache)
    return `temporal.worker.maxConcurrentWorkflowTasks (${tasks}) must not exceed temporal.worker.maxCachedWorkflows (${cache}) unless the cache is off (0)`;
  return null;
}

function readYamlConfig(file: string): Record<string, unknown> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter });
  const firstError = doc.errors[0];
  if (firstError) {
    const at = lineCounter.linePos(firstError.pos[0]);
    throw new AssetflowError(
      ErrorCodes.CONFIG_INVALID,
      `${file}:${at.line}:${at.col}: ${firstError.message.split('\n')[0]}`,
      500,
      { file, line: at.line, column: at.col },
    );
  }
  const value = doc.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new AssetflowError(ErrorCodes.CONFIG_INVALID, `${file}: the top level must be a mapping`, 500, {
      file,
    });
  }
  return value as Record<string, unknown>;
}

function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const [name, [section, key]] of Object.entries(ENV_OVERRIDES)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    result[section] ??= {};
    // PORT is the only numeric override; a non-number is left as a string so ajv names it.
    result[section][key] = name === 'PORT' && /^\d+$/.test(raw) ? Number(raw) : raw;
  }
  return result;
}

function resolvePaths(config: AppConfig, baseDir: string): AppConfig {
  const at = (p: string) => path.resolve(baseDir, p);
  config.temporal.devServer.dbFile = at(config.temporal.devServer.dbFile);
  if (config.temporal.devServer.executable) {
    config.temporal.devServer.executable = at(config.temporal.devServer.executable);
  }
  config.database.dataDir = at(config.database.dataDir);
  config.blobs.dir = at(config.blobs.dir);
  if (config.blobs.coldDir) config.blobs.coldDir = at(config.blobs.coldDir);
  config.audit.anchorFile = at(config.audit.anchorFile);
  config.audit.keyFile = at(config.audit.keyFile);
  return config;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// biome-ignore lint/suspicious/noExplicitAny: merging untyped YAML into the typed defaults
function deepMerge<T extends Record<string, any>>(target: T, source: Record<string, unknown>): T {
  for (const [key, value] of Object.entries(source)) {
    const current = (target as Record<string, unknown>)[key];
    if (isPlainObject(current) && isPlainObject(value)) {
      deepMerge(current, value);
    } else {
      (target as Record<string, unknown>)[key] = value;
    }
  }
  return target;
}
