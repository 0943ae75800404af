// The bench's command line: which store, which mode, where the JSON goes. Parsed once, refused loudly when wrong.
export type StoreKind = 'postgres' | 'pglite';

export interface BenchOptions {
  /** CI smoke: about a minute, small counts, no 5,000-case memory step. */
  quick: boolean;
  store: StoreKind;
  /** Also write the results as JSON here. */
  jsonFile?: string;
  /** Keep the run folder (service logs, notifications, dev server database) after a good run too. */
  keep: boolean;
  /** Measure a running `npm run cluster` (its data dir) instead of starting a stack of the bench's own. */
  cluster?: string;
  /** Open cases to reach (counting those already in the store) before the last memory reading and the list latency. */
  openCases?: number;
  /** Time limit of that top-up, in minutes. */
  topUpMinutes?: number;
}

export const USAGE = `usage: npm run bench -- [--quick] [--store postgres|pglite] [--json FILE] [--keep]
                     [--cluster DATA_DIR] [--open-cases N] [--top-up-minutes M]
  --cluster DATA_DIR   measure a running npm run cluster (started with --matrix scripts/bench/matrix.yaml)
  --open-cases N       top up to N open cases, 0-100000 (default: 5000, none with --quick)
  --top-up-minutes M   time limit of the top-up, 1-180 (default 2)`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Every count is bounded, so a typo cannot start a loop that runs for days. */
function bounded(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}\n${USAGE}`);
  }
  return value;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { quick: false, store: 'postgres', keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    // Both `--store pglite` and `--store=pglite`.
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new UsageError(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    if (flag === '--quick') options.quick = true;
    else if (flag === '--store') {
      const store = value();
      if (store !== 'postgres' && store !== 'pglite')
        throw new UsageError(`--store must be postgres or pglite\n${USAGE}`);
      options.store = store;
    } else if (flag === '--json') options.jsonFile = value();
    else if (flag === '--cluster') options.cluster = value();
    else if (flag === '--open-cases') options.openCases = bounded(flag, value(), 0, 100_000);
    else if (flag === '--top-up-minutes') options.topUpMinutes = bounded(flag, value(), 1, 180);
    else if (flag === '--keep') options.keep = true;
    else throw new UsageError(`unknown argument "${arg}"\n${USAGE}`);
  }
  return options;
}
