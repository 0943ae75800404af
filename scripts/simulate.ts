// `npm run simulate -- --matrix config/matrix.yaml --scenario s.yaml [--json]`: what the matrix would do with one
// case, run through the real workflow in virtual time. With `--replay --from YYYY-MM-DD --to YYYY-MM-DD`: the
// recorded cases of that window replayed against the matrix and compared with what happened.
// Exit 0 done (also: nothing to replay), 1 bad matrix/scenario/configuration or failed run, 2 usage.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { parseMatrix, MatrixError } from '../src/matrix/load';
import type { Plan } from '../src/shared/plan';
import { formatReport } from '../src/simulator/report';
import { loadRecordedCases, MAX_REPLAY_CASES, replayCases } from '../src/simulator/replay';
import { formatReplayReport } from '../src/simulator/replay-report';
import { parseScenario, ScenarioError } from '../src/simulator/scenario';
import { simulate, SimulationError } from '../src/simulator/simulate';
import { openCaseStore } from '../src/store/open-store';

const USAGE = [
  'usage: npm run simulate -- --matrix <matrix.yaml> --scenario <scenario.yaml> [--json]',
  '       npm run simulate -- --matrix <candidate.yaml> --replay --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--json]',
  '       (--replay reads the cases created in [from, to), UTC days, from DATABASE_URL or the store under DATA_DIR)',
].join('\n');

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}\n`);
  process.exit(2);
}

function read(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    usage(`cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
}

/** A UTC day `YYYY-MM-DD` as its midnight instant; anything else (2026-02-30 too) is a usage error. */
function utcDay(args: string[], name: '--from' | '--to'): string {
  const day = option(args, name);
  if (day === undefined || day.startsWith('--')) usage(`--replay needs ${name} <YYYY-MM-DD>`);
  const iso = `${day}T00:00:00.000Z`;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(iso)) || new Date(iso).toISOString() !== iso) {
    usage(`${name} "${day}" is not a date YYYY-MM-DD (a UTC day, e.g. 2026-10-01)`);
  }
  return iso;
}

async function runScenario(args: string[], plan: Plan): Promise<void> {
  const scenarioFile = option(args, '--scenario');
  if (!scenarioFile) usage('missing --scenario (or --replay)');
  const scenario = parseScenario(read(scenarioFile, 'scenario'), scenarioFile);
  const result = await simulate(plan, scenario);
  process.stdout.write(args.includes('--json') ? `${JSON.stringify(result, null, 2)}\n` : `${formatReport(result)}\n`);
}

async function runReplay(args: string[], plan: Plan): Promise<void> {
  const from = utcDay(args, '--from');
  const to = utcDay(args, '--to');
  if (from >= to) usage(`--from ${from.slice(0, 10)} must be before --to ${to.slice(0, 10)} (the end day is excluded)`);
  const config = loadConfig();
  const where = config.DATABASE_URL
    ? 'PostgreSQL (DATABASE_URL)'
    : `the embedded store in ${path.join(config.DATA_DIR, 'store')} (set DATABASE_URL to read PostgreSQL)`;
  const store = await openCaseStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  let loaded;
  try {
    loaded = await loadRecordedCases(store, from, to);
  } finally {
    // Closed before the replay: the embedded store must not stay locked for the minutes a long window takes.
    await store.close();
  }
  const window = `from ${from.slice(0, 10)} to ${to.slice(0, 10)} (UTC, end excluded)`;
  if (loaded.truncated) {
    usage(`more than ${MAX_REPLAY_CASES - 1} cases were created ${window}; replay a shorter window at a time`);
  }
  if (loaded.cases.length === 0) {
    process.stdout.write(`No cases were created ${window} in ${where}: nothing to replay.\n`);
    return;
  }
  const progress = process.stderr.isTTY
    ? (done: number, total: number) => process.stderr.write(`\rreplayed ${done}/${total} steps`)
    : undefined;
  const result = await replayCases(plan, loaded.cases, {
    window: { from, to },
    ...(progress ? { onProgress: progress } : {}),
  });
  if (progress) process.stderr.write('\n');
  process.stdout.write(
    args.includes('--json') ? `${JSON.stringify(result, null, 2)}\n` : `${formatReplayReport(result)}\n`,
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const matrixFile = option(args, '--matrix') ?? process.env.MATRIX_FILE ?? 'config/matrix.yaml';
  const replay = args.includes('--replay');
  if (replay && args.includes('--scenario')) usage('--replay and --scenario do not go together');
  try {
    const plan = parseMatrix(read(matrixFile, 'matrix'), matrixFile);
    await (replay ? runReplay(args, plan) : runScenario(args, plan));
  } catch (error) {
    if (
      error instanceof MatrixError ||
      error instanceof ScenarioError ||
      error instanceof SimulationError ||
      error instanceof ConfigError ||
      (error instanceof Error && /^Store[A-Z]/.test(error.name))
    ) {
      process.stderr.write(`${error.name}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `simulation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
