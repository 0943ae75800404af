// The Temporal worker of Escalations: runs escalation workflows and their activities on one task queue.
// `createEscalationWorker` is shared by `npm start`, the `worker` role (src/main.ts) and the tests; the worker role
// alone runs as `npm run start:worker` (src/main.ts imports this module, so this one does not start src/main.ts).
import type { Duration } from '@temporalio/common';
import { getHeapStatistics } from 'node:v8';
import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { EscalationActivities, SimulationActivities } from './src/activities';

export interface EscalationWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The escalation activities; with `simulateScenario`, this worker also runs matrix simulations for the API. */
  activities: EscalationActivities & Partial<SimulationActivities>;
  /** Time running activities get to finish on shutdown before they are cancelled. */
  shutdownGraceTime?: Duration;
  /** A pre-built bundle (tests build it once per file); by default the workflows are bundled at start. */
  workflowBundle?: WorkflowBundleOption;
}

export const WORKFLOWS_PATH = require.resolve('./src/workflows');

/**
 * Workflows kept in the worker's cache (sticky, so a timer or command runs without replaying history), set from the
 * heap this process may use: one per 4 MiB of heap limit, at most 1,000, at least 100. The SDK's default (about 600
 * per GiB) let a worker with 4,000 open cases grow past 1 GiB in `npm run bench`; evicted cases replay on their next
 * task instead, which costs CPU only when they wake.
 */
export function cachedWorkflowsFor(heapLimitBytes = getHeapStatistics().heap_size_limit): number {
  const mib = heapLimitBytes / 2 ** 20;
  return Math.max(100, Math.min(1_000, Math.floor(mib / 4)));
}

export function createEscalationWorker(options: EscalationWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, activities, shutdownGraceTime = '10s', workflowBundle } = options;
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    activities,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    shutdownGraceTime,
    maxCachedWorkflows: cachedWorkflowsFor(),
  });
}
