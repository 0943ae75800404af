// One round of the cluster suite: cases created through the cluster's APIs (in turn), something done to the cluster
// around their first ack target, then the verdict of the fault suite's judge (scripts/faults/checks.ts) on what the
// notification log, the case store and the workflows recorded. Every wait is bounded.
import { Client as PgClient } from 'pg';
import type { Cluster } from '../../scripts/cluster/cluster';
import { cancelCase, createCase, inParallel, type CreateOutcome } from '../../scripts/faults/api-client';
import { judgeRound, type RoundVerdict } from '../../scripts/faults/checks';
import { observe, readNotificationLog, type Observation } from '../../scripts/faults/observations';
import { sleep, waitFor } from '../../scripts/support/loopback';

/** The first ack target of test/cluster/matrix.yaml. */
export const ACK_MS = 10_000;
/** How long an action may be pending past its instant (being executed) before it counts as missed. */
const GRACE_MS = 10_000;

export function caseIdsFor(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);
}

/** Creates every case through the APIs in turn (case i through API i mod n), retried with the same id. */
export function createThroughApis(cluster: Cluster, ids: string[], concurrency = 8): Promise<CreateOutcome[]> {
  const { apiUrls } = cluster.state;
  return inParallel(
    ids.map((id, index) => ({ id, url: apiUrls[index % apiUrls.length] ?? '' })),
    concurrency,
    ({ id, url }) => createCase(url, id),
  );
}

async function count(databaseUrl: string, sql: string, ids: string[]): Promise<number> {
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const result = await pg.query<{ n: string }>(sql, [ids]);
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await pg.end();
  }
}

/** Resolves once the notification log holds a line of one of these cases whose subject matches. */
export function notificationSeen(cluster: Cluster, ids: string[], subject: RegExp, timeoutMs: number): Promise<true> {
  const wanted = new Set(ids);
  return waitFor(
    `a notification matching ${String(subject)}`,
    () => {
      const { log } = readNotificationLog(cluster.state.notificationLogFile, wanted);
      return Promise.resolve(log.some((line) => subject.test(line.subject)) ? true : undefined);
    },
    { timeoutMs, intervalMs: 50 },
  );
}

/**
 * Waits (bounded) until every case escalated once and no notification is pending, then looks: again, up to three
 * times, while a look still finds one pending (claimed between the wait and the look, so in flight, not lost).
 */
async function settledObservation(cluster: Cluster, ids: string[], escalationWaitMs: number): Promise<Observation> {
  const { databaseUrl, notificationLogFile } = cluster.state;
  // Both the creation and the escalation of every case recorded: a record activity that ran on a killed worker is
  // retried after its 30 s start-to-close timeout, so the store may hold the escalation before the creation.
  await waitFor(
    'every case to be recorded as created and escalated',
    async () => {
      const recorded = await count(
        databaseUrl,
        `SELECT count(*) AS n FROM (SELECT case_id FROM timeline_events WHERE case_id = ANY($1)
           AND type IN ('created', 'escalated') GROUP BY case_id HAVING count(DISTINCT type) = 2) AS done`,
        ids,
      );
      return recorded >= ids.length ? true : undefined;
    },
    { timeoutMs: escalationWaitMs, intervalMs: 500 },
  ).catch(() => undefined); // the verdict says what is missing
  const look = async () => {
    await waitFor(
      'notifications to settle',
      async () => {
        const sql = `SELECT count(*) AS n FROM notifications WHERE case_id = ANY($1) AND status = 'pending'`;
        return (await count(databaseUrl, sql, ids)) === 0 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    ).catch(() => undefined);
    // The record activity trails its notification by a moment.
    await sleep(1_500);
    return observe({ databaseUrl, notificationLogFile, client: await cluster.client() }, ids);
  };
  let observation = await look();
  for (let again = 0; again < 3 && observation.notifications.some((n) => n.status === 'pending'); again++) {
    observation = await look();
  }
  return observation;
}

export interface Round {
  verdict: RoundVerdict;
  observation: Observation;
}

/**
 * The fault suite's verdict on a round. `recoveredAt`: when the cluster was whole again after the fault (0: no
 * outage, lateness counts from the SLA instants). `escalationWaitMs`: how long the first escalations may take from now.
 */
export async function judge(
  cluster: Cluster,
  ids: string[],
  creates: CreateOutcome[],
  recoveredAt: number,
  escalationWaitMs: number,
): Promise<Round> {
  const observation = await settledObservation(cluster, ids, escalationWaitMs);
  const verdict = judgeRound(observation, {
    caseIds: ids,
    ackMs: ACK_MS,
    recoveredAt,
    graceMs: GRACE_MS,
    creates,
    webhookAttempts: [],
    webhookGone: false,
  });
  return { verdict, observation };
}

/** What a test asserts on a verdict: every escalation seen once, nothing lost, duplicated or stalled. */
export function summary(verdict: RoundVerdict) {
  const { expected, seen, duplicates, lost, stalled, problems } = verdict;
  return { allSeen: seen > 0 && seen === expected, duplicates, lost, stalled, problems };
}

export const CLEAN = { allSeen: true, duplicates: 0, lost: 0, stalled: 0, problems: [] };

/** Ends a round's cases, so they stop loading the workers during the next round. */
export async function cancelAll(cluster: Cluster, ids: string[]): Promise<void> {
  const url = cluster.state.apiUrls[0] ?? '';
  await inParallel(ids, 8, (id) => cancelCase(url, id));
}

async function listed(url: string, query: string): Promise<string[]> {
  const response = await fetch(`${url}${query}`, { signal: AbortSignal.timeout(15_000) });
  if (response.status !== 200) throw new Error(`GET ${query} answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { items: { id: string; status: string; level?: string }[] };
  return body.items.map((item) => `${item.id} ${item.status}`);
}

/**
 * The same list read from every API of the cluster. Records land in the background, so a record may arrive between
 * two reads: read again (bounded) until all answers agree, and return them all for the test to compare.
 */
export async function listFromEveryApi(cluster: Cluster, query: string): Promise<string[][]> {
  const readAll = () => Promise.all(cluster.state.apiUrls.map((url) => listed(url, query)));
  let answers = await readAll();
  for (let attempt = 0; attempt < 10 && new Set(answers.map((answer) => answer.join('\n'))).size > 1; attempt++) {
    await sleep(1_000);
    answers = await readAll();
  }
  return answers;
}
