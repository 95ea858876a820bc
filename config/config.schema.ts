import type { JSONSchemaType } from 'ajv';

/**
 * The shape of `temporal.config.yaml` after defaults are applied. Every key is documented in the
 * README ("Configuration"); keep the two in step.
 */
export interface AppConfig {
  temporal: {
    /** `embedded` starts a local Temporal dev server; otherwise `host:port` of a running cluster. */
    address: string;
    namespace: string;
    taskQueue: string;
    /** Settings of the embedded dev server; ignored when `address` is not `embedded`. */
    devServer: {
      /** SQLite file the dev server persists workflows in (relative to the config file). */
      dbFile: string;
      port: number;
      uiPort: number;
      /** Explicit path to a `temporal` CLI binary; found or built when absent. */
      executable?: string;
    };
    /** How much the worker keeps in memory and runs at once (docs/performance.md, "Idle workflows"). */
    worker: {
      /**
       * Workflow runs kept in the worker's sticky cache. An asset waits months for its next timer;
       * a cached run holds memory all that time, an evicted one is replayed from its history when
       * it wakes. 0 turns the cache off.
       */
      maxCachedWorkflows: number;
      /** Seconds a task waits on this worker's sticky queue before any worker may take it. */
      stickyQueueTimeoutSeconds: number;
      /** Workflow tasks run at once (at most `maxCachedWorkflows` unless the cache is off). */
      maxConcurrentWorkflowTasks: number;
      /** Activities run at once (ingest, renditions, archive moves). */
      maxConcurrentActivities: number;
    };
  };
  database: {
    /**
     * `embedded` runs PostgreSQL from node_modules with its cluster in `dataDir` (every Assetflow
     * process on the data directory shares that one server); otherwise a `postgres://` URL.
     */
    url: string;
    dataDir: string;
  };
  blobs: {
    /**
     * Root of the content-addressed blob store on this machine (the hot tier, temporaries and
     * renditions); with `s3`, only the temporaries and the local read cache.
     */
    dir: string;
    /** Root of the cold tier: a slower, cheaper disk; `<dir>/cold` when absent. Not used with `s3`. */
    coldDir?: string;
    /**
     * S3-compatible object storage instead of the file system, shared by every API server and
     * worker. Credentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY),
     * never from this file.
     */
    s3?: {
      /** An S3-compatible server's URL; absent for AWS S3 itself. */
      endpoint?: string;
      bucket: string;
      region: string;
      /** Path-style URLs (`host/bucket/key`): what most S3-compatible servers need. */
      forcePathStyle?: boolean;
      /** The cold tier as a second bucket; without one, under `cold/` in `bucket`. */
      coldBucket?: string;
      /** The local read cache's size (bytes), trimmed least recently used first every hour by a running server or worker. */
      cacheMaxBytes?: number;
      /**
       * `stream`: downloads pass through the API server; `presigned`: a download is answered with
       * a 303 to a short-lived URL of the store (recorded in the trail all the same; marked
       * copies are always streamed). The endpoint must then be reachable by the people downloading.
       */
      downloads?: 'stream' | 'presigned';
      /** How long a presigned download URL stays valid. */
      presignedSeconds?: number;
    };
  };
  /** Offline AI tagging at ingest (rule sets can switch each off per asset). */
  tagging: {
    /** CenterNet COCO object detection (≈ 0.3 s per image, in the model thread). */
    objects: boolean;
    /** PaddleOCR text in images, Chinese and English (≈ 0.3–0.5 s per image, in the model thread). */
    text: boolean;
    /** Detections below this score do not become tags. */
    minObjectScore: number;
  };
  http: {
    port: number;
    host: string;
    /**
     * The address people reach the server at (e.g. https://dam.example.com), used in share-link
     * URLs. Unset: taken from each request's Host header.
     */
    publicUrl?: string;
    /**
     * Express's `trust proxy`: whom to believe about the client's address and protocol
     * (X-Forwarded-For / -Proto). `false` (default) trusts nobody: right when clients connect
     * directly. Behind a reverse proxy: the number of proxies in front (1), or their addresses or
     * subnets ("loopback", "10.0.0.0/8"). `true` trusts every hop: only when nothing but the proxy
     * can reach the server.
     */
    trustProxy: boolean | number | string;
    /** How often an event stream is kept alive and its session checked again (seconds). */
    eventStreamHeartbeatSeconds: number;
  };
  /** Sessions of the web app and API tokens of scripts. */
  auth: {
    /** A session ends after this many minutes without a request. */
    sessionIdleMinutes: number;
    /** A session ends this many days after sign-in, however active. */
    sessionMaxDays: number;
    /** API tokens expire after this many days by default, and at most after this many. */
    tokenDays: number;
  };
  limits: {
    /** Largest accepted upload, per file, in bytes. */
    maxUploadBytes: number;
    /** Files per multipart request. */
    maxFilesPerUpload: number;
    /** Images with more pixels than this are refused (decompression-bomb guard). */
    maxImagePixels: number;
    /** Renditions a cropped leak is compared with, nearest perceptual hash first (≈ 0.4 s each). */
    traceCandidates: number;
  };
  rules: {
    /** Rule set applied when an upload names none. */
    defaultRuleSet: string;
  };
  /** Deleted assets wait in the trash, restorable, before they are purged. */
  trash: {
    /** Days an asset stays in the trash before its workflow purges it (a durable timer). */
    keepDays: number;
  };
  /** The distribution trail's anchors: its head, signed, kept outside the database. */
  audit: {
    /** Append-only JSON Lines file of signed heads (keep a copy off this machine too). */
    anchorFile: string;
    /**
     * The signing key, when `$ASSETFLOW_AUDIT_KEY` is unset; a random key is written here at the
     * first start. Never in the database.
     */
    keyFile: string;
    /** How often the API process anchors the head when it moved (and once more when it stops). */
    anchorIntervalSeconds: number;
  };
  log: {
    level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  };
}

