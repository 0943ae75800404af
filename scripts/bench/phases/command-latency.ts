// Create and acknowledge latency at a steady request rate (open loop): raw starts at that rate first (the server's
// own latency, the baseline), then API creates, then an acknowledge of each case the API created, once the worker
// has opened them all (so the acknowledges measure commands, not the creates' backlog).
import type { Client } from '@temporalio/client';
import type { Plan } from '../../../src/shared/plan';
import { watchOpenings } from '../case-openings';
import { caseBody, caseId, casePrefix, startRawCase } from '../cases';
import { requestJson, type ApiBase } from '../http-client';
import { openLoop, type LoadResult } from '../load-loops';
import type { NotificationTail } from '../notification-tail';
import { stepTimeLimitMs, type RateStep } from '../profile';
import { distribution, failuresByStatus, loadAverage, ratio, type Distribution } from '../stats';
import { rawAttempt } from './create-throughput';

export interface LatencyFigure {
  latencyMs: Distribution;
  /** Non-2xx answers (or failed raw starts) by status, and requests the time limit left unsent. */
  failures: Record<string, number>;
  load1: number;
}

export interface LatencyResult {
  perSecond: number;
  raw: LatencyFigure;
  create: LatencyFigure;
  acknowledge: LatencyFigure;
  /** API create p50 and p99 over raw start p50 and p99 at the same rate. */
  createVsRaw: { p50?: number; p99?: number };
  /** Created cases the worker had not opened when the acknowledges started anyway. */
  notOpened: number;
}

/** How long the acknowledges wait for the worker to open the created cases. */
const OPEN_LIMIT_MS = 60_000;

function figure(result: LoadResult): LatencyFigure {
  return {
    latencyMs: distribution(result.outcomes.filter((o) => o.ok).map((o) => o.ms)),
    failures: { ...failuresByStatus(result.outcomes), ...(result.notSent ? { 'not sent': result.notSent } : {}) },
    load1: loadAverage(),
  };
}

export async function measureCommandLatency(context: {
  apiBase: ApiBase;
  client: Client;
  plan: Plan;
  rawTaskQueue: string;
  run: string;
  phase: string;
  step: RateStep;
  tail: NotificationTail;
}): Promise<{ result: LatencyResult; created: string[] }> {
  const { apiBase, client, plan, rawTaskQueue, run, phase, step, tail } = context;
  const loop = { ...step, timeLimitMs: stepTimeLimitMs(step) };

  const raw = figure(
    await openLoop(loop, (index) =>
      rawAttempt(client, () =>
        startRawCase(client, plan, rawTaskQueue, caseBody(caseId(run, `${phase}raw`, index), 'low')),
      ),
    ),
  );

  const created: string[] = [];
  const openings = watchOpenings(tail, casePrefix(run, phase));
  const create = figure(
    await openLoop(loop, async (index) => {
      const id = caseId(run, phase, index);
      const reply = await requestJson(apiBase, 'POST', '/escalations', caseBody(id, 'low'));
      if (reply.ok) created.push(id);
      return reply;
    }),
  );

  const notOpened = await openings.waitFor(created, OPEN_LIMIT_MS);
  openings.stop();
  const acknowledge = figure(
    await openLoop({ ...loop, count: created.length }, (index) =>
      requestJson(apiBase, 'POST', `/escalations/${encodeURIComponent(created[index] ?? '')}/acknowledge`, {
        by: 'Bench Acknowledger',
      }),
    ),
  );

  return {
    result: {
      perSecond: step.perSecond,
      raw,
      create,
      acknowledge,
      createVsRaw: {
        p50: ratio(create.latencyMs.p50, raw.latencyMs.p50),
        p99: ratio(create.latencyMs.p99, raw.latencyMs.p99),
      },
      notOpened,
    },
    created,
  };
}
