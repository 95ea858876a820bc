/**
 * The API contract's costs, and the validator choice measured against the alternative: the time
 * to generate the OpenAPI document and to compile every operation's validators (paid once at
 * start-up), and the time to validate request bodies with ajv compiling the TypeBox schemas (what
 * the server does) against TypeBox's own compiler and its interpreter, in the same run.
 *
 *   npx tsx bench/contract.bench.ts [iterations=200000]
 */
import type { TSchema } from '@sinclair/typebox';
import { FormatRegistry } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import { openApiDocumentOf } from '../server/contract/document';
import { allOperations } from '../server/contract/operations';
import { signIn } from '../server/routes/auth.contract';
import { addComment } from '../server/routes/collaboration.contract';
import { createShare } from '../server/routes/shares.contract';

const ITERATIONS = Number(process.argv[2] ?? 200_000);
const say = (line: string) => process.stdout.write(`${line}\n`);

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeMs(work: () => void, runs = 15): number {
  return median(
    Array.from({ length: runs }, () => {
      const started = process.hrtime.bigint();
      work();
      return Number(process.hrtime.bigint() - started) / 1e6;
    }),
  );
}

// TypeBox checks formats only through its registry: the same definitions ajv uses, registered.
for (const [name, format] of Object.entries(fullFormats)) {
  const check =
    format instanceof RegExp
      ? (value: string) => format.test(value)
      : typeof format === 'function'
        ? (value: string) => (format as (v: string) => boolean)(value)
        : typeof format === 'object' && 'validate' in format
          ? (value: string) =>
              format.validate instanceof RegExp
                ? format.validate.test(value)
                : (format.validate as (v: string) => boolean)(value)
          : () => true;
  FormatRegistry.Set(name, check);
}

const bodySchemas = allOperations.flatMap((op) => (op.body && 'json' in op.body ? [op.body.json] : []));
const stringSchemas = allOperations.flatMap((op) =>
  [op.params, op.query].filter((s): s is NonNullable<typeof s> => !!s),
);
const freshAjv = () => {
  const ajv = new Ajv2020({ allErrors: false, strict: false });
  addFormats(ajv);
  return ajv;
};

say(
  `Operations: ${allOperations.length}; JSON bodies ${bodySchemas.length}; path/query schemas ${stringSchemas.length}`,
);
say(
  `Generate the OpenAPI document: ${timeMs(() => openApiDocumentOf(allOperations)).toFixed(1)} ms (median of 15)`,
);
say(
  `Compile every validator with ajv: ${timeMs(() => {
    const ajv = freshAjv();
    for (const schema of [...bodySchemas, ...stringSchemas]) ajv.compile(schema);
  }, 5).toFixed(1)} ms (median of 5)`,
);
// TypeBox's compiler refuses schemas it did not build itself (Type.Unsafe: our string enums, the
// dry-run request's plain JSON Schema); those are counted, not compiled.
const typeboxCompiles = (schema: TSchema) => {
  try {
    TypeCompiler.Compile(schema);
    return true;
  } catch {
    return false;
  }
};
const compilable = [...bodySchemas, ...stringSchemas].filter((schema) => typeboxCompiles(schema as TSchema));
say(
  `TypeBox's compiler: ${compilable.length} of ${bodySchemas.length + stringSchemas.length} schemas compile; ` +
    `those in ${timeMs(() => {
      for (const schema of compilable) TypeCompiler.Compile(schema as TSchema);
    }, 5).toFixed(1)} ms (median of 5)`,
);

const cases: Array<[string, TSchema, unknown]> = [
  [
    'sign-in',
    (signIn.body as { json: TSchema }).json,
    { email: 'reviewer@example.com', password: 'correct horse battery' },
  ],
  [
    'share link request',
    (createShare.body as { json: TSchema }).json,
    {
      assetIds: ['0b9b5f2c-5d0e-4b8e-9a53-0f4b1d2c3e4f', '1c9b5f2c-5d0e-4b8e-9a53-0f4b1d2c3e4f'],
      permission: 'download',
      rendition: 'web',
      password: 'a long password',
      expiresInDays: 14,
      allowedEmails: ['buyer@example.com', '@partner.example'],
    },
  ],
  [
    'comment with a region',
    (addComment.body as { json: TSchema }).json,
    {
      body: 'The logo is cut off here.',
      version: 2,
      region: { kind: 'rect', x: 0.1, y: 0.2, width: 0.3, height: 0.1 },
    },
  ],
];

const perCheckOf = (check: () => unknown) =>
  (
    (timeMs(() => {
      for (let i = 0; i < ITERATIONS; i++) check();
    }) *
      1e6) /
    ITERATIONS
  ).toFixed(0);

say('\nValidating a body that passes (ns per check, median of 15 batches; ratio against ajv):');
say('| body | ajv (the server) | TypeBox compiler | TypeBox Value.Check |');
say('|---|---|---|---|');
for (const [name, schema, body] of cases) {
  const ajv = freshAjv().compile(schema);
  if (!ajv(body)) throw new Error(`${name} does not pass`);
  if (!typeboxCompiles(schema)) {
    say(`| ${name} | ${perCheckOf(() => ajv(body))} ns | cannot compile (Type.Unsafe) | — |`);
    continue;
  }
  const compiled = TypeCompiler.Compile(schema);
  if (!compiled.Check(body) || !Value.Check(schema, body)) throw new Error(`${name} does not pass TypeBox`);
  const perCheck = (check: () => unknown, n: number) =>
    (timeMs(() => {
      for (let i = 0; i < n; i++) check();
    }) *
      1e6) /
    n;
  const a = perCheck(() => ajv(body), ITERATIONS);
  const c = perCheck(() => compiled.Check(body), ITERATIONS);
  const v = perCheck(() => Value.Check(schema, body), Math.max(1, Math.floor(ITERATIONS / 20)));
  say(
    `| ${name} | ${a.toFixed(0)} ns | ${c.toFixed(0)} ns (${(c / a).toFixed(2)}×) | ${v.toFixed(0)} ns (${(v / a).toFixed(1)}×) |`,
  );
}
