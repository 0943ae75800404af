// What a caller learns about a command and a new case when the worker is busy or gone, and how a Request-Id binds
// to one command: a real dev server; one API on the harness's worked task queue, one on a queue no worker polls
// until a test starts one.
import type { Server } from 'node:http';
import pino from 'pino';
import { bundleWorkflowCode, DefaultLogger, type Worker } from '@temporalio/worker';
import { createEscalationWorker, WORKFLOWS_PATH } from '../../worker';
import { createActivities } from '../../src/activities';
import { createApp } from '../../src/api/app';
import { ChannelRegistry } from '../../src/channels/channel';
import type { EscalationState } from '../../src/shared/escalation';
import { MINUTE, testPlan } from '../support/plan';
import { listen } from '../support/listen';
import { startApiServer, type ApiServer } from '../support/api-server';

const plan = testPlan();
let api: ApiServer;
let idle: { server: Server; base: string };
const IDLE_QUEUE = 'escalations-no-worker-yet';

beforeAll(async () => {
  api = await startApiServer(() => plan);
  const app = createApp({
    client: api.harness.env.client,
    store: api.harness.store,
    plan: () => plan,
    taskQueue: IDLE_QUEUE,
    logger: pino({ level: 'silent' }),
    commandWaitMs: 1_500,
  });
  idle = await listen(app);
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => idle?.server.close(resolve));
  await api?.close();
});

let counter = 0;
const newCase = () => ({
  id: `CMD-${++counter}-${Date.now()}`,
  title: 'Refunds stuck in pending',
  category: 'billing',
  priority: 'high',
  reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
});

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

describe('Request-Id binds to one command', () => {
  it('refuses a Request-Id reused for another command with 409 RequestIdReused, and the first stands', async () => {
    const input = newCase();
    expect((await call(api.base, 'POST', '/escalations', input)).status).toBe(201);
    const ack = await call(
      api.base,
      'POST',
      `/escalations/${input.id}/acknowledge`,
      { by: 'Ana' },
      { 'Request-Id': 'rid-1' },
    );
    expect(ack.status).toBe(200);
    const resolve = await call(
      api.base,
      'POST',
      `/escalations/${input.id}/resolve`,
      { by: 'Ana', resolution: 'Fixed' },
      { 'Request-Id': 'rid-1' },
    );
    expect(resolve.status).toBe(409);
    expect(resolve.body).toMatchObject({ reason: 'RequestIdReused', requestId: 'rid-1' });
    const state = await call(api.base, 'GET', `/escalations/${input.id}`);
    expect(state.body.status).toBe('acknowledged');
  });

  it('refuses the same command with another body under one Request-Id', async () => {
    const input = newCase();
    await call(api.base, 'POST', '/escalations', input);
    const headers = { 'Request-Id': `esc-${input.id}` };
    expect((await call(api.base, 'POST', `/escalations/${input.id}/acknowledge`, { by: 'Ana' }, headers)).status).toBe(
      200,
    );
    const other = await call(api.base, 'POST', `/escalations/${input.id}/acknowledge`, { by: 'Ben' }, headers);
    expect(other.status).toBe(409);
    expect(other.body.reason).toBe('RequestIdReused');
  });

  it('answers a retried command (same id, same body) with its first outcome, applied once', async () => {
    const input = newCase();
    await call(api.base, 'POST', '/escalations', input);
    const headers = { 'Request-Id': `c-${input.id}` };
    const first = await call(
      api.base,
      'POST',
      `/escalations/${input.id}/escalate`,
      { by: 'Ana', reason: 'needs a lead' },
      headers,
    );
    const again = await call(
      api.base,
      'POST',
      `/escalations/${input.id}/escalate`,
      { by: 'Ana', reason: 'needs a lead' },
      headers,
    );
    expect([first.status, again.status]).toEqual([200, 200]);
    expect((again.body as unknown as EscalationState).level.name).toBe('Team lead');
    const timeline = (again.body as unknown as EscalationState).timeline.filter((e) => e.type === 'escalated');
    expect(timeline).toHaveLength(1);
    const outcome = await call(api.base, 'GET', `/escalations/${input.id}/commands/c-${input.id}`);
    expect(outcome.body).toMatchObject({ status: 'applied', command: 'POST /escalations/:id/escalate' });
  });

  it('records a refused command with its reason', async () => {
    const input = newCase();
    await call(api.base, 'POST', '/escalations', input);
    const headers = { 'Request-Id': `r-${input.id}` };
    await call(api.base, 'POST', `/escalations/${input.id}/acknowledge`, { by: 'Ana' }, headers);
    const twice = await call(
      api.base,
      'POST',
      `/escalations/${input.id}/acknowledge`,
      { by: 'Ana' },
      { 'Request-Id': `r2-${input.id}` },
    );
    expect(twice.status).toBe(409);
    const outcome = await call(api.base, 'GET', `/escalations/${input.id}/commands/r2-${input.id}`);
    expect(outcome.body).toMatchObject({ status: 'refused', reason: twice.body.reason });
    const unknown = await call(api.base, 'GET', `/escalations/${input.id}/commands/never-sent`);
    expect(unknown.status).toBe(404);
  });
});

