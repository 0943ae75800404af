// Command-line options of `npm run faults`; every number is bounded so a typo cannot start an endless run.
import { FAULTS } from './faults';
import type { FaultRunOptions } from './run';

export const USAGE = `usage: npm run faults -- [--rounds N] [--only fault,fault] [--cases N] [--stall-seconds S]
                       [--ack-seconds S] [--work-dir DIR]
faults: ${FAULTS.map((fault) => fault.name).join(', ')}`;

function bounded(flag: string, text: string | undefined, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${flag} must be a whole number from ${min} to ${max}\n${USAGE}`);
  }
  return value;
}

export function parseOptions(argv: string[]): FaultRunOptions {
  const options: FaultRunOptions = { rounds: 1, cases: 20, stallSeconds: 90 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case '--rounds':
        options.rounds = bounded(flag, value, 1, 100);
        break;
      case '--only':
        options.only = (value ?? '').split(',').filter((name) => name !== '');
        break;
      case '--cases':
        options.cases = bounded(flag, value, 1, 500);
        break;
      case '--stall-seconds':
        options.stallSeconds = bounded(flag, value, 1, 600);
        break;
      case '--ack-seconds':
        options.ackSeconds = bounded(flag, value, 5, 600);
        break;
      case '--work-dir':
        if (value === undefined) throw new Error(`--work-dir needs a directory\n${USAGE}`);
        options.workDir = value;
        break;
      case '--help':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
    i++;
  }
  return options;
}
