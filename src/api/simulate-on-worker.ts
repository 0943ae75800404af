// POST /matrix/simulate's simulator: a `matrixSimulationWorkflow` on the product's task queue, whose activity runs
// the simulation in a worker process. The API waits for its result; it never loads the simulator itself.
import { randomUUID } from 'node:crypto';
import { ActivityFailure, ApplicationFailure, type Client, WorkflowFailedError } from '@temporalio/client';
import type { matrixSimulationWorkflow } from '../workflows/matrix-simulation.workflow';
import { SimulationRefused, type Simulator } from './matrix-routes';
import { problemFromTemporal } from './temporal-errors';

/** How long a simulation may take, queue included, before the API answers 503 (no worker, or all busy). */
export const SIMULATION_DEADLINE_MS = 3 * 60_000;

/** The simulator's refusal of the scenario, carried through the workflow's failure; undefined for anything else. */
function refusalOf(error: unknown): string | undefined {
  if (!(error instanceof WorkflowFailedError) || !(error.cause instanceof ActivityFailure)) return undefined;
  const cause = error.cause.cause;
  return cause instanceof ApplicationFailure && cause.type === 'SimulationError' ? cause.message : undefined;
}

export function simulateOnWorker(client: Client, taskQueue: string): Simulator {
  return async (plan, scenario) => {
    try {
      return await client.withDeadline(Date.now() + SIMULATION_DEADLINE_MS, () =>
        client.workflow.execute<typeof matrixSimulationWorkflow>('matrixSimulationWorkflow', {
          workflowId: `matrix-simulation/${randomUUID()}`,
          taskQueue,
          args: [{ plan, scenario }],
          workflowExecutionTimeout: SIMULATION_DEADLINE_MS,
          staticSummary: `simulation of "${scenario.name}" on matrix ${plan.version}`,
        }),
      );
    } catch (error) {
      const refused = refusalOf(error);
      if (refused !== undefined) throw new SimulationRefused(refused);
      throw problemFromTemporal(error, 'matrix-simulation') ?? error;
    }
  };
}
