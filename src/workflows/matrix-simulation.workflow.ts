// Runs one matrix simulation on a worker (POST /matrix/simulate): the API starts this and waits for its result, so
// the simulator (a test server and a worker of its own) lives in the worker process, never in the API's.
import { proxyActivities } from '@temporalio/workflow';
import type { SimulationActivities, SimulationRequest } from '../activities';

const { simulateScenario } = proxyActivities<SimulationActivities>({
  startToCloseTimeout: '5 minutes',
  // A failed simulation is reported, not repeated: the caller sees why and sends a corrected scenario.
  retry: { maximumAttempts: 1 },
});

export async function matrixSimulationWorkflow(input: SimulationRequest): ReturnType<typeof simulateScenario> {
  return simulateScenario(input);
}
