// The Temporal worker of Escalations: runs escalation workflows and their activities on one task queue.
// `createEscalationWorker` is shared by `npm start`, the `worker` role (src/main.ts) and the tests.
import type { Duration } from '@temporalio/common';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { EscalationActivities } from './src/activities';

export interface EscalationWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: EscalationActivities;
  /** Time running activities get to finish on shutdown before they are cancelled. */
  shutdownGraceTime?: Duration;
  /** A pre-built bundle (tests build it once per file); by default the workflows are bundled at start. */
  workflowBundle?: WorkflowBundleOption;
}

export const WORKFLOWS_PATH = require.resolve('./src/workflows');

export function createEscalationWorker(options: EscalationWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, activities, shutdownGraceTime = '10s', workflowBundle } = options;
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    activities,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    shutdownGraceTime,
  });
}

if (require.main === module) {
  // `tsx worker.ts` runs the worker role alone (same as `node dist/src/main.js worker`).
  process.argv.splice(2, process.argv.length, 'worker');
  void import('./src/main');
}
