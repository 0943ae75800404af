// A Temporal environment, a worker with real activities (in-memory store, capturing channel) and helpers to
// start cases: shared by the workflow tests (time skipping) and the API tests (dev server).
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import { createEscalationWorker, WORKFLOWS_PATH } from '../../worker';
import { createActivities } from '../../src/activities';
import { ChannelRegistry } from '../../src/channels/channel';
import { WORKFLOW_GENERATION, type CaseInput, type EscalationInput } from '../../src/shared/escalation';
import { workflowIdFor } from '../../src/shared/ids';
import type { Plan } from '../../src/shared/plan';
import { ESCALATION_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import type { CaseStore } from '../../src/store/case-store';
import type { TemplateLibrary } from '../../src/templates/library';
import { openCaseStore } from '../../src/store/open-store';
import { settle } from '../../src/simulator/settle';
import { escalationWorkflow } from '../../src/workflows/escalation.workflow';
import { CapturingChannel } from '../../src/channels/memory-channel';

export interface Harness {
  env: TestWorkflowEnvironment;
  /** Skips virtual time once every case this harness started has no activity in flight (see settle). */
  sleep(ms: number): Promise<void>;
  channel: CapturingChannel;
  store: CaseStore;
  taskQueue: string;
  /** Starts a case; `extra` adds workflow input such as `historyLimit`. */
  start(
    input: CaseInput,
    plan: Plan,
    extra?: Pick<EscalationInput, 'historyLimit' | 'raisedAt' | 'recordPatienceMs'>,
  ): ReturnType<TestWorkflowEnvironment['client']['workflow']['start']>;
  close(): Promise<void>;
}

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
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
  const worker: Worker = await createEscalationWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    activities: createActivities({
      store: options.wrapStore ? options.wrapStore(store) : store,
      channels: new ChannelRegistry([channel]),
      ...(options.templates ? { templates: options.templates } : {}),
    }),
    workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }),
  });
  const running = worker.run();
  const handles: WorkflowHandle[] = [];
  return {
    env,
    async sleep(ms) {
      for (const handle of handles) await settle(handle);
      await env.sleep(ms);
    },
    channel,
    store,
    taskQueue,
    async start(input, plan, extra = {}) {
      const handle = await env.client.workflow.start(escalationWorkflow, {
        workflowId: workflowIdFor(input.id),
        taskQueue,
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
