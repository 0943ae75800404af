// The clients of the fault run: they create cases and send commands over HTTP the way a backend service would,
// retrying what got no answer with the same case id or Request-Id, so a retry can never make a second case.
import { sleep } from '../support/loopback';

export interface CreateOutcome {
  id: string;
  /** The status of the answer that ended the retries (201 created, 200 already there), or 0 when none came. */
  status: number;
  attempts: number;
  /** Attempts that got no HTTP answer (connection refused or reset, timeout) or a 5xx. */
  unanswered: number;
  answeredAt: number;
}

export interface RetryPolicy {
  attempts: number;
  /** Pause between attempts; the whole create is bounded by attempts x (timeout + pause). */
  pauseMs: number;
  timeoutMs: number;
}

export const CREATE_RETRY: RetryPolicy = { attempts: 120, pauseMs: 500, timeoutMs: 15_000 };

export function caseBody(id: string): Record<string, unknown> {
  return {
    id,
    title: `Fault injection case ${id}`,
    description: 'Raised by the fault-injection harness; nobody acknowledges it, so it escalates on its own.',
    category: 'technical',
    priority: 'high',
    reporter: { name: 'Fault Harness', email: 'faults@example.com', timeZone: 'Europe/Berlin' },
    attemptedSteps: ['Nothing: the harness waits for the timers'],
  };
}

/** Retries until the API answers below 500; a 4xx is a final answer (the request itself is wrong). */
async function postWithRetries(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  policy: RetryPolicy,
): Promise<{ status: number; attempts: number; unanswered: number }> {
  let unanswered = 0;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(policy.timeoutMs),
      });
      await response.arrayBuffer();
      if (response.status < 500) return { status: response.status, attempts: attempt, unanswered };
    } catch {
      // No answer: the API is down or died mid-request. The same id makes the retry safe.
    }
    unanswered++;
    await sleep(policy.pauseMs);
  }
  return { status: 0, attempts: policy.attempts, unanswered };
}

export async function createCase(apiUrl: string, id: string, policy = CREATE_RETRY): Promise<CreateOutcome> {
  const outcome = await postWithRetries(`${apiUrl}/escalations`, caseBody(id), {}, policy);
  return { id, ...outcome, answeredAt: Date.now() };
}

/** Runs a task over items with at most so many in flight: a burst, but not one socket per case at once. */
export { mapLimit as inParallel } from '../../src/shared/map-limit';

/** Ends a round's cases so they stop escalating (and stop loading the worker) before the next round. */
export async function cancelCase(apiUrl: string, id: string): Promise<number> {
  const outcome = await postWithRetries(
    `${apiUrl}/escalations/${encodeURIComponent(id)}/cancel`,
    { by: 'Fault Harness', reason: 'raised-in-error', note: 'fault round finished' },
    { 'Request-Id': `cancel-${id}` },
    { attempts: 20, pauseMs: 500, timeoutMs: 15_000 },
  );
  return outcome.status;
}
