/**
 * One Jest run covers every tier: unit tests next to nothing but pure code, integration tests on
 * the real Temporal dev server with an embedded PostgreSQL (and a second server when DATABASE_URL
 * is set), workflow tests on the time-skipping server, and replay of recorded histories. The
 * global setup finds or builds the Temporal binaries, starts one dev server and one embedded
 * PostgreSQL and bundles the workflows once per run.
 */
const swc = [
  '@swc/jest',
  {
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs', ignoreDynamic: true },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/support/node-environment.js',
  // These packages ship only ES modules; swc turns them into CommonJS for Jest like our own code.
  transform: { '^.+\\.[jt]s$': swc },
  transformIgnorePatterns: [
    '/node_modules/(?!(@marcbachmann/cel-js|file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit)/)',
  ],
  // file-type exports its Node entry under the `import` condition only, which Jest's CommonJS
  // resolver does not use; point it at the file.
  moduleNameMapper: { '^file-type$': '<rootDir>/node_modules/file-type/index.js' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Every response a test receives is checked against the API contract (server/contract/).
  setupFilesAfterEnv: ['<rootDir>/test/support/contract-check.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
  // Each test file runs its own worker and database; finish what they started before reporting.
  forceExit: false,
};
