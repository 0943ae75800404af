// The matrix endpoints: the current plan, linting candidate YAML, and simulating a scenario over HTTP.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../../src/api/app';
import { listen } from '../support/listen';
import type { CaseStore } from '../../src/store/case-store';
import { policyPlan } from '../support/policy-plan';

const EXAMPLE = readFileSync(path.join(__dirname, '..', '..', 'config', 'matrix.yaml'), 'utf8');
let server: Server;
let base: string;

beforeAll(async () => {
  const app = createApp({
    // The matrix routes never touch Temporal or the store.
    client: {} as Client,
    store: {} as CaseStore,
    plan: () => policyPlan(),
    taskQueue: 'escalations',
    logger: pino({ level: 'silent' }),
  });
  ({ server, base } = await listen(app));
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

async function post(route: string, body: string, type: string) {
  const response = await fetch(`${base}${route}`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('GET /matrix', () => {
  it('shows the plan new cases start on, with its version', async () => {
    const response = await fetch(`${base}/matrix`);
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
  it('runs a scenario on the current plan and returns the report', async () => {
    const scenario = [
      'zone: Europe/Berlin',
      'start: next tue 10:00',
      'case: { title: VPN down, category: technical, priority: high, reporter: { name: Ada, email: ada@example.com } }',
      'events: ["+10m acknowledge by Ana Ruiz", "+1h resolve by Ana Ruiz: replaced the router"]',
    ].join('\n');
    const reply = await post('/matrix/simulate', JSON.stringify({ scenario }), 'application/json');
    expect(reply.status).toBe(200);
    expect(reply.body.state).toMatchObject({ status: 'resolved', owner: 'Ana Ruiz' });
    expect(reply.body.report).toEqual(expect.stringContaining('no target breached before the end of the simulation'));
  }, 120_000);

  it('answers 400 with the scenario errors', async () => {
    const reply = await post('/matrix/simulate', JSON.stringify({ scenario: 'zone: Nowhere' }), 'application/json');
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ type: 'urn:escalations:problem:invalid-scenario' });
  });
});
