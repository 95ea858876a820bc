#!/usr/bin/env node
// `npx assetflow …`: runs the TypeScript entry point through tsx, which Assetflow uses everywhere.
require('tsx/cjs');
require('./assetflow.ts');
