// The matrix endpoints: the current plan, linting candidate YAML, and simulating a scenario over HTTP.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CaseStore } from '../../src/store/case-store';
import { startApiServer, type ApiServer } from '../support/api-server';
import { useOfflineApi } from '../support/offline-api';
import { policyPlan } from '../support/policy-plan';

const EXAMPLE = readFileSync(path.join(__dirname, '..', '..', 'config', 'matrix.yaml'), 'utf8');
// The matrix routes never touch Temporal or the store.
const api = useOfflineApi({ store: {} as CaseStore, plan: () => policyPlan() });

async function post(route: string, body: string, type: string) {
  const response = await fetch(`${api.base}${route}`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('GET /matrix', () => {
  it('shows the plan new cases start on, with its version', async () => {
    const response = await fetch(`${api.base}/matrix`);
    expect(await response.json()).toMatchObject({
      name: 'Policy test matrix',
      version: 'policy-plan-1',
      versionName: 'test',
    });
  });
});

describe('POST /matrix/validate', () => {
  it('accepts the example matrix as YAML and answers its version', async () => {
    const reply = await post('/matrix/validate', EXAMPLE, 'application/yaml');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ valid: true, errors: [], version: expect.stringMatching(/^[0-9a-f]{12}$/) });
  });

  it('answers 422 with every error, its YAML path and line', async () => {
    const broken = EXAMPLE.replace('channel: log', 'channel: sms');
    const reply = await post('/matrix/validate', JSON.stringify({ yaml: broken }), 'application/json');
    expect(reply.status).toBe(422);
    expect(reply.body.valid).toBe(false);
    expect(reply.body.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('unknown channel "sms"'), line: expect.any(Number) }),
    ]);
  });

  it('answers 400 for a body that is neither YAML text nor {"yaml": ...}', async () => {
    const reply = await post('/matrix/validate', JSON.stringify({ matrix: 'x' }), 'application/json');
    expect(reply.status).toBe(400);
  });
});

describe('POST /matrix/simulate', () => {
  // The simulation runs on a worker (matrixSimulationWorkflow), never in the API process: a real dev server here.
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer(() => policyPlan());
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('runs a scenario on the current plan on a worker and returns the report', async () => {
    const scenario = [
      'zone: Europe/Berlin',
      'start: next tue 10:00',
      'case: { title: VPN down, category: technical, priority: high, reporter: { name: Ada, email: ada@example.com } }',
      'events: ["+10m acknowledge by Ana Ruiz", "+1h resolve by Ana Ruiz: replaced the router"]',
    ].join('\n');
    const reply = await server.call('POST', '/matrix/simulate', { scenario });
    expect(reply.status).toBe(200);
    expect(reply.body.state).toMatchObject({ status: 'resolved', owner: 'Ana Ruiz' });
    expect(reply.body.report).toEqual(expect.stringContaining('no target breached before the end of the simulation'));
    // It ran as a workflow of its own on the product's task queue, visible in the Temporal UI.
    const runs = server.harness.env.client.workflow.list({ query: 'WorkflowType = "matrixSimulationWorkflow"' });
    const seen: string[] = [];
    for await (const run of runs) seen.push(run.status.name);
    expect(seen).toEqual(['COMPLETED']);
  }, 120_000);

  it('answers 422 when the simulator refuses the scenario (a start before its clock)', async () => {
    const scenario = [
      'zone: Europe/Berlin',
      'start: 2001-01-01T10:00',
      'case: { title: VPN down, category: technical, priority: high, reporter: { name: Ada, email: ada@example.com } }',
      'events: []',
    ].join('\n');
    const reply = await server.call('POST', '/matrix/simulate', { scenario });
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ type: 'urn:escalations:problem:simulation-failed' });
    expect(String(reply.body.detail)).toMatch(/before the simulator's clock/);
  }, 120_000);

  it('answers 400 with the scenario errors', async () => {
    const reply = await post('/matrix/simulate', JSON.stringify({ scenario: 'zone: Nowhere' }), 'application/json');
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ type: 'urn:escalations:problem:invalid-scenario' });
  });
});
