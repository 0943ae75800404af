// The matrix simulator as an activity: the worker runs it (Temporal's time-skipping test server and a worker of its
// own, for a few seconds), so the API process never loads @temporalio/testing or bundles workflow code.
import { ApplicationFailure } from '@temporalio/common';
import type { SimulationResult } from '../simulator/simulate';

import type { SimulationRequest } from './simulation-types';

/** Simulations of this worker, one after another: each brings its own test server. */
let previous: Promise<unknown> = Promise.resolve();

export async function simulateScenario({ plan, scenario }: SimulationRequest): Promise<SimulationResult> {
  const run = previous.then(async () => {
    // Loaded on first use: a worker that never simulates does not hold the simulator in memory.
    const { simulate } = await import('../simulator/simulate');
    return simulate(plan, scenario);
  });
  previous = run.catch(() => undefined);
  try {
    return await run;
  } catch (error) {
    // A scenario the matrix cannot run (a start before the clock, a command the case refuses to parse) is the
    // caller's to fix: never retried.
    if (error instanceof Error && error.name === 'SimulationError') {
      throw ApplicationFailure.nonRetryable(error.message, 'SimulationError');
    }
    throw error;
  }
}
