// A whole cluster on one machine, every part a process of its own on loopback: PostgreSQL, the Temporal server on it
// (schema and namespace set up by the deploy/temporal scripts), N workers and M APIs of the product on their own
// database. `npm run cluster` and test/cluster both start it here; each part can be killed and started again.
import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { missingBinaryAdvice, PROJECT_ROOT, resolveTemporalBinary } from '../../src/temporal/binaries';
import type { ManagedProcess } from '../faults/child-process';
import { startClusterPostgres, type ClusterPostgres } from './postgres';
import { assignPorts, type ClusterPorts } from './ports';
import { isAlive } from './process-tools';
import { productProcess, snapshotProduct, waitForApi, waitForWorker } from './product';
import {
  appDatabaseUrl,
  CLUSTER_DEFAULTS,
  LOOPBACK,
  SHARED_FILES,
  type ClusterSecrets,
  type ProductSettings,
} from './settings';
import { setUpNamespace, setUpTemporalSchema, temporalServerProcess, waitForTemporal } from './temporal';
import { ensureTemporalServer, type TemporalServerBinaries } from './temporal-build';

export interface ClusterOptions {
  /** Everything the cluster keeps: PostgreSQL's data, ports, secrets, logs, the notification log. */
  dataDir: string;
  workers: number;
  apis: number;
  matrixFile: string;
  taskQueue?: string;
  /** fsync off and the product run from a copy of its code: for test runs, whose state is thrown away. */
  throwaway?: boolean;
  /** Run the workers and APIs from this copy of the product (another checkout, a release) instead of this one. */
  appDir?: string;
  /** How long each part may take to come up. */
  startTimeoutMs?: number;
  /** Aborted (Ctrl-C during start-up): the start ends at the next step and stops what it started. */
  signal?: AbortSignal;
  log: (line: string) => void;
}

/** What a client needs to use the running cluster; kept in `<data dir>/cluster.json` while it runs. */
export interface ClusterState {
  pid: number;
  dataDir: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  apiUrls: string[];
  workerMetricsUrls: string[];
  notificationLogFile: string;
  matrixFile: string;
  postgresPort: number;
  logsDir: string;
  /** The parts that run, by name (`temporal-server`, `worker-1`, `api-1`, ...): a later start stops what a killed run
   * left behind, and the bench reads their CPU and memory. */
  parts: { name: string; pid: number }[];
}

export interface Cluster {
  state: ClusterState;
  ports: ClusterPorts;
  server: ManagedProcess;
  workers: ManagedProcess[];
  apis: ManagedProcess[];
  startServer(): Promise<void>;
  startWorker(index: number): Promise<void>;
  startApi(index: number): Promise<void>;
  /** A Temporal client for checks; reconnects after a server restart. */
  client(): Promise<Client>;
  /** Stops APIs, workers, the server and PostgreSQL, in that order; safe to call twice. */
  close(): Promise<void>;
}

export const STATE_FILE = 'cluster.json';

export function readClusterState(dataDir: string): ClusterState | undefined {
  const file = path.join(dataDir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
  return isAlive(state.pid) ? state : undefined;
}

function loadSecrets(file: string): ClusterSecrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ClusterSecrets;
  // Hex: URL-safe in DATABASE_URL and safe in the psql variables of deploy/postgres-init.
  const secrets: ClusterSecrets = {
    temporalDbPassword: randomBytes(16).toString('hex'),
    appDbPassword: randomBytes(16).toString('hex'),
    feedbackSecret: randomBytes(32).toString('hex'),
  };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/** Whether a pid still runs one of our parts (and was not reused by another program since). */
function isClusterPart(pid: number): boolean {
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return commandLine.includes('src/main.ts') || commandLine.includes(SHARED_FILES.serverConfig);
  } catch {
    return false;
  }
}

