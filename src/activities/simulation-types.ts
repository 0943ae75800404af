// The matrix simulation activity's contract, apart from its implementation (which loads the simulator): workflow
// code and the worker's options import these types without pulling the simulator into their import graph.
import type { Plan } from '../shared/plan';
import type { Scenario } from '../simulator/scenario';
import type { SimulationResult } from '../simulator/simulate';

export interface SimulationRequest {
  plan: Plan;
  scenario: Scenario;
}

/** The simulation activity as workflow code proxies it. */
export interface SimulationActivities {
  simulateScenario: (request: SimulationRequest) => Promise<SimulationResult>;
}
