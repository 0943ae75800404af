// Tops the open cases up to a target count (those already in the store count, on a cluster that ran before): API
// creates of low-priority cases (30-day ack target: they stay open and quiet), 10 clients, bounded by the count and by
// a time limit. A create that gets a 5xx or no answer is retried with the same case id, as a client should (creating
// an id twice answers the existing case): the figure is how many cases ended created and how many failed for good,
// beside how many answers were 5xx on the way.
import { Client as PgClient } from 'pg';
import { caseBody, caseId } from '../cases';
import { requestJson, type ApiBase, type HttpReply } from '../http-client';
import { closedLoop } from '../load-loops';
import { failuresByStatus, loadAverage } from '../stats';

export interface TopUpResult {
  /** Open cases wanted in the end. */
  target: number;
  /** Open cases when the top-up started (store count, else the bench's own count). */
  before: number;
  created: number;
  /** Creates that failed for good (after the retries), by their last status. */
  failures: Record<string, number>;
  /** 5xx answers and unanswered attempts on the way, by status, each retried with the same id. */
  retried: Record<string, number>;
  /** Creates the time limit left unsent. */
  notSent: number;
  elapsedS: number;
  perSecond: number;
  load1: number;
}

const ATTEMPTS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 4xx is a final answer (the request is wrong); 5xx and no answer are worth another attempt. */
const isFinal = (reply: HttpReply) => reply.ok || (reply.status !== 'error' && Number(reply.status) < 500);

/** Open and acknowledged cases in the case store: what the API lists and the worklist reads. */
export async function openCasesInStore(databaseUrl: string): Promise<number> {
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const result = await pg.query<{ n: string }>(
      `SELECT count(*) AS n FROM cases WHERE status IN ('open', 'acknowledged')`,
    );
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await pg.end();
  }
}

export async function topUpOpenCases(context: {
  apiBase: ApiBase;
  run: string;
  target: number;
  before: number;
  concurrency: number;
  timeLimitMs: number;
  log: (line: string) => void;
}): Promise<TopUpResult> {
  const { apiBase, run, target, before, concurrency, timeLimitMs, log } = context;
  const count = Math.max(0, target - before);
  const retried: Record<string, number> = {};
  let done = 0;
  const result = await closedLoop({ concurrency, count, timeLimitMs }, async (index) => {
    const body = caseBody(caseId(run, 'open', index), 'low');
    let reply = await requestJson(apiBase, 'POST', '/escalations', body);
    for (let attempt = 2; attempt <= ATTEMPTS && !isFinal(reply); attempt++) {
      retried[reply.status] = (retried[reply.status] ?? 0) + 1;
      await sleep(1_000 * attempt);
      reply = await requestJson(apiBase, 'POST', '/escalations', body);
    }
    if (++done % 1000 === 0) log(`  ${done} of ${count} creates`);
    return reply;
  });
  const created = result.outcomes.filter((outcome) => outcome.ok).length;
  return {
    target,
    before,
    created,
    failures: failuresByStatus(result.outcomes),
    retried,
    notSent: result.notSent,
    elapsedS: Math.round(result.elapsedMs / 100) / 10,
    perSecond: created / (result.elapsedMs / 1000),
    load1: loadAverage(),
  };
}

/**
 * Waits until the store lists `expected` open cases (its records trail the workflows, by a lot when the workers are
 * busy), bounded by `timeLimitMs`; the count it reached.
 */
export async function waitForStore(
  databaseUrl: string,
  expected: number,
  timeLimitMs: number,
  log: (line: string) => void,
): Promise<number> {
  const deadline = Date.now() + timeLimitMs;
  let open = await openCasesInStore(databaseUrl);
  while (open < expected && Date.now() < deadline) {
    log(`  the store lists ${open} of ${expected} open cases; waiting for its records to catch up`);
    await sleep(10_000);
    open = await openCasesInStore(databaseUrl);
  }
  return open;
}
