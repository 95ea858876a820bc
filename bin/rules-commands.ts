import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type DryRunEvent, type DryRunSample, dryRun } from '../lifecycle/dry-run';
import { dryRunRequestProblems } from '../lifecycle/dry-run.schema';
import { compileRuleSet, formatProblem } from '../rules';

/**
 * `assetflow rules validate FILE…` and `assetflow rules dry-run FILE --asset SAMPLE.json`.
 * Exit code 0 when everything is valid, 1 otherwise; `--json` prints machine-readable results.
 */
export function registerRulesCommands(program: Command): void {
  const rules = program
    .command('rules')
    .description('validate and dry-run rule sets offline (no server needed)');

  rules
    .command('validate')
    .argument('<files...>', 'rule-set YAML files')
    .option('--json', 'print JSON instead of text')
    .description('check rule sets; prints every problem with file:line:column')
    .action((files: string[], options: { json?: boolean }) => {
      const results = files.map((file) => {
        const { plan, problems } = compileRuleSet(readFileSync(file, 'utf8'), file);
        return { file, valid: plan !== undefined, name: plan?.name, problems };
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      } else {
        for (const r of results) {
          process.stdout.write(
            r.valid ? `${r.file}: valid (rule set "${r.name}")\n` : `${r.file}: invalid\n`,
          );
          for (const p of r.problems) process.stdout.write(`  ${formatProblem(p)}\n`);
        }
      }
      process.exitCode = results.every((r) => r.valid) ? 0 : 1;
    });

  rules
    .command('migrate')
    .argument('<name>', 'rule set name')
    .requiredOption('--to <version>', 'target version')
    .option(
      '--assets <ids>',
      'comma-separated asset ids (default: every asset of the rule set on another version)',
    )
    .option('--apply', 'move the assets (without it, only preview)')
    .option('--server <url>', 'Assetflow API', 'http://127.0.0.1:3000')
    .option(
      '--token <token>',
      'API token (POST /api/tokens); default: $ASSETFLOW_TOKEN',
      process.env.ASSETFLOW_TOKEN,
    )
    .option('--json', 'print JSON instead of text')
    .description('preview, then apply, moving running assets to another version of their rule set')
    .action(
      async (
        name: string,
        options: {
          to: string;
          assets?: string;
          apply?: boolean;
          server: string;
          token?: string;
          json?: boolean;
        },
      ) => {
        const body = {
          toVersion: Number(options.to),
          dryRun: !options.apply,
          ...(options.assets ? { assetIds: options.assets.split(',').map((a) => a.trim()) } : {}),
        };
        const res = await fetch(
          `${options.server.replace(/\/$/, '')}/api/rule-sets/${encodeURIComponent(name)}/migrations`,
          {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
            },
            body: JSON.stringify(body),
          },
        );
        const result = (await res.json()) as {
          error?: { message: string };
          dryRun: boolean;
          toVersion: number;
          assets: {
            assetId: string;
            fromVersion: number | null;
            changes: { description: string }[];
            result?: unknown;
          }[];
        };
        if (!res.ok) {
          process.stderr.write(`${result.error?.message ?? res.statusText}\n`);
          process.exitCode = 1;
          return;
        }
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `${result.dryRun ? 'Preview' : 'Migration'} of ${result.assets.length} asset(s) to ${name} v${result.toVersion}:\n`,
        );
        for (const a of result.assets) {
          const outcome =
            a.result === undefined
              ? ''
              : a.result === 'migrated'
                ? ' — migrated'
                : ` — refused: ${JSON.stringify(a.result)}`;
          process.stdout.write(`  ${a.assetId} (v${a.fromVersion})${outcome}\n`);
          for (const c of a.changes) process.stdout.write(`    ${c.description}\n`);
          if (a.changes.length === 0)
            process.stdout.write('    no change to timers, retention or required fields\n');
        }
        if (result.dryRun) process.stdout.write('Nothing was moved; run again with --apply to migrate.\n');
        if (result.assets.some((a) => a.result !== undefined && a.result !== 'migrated'))
          process.exitCode = 1;
      },
    );

  rules
    .command('dry-run')
    .argument('<file>', 'rule-set YAML file')
    .requiredOption('--asset <sample.json>', 'JSON {asset, metadata, directory} (may also hold "events")')
    .option('--events <events.json>', 'JSON array of events (upload is implicit)')
    .option('--json', 'print JSON instead of text')
    .description(
      'play a sample asset and events through the rule set: path taken and every timer with its date',
    )
    .action((file: string, options: { asset: string; events?: string; json?: boolean }) => {
      const { plan, problems } = compileRuleSet(readFileSync(file, 'utf8'), file);
      if (!plan) {
        for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
        process.exitCode = 1;
        return;
      }
      const { events: inlineEvents, ...sample } = JSON.parse(
        readFileSync(options.asset, 'utf8'),
      ) as DryRunSample & { events?: DryRunEvent[] };
      const events = options.events
        ? (JSON.parse(readFileSync(options.events, 'utf8')) as DryRunEvent[])
        : (inlineEvents ?? []);
      const requestProblems = dryRunRequestProblems({ sample, events });
      if (requestProblems.length > 0) {
        process.stderr.write(`Invalid sample or events: ${requestProblems.join('; ')}\n`);
        process.exitCode = 1;
        return;
      }
      const result = dryRun(plan, sample, events);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      process.stdout.write(`Dry-run of "${plan.name}" for ${sample.asset.name}\n\nEvents:\n`);
      for (const entry of result.log)
        process.stdout.write(`  ${entry.at}  ${entry.event}: ${entry.outcome}\n`);
      process.stdout.write('\nFlows:\n');
      for (const flow of result.flows)
        process.stdout.write(`  ${flow.id} (${flow.status}): ${flow.path.map((p) => p.node).join(' → ')}\n`);
      process.stdout.write('\nTimers:\n');
      for (const t of result.timers)
        process.stdout.write(`  ${t.at}  ${t.name} [${t.status}]: ${t.reason}\n`);
      process.stdout.write(
        `\nFinal: ${result.final.state}${result.final.frozen ? ' (frozen)' : ''}; tags: ${result.final.tags.join(', ') || 'none'}\n`,
      );
    });
}
