/** Environment variables the global setup hands to test files. */
export const TEST_ENV = {
  temporalAddress: 'ASSETFLOW_TEST_TEMPORAL_ADDRESS',
  workflowBundle: 'ASSETFLOW_TEST_WORKFLOW_BUNDLE',
  embeddedPostgresUrl: 'ASSETFLOW_TEST_EMBEDDED_POSTGRES_URL',
  s3Server: 'ASSETFLOW_TEST_S3_SERVER',
} as const;

export function testTemporalAddress(): string {
  const address = process.env[TEST_ENV.temporalAddress];
  if (!address)
    throw new Error(
      'The Temporal dev server was not started: run tests with `npm test` (jest global setup).',
    );
  return address;
}

export function testWorkflowBundle(): { codePath: string } {
  const codePath = process.env[TEST_ENV.workflowBundle];
  if (!codePath)
    throw new Error('The workflow bundle is missing: run tests with `npm test` (jest global setup).');
  return { codePath };
}

/** The run's embedded PostgreSQL (the product's default catalogue server), its `assetflow` database. */
export function testEmbeddedPostgresUrl(): string {
  const url = process.env[TEST_ENV.embeddedPostgresUrl];
  if (!url)
    throw new Error(
      'The embedded PostgreSQL was not started: run tests with `npm test` (jest global setup).',
    );
  return url;
}

/** The run's S3 server (versitygw): its endpoint and root credentials. */
export function testS3Server(): {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
} {
  const json = process.env[TEST_ENV.s3Server];
  if (!json) throw new Error('The S3 server was not started: run tests with `npm test` (jest global setup).');
  return JSON.parse(json);
}
