// A Temporal environment, a worker with real activities (in-memory store, capturing channel) and helpers to
// start cases: shared by the workflow tests (time skipping) and the API tests (dev server).
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  Runtime,
  DefaultLogger,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createEscalationWorker, WORKFLOWS_PATH } from '../../worker';
import { createActivities } from '../../src/activities';
import { simulateScenario } from '../../src/activities/simulation';
import { ChannelRegistry } from '../../src/channels/channel';
import { WORKFLOW_GENERATION, type CaseInput, type EscalationInput } from '../../src/shared/escalation';
import { workflowIdFor } from '../../src/shared/ids';
import type { Plan } from '../../src/shared/plan';
import { ESCALATION_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import type { CaseStore } from '../../src/store/case-store';
import type { TemplateLibrary } from '../../src/templates/library';
import { openCaseStore } from '../../src/store/open-store';
import { settle } from '../../src/simulator/settle';
import { advanceTo } from '../../src/simulator/virtual-time';
import { escalationWorkflow } from '../../src/workflows/escalation.workflow';
import { CapturingChannel } from '../../src/channels/memory-channel';

export interface Harness {
  env: TestWorkflowEnvironment;
  /** Skips virtual time once every case this harness started has no activity in flight (see settle). */
  sleep(ms: number): Promise<void>;
  /** Skips the test server's clock forward to `iso` (which must lie ahead), as `sleep` does. */
  skipTo(iso: string): Promise<void>;
  /**
   * Moves virtual time to `atMs` one timer of `handle` at a time, firing first the timers due before
   * `atMs + clearanceMs`: a command sent next cannot meet its case's timer firing mid-task, which hangs the case on the
   * time-skipping test server (see advanceTo in src/simulator/virtual-time.ts). Returns how many fired after `atMs`.
   */
  advanceTo(handle: WorkflowHandle, atMs: number, clearanceMs?: number): Promise<number>;
  /**
   * Another worker with the same activities, polling `taskQueue` and keeping no case cached (a later worker can take
   * over its cases at once): for tests that stop the worker and start another.
   */
  startWorker(taskQueue: string): Promise<{ stop(): Promise<void> }>;
  channel: CapturingChannel;
  store: CaseStore;
  taskQueue: string;
  /** Starts a case; `extra` adds workflow input such as `historyLimit`; `taskQueue` is the harness worker's by default. */
  start(
    input: CaseInput,
    plan: Plan,
    extra?: Pick<EscalationInput, 'historyLimit' | 'raisedAt' | 'recordPatienceMs'>,
    options?: { taskQueue?: string },
  ): ReturnType<TestWorkflowEnvironment['client']['workflow']['start']>;
  close(): Promise<void>;
}

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

// Bundled once per test file, however many harnesses it creates (bundling takes seconds).
let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  return bundle;
}

function requiredPath(envVar: string): string {
  const value = process.env[envVar];
  if (!value) throw new Error(`${envVar} is not set: run the tests through jest's global setup (npm test)`);
  return value;
}

/**
 * `templates`: the notify activity renders with them; without, every notice is sent with its built-in text.
 * `wrapStore`: what the activities see instead of the store (a store that fails, for fault tests).
 */
export async function createHarness(
  kind: 'time-skipping' | 'dev-server',
  options: { templates?: TemplateLibrary; wrapStore?: (store: CaseStore) => CaseStore } = {},
): Promise<Harness> {
  quietRuntime();
  const env =
    kind === 'time-skipping'
      ? await TestWorkflowEnvironment.createTimeSkipping({
          server: { executable: { type: 'existing-path', path: requiredPath('TEMPORAL_TEST_SERVER_PATH') } },
        })
      : await TestWorkflowEnvironment.createLocal({
          server: {
            executable: { type: 'existing-path', path: requiredPath('TEMPORAL_CLI_PATH') },
            searchAttributes: [...ESCALATION_SEARCH_ATTRIBUTES],
            extraArgs: ['--log-level', 'error'],
          },
        });
  const channel = new CapturingChannel();
  const store = await openCaseStore({ inMemory: true });
  const taskQueue = `escalations-test-${kind}${options.templates ? '-templates' : ''}`;
  const activities = createActivities({
    store: options.wrapStore ? options.wrapStore(store) : store,
    channels: new ChannelRegistry([channel]),
    ...(options.templates ? { templates: options.templates } : {}),
  });
  const worker: Worker = await createEscalationWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    // The API tests' simulations run on this worker, as they do on the product's.
    activities: { ...activities, simulateScenario },
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  const handles: WorkflowHandle[] = [];
  const sleep = async (ms: number) => {
    for (const handle of handles) await settle(handle);
    await env.sleep(ms);
  };
  return {
    env,
    sleep,
    async skipTo(iso) {
      const ms = Date.parse(iso) - (await env.currentTimeMs());
      if (ms < 0) throw new Error(`cannot go back in time to ${iso}`);
      if (ms > 0) await sleep(ms);
    },
    advanceTo: (handle, atMs, clearanceMs) => advanceTo(env, handle, atMs, clearanceMs),
    async startWorker(queue) {
      const extra = await Worker.create({
        connection: env.nativeConnection,
        namespace: env.namespace ?? 'default',
        taskQueue: queue,
        activities,
        workflowBundle: await workflowBundle(),
        maxCachedWorkflows: 0,
      });
      const polling = extra.run();
      return {
        async stop() {
          extra.shutdown();
          await polling;
        },
      };
    },
    channel,
    store,
    taskQueue,
    async start(input, plan, extra = {}, { taskQueue: queue = taskQueue } = {}) {
      const handle = await env.client.workflow.start(escalationWorkflow, {
        workflowId: workflowIdFor(input.id),
        taskQueue: queue,
        args: [{ case: input, plan, generation: WORKFLOW_GENERATION, ...extra }],
      });
      handles.push(handle);
      return handle;
    },
    async close() {
      worker.shutdown();
      await running;
      await store.close();
      await env.teardown();
    },
  };
}

/**
 * The harness of one test file: created before its tests (`beforeAll`), closed after them. What it returns reads the
 * running harness, so a file keeps it in a constant (`const harness = useHarness('time-skipping')`).
 */
export function useHarness(
  kind: 'time-skipping' | 'dev-server',
  options: Parameters<typeof createHarness>[1] = {},
): Omit<Harness, 'close'> {
  let harness: Harness | undefined;
  // Bundling the workflows and starting a server take seconds, minutes on a loaded machine.
  beforeAll(async () => {
    harness = await createHarness(kind, options);
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });
  // Every member read through to the harness of the moment, so this stays in step with Harness as it grows.
  return new Proxy({} as Omit<Harness, 'close'>, {
    get(_target, key) {
      if (!harness) throw new Error('the harness starts in beforeAll: use it inside tests');
      const value: unknown = Reflect.get(harness, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(harness) : value;
    },
  });
}
