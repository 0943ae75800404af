// How long the lists people work from take at the size the bench reached: GET /escalations (most urgent first, the
// whole store and filtered) and GET /worklist of the level that owns the open cases. A few clients in a closed loop,
// bounded by count and time; the answers' sizes are kept, so a figure says what it listed.
import type { Plan } from '../../../src/shared/plan';
import { requestJson, type ApiBase } from '../http-client';
import { closedLoop } from '../load-loops';
import { distribution, failuresByStatus, loadAverage, type Distribution } from '../stats';

export interface ListLatency {
  query: string;
  /** Open cases in the store when measured. */
  openCases: number;
  /** Items in the last answer. */
  items: number;
  latencyMs: Distribution;
  failures: Record<string, number>;
  load1: number;
}

const REQUESTS = 60;
const CLIENTS = 3;
const TIME_LIMIT_MS = 60_000;

/** The queries: the first level's name owns every unacknowledged case (the worklist's `owner`). */
export function listQueries(plan: Plan): string[] {
  const firstLevel = plan.paths[plan.defaultPath]?.levels[0]?.name ?? '';
  return [
    '/escalations?limit=100',
    '/escalations?status=open&limit=1000',
    '/escalations?status=open&priority=critical&limit=100',
    `/worklist?owner=${encodeURIComponent(firstLevel)}&limit=100`,
  ];
}

export async function measureListLatency(apiBase: ApiBase, plan: Plan, openCases: number): Promise<ListLatency[]> {
  const results: ListLatency[] = [];
  for (const query of listQueries(plan)) {
    let items = 0;
    const loop = await closedLoop({ concurrency: CLIENTS, count: REQUESTS, timeLimitMs: TIME_LIMIT_MS }, async () => {
      const reply = await requestJson(apiBase, 'GET', query);
      const listed = (reply.body as { count?: unknown } | undefined)?.count;
      if (reply.ok && typeof listed === 'number') items = listed;
      return reply;
    });
    results.push({
      query,
      openCases,
      items,
      latencyMs: distribution(loop.outcomes.filter((outcome) => outcome.ok).map((outcome) => outcome.ms)),
      failures: { ...failuresByStatus(loop.outcomes), ...(loop.notSent ? { 'not sent': loop.notSent } : {}) },
      load1: loadAverage(),
    });
  }
  return results;
}