export const configSchema: JSONSchemaType<AppConfig> = {
  type: 'object',
  additionalProperties: false,
  required: [
    'temporal',
    'database',
    'blobs',
    'tagging',
    'http',
    'auth',
    'limits',
    'rules',
    'trash',
    'audit',
    'log',
  ],
  properties: {
    temporal: {
      type: 'object',
      additionalProperties: false,
      required: ['address', 'namespace', 'taskQueue', 'devServer', 'worker'],
      properties: {
        address: { type: 'string', pattern: '^(embedded|[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5})$' },
        namespace: { type: 'string', minLength: 1 },
        taskQueue: { type: 'string', minLength: 1 },
        devServer: {
          type: 'object',
          additionalProperties: false,
          required: ['dbFile', 'port', 'uiPort'],
          properties: {
            dbFile: { type: 'string', minLength: 1 },
            port: { type: 'integer', minimum: 1, maximum: 65535 },
            uiPort: { type: 'integer', minimum: 1, maximum: 65535 },
            executable: { type: 'string', nullable: true, minLength: 1 },
          },
        },
        worker: {
          type: 'object',
          additionalProperties: false,
          required: [
            'maxCachedWorkflows',
            'stickyQueueTimeoutSeconds',
            'maxConcurrentWorkflowTasks',
            'maxConcurrentActivities',
          ],
          properties: {
            maxCachedWorkflows: { type: 'integer', minimum: 0, maximum: 100_000 },
            stickyQueueTimeoutSeconds: { type: 'integer', minimum: 1, maximum: 3600 },
            maxConcurrentWorkflowTasks: { type: 'integer', minimum: 2, maximum: 1000 },
            maxConcurrentActivities: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        },
      },
    },
    database: {
      type: 'object',
      additionalProperties: false,
      required: ['url', 'dataDir'],
      properties: {
        url: { type: 'string', pattern: '^(embedded|postgres(ql)?://.+)$' },
        dataDir: { type: 'string', minLength: 1 },
      },
    },
    blobs: {
      type: 'object',
      additionalProperties: false,
      required: ['dir'],
      properties: {
        dir: { type: 'string', minLength: 1 },
        coldDir: { type: 'string', minLength: 1, nullable: true },
        s3: {
          type: 'object',
          nullable: true,
          additionalProperties: false,
          required: ['bucket', 'region'],
          properties: {
            endpoint: { type: 'string', pattern: '^https?://', nullable: true },
            // S3's own bucket naming rules (3–63 lowercase letters, digits, dots, hyphens).
            bucket: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' },
            region: { type: 'string', minLength: 1, maxLength: 64 },
            forcePathStyle: { type: 'boolean', nullable: true },
            coldBucket: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', nullable: true },
            cacheMaxBytes: { type: 'integer', minimum: 0, nullable: true },
            downloads: { type: 'string', enum: ['stream', 'presigned'], nullable: true },
            presignedSeconds: { type: 'integer', minimum: 1, maximum: 3600, nullable: true },
          },
        },
      },
    },
    tagging: {
      type: 'object',
      additionalProperties: false,
      required: ['objects', 'text', 'minObjectScore'],
      properties: {
        objects: { type: 'boolean' },
        text: { type: 'boolean' },
        minObjectScore: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
    http: {
      type: 'object',
      additionalProperties: false,
      required: ['port', 'host', 'trustProxy', 'eventStreamHeartbeatSeconds'],
      properties: {
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        host: { type: 'string', minLength: 1 },
        publicUrl: { type: 'string', nullable: true, pattern: '^https?://[^\\s/]+(/[^\\s]*)?$' },
        // A union JSONSchemaType cannot spell: a flag, a hop count, or addresses / subnets.
        trustProxy: {
          anyOf: [
            { type: 'boolean' },
            { type: 'integer', minimum: 0, maximum: 100 },
            { type: 'string', minLength: 1, maxLength: 1000 },
          ],
        } as never,
        eventStreamHeartbeatSeconds: { type: 'number', minimum: 0.1, maximum: 3600 },
      },
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      required: ['sessionIdleMinutes', 'sessionMaxDays', 'tokenDays'],
      properties: {
        sessionIdleMinutes: { type: 'number', exclusiveMinimum: 0, maximum: 525600 },
        sessionMaxDays: { type: 'number', exclusiveMinimum: 0, maximum: 365 },
        tokenDays: { type: 'number', exclusiveMinimum: 0, maximum: 3650 },
      },
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      required: ['maxUploadBytes', 'maxFilesPerUpload', 'maxImagePixels', 'traceCandidates'],
      properties: {
        maxUploadBytes: { type: 'integer', minimum: 1 },
        maxFilesPerUpload: { type: 'integer', minimum: 1 },
        maxImagePixels: { type: 'integer', minimum: 1 },
        traceCandidates: { type: 'integer', minimum: 0 },
      },
    },
    rules: {
      type: 'object',
      additionalProperties: false,
      required: ['defaultRuleSet'],
      properties: { defaultRuleSet: { type: 'string', minLength: 1 } },
    },
    trash: {
      type: 'object',
      additionalProperties: false,
      required: ['keepDays'],
      properties: { keepDays: { type: 'integer', minimum: 1, maximum: 3650 } },
    },
    audit: {
      type: 'object',
      additionalProperties: false,
      required: ['anchorFile', 'keyFile', 'anchorIntervalSeconds'],
      properties: {
        anchorFile: { type: 'string', minLength: 1 },
        keyFile: { type: 'string', minLength: 1 },
        anchorIntervalSeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      required: ['level'],
      properties: {
        level: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
      },
    },
  },
};

/** Values used for every key the config file leaves out. */
export const defaultConfig: AppConfig = {
  temporal: {
    address: 'embedded',
    namespace: 'default',
    taskQueue: 'assetflow',
    devServer: { dbFile: '.assetflow/temporal.db', port: 7233, uiPort: 8233 },
    worker: {
      maxCachedWorkflows: 100,
      stickyQueueTimeoutSeconds: 10,
      maxConcurrentWorkflowTasks: 40,
      maxConcurrentActivities: 100,
    },
  },
  database: { url: 'embedded', dataDir: '.assetflow/postgres' },
  blobs: { dir: '.assetflow/blobs' },
  tagging: { objects: true, text: true, minObjectScore: 0.4 },
  http: { port: 3000, host: '127.0.0.1', trustProxy: false, eventStreamHeartbeatSeconds: 25 },
  auth: { sessionIdleMinutes: 12 * 60, sessionMaxDays: 7, tokenDays: 90 },
  limits: {
    maxUploadBytes: 256 * 1024 * 1024,
    maxFilesPerUpload: 100,
    maxImagePixels: 268_402_689, // sharp's own default (0x3FFF * 0x3FFF)
    traceCandidates: 20,
  },
  rules: { defaultRuleSet: 'default' },
  trash: { keepDays: 30 },
  audit: {
    anchorFile: '.assetflow/audit-anchors.jsonl',
    keyFile: '.assetflow/audit-anchor.key',
    anchorIntervalSeconds: 60,
  },
  log: { level: 'info' },
};