/** A run killed with kill -9 leaves its parts running: stop those (ours by their recorded pids) before starting. */
function stopLeftovers(dataDir: string, log: (line: string) => void): void {
  const file = path.join(dataDir, STATE_FILE);
  if (!existsSync(file)) return;
  const state = JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
  if (state.pid !== process.pid && isAlive(state.pid)) {
    throw new Error(
      `a cluster already runs on ${dataDir} (pid ${state.pid}); stop it first (Ctrl-C or kill ${state.pid})`,
    );
  }
  for (const { pid } of state.parts.filter((part) => isAlive(part.pid) && isClusterPart(part.pid))) {
    log(`stopping pid ${pid}, left running by an earlier run that did not stop cleanly`);
    process.kill(pid, 'SIGKILL');
  }
  rmSync(file, { force: true });
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { log, signal } = options;
  const dataDir = path.resolve(options.dataDir);
  const startTimeoutMs = options.startTimeoutMs ?? 180_000;
  const logsDir = path.join(dataDir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  stopLeftovers(dataDir, log);

  const binaries: TemporalServerBinaries = await ensureTemporalServer(log);
  const cli = await resolveTemporalBinary('cli', { log });
  if (cli.type !== 'existing-path') throw new Error(missingBinaryAdvice('cli'));
  const secrets = loadSecrets(path.join(dataDir, 'secrets.json'));
  const ports = await assignPorts(path.join(dataDir, 'ports.json'), {
    apis: options.apis,
    workers: options.workers,
  });
  const temporalAddress = `${LOOPBACK}:${ports.frontendGrpc}`;
  const namespace = CLUSTER_DEFAULTS.namespace;
  const apiUrls = ports.apis.map((port) => `http://${LOOPBACK}:${port}`);
  const settings: ProductSettings = {
    temporalAddress,
    namespace,
    taskQueue: options.taskQueue ?? CLUSTER_DEFAULTS.taskQueue,
    databaseUrl: appDatabaseUrl(ports, secrets),
    matrixFile: path.resolve(options.matrixFile),
    templatesDir: '',
    notificationLogFile: path.join(dataDir, 'notifications.jsonl'),
    publicUrl: apiUrls[0] ?? `http://${LOOPBACK}`,
    feedbackSecret: secrets.feedbackSecret,
    dataDir: path.join(dataDir, 'product'),
  };
  const appDir = options.appDir
    ? path.resolve(options.appDir)
    : options.throwaway
      ? snapshotProduct(path.join(dataDir, 'app'))
      : PROJECT_ROOT;
  settings.templatesDir = path.join(appDir, 'templates');

  let postgres: ClusterPostgres | undefined;
  const server = temporalServerProcess({
    binaries,
    ports,
    secrets,
    dataDir,
    logFile: path.join(logsDir, 'temporal-server.log'),
  });
  const workers = ports.workerMetrics.map((port, index) =>
    productProcess({
      role: 'worker',
      name: `worker-${index + 1}`,
      port,
      settings,
      appDir,
      logFile: path.join(logsDir, `worker-${index + 1}.log`),
    }),
  );
  const apis = ports.apis.map((port, index) =>
    productProcess({
      role: 'api',
      name: `api-${index + 1}`,
      port,
      settings,
      appDir,
      logFile: path.join(logsDir, `api-${index + 1}.log`),
    }),
  );
  let connection: Connection | undefined;
  let client: Client | undefined;
  const state: ClusterState = {
    pid: process.pid,
    dataDir,
    temporalAddress,
    namespace,
    taskQueue: settings.taskQueue,
    databaseUrl: settings.databaseUrl,
    apiUrls,
    workerMetricsUrls: ports.workerMetrics.map((port) => `http://${LOOPBACK}:${port}/metrics`),
    notificationLogFile: settings.notificationLogFile,
    matrixFile: settings.matrixFile,
    postgresPort: ports.postgres,
    logsDir,
    parts: [],
  };
  const saveState = () => {
    state.parts = [server, ...workers, ...apis].flatMap((part) =>
      part.running && part.pid !== undefined ? [{ name: part.spec.name, pid: part.pid }] : [],
    );
    writeFileSync(path.join(dataDir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
  };

  let closed = false;
  const cluster: Cluster = {
    state,
    ports,
    server,
    workers,
    apis,
    async startServer() {
      // A client connected to the old process would keep failing: the next client() opens a fresh one.
      await connection?.close().catch(() => undefined);
      connection = undefined;
      client = undefined;
      server.start();
      saveState();
      await waitForTemporal(temporalAddress, server, startTimeoutMs, signal);
    },
    async startWorker(index) {
      const worker = workers[index];
      if (!worker) throw new Error(`no worker ${index + 1}`);
      worker.start();
      saveState();
      await waitForWorker(worker, startTimeoutMs, signal);
    },
    async startApi(index) {
      const api = apis[index];
      if (!api) throw new Error(`no API ${index + 1}`);
      api.start();
      saveState();
      await waitForApi(api, apiUrls[index] ?? '', startTimeoutMs, signal);
    },
    async client() {
      if (!client) {
        connection = await Connection.connect({ address: temporalAddress, connectTimeout: 5000 });
        client = new Client({ connection, namespace });
      }
      return client;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(apis.map((api) => api.close()));
      await Promise.all(workers.map((worker) => worker.close()));
      await connection?.close().catch(() => undefined);
      await server.close();
      await postgres?.stop();
      rmSync(path.join(dataDir, STATE_FILE), { force: true });
    },
  };

  try {
    saveState();
    postgres = await startClusterPostgres({
      dir: path.join(dataDir, 'postgres'),
      ports,
      secrets,
      throwaway: options.throwaway ?? false,
      log,
    });
    signal?.throwIfAborted();
    log('creating or migrating the Temporal schemas (deploy/temporal/setup-schema.sh)');
    writeFileSync(path.join(logsDir, 'setup-schema.log'), await setUpTemporalSchema(binaries, ports, secrets));
    log(`starting the Temporal server on ${temporalAddress} (deploy/temporal/postgres.yaml)`);
    await cluster.startServer();
    signal?.throwIfAborted();
    log(`registering namespace "${namespace}" and search attributes (deploy/temporal/setup.sh)`);
    writeFileSync(
      path.join(logsDir, 'setup-namespace.log'),
      await setUpNamespace(cli.path, temporalAddress, namespace),
    );
    signal?.throwIfAborted();
    log(`starting ${workers.length} worker(s) and ${apis.length} API(s)`);
    // All at once: each bundles its code (CPU-bound) while the others wait on their connections. The store's
    // migrations take a lock, so parallel first starts are safe.
    await Promise.all([...workers.map((_, i) => cluster.startWorker(i)), ...apis.map((_, i) => cluster.startApi(i))]);
    saveState();
  } catch (error) {
    await cluster.close().catch(() => undefined);
    throw error;
  }
  return cluster;
}
