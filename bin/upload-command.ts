import type { Command } from 'commander';
import { loadConfig } from '../config/load-config';
import { type BulkUploadReport, bulkUpload, filesUnder, watchAndUpload } from './bulk-upload';
import { progressBar } from './progress';

/** `assetflow upload <files|dirs…>`: see bin/bulk-upload.ts. */
export function registerUploadCommand(program: Command) {
  program
    .command('upload')
    .argument('<paths...>', 'files and directories (searched recursively; hidden files skipped)')
    .description(
      'upload a library of files to a running Assetflow, skipping what it stores already (by sha256)',
    )
    .option('--url <url>', 'the server (default: this configuration’s http.port on 127.0.0.1)')
    .option('--token <token>', 'an API token (default: the ASSETFLOW_TOKEN environment variable)')
    .option('--rule-set <name>', 'the rule set to apply (default: the server’s)')
    .option('--project <name>', 'the project to upload into (default: `default`)')
    .option('--metadata <json>', 'metadata for every file, a JSON object checked against the rule set')
    .option('--dimensions <json>', 'dimension values for every file, a JSON object')
    .option('--concurrency <n>', 'uploads in flight, 1–4', '4')
    .option('--watch', 'keep watching the paths and upload files as they appear (Ctrl-C stops)')
    .option('--interval <seconds>', 'with --watch, how often to look', '10')
    .action(
      async (
        paths: string[],
        o: {
          url?: string;
          token?: string;
          ruleSet?: string;
          project?: string;
          metadata?: string;
          dimensions?: string;
          concurrency: string;
          watch?: boolean;
          interval: string;
        },
      ) => {
        const token = (o.token ?? process.env.ASSETFLOW_TOKEN)?.trim();
        // A token pasted with a line break inside would end up in an HTTP error message: refuse it
        // here without echoing it.
        if (token && !/^[\x21-\x7e]+$/.test(token)) {
          process.stderr.write('The API token holds spaces, line breaks or other characters no token has.\n');
          process.exitCode = 2;
          return;
        }
        if (!token) {
          process.stderr.write(
            'Give an API token with --token or ASSETFLOW_TOKEN (`assetflow tokens create`).\n',
          );
          process.exitCode = 2;
          return;
        }
        const url = o.url ?? `http://127.0.0.1:${loadConfig({ file: program.opts().config }).http.port}`;
        const options = { ...o, url, token, concurrency: Number(o.concurrency) || 4 };
        if (o.watch) {
          const stop = new AbortController();
          process.once('SIGINT', () => stop.abort());
          process.once('SIGTERM', () => stop.abort());
          process.stdout.write(`Watching ${paths.join(', ')} for ${url}; Ctrl-C stops.\n`);
          await watchAndUpload(
            paths,
            options,
            (Number(o.interval) || 10) * 1000,
            (report) => summarise(report, `${new Date().toISOString()} `),
            stop.signal,
          );
          return;
        }
        const files = await filesUnder(paths);
        process.stdout.write(`${files.length} file${files.length === 1 ? '' : 's'} to ${url}\n`);
        const bars = { hashing: progressBar('hashing  '), uploading: progressBar('uploading') };
        const report = await bulkUpload(files, options, (phase, done, total) => bars[phase](done, total));
        summarise(report);
        if (report.refused.length > 0) process.exitCode = 1;
      },
    );
}

function summarise(report: BulkUploadReport, prefix = ''): void {
  for (const r of report.refused)
    process.stderr.write(`${prefix}refused  ${r.file}: ${r.code} ${r.message}\n`);
  process.stdout.write(
    `${prefix}Stored ${report.stored}, already stored ${report.alreadyStored}, copies of another file ${report.copies}, refused ${report.refused.length}.\n`,
  );
}
