// One bench run: bring the stack up, measure phase by phase, take it down. What `npm run bench` and the smoke test
// both call; it returns the figures and leaves printing to the caller.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMatrix } from '../../src/matrix/load';
import type { Plan } from '../../src/shared/plan';
import { attachToCluster } from './cluster-stack';
import { NotificationTail } from './notification-tail';
import type { BenchOptions } from './options';
import { measureCommandLatency, type LatencyResult } from './phases/command-latency';
import { measureCreateThroughput, type ThroughputResult } from './phases/create-throughput';
import { measureHistoryShape, type HistoryResult } from './phases/history-shape';
import { measureListLatency, type ListLatency } from './phases/list-latency';
import { openCasesInStore, topUpOpenCases, waitForStore, type TopUpResult } from './phases/open-cases';
import { readMemory, type MemoryReading } from './phases/process-memory';
import {
  collectLateness,
  createDueCases,
  firstEscalation,
  type DueCases,
  type LatenessResult,
} from './phases/sla-lateness';
import { FULL, QUICK, type Profile } from './profile';
import { startStack, type Stack } from './stack';

export interface BenchResults {
  mode: 'quick' | 'full';
  store: BenchOptions['store'];
  /** A running `npm run cluster` the bench was pointed at, instead of a stack of its own. */
  cluster?: { dataDir: string; workers: number; apis: number };
  startedAt: string;
  durationS: number;
  machine: { cpus: number; node: string };
  throughput: ThroughputResult;
  latency: LatencyResult[];
  lateness: LatenessResult[];
  history: HistoryResult;
  memory: MemoryReading[];
  /** The top-up to `--open-cases` (full mode: 5,000), when one ran. */
  topUp?: TopUpResult;
  /** List and worklist latency at the size the bench reached (full mode). */
  lists: ListLatency[];
  /** Notifications read from the log channel, and lines of it that were not one. */
  notifications: { total: number; duplicated: number; unreadable: number };
}

/** How long the list latency waits for the store to hold every open case the bench created. */
const STORE_CATCH_UP_MS = 15 * 60_000;

/** Lets the last creates' notifications and records finish before a memory reading. */
const SETTLE_BEFORE_READING_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The mode's profile with the command line's top-up settings. */
function profileFor(options: BenchOptions): Profile {
  const profile = options.quick ? QUICK : FULL;
  const memoryTopUp = options.openCases ?? profile.memoryTopUp;
  return {
    ...profile,
    ...(memoryTopUp === undefined || memoryTopUp === 0 ? { memoryTopUp: undefined } : { memoryTopUp }),
    ...(options.topUpMinutes !== undefined ? { topUpTimeLimitMs: options.topUpMinutes * 60_000 } : {}),
  };
}

/** The plan the product runs on; on a cluster it must be one the lateness phase can measure. */
function benchPlan(stack: Stack, attached: boolean): Plan {
  const plan = loadMatrix(stack.matrixFile);
  try {
    firstEscalation(plan);
  } catch (error) {
    if (!attached) throw error;
    throw new Error(
      `the cluster runs the matrix ${stack.matrixFile}, which the bench cannot measure (${(error as Error).message}). ` +
        'Restart it with: npm run cluster -- --matrix scripts/bench/matrix.yaml',
      { cause: error },
    );
  }
  return plan;
}

export async function runBench(options: BenchOptions, log: (line: string) => void): Promise<BenchResults> {
  const profile = profileFor(options);
  const started = Date.now();
  const run = randomBytes(3).toString('hex');
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'escalations-bench-'));
  let failed = true;
  let stack: Stack | undefined;
  let tail: NotificationTail | undefined;
  try {
    stack =
      options.cluster === undefined
        ? await startStack(options.store, runDir, log)
        : await attachToCluster(options.cluster, log);
    const plan = benchPlan(stack, options.cluster !== undefined);
    // A cluster's log holds earlier runs' notifications: only this run's count.
    tail = new NotificationTail(stack.notificationLogFile, { fromEnd: options.cluster !== undefined });
    log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s; run folder ${runDir}`);
    const results = await measure(stack, tail, plan, profile, run, log);
    failed = false;
    const roles = stack.processes.map((process) => process.role);
    return {
      mode: options.quick ? 'quick' : 'full',
      store: options.store,
      ...(options.cluster !== undefined
        ? {
            cluster: {
              dataDir: options.cluster,
              workers: roles.filter((role) => role.startsWith('worker')).length,
              apis: roles.filter((role) => role.startsWith('api')).length,
            },
          }
        : {}),
      startedAt: new Date(started).toISOString(),
      durationS: Math.round((Date.now() - started) / 1000),
      machine: { cpus: os.cpus().length, node: process.version },
      ...results,
      notifications: { total: tail.total, duplicated: tail.duplicates(), unreadable: tail.unreadable },
    };
  } finally {
    log('stopping the stack');
    tail?.close();
    await stack?.stop();
    // Logs of a failed run stay for reading; a good run leaves nothing behind unless asked.
    if (failed || options.keep) log(`run folder kept: ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  }
}

