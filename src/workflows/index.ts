// The workflow bundle's entry: every workflow type the worker registers.
export { escalationWorkflow } from './escalation.workflow';
export { matrixReviewWorkflow } from './matrix-review.workflow';
export { matrixSimulationWorkflow } from './matrix-simulation.workflow';
