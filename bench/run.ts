/**
 * `npm run bench -- <name> [arguments…]` runs `bench/<name>.bench.ts` with its arguments (the
 * lifecycle bench with `--expose-gc`, which it uses to read the heap after a full collection).
 * Without a name it lists the benches.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const names = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  process.stderr.write(
    `${name ? `No bench named "${name}". ` : ''}Usage: npm run bench -- <name> [arguments…]\nBenches: ${names.join(', ')}\n`,
  );
  process.exit(name ? 2 : 0);
}
const flags = name === 'lifecycle' ? ['--expose-gc'] : [];
const run = spawnSync(
  process.execPath,
  [...flags, '--import', 'tsx', path.join(__dirname, `${name}.bench.ts`), ...args],
  { stdio: 'inherit' },
);
process.exit(run.status ?? 1);