async function measure(
  stack: Stack,
  tail: NotificationTail,
  plan: Plan,
  profile: Profile,
  run: string,
  log: (line: string) => void,
): Promise<Omit<BenchResults, 'mode' | 'store' | 'startedAt' | 'durationS' | 'machine' | 'notifications'>> {
  const { apiBase, client } = stack;
  const rawTaskQueue = `${stack.taskQueue}-raw`;
  // A cluster may hold open cases of earlier runs: they count toward the readings' sizes and the top-up.
  const counts = { openCases: stack.databaseUrl ? await openCasesInStore(stack.databaseUrl) : 0, rawRuns: 0 };
  const memory: MemoryReading[] = [];

  await sleep(SETTLE_BEFORE_READING_MS);
  memory.push(readMemory('idle', stack.processes, counts));

  const { concurrency, count } = profile.throughput;
  log(`create throughput: ${count} API creates, then ${count} raw starts, ${concurrency} clients each`);
  const { result: throughput } = await measureCreateThroughput({
    apiBase,
    client,
    plan,
    rawTaskQueue,
    run,
    profile,
    processes: stack.processes,
    tail,
    afterApi: (created) => {
      counts.openCases += created;
      memory.push(readMemory(`${counts.openCases} open cases`, stack.processes, counts));
    },
  });
  counts.rawRuns += throughput.raw.succeeded;
  log(
    `  ${throughput.api.perSecond.toFixed(1)} creates/s answered, ${throughput.api.openedPerSecond?.toFixed(1) ?? '-'} ` +
      `opened/s, vs ${throughput.raw.perSecond.toFixed(1)} raw starts/s`,
  );

  const latency: LatencyResult[] = [];
  for (const step of profile.latency) {
    await sleep(profile.settleMs);
    log(`latency at ${step.perSecond}/s: ${step.count} raw starts, creates, acknowledges`);
    const { result, created } = await measureCommandLatency({
      apiBase,
      client,
      plan,
      rawTaskQueue,
      run,
      phase: `lat${step.perSecond}`,
      step,
      tail,
    });
    latency.push(result);
    counts.openCases += created.length;
    counts.rawRuns += result.raw.latencyMs.count;
  }

  // Each rate's escalations are measured on their own: the next rate's creates start at once only when all of
  // them end before the first case of this rate falls due; otherwise after this rate's last handoff.
  const { ackMs } = firstEscalation(plan);
  const createsMs = profile.lateness.reduce((sum, step) => sum + (step.count / step.perSecond) * 1000, 0);
  const overlap = createsMs < ackMs * 0.8;
  const lateness: LatenessResult[] = [];
  const escalated: string[] = [];
  const pending: DueCases[] = [];
  const collect = async (due: DueCases) => {
    const { result, escalated: ids } = await collectLateness(due);
    lateness.push(result);
    escalated.push(...ids);
    counts.openCases += result.cases;
    log(
      `  due at ${result.duePerSecond}/s: lateness p50 ${result.latenessMs.p50 ?? '-'} ms, ` +
        `p99 ${result.latenessMs.p99 ?? '-'} ms; lost ${result.lost}`,
    );
  };
  await sleep(profile.settleMs);
  for (const step of profile.lateness) {
    log(`SLA lateness: ${step.count} cases due at ${step.perSecond}/s (ack target ${ackMs / 1000} s)`);
    const due = await createDueCases({ apiBase, plan, tail, run, phase: `sla${step.perSecond}`, step });
    if (overlap) pending.push(due);
    else await collect(due);
  }
  for (const due of pending) await collect(due);

  log(`history of ${Math.min(profile.historySample, escalated.length)} escalated cases`);
  const history = await measureHistoryShape(client, escalated.slice(0, profile.historySample));

  let label = `${counts.openCases} open cases`;
  let topUp: TopUpResult | undefined;
  if (profile.memoryTopUp !== undefined && counts.openCases < profile.memoryTopUp) {
    await sleep(profile.settleMs);
    if (stack.databaseUrl) counts.openCases = await openCasesInStore(stack.databaseUrl);
    log(`open cases: topping up from ${counts.openCases} to ${profile.memoryTopUp}`);
    topUp = await topUpOpenCases({
      apiBase,
      run,
      target: profile.memoryTopUp,
      before: counts.openCases,
      concurrency: profile.throughput.concurrency,
      timeLimitMs: profile.topUpTimeLimitMs,
      log,
    });
    counts.openCases += topUp.created;
    log(
      `  ${topUp.created} created in ${topUp.elapsedS} s (${topUp.perSecond.toFixed(1)}/s), ` +
        `failed ${JSON.stringify(topUp.failures)}, retried ${JSON.stringify(topUp.retried)}, not sent ${topUp.notSent}`,
    );
    label =
      topUp.notSent > 0
        ? `${counts.openCases} open cases (top-up to ${profile.memoryTopUp} ended by its time limit)`
        : `${counts.openCases} open cases`;
  }
  await sleep(SETTLE_BEFORE_READING_MS);
  memory.push(readMemory(label, stack.processes, counts));

  const lists: ListLatency[] = [];
  if (profile.memoryTopUp !== undefined) {
    // The store is written in the background, behind the workflows: the lists run once it holds the open cases.
    const open = stack.databaseUrl
      ? await waitForStore(stack.databaseUrl, counts.openCases, STORE_CATCH_UP_MS, log)
      : counts.openCases;
    log(`list and worklist latency at ${open} open cases`);
    lists.push(...(await measureListLatency(apiBase, plan, open)));
  }

  return { throughput, latency, lateness, history, memory, ...(topUp ? { topUp } : {}), lists };
}
