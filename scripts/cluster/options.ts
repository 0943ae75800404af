// Command-line options of `npm run cluster`; counts are bounded so a typo cannot start fifty workers on two cores.
import path from 'node:path';

export interface ClusterCliOptions {
  dataDir: string;
  workers: number;
  apis: number;
  matrixFile: string;
  /** Where the workers' and APIs' code is; this checkout when absent. */
  appDir?: string;
  /** Only build (or find) the Temporal server binaries, then exit: what CI starts early in the background. */
  buildOnly: boolean;
}

export const USAGE = `usage: npm run cluster -- [--data-dir DIR] [--workers N] [--apis N] [--matrix FILE] [--build-only]
  --data-dir DIR   state of PostgreSQL, ports, secrets, logs (default: $DATA_DIR/cluster, else data/cluster)
  --workers N      worker processes, 1-8 (default 2)
  --apis N         API processes, 1-8 (default 2)
  --matrix FILE    escalation matrix (default: $MATRIX_FILE, else config/matrix.yaml)
  --app-dir DIR    run the workers and APIs from this copy of the product (default: this checkout)
  --build-only     build the pinned Temporal server into the cache and exit`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function count(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 8) throw new UsageError(`${flag} must be 1 to 8\n${USAGE}`);
  return value;
}

export function parseClusterOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ClusterCliOptions {
  const options: ClusterCliOptions = {
    dataDir: env.DATA_DIR?.trim() ? path.join(env.DATA_DIR, 'cluster') : path.join('data', 'cluster'),
    workers: 2,
    apis: 2,
    matrixFile: env.MATRIX_FILE?.trim() ? env.MATRIX_FILE : path.join('config', 'matrix.yaml'),
    buildOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next === '') throw new UsageError(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    if (flag === '--data-dir') options.dataDir = value();
    else if (flag === '--workers') options.workers = count(flag, value());
    else if (flag === '--apis') options.apis = count(flag, value());
    else if (flag === '--matrix') options.matrixFile = value();
    else if (flag === '--app-dir') options.appDir = value();
    else if (flag === '--build-only') options.buildOnly = true;
    else if (flag === '--help' || flag === '-h') throw new UsageError(USAGE);
    else throw new UsageError(`unknown option ${flag}\n${USAGE}`);
  }
  return options;
}