describe('without a worker', () => {
  let worker: Worker | undefined;
  afterAll(async () => {
    if (worker) {
      worker.shutdown();
    }
  });

  it('creates at once with the opening state, answers a command 202 with where to ask, and applies it once a worker runs', async () => {
    const input = newCase();
    const before = Date.now();
    const created = await call(idle.base, 'POST', '/escalations', input);
    expect(created.status).toBe(201);
    const opened = created.body as unknown as EscalationState;
    const raisedAt = Date.parse(opened.createdAt);
    expect(raisedAt).toBeGreaterThanOrEqual(before - 5);
    expect(opened).toMatchObject({ status: 'open', level: { name: 'Frontline support' } });
    expect(opened.sla.ackDueAt).toBe(new Date(raisedAt + 30 * MINUTE).toISOString());

    const retried = await call(idle.base, 'POST', '/escalations', input);
    expect(retried.status).toBe(202);
    expect(retried.headers.get('location')).toBe(`/escalations/${input.id}`);

    const ack = await call(idle.base, 'POST', `/escalations/${input.id}/acknowledge`, { by: 'Ana' });
    expect(ack.status).toBe(202);
    const requestId = ack.headers.get('request-id') as string;
    expect(ack.body).toMatchObject({ status: 'pending', requestId });
    const location = ack.headers.get('location') as string;
    expect(location).toBe(`/escalations/${input.id}/commands/${requestId}`);
    expect((await call(idle.base, 'GET', location)).body).toMatchObject({ status: 'pending' });

    const ready = await call(idle.base, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(String(ready.body.worker)).toMatch(/^no worker has polled task queue/);

    worker = await createEscalationWorker({
      connection: api.harness.env.nativeConnection,
      namespace: 'default',
      taskQueue: IDLE_QUEUE,
      activities: createActivities({ store: api.harness.store, channels: new ChannelRegistry([api.harness.channel]) }),
      workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }),
    });
    const running = worker.run();
    let outcome = await call(idle.base, 'GET', location);
    for (let i = 0; i < 100 && outcome.body.status === 'pending'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      outcome = await call(idle.base, 'GET', location);
    }
    expect(outcome.body).toMatchObject({ status: 'applied', command: 'POST /escalations/:id/acknowledge' });
    const state = await call(idle.base, 'GET', `/escalations/${input.id}`);
    expect(state.body).toMatchObject({ status: 'acknowledged', createdAt: opened.createdAt });
    expect((state.body as unknown as EscalationState).sla.ackDueAt).toBe(opened.sla.ackDueAt);
    expect((await call(idle.base, 'GET', '/readyz')).body.status).toBe('ready');
    worker.shutdown();
    await running;
    worker = undefined;
  }, 60_000);
});
