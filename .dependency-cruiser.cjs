/**
 * The layers of Assetflow as `npm run lint` enforces them (docs/architecture.md draws the same).
 * A wrong arrow or an import cycle fails CI.
 */
const PURE = '^(domain|rules|lifecycle|policy|search)/';
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No import cycles between modules, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-the-bottom',
      comment: 'domain/ holds plain types and errors; it imports no other folder of Assetflow.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { path: '^(?!domain/)[a-z-]+/', pathNot: '^node_modules/' },
    },
    {
      name: 'rules-on-domain-only',
      comment: 'The rule-set language depends on nothing but domain/.',
      severity: 'error',
      from: { path: '^rules/' },
      to: { path: '^(?!(rules|domain)/)[a-z-]+/', pathNot: '^node_modules/' },
    },
    {
      name: 'lifecycle-on-rules-and-domain',
      comment: 'The lifecycle engine is pure: it uses the rule-set language and domain types only.',
      severity: 'error',
      from: { path: '^lifecycle/' },
      to: { path: '^(?!(lifecycle|rules|domain)/)[a-z-]+/', pathNot: '^node_modules/' },
    },
    {
      name: 'workflows-interpret-the-engine',
      comment: 'Workflows import the engine, rules and domain, and activities as types only.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        path: '^(?!(workflows|lifecycle|rules|domain)/)[a-z-]+/',
        pathNot: ['^node_modules/', '^activities/index\\.ts$'],
      },
    },
    {
      name: 'workflows-see-activities-as-types',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'pure-code-has-no-side-effects',
      comment: 'Pure folders import no Node built-in, no sharp, database, HTTP or Temporal client.',
      severity: 'error',
      from: { path: PURE },
      to: {
        dependencyTypes: ['core'],
      },
    },
    {
      name: 'pure-code-imports-no-adapters',
      severity: 'error',
      from: { path: PURE },
      to: { path: 'node_modules/(sharp|kysely|postgres|express|@temporalio/(client|worker))/' },
    },
    {
      name: 'activities-below-services',
      comment:
        'Activities do I/O through catalogue/, blobstore/, imaging/, ingest/; never through services/ or the server.',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: '^(services|server|runtime|temporal)/' },
    },
    {
      name: 'adapters-below-services',
      comment: 'Storage and imaging adapters know nothing of services, the server or the composition roots.',
      severity: 'error',
      from: { path: '^(catalogue|blobstore|imaging|ingest|tagging)/' },
      to: { path: '^(services|server|runtime|temporal|activities|workflows)/' },
    },
    {
      name: 'operations-below-services',
      comment: 'operations/ (indexer, rendition cache, notices) serves activities and services alike.',
      severity: 'error',
      from: { path: '^operations/' },
      to: { path: '^(services|server|runtime|temporal|activities|workflows)/' },
    },
    {
      name: 'editor-uses-pure-code-only',
      comment:
        'The web app runs the pure rule and lifecycle code in the browser; it talks to the rest by HTTP.',
      severity: 'error',
      from: { path: '^editor/' },
      to: { path: '^(?!(editor|rules|lifecycle|domain|policy)/)[a-z-]+/', pathNot: '^node_modules/' },
    },
    {
      name: 'services-below-the-server',
      severity: 'error',
      from: { path: '^services/' },
      to: { path: '^(server|runtime)/' },
    },
    {
      name: 'one-module-decodes-pixels',
      comment: 'sharp is imported by imaging/pixels.ts alone, where every decode gets its pixel limit.',
      severity: 'error',
      from: { pathNot: '^(imaging/pixels\\.ts|test/|bench/)' },
      to: { path: 'node_modules/sharp/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|editor/dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
