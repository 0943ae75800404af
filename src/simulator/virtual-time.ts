// The simulator's engine, shared by scenarios and the what-if replay: Temporal's time-skipping test server, an
// in-memory case store and a worker running the real escalation workflow and activities on captured channels.
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  type Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createEscalationWorker, WORKFLOWS_PATH } from '../../worker';
import { createActivities } from '../activities';
import type { ChannelRegistry } from '../channels/channel';
import type { CaseStore } from '../store/case-store';
import { openPgliteClient } from '../store/pglite-client';
import type { SqlClient } from '../store/sql-client';
import { SqlCaseStore } from '../store/sql-store';
import { missingBinaryAdvice, resolveTemporalBinary } from '../temporal/binaries';
import { settleCase } from './settle';

export class SimulationError extends Error {
  override readonly name = 'SimulationError';
}

/**
 * Timers of a case due less than this after a command's instant fire before the command is sent. Scenario instants
 * are whole seconds, so such a timer is the scenario's own instant (its drift is the milliseconds the workflow tasks
 * took in real time) and rule 4 puts the SLA action first anyway; and the test server hangs a case whose timer fires
 * while a command's workflow task runs (see `advanceTo`).
 */
export const COMMAND_CLEARANCE_MS = 1_000;

export interface VirtualTime {
  env: TestWorkflowEnvironment;
  store: CaseStore;
  taskQueue: string;
  /** Skips the server's clock forward to `ms` (never back). */
  skipTo: (ms: number) => Promise<void>;
  /** `advanceTo` on this environment's clock. */
  advanceTo: (handle: WorkflowHandle, ms: number, clearanceMs?: number) => Promise<number>;
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

// Bundling the workflows takes seconds (tens on a busy machine): a process does it once. Opening an embedded store
// takes as long: while somebody holds the simulator (tests, between beforeAll and afterAll), the store of a finished
// simulation is emptied and kept for the next one instead of being closed.
let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('ERROR') }).catch(
    (error: unknown) => {
      bundle = undefined;
      throw error;
    },
  );
  return bundle;
}

interface PooledStore {
  client: SqlClient;
  store: CaseStore;
}

let holders = 0;
let idle: PooledStore | undefined;

async function acquireStore(): Promise<PooledStore> {
  const kept = idle;
  idle = undefined;
  if (kept) return kept;
  const client = await openPgliteClient();
  const store = new SqlCaseStore(client);
  try {
    await store.migrate();
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
  return { client, store };
}

/** Keeps the store, emptied, for the next simulation while the simulator is held; closes it otherwise. */
async function releaseStore(pooled: PooledStore): Promise<void> {
  if (holders > 0 && !idle && (await emptied(pooled.client)) && holders > 0 && !idle) {
    idle = pooled;
    return;
  }
  await pooled.store.close().catch(() => {});
}

/** Deletes every row (the schema stays) and restarts the sequences: a fresh store, in milliseconds. */
async function emptied(client: SqlClient): Promise<boolean> {
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
    );
    const sequences = await client.query<{ name: string }>(
      "SELECT quote_ident(sequencename) AS name FROM pg_sequences WHERE schemaname = 'public'",
    );
    if (tables.rows.length > 0) await client.exec(`TRUNCATE ${tables.rows.map((t) => t.name).join(', ')}`);
    for (const { name } of sequences.rows) await client.exec(`ALTER SEQUENCE ${name} RESTART`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Bundles the workflows and opens a store ahead of the simulations that follow, and keeps the store between them until
 * the returned function is called (tests: `beforeAll` with a time limit of its own, since on a busy machine this takes
 * most of a minute, and `afterAll`). An open embedded store keeps the process alive for seconds: let go of it.
 */
export async function holdSimulator(): Promise<() => Promise<void>> {
  holders += 1;
  let held = true;
  const letGo = async () => {
    if (!held) return;
    held = false;
    holders -= 1;
    const kept = holders === 0 ? idle : undefined;
    if (kept) {
      idle = undefined;
      await kept.store.close().catch(() => {});
    }
  };
  try {
    await Promise.all([workflowBundle(), acquireStore().then(releaseStore)]);
  } catch (error) {
    await letGo();
    throw error;
  }
  return letGo;
}

/**
 * Moves the clock to `atMs` one timer of `handle` at a time, each step's workflow task and activities finished
 * before the next skip, so what the case does never depends on how fast the machine is. With `clearanceMs`, the timers
 * due before `atMs + clearanceMs` fire too (after `atMs` if need be): a command sent next then meets no timer of its
 * case firing while its workflow task runs. The time-skipping test server refuses the completion of a task that
 * cancels a timer which fired meanwhile and leaves the case hanging for good (temporalio/sdk-java#2606, #3088), and a
 * command always cancels the timer the case waits on. Returns how many timers fired after `atMs`.
 */
export async function advanceTo(
  env: TestWorkflowEnvironment,
  handle: WorkflowHandle,
  atMs: number,
  clearanceMs = 0,
): Promise<number> {
  const movedPast = new Set<string>();
  for (let step = 0; ; step++) {
    const { closed, timers } = await settleCase(handle);
    const next = timers[0];
    if (closed || next === undefined || next.firesAtMs >= atMs + clearanceMs) break;
    if (step >= 100_000) throw new SimulationError(`${handle.workflowId} keeps starting timers that are due at once`);
    if (next.firesAtMs > atMs) movedPast.add(next.id);
    const now = await env.currentTimeMs();
    // A timer due already fires on its own in a moment (the server's clock runs on in real time).
    if (next.firesAtMs > now) await env.sleep(next.firesAtMs - now);
    else await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const now = await env.currentTimeMs();
  if (atMs > now) await env.sleep(atMs - now);
  return movedPast.size;
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
  // Started together (each takes seconds the first time); whatever did start is closed again when another fails.
  const [envStarted, storeOpened, bundled] = await Promise.allSettled([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable } }),
    acquireStore(),
    workflowBundle(),
  ]);
  if (envStarted.status === 'rejected' || storeOpened.status === 'rejected' || bundled.status === 'rejected') {
    if (envStarted.status === 'fulfilled') await envStarted.value.teardown().catch(() => {});
    if (storeOpened.status === 'fulfilled') await storeOpened.value.store.close().catch(() => {});
    const failed = [envStarted, storeOpened, bundled].find((result) => result.status === 'rejected');
    throw (failed as PromiseRejectedResult).reason;
  }
  const [env, pooled, workflowBundleCode] = [envStarted.value, storeOpened.value, bundled.value];
  const { store } = pooled;
  let worker: Worker;
  try {
    worker = await createEscalationWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      activities: createActivities({ store, channels }),
      workflowBundle: workflowBundleCode,
    });
  } catch (error) {
    await env.teardown().catch(() => {});
    await releaseStore(pooled);
    throw error;
  }
  const skipTo = async (ms: number) => {
    const wait = ms - (await env.currentTimeMs());
    if (wait > 0) await env.sleep(wait);
  };
  try {
    return await worker.runUntil(() =>
      body({
        env,
        store,
        taskQueue,
        skipTo,
        advanceTo: (handle, ms, clearanceMs) => advanceTo(env, handle, ms, clearanceMs),
      }),
    );
  } finally {
    await env.teardown();
    await releaseStore(pooled);
  }
}
