// Matrix endpoints: the plan new cases start on, a linter for candidate YAML, and the simulator, so an escalation
// manager can check a change before it is deployed.
import { refuseControlCharacters, verifyUtf8 } from './text-guard';
import express, { type Router } from 'express';
import { z } from 'zod';
import { lintMatrix } from '../matrix/lint';
import type { Plan } from '../shared/plan';
import { formatReport } from '../simulator/report';
import { parseScenario, ScenarioError, type Scenario } from '../simulator/scenario';
import type { SimulationResult } from '../simulator/simulate';
import { HttpProblem, validationProblem } from './problem';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'];
const YAML_LIMIT = '256kb';

const simulateBody = z.strictObject({
  /** Candidate matrix YAML; absent: the matrix new cases start on. */
  matrix: z.string().min(1).optional(),
  /** Scenario YAML (see docs/matrix.md, "Simulating"). */
  scenario: z.string().min(1),
});

/** Matrix YAML from a YAML body, or from `{"yaml": "..."}` in JSON. */
function yamlFrom(body: unknown): string {
  if (typeof body === 'string' && body.trim() !== '') return body;
  const parsed = z.strictObject({ yaml: z.string().min(1, 'must not be empty') }).safeParse(body);
  if (!parsed.success) throw validationProblem(parsed.error, 'body');
  return parsed.data.yaml;
}

/** Runs a simulation somewhere else (a worker, through Temporal); throws SimulationRefused for a bad scenario. */
export type Simulator = (plan: Plan, scenario: Scenario) => Promise<SimulationResult>;

/** The simulator's own refusal of a scenario (a start before its clock, ...): the caller's to fix. */
export class SimulationRefused extends Error {
  override readonly name = 'SimulationRefused';
}

export function matrixRoutes(plan: () => Plan, simulate: Simulator): Router {
  const router = express.Router();
  // One simulation at a time from this API: each runs a Temporal test server and a worker for a few seconds.
  let simulating = false;

  router.get('/matrix', (_req, res) => {
    const current = plan();
    res.json({
      name: current.name,
      version: current.version,
      ...(current.versionName ? { versionName: current.versionName } : {}),
      ...(current.owner ? { owner: current.owner } : {}),
      ...(current.reviewBy ? { reviewBy: current.reviewBy } : {}),
      plan: current,
    });
  });

  router.post(
    '/matrix/validate',
    express.text({ type: YAML_TYPES, limit: YAML_LIMIT, verify: verifyUtf8 }),
    refuseControlCharacters,
    (req, res) => {
      const result = lintMatrix(yamlFrom(req.body), { source: 'request' });
      res.status(result.ok ? 200 : 422).json({
        valid: result.ok,
        errors: result.errors,
        warnings: result.warnings,
        ...(result.plan ? { version: result.plan.version, versionName: result.plan.versionName } : {}),
      });
    },
  );

  router.post('/matrix/simulate', async (req, res) => {
    const parsed = simulateBody.safeParse(req.body);
    if (!parsed.success) throw validationProblem(parsed.error, 'body');
    let candidate = plan();
    if (parsed.data.matrix !== undefined) {
      const linted = lintMatrix(parsed.data.matrix, { source: 'matrix' });
      if (!linted.ok || !linted.plan) {
        throw new HttpProblem(422, 'invalid-matrix', 'Invalid matrix', 'the candidate matrix has errors', {
          errors: linted.errors,
        });
      }
      candidate = linted.plan;
    }
    let scenario;
    try {
      scenario = parseScenario(parsed.data.scenario, 'scenario');
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      throw new HttpProblem(400, 'invalid-scenario', 'Invalid scenario', error.message, { errors: error.errors });
    }
    if (simulating) {
      throw new HttpProblem(
        429,
        'simulation-busy',
        'A simulation is running',
        'one simulation runs at a time; retry shortly',
      );
    }
    simulating = true;
    try {
      const result = await simulate(candidate, scenario);
      res.json({ ...result, report: formatReport(result) });
    } catch (error) {
      if (error instanceof SimulationRefused) {
        throw new HttpProblem(422, 'simulation-failed', 'Simulation failed', error.message);
      }
      throw error;
    } finally {
      simulating = false;
    }
  });

  return router;
}
