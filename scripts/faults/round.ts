// One round: a batch of cases in flight, one fault, then the wait for the product to catch up (bounded), the
// observation and the verdict, and the cleanup that cancels the round's cases before the next round starts.
import { Client as PgClient } from 'pg';
import { cancelCase, inParallel } from './api-client';
import { judgeRound, type RoundVerdict } from './checks';
import type { Fault } from './faults';
import { observe } from './observations';
import { sleep, waitFor } from '../support/loopback';
import type { Stack } from './stack';

export interface RoundOptions {
  round: number;
  cases: number;
  stallSeconds: number;
  /** Tag of this run, so case ids never collide with an earlier run on the same database. */
  runTag: string;
  log: (line: string) => void;
}

export interface RoundResult extends RoundVerdict {
  round: number;
  fault: string;
  seconds: number;
  /** Parts that crashed during the round and were restarted by the supervisor (`worker exited (1) at ...`). */
  crashes: string[];
}

/** How long an action may be pending past its instant (being executed right now) before it counts as missed. */
const GRACE_MS = 10_000;

async function scalar(databaseUrl: string, sql: string, params: unknown[]): Promise<number> {
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const result = await pg.query<{ n: string }>(sql, params);
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await pg.end();
  }
}

/**
 * Parts down at a round's edge although the stack's supervisor restarts every crash (see superviseCrashes): it could
 * not bring them back. Started here so later rounds still test something, and a failure of this round.
 */
async function restartCrashed(stack: Stack, log: (line: string) => void): Promise<string[]> {
  const problems: string[] = [];
  const parts = [
    ['dev server', stack.devServer, () => stack.startDevServer()],
    ['worker', stack.worker, () => stack.startWorker()],
    ['API', stack.api, () => stack.startApi()],
  ] as const;
  for (const [name, part, start] of parts) {
    if (part.running) continue;
    problems.push(`the ${name} was down and its supervisor had not restarted it (see ${part.spec.logFile})`);
    log(`the ${name} is not running; restarting it`);
    await start();
  }
  return problems;
}

export async function runRound(stack: Stack, fault: Fault, options: RoundOptions): Promise<RoundResult> {
  const started = Date.now();
  const prefix = `F${options.round}-${fault.name}-${options.runTag}`;
  const caseIds = Array.from({ length: options.cases }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);
  const log = (line: string) => options.log(`[round ${options.round} ${fault.name}] ${line}`);
  log(`${caseIds.length} cases, ack target ${stack.ackMs / 1000} s`);

  const down = await restartCrashed(stack, log);
  const parts = [stack.devServer, stack.worker, stack.api];
  const crashesBefore = parts.map((part) => part.crashes.length);
  const outcome = await fault.run({ stack, caseIds, stallSeconds: options.stallSeconds, log });
  const recovered = Math.max(outcome.recoveredAt, started);

  // Every case escalates once when its first ack target passes; wait for that, bounded by the time the slowest
  // recovery may take (a stall as long as the SIGSTOP round's), then for deliveries to settle.
  const escalationDeadlineMs = Math.max(0, started + stack.ackMs - Date.now()) + options.stallSeconds * 1000 + 60_000;
  // Both the opening step and the escalation are in the store: a worker killed just after the creates leaves the
  // opening record to a retry once its heartbeats stop, which may land after the escalation's.
  await waitFor(
    'every case to be recorded as created and escalated once',
    async () => {
      const recorded = await scalar(
        stack.databaseUrl,
        `SELECT count(*) AS n FROM (SELECT case_id FROM timeline_events WHERE case_id = ANY($1)
           AND type IN ('created', 'escalated') GROUP BY case_id HAVING count(DISTINCT type) = 2) AS done`,
        [caseIds],
      );
      return recorded >= caseIds.length ? true : undefined;
    },
    { timeoutMs: escalationDeadlineMs, intervalMs: 1000 },
  ).catch((error: Error) => log(error.message));
  const settled = () =>
    waitFor(
      'notifications to settle (none pending)',
      async () => {
        const pending = await scalar(
          stack.databaseUrl,
          `SELECT count(*) AS n FROM notifications WHERE case_id = ANY($1) AND status = 'pending'`,
          [caseIds],
        );
        return pending === 0 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    ).catch((error: Error) => log(error.message));
  const look = async () => {
    await settled();
    // The record activity may trail a notification by a moment; the log file is flushed by then as well.
    await sleep(2_000);
    return observe(
      { databaseUrl: stack.databaseUrl, notificationLogFile: stack.notificationLogFile, client: await stack.client() },
      caseIds,
    );
  };
  // Last-level reminders keep coming: one claimed between the settle check and the look is in flight, not lost.
  // Look again (bounded) until a look finds nothing pending; a notification pending on every look is lost.
  let observation = await look();
  for (let again = 0; again < 3 && observation.notifications.some((n) => n.status === 'pending'); again++) {
    observation = await look();
  }
  const verdict = judgeRound(observation, {
    caseIds,
    ackMs: stack.ackMs,
    recoveredAt: outcome.recoveredAt === 0 ? 0 : recovered,
    graceMs: GRACE_MS,
    creates: outcome.creates,
    webhookAttempts: stack.webhook.attempts.filter((attempt) => attempt.caseId.startsWith(prefix)),
    webhookGone: outcome.webhookGone ?? false,
  });
  verdict.problems.unshift(...down, ...(outcome.problems ?? []));
  verdict.problems.push(...(await restartCrashed(stack, log)));
  const crashes = parts.flatMap((part, index) =>
    part.crashes.slice(crashesBefore[index]).map((crash) => `${part.spec.name} exited (${crash.exit}) at ${crash.at}`),
  );

  stack.webhook.behave(undefined);
  const leftovers = [...caseIds, ...(outcome.extraCases ?? [])];
  await inParallel(leftovers, 8, (id) => cancelCase(stack.apiUrl, id));
  const seconds = Math.round((Date.now() - started) / 1000);
  log(`done in ${seconds} s: ${verdict.problems.length} problems`);
  return { round: options.round, fault: fault.name, seconds, crashes, ...verdict };
}
