// When Temporal cannot be reached the API says so (503, problem+json) instead of hanging or answering 500.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../../src/api/app';
import { listen } from '../support/listen';
import type { CaseStore } from '../../src/store/case-store';
import { apiConnectionInterceptors } from '../../src/temporal/connection';
import { testPlan } from '../support/plan';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const reachableStore = {
  ping: () => Promise.resolve(),
  nextCaseNumber: () => Promise.resolve(7),
  getCase: () => Promise.resolve(undefined),
} as unknown as CaseStore;

let server: Server;
let base: string;
let connection: Connection;

beforeAll(async () => {
  connection = Connection.lazy({
    address: `127.0.0.1:${await closedPort()}`,
    connectTimeout: 500,
    interceptors: apiConnectionInterceptors(),
  });
  const app = createApp({
    client: new Client({ connection }),
    store: reachableStore,
    plan: () => testPlan(),
    taskQueue: 'escalations',
    logger: pino({ level: 'silent' }),
  });
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await connection?.close();
});

const newCase = {
  title: 'Payroll export failed',
  category: 'hr',
  priority: 'medium',
  reporter: { name: 'Ada', email: 'ada@example.com' },
};

describe('with Temporal unreachable', () => {
  it('answers 503 problem+json to a new case, and nothing is half-created', async () => {
    const response = await fetch(`${base}/escalations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newCase),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ type: 'urn:escalations:problem:temporal-unavailable', status: 503 });
  });

  it('answers 503 to reads and commands', async () => {
    expect((await fetch(`${base}/escalations/ESC-1`)).status).toBe(503);
    const ack = await fetch(`${base}/escalations/ESC-1/acknowledge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'Grace' }),
    });
    expect(ack.status).toBe(503);
  });

  it('reports not ready on /readyz while /healthz stays up', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'not ready',
      store: 'ok',
      temporal: expect.stringMatching(/^unreachable/),
    });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
