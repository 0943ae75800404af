// The HTTP API on a loopback port over a real Temporal dev server and worker: what the API test files share.
import type { Server } from 'node:http';
import pino from 'pino';
import { createApp } from '../../src/api/app';
import type { Plan } from '../../src/shared/plan';
import { listen } from './listen';
import { createHarness, type Harness } from './workflow-harness';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  type: string | null;
  body: T;
}

export interface ApiServer {
  harness: Harness;
  base: string;
  /** One JSON request; a string body is sent as it is (malformed JSON tests). */
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply<T>>;
  close(): Promise<void>;
}

/** Starts the dev server, a worker and the API; `plan` is read on every request (tests may swap it). */
export async function startApiServer(plan: () => Plan): Promise<ApiServer> {
  const harness = await createHarness('dev-server');
  const app = createApp({
    client: harness.env.client,
    store: harness.store,
    plan,
    taskQueue: harness.taskQueue,
    logger: pino({ level: 'silent' }),
  });
  const { server, base }: { server: Server; base: string } = await listen(app);
  return {
    harness,
    base,
    async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: (text ? JSON.parse(text) : {}) as T,
      };
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await harness.close();
    },
  };
}

export interface RunningApi {
  readonly harness: Harness;
  readonly base: string;
  /** A function, not a method: tests take it out of the object (`const { call } = api`). */
  call: ApiServer['call'];
}

/**
 * The API server of one test file: started before its tests (`beforeAll`), closed after them. What it returns reads
 * the running server, so a file keeps it in a constant and uses `api.call`, `api.harness` and `api.base` in tests.
 */
export function useApiServer(plan: () => Plan): RunningApi {
  let api: ApiServer | undefined;
  beforeAll(async () => {
    api = await startApiServer(plan);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });
  const running = (): ApiServer => {
    if (!api) throw new Error('the API server starts in beforeAll: use it inside tests');
    return api;
  };
  return {
    get harness() {
      return running().harness;
    },
    get base() {
      return running().base;
    },
    call: (method, path, body, headers) => running().call(method, path, body, headers),
  };
}
