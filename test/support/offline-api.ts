// The HTTP API on a loopback port over a Temporal that cannot be reached (a closed port) and a stand-in store: for
// tests of what the edge answers before, or instead of, a workflow call (validation, 503s, metrics).
import type { Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createApp, type ApiDeps } from '../../src/api/app';
import type { CaseStore } from '../../src/store/case-store';
import { apiConnectionInterceptors } from '../../src/temporal/connection';
import { listen } from './listen';
import { testPlan } from './plan';

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A store that answers what the API asks before Temporal: reachable, case number 7 next, no stored case. */
export const reachableStore = {
  ping: () => Promise.resolve(),
  nextCaseNumber: () => Promise.resolve(7),
  getCase: () => Promise.resolve(undefined),
} as unknown as CaseStore;

export interface OfflineApi {
  server: Server;
  base: string;
  close(): Promise<void>;
}

/** Starts the API with its Temporal client on a closed port; `deps` replaces the store, the plan or adds options. */
export async function startOfflineApi(deps: Partial<ApiDeps> = {}): Promise<OfflineApi> {
  const connection = Connection.lazy({
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
    ...deps,
  });
  const { server, base } = await listen(app);
  return {
    server,
    base,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await connection.close();
    },
  };
}

/** The offline API of one test file: started before its tests, closed after them; read `api.base` inside tests. */
export function useOfflineApi(deps: Partial<ApiDeps> = {}): { readonly base: string } {
  let api: OfflineApi | undefined;
  beforeAll(async () => {
    api = await startOfflineApi(deps);
  });
  afterAll(async () => {
    await api?.close();
  });
  return {
    get base() {
      if (!api) throw new Error('the API starts in beforeAll: use it inside tests');
      return api.base;
    },
  };
}
