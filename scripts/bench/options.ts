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
}

export const USAGE = 'usage: npm run bench -- [--quick] [--store postgres|pglite] [--json FILE] [--keep]';

export class UsageError extends Error {
  override readonly name = 'UsageError';
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
    else if (flag === '--keep') options.keep = true;
    else throw new UsageError(`unknown argument "${arg}"\n${USAGE}`);
  }
  return options;
}
