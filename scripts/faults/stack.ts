// The product as production runs it, on loopback ports of one machine: a Temporal dev server (state in a file, so
// it can be killed and restarted on it), the worker and the API as separate processes sharing one PostgreSQL.
// Each part can be killed, stopped, continued and restarted on its own by the fault rounds.
import { devServerFlags } from '../../src/temporal/dev-server';
import { Client, Connection } from '@temporalio/client';
import { cpSync, mkdirSync, rmSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { resolveTemporalBinary, missingBinaryAdvice, PROJECT_ROOT } from '../../src/temporal/binaries';
import { startPrivateDatabase, type PrivateDatabase } from '../support/private-database';
import { ManagedProcess } from './child-process';
import { freePort, LOOPBACK, waitFor } from '../support/loopback';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

export const MATRIX_TEMPLATE = path.join(PROJECT_ROOT, 'test/faults/matrix.yaml');
/** The placeholder URL of the webhook contact in the matrix template. */
const WEBHOOK_PLACEHOLDER = 'http://127.0.0.1:9/escalations';
const NAMESPACE = 'default';
const TASK_QUEUE = 'escalations-faults';
const WEBHOOK_SECRET = 'fault-injection-webhook-secret';
const FEEDBACK_SECRET = 'fault-injection-feedback-secret';

export interface StackOptions {
  workDir: string;
  /** Length of every ack target; the matrix's own (1m) when absent. The Jest run uses a shorter one. */
  ackSeconds?: number;
  /** How long a part may take to come up before the run fails. */
  startTimeoutMs?: number;
}

export interface Stack {
  workDir: string;
  apiUrl: string;
  temporalAddress: string;
  databaseUrl: string;
  notificationLogFile: string;
  taskQueue: string;
  ackMs: number;
  webhook: WebhookReceiver;
  devServer: ManagedProcess;
  worker: ManagedProcess;
  api: ManagedProcess;
  startDevServer(): Promise<void>;
  startWorker(): Promise<void>;
  startApi(): Promise<void>;
  /** A Temporal client for the checks; reconnects after a dev server restart. */
  client(): Promise<Client>;
  close(): Promise<void>;
}

/** The matrix the product runs on: the template with the receiver's real URL and, when asked, shorter targets. */
function writeMatrix(
  workDir: string,
  webhookUrl: string,
  ackSeconds: number | undefined,
): { file: string; ackMs: number } {
  const text = readFileSync(MATRIX_TEMPLATE, 'utf8');
  if (!text.includes(WEBHOOK_PLACEHOLDER)) throw new Error(`${MATRIX_TEMPLATE} lost its webhook placeholder`);
  const matrix = parse(text.replace(WEBHOOK_PLACEHOLDER, webhookUrl)) as {
    sla: Record<string, { ack: string; resolve: string }>;
    defaults: { repeat: { every: string } };
  };
  if (ackSeconds !== undefined) {
    for (const target of Object.values(matrix.sla)) {
      target.ack = `${ackSeconds}s`;
      target.resolve = `${ackSeconds * 5}s`;
    }
    matrix.defaults.repeat.every = `${ackSeconds}s`;
  }
  const file = path.join(workDir, 'matrix.yaml');
  writeFileSync(file, stringify(matrix));
  return { file, ackMs: (ackSeconds ?? 60) * 1000 };
}

/** How long a supervisor waits before it restarts a part that crashed (compose restarts at once; a pause keeps a
 * part that crashes on start from spinning). */
const RESTART_DELAY_MS = 1_000;

/**
 * Restarts a part that exits on its own, as a deployment's supervisor does (`restart: unless-stopped` in
 * docker-compose.yml, a Kubernetes Deployment): the worker has crashed under SIGSTOP and heavy load inside Node
 * ("async hook stack has become corrupted" in a workflow thread, temporalio/sdk-typescript#939). What the suite then
 * checks is the promise that matters: no case lost, duplicated or stalled across the crash. Each crash is counted in
 * the round's table.
 */
function superviseCrashes(stack: Stack): void {
  const parts = [
    [stack.devServer, () => stack.startDevServer()],
    [stack.worker, () => stack.startWorker()],
    [stack.api, () => stack.startApi()],
  ] as const;
  for (const [part, start] of parts) {
    part.onCrash = (crash) => {
      process.stderr.write(`[faults] the ${part.spec.name} crashed (${crash.exit}); restarting it\n`);
      setTimeout(() => {
        // A round may have restarted it meanwhile, or the run is closing.
        if (part.running || !part.onCrash) return;
        start().catch((error: Error) =>
          process.stderr.write(`[faults] the ${part.spec.name} did not come back: ${error.message}\n`),
        );
      }, RESTART_DELAY_MS);
    };
  }
}

/** What the worker and API run from: the product's code, without tests, scripts or state. */
const PRODUCT_FILES = ['src', 'templates', 'worker.ts', 'package.json', 'tsconfig.json'];

/**
 * A copy of the product's code for the whole run. A restarted worker must replay its cases with the code they started
 * on, as it would in a deployment; reading the working tree would pick up whatever is being edited there meanwhile
 * and turn a restart into a nondeterminism failure that says nothing about the fault.
 */
function snapshotProduct(workDir: string): string {
  const appDir = path.join(workDir, 'app');
  rmSync(appDir, { recursive: true, force: true });
  mkdirSync(appDir, { recursive: true });
  for (const entry of PRODUCT_FILES) {
    cpSync(path.join(PROJECT_ROOT, entry), path.join(appDir, entry), { recursive: true });
  }
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(appDir, 'node_modules'), 'dir');
  return appDir;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { workDir } = options;
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  mkdirSync(workDir, { recursive: true });
  const appDir = snapshotProduct(workDir);
  const cli = await resolveTemporalBinary('cli');
  if (cli.type !== 'existing-path') throw new Error(missingBinaryAdvice('cli'));
  const postgres: PrivateDatabase = await startPrivateDatabase('escalations_faults');
  const webhook = await startWebhookReceiver(WEBHOOK_SECRET);
  const { file: matrixFile, ackMs } = writeMatrix(workDir, webhook.url, options.ackSeconds);
  const [temporalPort, uiPort, apiPort, metricsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const temporalAddress = `${LOOPBACK}:${temporalPort}`;
  const notificationLogFile = path.join(workDir, 'notifications.jsonl');

  const devServer = new ManagedProcess({
    name: 'dev-server',
    command: cli.path,
    args: [
      'server',
      'start-dev',
      '--ip',
      LOOPBACK,
      '--port',
      String(temporalPort),
      '--ui-port',
      String(uiPort),
      // The state file is what "restarted on its persisted state" means: a restart reads it back.
      '--db-filename',
      path.join(workDir, 'temporal.db'),
      '--namespace',
      NAMESPACE,
      ...devServerFlags(),
    ],
    env: process.env,
    cwd: workDir,
    logFile: path.join(workDir, 'dev-server.log'),
  });
  const productEnv = (role: string): NodeJS.ProcessEnv => ({
    ...process.env,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TASK_QUEUE,
    DATABASE_URL: postgres.url,
    MATRIX_FILE: matrixFile,
    PORT: String(apiPort),
    // A worker's own metrics port: another run (or a bench) on this machine must not collide on the default.
    METRICS_PORT: String(metricsPort),
    NOTIFICATION_LOG_FILE: notificationLogFile,
    WEBHOOK_SECRET,
    FEEDBACK_SECRET,
    DATA_DIR: path.join(workDir, `data-${role}`),
    LOG_LEVEL: 'info',
    SHUTDOWN_GRACE_SECONDS: '5',
  });
  // `node --import tsx` rather than `npx tsx`: one process per role, so kill -9 hits the process doing the work.
  const product = (role: 'worker' | 'api') =>
    new ManagedProcess({
      name: role,
      command: process.execPath,
      args: ['--import', 'tsx', 'src/main.ts', role],
      env: productEnv(role),
      cwd: appDir,
      logFile: path.join(workDir, `${role}.log`),
    });
  const worker = product('worker');
  const api = product('api');
  const apiUrl = `http://${LOOPBACK}:${apiPort}`;

  let connection: Connection | undefined;
  let client: Client | undefined;

  const stack: Stack = {
    workDir,
    apiUrl,
    temporalAddress,
    databaseUrl: postgres.url,
    notificationLogFile,
    taskQueue: TASK_QUEUE,
    ackMs,
    webhook,
    devServer,
    worker,
    api,
    async startDevServer() {
      // The checks' connection pointed at the old server process: open a fresh one on the next read.
      await connection?.close().catch(() => undefined);
      connection = undefined;
      client = undefined;
      devServer.start();
      await waitFor(
        'the Temporal dev server',
        async () => {
          if (!devServer.running) throw new Error('the dev server exited; see dev-server.log');
          const probe = await Connection.connect({ address: temporalAddress, connectTimeout: 1000 });
          try {
            await probe.workflowService.getSystemInfo({});
            return true;
          } finally {
            await probe.close();
          }
        },
        { timeoutMs: startTimeoutMs, intervalMs: 250 },
      );
    },
    async startWorker() {
      worker.start();
      // The worker says so once it polls: after the workflow bundle is built and the connection is up.
      await waitFor(
        'the worker',
        () => {
          if (!worker.running) throw new Error('the worker exited; see worker.log');
          return Promise.resolve(worker.hasPrinted('worker running') ? true : undefined);
        },
        { timeoutMs: startTimeoutMs, intervalMs: 200 },
      );
    },
    async startApi() {
      api.start();
      await waitFor(
        'the API',
        async () => {
          if (!api.running) throw new Error('the API exited; see api.log');
          const response = await fetch(`${apiUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
          return response.status === 200 ? true : undefined;
        },
        { timeoutMs: startTimeoutMs, intervalMs: 250 },
      );
    },
    async client() {
      if (!client) {
        connection = await Connection.connect({ address: temporalAddress, connectTimeout: 5000 });
        client = new Client({ connection, namespace: NAMESPACE });
      }
      return client;
    },
    async close() {
      await api.close();
      await worker.close();
      await connection?.close().catch(() => undefined);
      await devServer.close();
      await webhook.close();
      await postgres.stop();
    },
  };
  superviseCrashes(stack);
  try {
    await stack.startDevServer();
    // Worker and API migrate the same database at once on first start; the store serialises that with a lock.
    await Promise.all([stack.startWorker(), stack.startApi()]);
  } catch (error) {
    await stack.close().catch(() => undefined);
    throw error;
  }
  return stack;
}
