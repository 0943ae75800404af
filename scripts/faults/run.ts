// A whole fault run: one product stack, the selected faults in order, repeated for the number of rounds asked for.
// Shared by `npm run faults` and test/faults/faults.test.ts.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { faultsNamed } from './faults';
import { runRound, type RoundResult } from './round';
import { startStack } from './stack';

export interface FaultRunOptions {
  /** How many times the selected faults are run, each time all of them in order. */
  rounds: number;
  only?: string[];
  cases: number;
  stallSeconds: number;
  /** Ack target of the matrix in seconds; the matrix's own minute when absent. */
  ackSeconds?: number;
  workDir?: string;
  log?: (line: string) => void;
}

/** The product for a run: `runFaults` uses it, and the Jest file, which runs one round per test. */
export async function startFaultStack(options: Pick<FaultRunOptions, 'ackSeconds' | 'workDir'>, runTag: string) {
  const workDir = options.workDir ?? path.join(os.tmpdir(), `escalations-faults-${runTag}`);
  const stack = await startStack({
    workDir,
    ...(options.ackSeconds !== undefined ? { ackSeconds: options.ackSeconds } : {}),
  });
  return stack;
}

export const newRunTag = () => randomBytes(3).toString('hex');

export async function runFaults(options: FaultRunOptions): Promise<RoundResult[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[faults] ${line}\n`));
  const faults = faultsNamed(options.only);
  const runTag = newRunTag();
  log('starting dev server, worker and API');
  const stack = await startFaultStack(options, runTag);
  log(`logs and state in ${stack.workDir}`);
  const results: RoundResult[] = [];
  try {
    let round = 0;
    for (let repeat = 0; repeat < options.rounds; repeat++) {
      for (const fault of faults) {
        round++;
        results.push(
          await runRound(stack, fault, {
            round,
            cases: options.cases,
            stallSeconds: options.stallSeconds,
            runTag,
            log,
          }),
        );
      }
    }
  } finally {
    await stack.close();
  }
  return results;
}
