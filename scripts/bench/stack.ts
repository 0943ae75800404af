// Brings up what the bench measures, on free loopback ports: a Temporal dev server, then the product as child
// processes. `postgres`: worker and API as separate processes on one PostgreSQL database (the embedded PGlite store
// is single-process). `pglite`: the all-in-one role (worker + API in one process) on the embedded store.
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_KEYS } from '../../src/config';
import { PROJECT_ROOT } from '../../src/temporal/binaries';
import type { ApiBase } from './http-client';
import { startPrivateDatabase, type PrivateDatabase } from '../support/private-database';
import type { StoreKind } from './options';
import { findPostmaster } from './process-usage';
import { freePort } from '../support/loopback';
import { ServiceError, startService, type ServiceProcess } from './service-process';
import { startTemporalServer } from './temporal-server';

export const BENCH_MATRIX_FILE = path.join(PROJECT_ROOT, 'scripts', 'bench', 'matrix.yaml');

/** A process whose memory the bench reports, by its role. */
export interface MeasuredProcess {
  role: string;
  /** The process we started (a wrapper such as npx for the product) or PostgreSQL's server process. */
  pid: number;
  /** `main`: the process doing the work under `pid` (memory.ts); `tree`: `pid` and every process under it summed. */
  count: 'main' | 'tree';
}

export interface Stack {
  apiBase: ApiBase;
  client: Client;
  namespace: string;
  taskQueue: string;
  notificationLogFile: string;
  processes: MeasuredProcess[];
  /** The case store, when it is PostgreSQL (the bench counts the open cases already there). */
  databaseUrl?: string;
  /** The matrix the product runs on (the bench's own, unless attached to a cluster started with another). */
  matrixFile: string;
  /** Stops everything it started, API first; safe to call twice. */
  stop(): Promise<void>;
}

const NAMESPACE = 'default';
const READY_TIMEOUT_MS = 120_000;

export async function startStack(store: StoreKind, runDir: string, log: (line: string) => void): Promise<Stack> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  // The services run in process groups of their own (see service-process.ts), so Ctrl-C does not reach them:
  // stop them here, or they would outlive the bench.
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the stack`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    log('starting the Temporal dev server');
    const server = await startTemporalServer(runDir, log);
    stops.push(() => server.process.stop());
    const connection = await Connection.connect({ address: server.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: NAMESPACE });

    let database: PrivateDatabase | undefined;
    if (store === 'postgres') {
      log('starting PostgreSQL');
      database = await startPrivateDatabase('escalations_bench');
      stops.push(() => (database ? database.stop() : Promise.resolve()));
    }

    const port = await freePort();
    const taskQueue = `bench-${randomBytes(3).toString('hex')}`;
    const notificationLogFile = path.join(runDir, 'notifications.jsonl');
    // Created empty now, so the tail can watch it before the first notification.
    writeFileSync(notificationLogFile, '');
    const env = productEnv({
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TASK_QUEUE: taskQueue,
      PORT: String(port),
      // A worker's own metrics port: a fault run (or another bench) on this machine must not collide on the default.
      METRICS_PORT: String(await freePort()),
      MATRIX_FILE: BENCH_MATRIX_FILE,
      NOTIFICATION_LOG_FILE: notificationLogFile,
      LOG_LEVEL: 'warn',
      DATA_DIR: path.join(runDir, 'data'),
      // Worker and API must sign and check feedback links alike; fixed, so neither writes one to disk first.
      FEEDBACK_SECRET: randomBytes(16).toString('hex'),
      ...(database ? { DATABASE_URL: database.url } : {}),
    });
    const product = (role: 'worker' | 'api' | 'all'): ServiceProcess => {
      const service = startService(role, 'npx', ['tsx', 'src/main.ts', role], {
        cwd: PROJECT_ROOT,
        env,
        logFile: path.join(runDir, `${role}.log`),
      });
      stops.push(() => service.stop());
      return service;
    };

    const processes: MeasuredProcess[] = [{ role: 'dev server', pid: server.process.pid, count: 'main' }];
    if (store === 'postgres') {
      // The worker first: both migrate the store on start, and one at a time keeps that out of the picture.
      log('starting the worker');
      const worker = product('worker');
      await waitForWorker(client, taskQueue, worker);
      log('starting the API');
      const api = product('api');
      await waitForApi(`http://127.0.0.1:${port}`, api);
      processes.push({ role: 'worker', pid: worker.pid, count: 'main' }, { role: 'api', pid: api.pid, count: 'main' });
      // PostgreSQL is a server process and one backend per connection: all of them count.
      const postmaster = database ? findPostmaster(database.port) : undefined;
      if (postmaster !== undefined) processes.push({ role: 'postgres', pid: postmaster, count: 'tree' });
    } else {
      log('starting worker + API (all-in-one role, embedded PGlite store)');
      const all = product('all');
      await waitForWorker(client, taskQueue, all);
      await waitForApi(`http://127.0.0.1:${port}`, all);
      processes.push({ role: 'worker+api', pid: all.pid, count: 'main' });
    }
    return {
      apiBase: `http://127.0.0.1:${port}`,
      client,
      namespace: NAMESPACE,
      taskQueue,
      notificationLogFile,
      processes,
      ...(database ? { databaseUrl: database.url } : {}),
      matrixFile: BENCH_MATRIX_FILE,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The parent's environment without any of the product's own variables, then exactly the bench's. */
function productEnv(values: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of CONFIG_KEYS) delete env[key];
  return { ...env, ...values };
}

/** Ready when a workflow poller is on the task queue: the worker has bundled its workflows and connected. */
async function waitForWorker(client: Client, taskQueue: string, service: ServiceProcess): Promise<void> {
  await waitFor(service, async () => {
    const answer = await client.withDeadline(Date.now() + 2_000, () =>
      client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }),
    );
    return (answer.pollers ?? []).length > 0;
  });
}

async function waitForApi(base: string, service: ServiceProcess): Promise<void> {
  await waitFor(service, async () => {
    const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  });
}

async function waitFor(service: ServiceProcess, isReady: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (service.exitCode() !== undefined) {
      throw new ServiceError(`${service.name} exited (${service.exitCode()}):\n${service.logTail()}`);
    }
    if (await isReady().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new ServiceError(`${service.name} not ready in ${READY_TIMEOUT_MS / 1000} s:\n${service.logTail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
