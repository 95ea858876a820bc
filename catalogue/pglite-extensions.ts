import type { Extension } from '@electric-sql/pglite';

// PGlite ships CommonJS builds of its extensions but declares their types for ESM only, which a
// CommonJS project cannot import; the value comes from the CommonJS build, typed by the main entry.
export const pg_trgm: Extension = require('@electric-sql/pglite/contrib/pg_trgm').pg_trgm;
