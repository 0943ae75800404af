// `npm run report -- --from 2026-10-01 --to 2026-11-01 [--group-by category|priority|level|team] [--csv | --json]
// [--html out.html]`: the trend report of the cases created in [from, to) (UTC days), read from DATABASE_URL or
// the embedded store under DATA_DIR. Prints a table (or CSV, or JSON); --html also writes the page with Chart.js
// inlined, so it opens without the server. Exit 0 done, 1 store/configuration failure, 2 usage.
import { readFileSync, writeFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../src/config';
import { chartJsFile } from '../src/reports/assets';
import { toCsv } from '../src/reports/csv';
import { loadReport } from '../src/reports/load';
import { reportPage } from '../src/reports/page';
import { dayStart, reportPageQuery } from '../src/reports/query';
import { formatSummary } from '../src/reports/text';
import { openCaseStore } from '../src/store/open-store';

const USAGE = [
  'usage: npm run report -- --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--group-by category|priority|level|team]',
  '                         [--csv | --json] [--html <out.html>]',
  '       (cases created in [from, to), UTC days, at most 366 days; from DATABASE_URL or the store under DATA_DIR)',
].join('\n');

const FLAGS = new Set(['--csv', '--json']);
const OPTIONS = new Set(['--from', '--to', '--group-by', '--html']);

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(args: string[]): Map<string, string> {
  const parsed = new Map<string, string>();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (FLAGS.has(arg)) {
      parsed.set(arg, 'true');
    } else if (OPTIONS.has(arg)) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) usage(`${arg} needs a value`);
      parsed.set(arg, value);
      i += 1;
    } else {
      usage(`unknown argument "${arg}"`);
    }
  }
  return parsed;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('--csv') && args.has('--json')) usage('--csv and --json do not go together');
  const query = reportPageQuery.safeParse({
    from: args.get('--from'),
    to: args.get('--to'),
    ...(args.has('--group-by') ? { groupBy: args.get('--group-by') } : {}),
  });
  if (!query.success) {
    const option = (field: string) => (field === 'groupBy' ? '--group-by' : `--${field}`);
    usage(
      query.error.issues.map((issue) => `${option(issue.path.map(String).join('.'))}: ${issue.message}`).join('\n'),
    );
  }
  const { from, to, groupBy } = query.data;
  const html = args.get('--html');
  const chartJs = html !== undefined ? readFileSync(chartJsFile(), 'utf8') : undefined;

  const config = loadConfig();
  const store = await openCaseStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  let summary;
  try {
    summary = await loadReport(store, { from: dayStart(from), to: dayStart(to), groupBy });
  } finally {
    await store.close();
  }

  if (html !== undefined) {
    writeFileSync(html, reportPage(summary, { chartJsSource: chartJs ?? '' }));
    process.stderr.write(`wrote ${html}\n`);
  }
  if (args.has('--csv')) process.stdout.write(toCsv(summary));
  else if (args.has('--json')) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else process.stdout.write(`${formatSummary(summary)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof ConfigError || (error instanceof Error && /^Store[A-Z]/.test(error.name))) {
      process.stderr.write(`${error.name}: ${error.message}\n`);
    } else {
      process.stderr.write(
        `report failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exit(1);
  },
);
