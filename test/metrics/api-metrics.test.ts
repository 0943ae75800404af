// The API's metrics: GET /metrics answers the process registry in Prometheus text format; creates, commands and
// requests are counted by outcome. Temporal is a closed port here, so a create answers 503 and counts as a 5xx.
import type { AddressInfo } from 'node:net';
import type { Request, Response } from 'express';
import { HttpProblem } from '../../src/api/problem';
import { countCommands, createOutcomeOf, UNMATCHED_ROUTE } from '../../src/metrics/api-metrics';
import { createMetrics, type EscalationMetrics } from '../../src/metrics/registry';
import { startMetricsServer } from '../../src/metrics/server';
import type { CaseStore } from '../../src/store/case-store';
import { startOfflineApi, type OfflineApi } from '../support/offline-api';
import { valueOf } from './support';

const store = {
  getCase: () => Promise.resolve(undefined),
  claimCommand: () => Promise.reject(new Error('store down')),
  countOpenCases: () =>
    Promise.resolve([
      { levelName: 'Frontline', priority: 'high', count: 3 },
      { levelName: 'Team lead', priority: 'critical', count: 1 },
    ]),
} as unknown as CaseStore;

const newCase = {
  id: 'ESC-MET-1',
  title: 'Payroll export failed',
  category: 'hr',
  priority: 'medium',
  reporter: { name: 'Ada', email: 'ada@example.com' },
};

let api: OfflineApi;
let base: string;
let metrics: EscalationMetrics;

beforeAll(async () => {
  metrics = createMetrics();
  metrics.watchOpenCases(() => store.countOpenCases());
  api = await startOfflineApi({ store, metrics });
  ({ base } = api);
});

afterAll(async () => {
  await api?.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('GET /metrics', () => {
  it('answers the Prometheus text format with every metric after a create, which counts as a 5xx', async () => {
    expect((await post('/escalations', newCase)).status).toBe(503);

    const response = await fetch(`${base}/metrics`);
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'escalations_creates_total',
      'escalations_commands_total',
      'escalations_http_request_duration_seconds',
      'escalations_notifications_sent_total',
      'escalations_notifications_failed_total',
      'escalations_sla_lateness_seconds',
      'escalations_breaches_total',
      'escalations_activity_retries_total',
      'escalations_open_cases',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain('escalations_creates_total{outcome="5xx"} 1\n');
    expect(text).toContain('escalations_open_cases{level="Frontline",priority="high"} 3\n');
    expect(text).toContain('escalations_open_cases{level="Team lead",priority="critical"} 1\n');
  });
});

describe('counted by the API', () => {
  it('counts a refused create as 4xx', async () => {
    const before = await valueOf(metrics.registry, 'escalations_creates_total', { outcome: '4xx' });

    expect((await post('/escalations', { title: 'no reporter' })).status).toBe(400);

    expect(await valueOf(metrics.registry, 'escalations_creates_total', { outcome: '4xx' })).toBe(before + 1);
  });

  it('counts a command Temporal could not take as an error, by its route', async () => {
    const labels = { command: 'POST /escalations/:id/acknowledge', outcome: 'error' };

    expect((await post('/escalations/ESC-MET-2/acknowledge', { by: 'Grace' })).status).toBe(503);

    expect(await valueOf(metrics.registry, 'escalations_commands_total', labels)).toBe(1);
  });

  it('times requests by route pattern and status; unknown paths share one route', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/no/such/path/42`)).status).toBe(404);

    const count = (route: string, status: string) =>
      valueOf(metrics.registry, 'escalations_http_request_duration_seconds', { route, status, le: '+Inf' });
    expect(await count('/healthz', '200')).toBe(1);
    expect(await count(UNMATCHED_ROUTE, '404')).toBe(1);
    expect(await count('/escalations/:id/acknowledge', '503')).toBe(1);
  });
});

describe('command outcomes', () => {
  const req = { method: 'POST', baseUrl: '', route: { path: '/escalations/:id/resolve' } } as unknown as Request;
  const answering = (status: number) => () => {
    res.statusCode = status;
    return Promise.resolve();
  };
  const failing = (error: Error) => () => Promise.reject(error);
  let res: Response;
  let fresh: EscalationMetrics;
  beforeEach(() => {
    res = { statusCode: 200 } as Response;
    fresh = createMetrics({ processMetrics: false });
  });
  const outcome = (name: string) =>
    valueOf(fresh.registry, 'escalations_commands_total', { command: 'POST /escalations/:id/resolve', outcome: name });

  it('counts applied (200, 201), pending (202), refused (illegal transition) and error', async () => {
    await countCommands(fresh, answering(200))(req, res);
    await countCommands(fresh, answering(201))(req, res);
    await countCommands(fresh, answering(202))(req, res);
    const refusal = new HttpProblem(409, 'illegal-transition', 'Illegal transition', 'already resolved');
    await expect(countCommands(fresh, failing(refusal))(req, res)).rejects.toBe(refusal);
    const reused = new HttpProblem(409, 'request-id-reused', 'Request-Id reused', 'reused');
    await expect(countCommands(fresh, failing(reused))(req, res)).rejects.toBe(reused);
    await expect(countCommands(fresh, failing(new Error('boom')))(req, res)).rejects.toThrow('boom');

    expect(await outcome('applied')).toBe(2);
    expect(await outcome('pending')).toBe(1);
    expect(await outcome('refused')).toBe(1);
    expect(await outcome('error')).toBe(2);
  });

  it('maps create statuses to their outcome', () => {
    expect([201, 200, 202, 400, 409, 413, 500, 503, 204].map(createOutcomeOf)).toEqual([
      '201',
      '200',
      '202',
      '4xx',
      '4xx',
      '4xx',
      '5xx',
      '5xx',
      undefined,
    ]);
  });
});

describe('the worker metrics server', () => {
  it('serves the registry at GET /metrics on its own port', async () => {
    const registry = createMetrics({ processMetrics: false });
    registry.breaches.inc({ type: 'escalated' });
    const metricsServer = await startMetricsServer(registry.registry, 0, '127.0.0.1');
    try {
      const { port } = metricsServer.server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('escalations_breaches_total{type="escalated"} 1\n');
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    } finally {
      await metricsServer.close();
    }
  });
});
