// The simulator's engine, shared by scenarios and the what-if replay: Temporal's time-skipping test server, an
// in-memory case store and a worker running the real escalation workflow and activities on captured channels.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { createEscalationWorker, WORKFLOWS_PATH } from '../../worker';
import { createActivities } from '../activities';
import type { ChannelRegistry } from '../channels/channel';
import type { CaseStore } from '../store/case-store';
import { openCaseStore } from '../store/open-store';
import { missingBinaryAdvice, resolveTemporalBinary } from '../temporal/binaries';

export class SimulationError extends Error {
  override readonly name = 'SimulationError';
}

export interface VirtualTime {
  env: TestWorkflowEnvironment;
  store: CaseStore;
  taskQueue: string;
  /** Skips the server's clock forward to `ms` (never back). */
  skipTo: (ms: number) => Promise<void>;
}

let runtimeInstalled = false;

function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed by the host process (tests, the API): keep its logger.
  }
}

/** Runs `body` with a worker polling `taskQueue` in virtual time; everything is torn down afterwards. */
export async function inVirtualTime<T>(
  taskQueue: string,
  channels: ChannelRegistry,
  body: (time: VirtualTime) => Promise<T>,
): Promise<T> {
  quietRuntime();
  const executable = await resolveTemporalBinary('test-server');
  if (executable.type !== 'existing-path') throw new SimulationError(missingBinaryAdvice('test-server'));
  // Started together (each takes seconds); whatever did start is closed again when another fails.
  const [envStarted, storeOpened, bundled] = await Promise.allSettled([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable } }),
    openCaseStore({ inMemory: true }),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('ERROR') }),
  ]);
  if (envStarted.status === 'rejected' || storeOpened.status === 'rejected' || bundled.status === 'rejected') {
    if (envStarted.status === 'fulfilled') await envStarted.value.teardown().catch(() => {});
    if (storeOpened.status === 'fulfilled') await storeOpened.value.close().catch(() => {});
    const failed = [envStarted, storeOpened, bundled].find((result) => result.status === 'rejected');
    throw (failed as PromiseRejectedResult).reason;
  }
  const [env, store, workflowBundle] = [envStarted.value, storeOpened.value, bundled.value];
  try {
    const worker = await createEscalationWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      activities: createActivities({ store, channels }),
      workflowBundle,
    });
    const skipTo = async (ms: number) => {
      const wait = ms - (await env.currentTimeMs());
      if (wait > 0) await env.sleep(wait);
    };
    return await worker.runUntil(() => body({ env, store, taskQueue, skipTo }));
  } finally {
    await store.close();
    await env.teardown();
  }
}
