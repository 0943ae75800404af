// The two ways the bench drives load. Closed loop: N clients, each sends its next request when the last answered
// (measures capacity). Open loop: requests start on a fixed schedule whether or not earlier ones answered, and
// latency counts from the scheduled instant, so a stall shows up in the percentiles instead of slowing the load
// (no coordinated omission). Both stop at a count or a time limit, whichever comes first.
import { performance } from 'node:perf_hooks';

export interface Attempt {
  /** HTTP status as text, `error`, or `ok` for a call that has none (a raw workflow start). */
  status: string;
  ok: boolean;
}

export interface Outcome extends Attempt {
  index: number;
  ms: number;
}

export interface LoadResult {
  outcomes: Outcome[];
  elapsedMs: number;
  /** Requests never sent because the time limit came first. */
  notSent: number;
}

export async function closedLoop(
  { concurrency, count, timeLimitMs }: { concurrency: number; count: number; timeLimitMs: number },
  send: (index: number) => Promise<Attempt>,
): Promise<LoadResult> {
  const outcomes: Outcome[] = [];
  const started = performance.now();
  let next = 0;
  const client = async () => {
    while (next < count && performance.now() - started < timeLimitMs) {
      const index = next++;
      const at = performance.now();
      const attempt = await send(index).catch(() => ({ status: 'error', ok: false }));
      outcomes.push({ ...attempt, index, ms: performance.now() - at });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { outcomes, elapsedMs: performance.now() - started, notSent: count - next };
}

export async function openLoop(
  {
    perSecond,
    count,
    timeLimitMs,
    maxInFlight = 500,
  }: { perSecond: number; count: number; timeLimitMs: number; maxInFlight?: number },
  send: (index: number) => Promise<Attempt>,
): Promise<LoadResult> {
  const outcomes: Outcome[] = [];
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const interval = 1000 / perSecond;
  let sent = 0;
  for (let index = 0; index < count; index++) {
    const scheduled = started + index * interval;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // A cap on requests in flight keeps a stuck product from exhausting sockets; the wait still counts as latency.
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    if (performance.now() - started >= timeLimitMs) break;
    sent++;
    const request = send(index)
      .catch(() => ({ status: 'error', ok: false }))
      .then((attempt) => {
        outcomes.push({ ...attempt, index, ms: performance.now() - scheduled });
        inFlight.delete(request);
      });
    inFlight.add(request);
  }
  // Each request has its own timeout (http-client.ts), so this wait is bounded too.
  await Promise.all(inFlight);
  return { outcomes, elapsedMs: performance.now() - started, notSent: count - sent };
}
