// Creates per second with 10 concurrent clients: POST /escalations through the API and worker, against the same
// start request sent straight to the server on a task queue no worker polls (the server's own cost). The API may
// answer before the worker has opened the case, so the API figure has two rates: answered (201s per second) and
// opened (cases whose first handoff reached the log channel, per second, until the last one did).
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Plan } from '../../../src/shared/plan';
import { caseBody, caseId, casePrefix, startRawCase } from '../cases';
import { watchOpenings } from '../case-openings';
import { startCpuWindow } from '../cpu-window';
import { requestJson, type ApiBase } from '../http-client';
import { closedLoop, type LoadResult } from '../load-loops';
import type { NotificationTail } from '../notification-tail';
import type { Profile } from '../profile';
import type { MeasuredProcess } from '../stack';
import { distribution, failuresByStatus, loadAverage, ratio, type Distribution } from '../stats';

export interface CreateRate {
  /** Successful creates per second over the whole loop. */
  perSecond: number;
  /** API only: created cases per second until the last one's first notification arrived (the worker's pace). */
  openedPerSecond?: number;
  /** API only: created cases with no notification within the drain limit. */
  notOpened?: number;
  succeeded: number;
  failures: Record<string, number>;
  notSent: number;
  latencyMs: Distribution;
  /** CPU ms per successful create, by process (server, worker, API, database). */
  cpuMsPerCreate: Record<string, number>;
  load1: number;
}

export interface ThroughputResult {
  concurrency: number;
  api: CreateRate;
  raw: CreateRate;
  /** API creates/s (answered) divided by raw starts/s. */
  ratio?: number;
  /** API cases opened/s divided by raw starts/s. */
  openedRatio?: number;
}

/** How long the worker gets to open the cases the API accepted before the raw loop starts anyway. */
const DRAIN_LIMIT_MS = 120_000;

function rateOf(result: LoadResult, cpuPer: (per: number) => Record<string, number>): CreateRate {
  const succeeded = result.outcomes.filter((o) => o.ok);
  return {
    perSecond: succeeded.length / (result.elapsedMs / 1000),
    succeeded: succeeded.length,
    failures: failuresByStatus(result.outcomes),
    notSent: result.notSent,
    latencyMs: distribution(succeeded.map((o) => o.ms)),
    cpuMsPerCreate: cpuPer(succeeded.length),
    load1: loadAverage(),
  };
}

/** A call to Temporal gives up after this, like the API's own deadlines, so a stuck server cannot hang a loop. */
const RAW_DEADLINE_MS = 30_000;

/** A raw start's outcome, named like an HTTP one so the same tables count it. */
export async function rawAttempt(
  client: Client,
  start: () => Promise<unknown>,
): Promise<{ status: string; ok: boolean }> {
  try {
    await client.withDeadline(Date.now() + RAW_DEADLINE_MS, start);
    return { status: 'ok', ok: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { status: 'already-started', ok: false };
    return { status: error instanceof Error ? error.name : 'error', ok: false };
  }
}

export async function measureCreateThroughput(context: {
  apiBase: ApiBase;
  client: Client;
  plan: Plan;
  rawTaskQueue: string;
  run: string;
  profile: Profile;
  processes: readonly MeasuredProcess[];
  tail: NotificationTail;
  /** Between the API loop and the raw one (the memory reading), with the number of cases the API created. */
  afterApi?: (created: number) => void;
}): Promise<{ result: ThroughputResult; created: string[] }> {
  const { apiBase, client, plan, rawTaskQueue, run, profile, processes, tail } = context;
  const loop = profile.throughput;
  const created: string[] = [];
  const openings = watchOpenings(tail, casePrefix(run, 'tp'));
  const started = Date.now();
  let cpu = startCpuWindow(processes);
  const api = await closedLoop(loop, async (index) => {
    const id = caseId(run, 'tp', index);
    const reply = await requestJson(apiBase, 'POST', '/escalations', caseBody(id, 'low'));
    if (reply.ok) created.push(id);
    return reply;
  });
  // The CPU window stays open until the worker has caught up, so its share of a create is counted in full.
  const notOpened = await openings.waitFor(created, DRAIN_LIMIT_MS);
  openings.stop();
  const openedAt = created.map((id) => openings.openedAt.get(id)).filter((at): at is number => at !== undefined);
  const lastOpened = openedAt.length > 0 ? Math.max(...openedAt) : undefined;
  const apiRate: CreateRate = {
    ...rateOf(api, cpu),
    ...(lastOpened !== undefined ? { openedPerSecond: openedAt.length / ((lastOpened - started) / 1000) } : {}),
    notOpened,
  };
  context.afterApi?.(created.length);
  cpu = startCpuWindow(processes);
  const raw = await closedLoop(loop, (index) =>
    rawAttempt(client, () => startRawCase(client, plan, rawTaskQueue, caseBody(caseId(run, 'tpraw', index), 'low'))),
  );
  const rawRate = rateOf(raw, cpu);
  return {
    result: {
      concurrency: loop.concurrency,
      api: apiRate,
      raw: rawRate,
      ratio: ratio(apiRate.perSecond, rawRate.perSecond),
      openedRatio: ratio(apiRate.openedPerSecond, rawRate.perSecond),
    },
    // Open, with a 30-day ack target.
    created,
  };
}
