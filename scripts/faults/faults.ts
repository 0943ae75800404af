// The faults, one per round kind: what each does to the running product and when it counts as recovered. Each is
// timed around the round's first ack target (the instant every case of the round escalates), so the timers fall
// due while the fault lasts and must fire once, as soon as the product is back.
import { createCase, inParallel, type CreateOutcome } from './api-client';
import type { LoggedNotification } from './observations';
import { readNotificationLog } from './observations';
import { sleep, waitFor } from '../support/loopback';
import { sendPoison, type PoisonOutcome } from './poison';
import type { Stack } from './stack';

export interface FaultContext {
  stack: Stack;
  caseIds: string[];
  /** Seconds the SIGSTOP round keeps the worker stopped. */
  stallSeconds: number;
  log: (line: string) => void;
}

export interface FaultOutcome {
  /** When the product was whole again; lateness of overdue actions counts from here. */
  recoveredAt: number;
  creates: CreateOutcome[];
  /** Cases the fault made besides the round's (a poisoned create the API accepted): cancelled afterwards. */
  extraCases?: string[];
  problems?: string[];
  /** The webhook round's receiver ends with 410: its deliveries must end as failed. */
  webhookGone?: boolean;
}

export interface Fault {
  name: string;
  description: string;
  run(context: FaultContext): Promise<FaultOutcome>;
}

const CREATE_CONCURRENCY = 10;
/** How far past the first ack target a fault keeps the product down, so the timers fall due during it. */
const PAST_DUE_MS = 5_000;

async function createAll(context: FaultContext): Promise<{ creates: CreateOutcome[]; dueAt: number }> {
  const started = Date.now();
  const creates = await inParallel(context.caseIds, CREATE_CONCURRENCY, (id) => createCase(context.stack.apiUrl, id));
  // The last case's ack target: every case of the round is due by then.
  return { creates, dueAt: Math.max(started, ...creates.map((c) => c.answeredAt)) + context.stack.ackMs };
}

async function until(at: number): Promise<void> {
  const wait = at - Date.now();
  if (wait > 0) await sleep(wait);
}

const killWorkerWaiting: Fault = {
  name: 'kill-worker-waiting',
  description: 'kill -9 the worker while every case waits on its ack timer; restart it after the timers fell due',
  async run(context) {
    const { creates, dueAt } = await createAll(context);
    await context.stack.worker.kill();
    context.log('worker killed (kill -9); cases wait on their timers');
    await until(dueAt + PAST_DUE_MS);
    await context.stack.startWorker();
    return { recoveredAt: Date.now(), creates };
  },
};

const killWorkerActivities: Fault = {
  name: 'kill-worker-activities',
  description: 'kill -9 the worker during the burst of escalations (handoff and record activities running)',
  async run(context) {
    const { creates, dueAt } = await createAll(context);
    const firstDue =
      dueAt - (Math.max(...creates.map((c) => c.answeredAt)) - Math.min(...creates.map((c) => c.answeredAt)));
    await until(firstDue);
    const ids = new Set(context.caseIds);
    // Killed as soon as the first handoff of the burst is written: the rest are in flight.
    await waitFor(
      'the first escalation handoff of the burst',
      () => {
        const { log } = readNotificationLog(context.stack.notificationLogFile, ids);
        return Promise.resolve(
          log.some((entry: LoggedNotification) => / Handoff to Team lead/.test(entry.subject)) ? true : undefined,
        );
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    ).catch(() => context.log('no handoff seen before the kill; killing anyway'));
    await context.stack.worker.kill();
    context.log('worker killed (kill -9) mid-burst');
    await context.stack.startWorker();
    return { recoveredAt: Date.now(), creates };
  },
};

const killApiCreates: Fault = {
  name: 'kill-api-creates',
  description: 'kill -9 the API during a burst of creates; clients retry with the same case id',
  async run(context) {
    const burst = inParallel(context.caseIds, context.caseIds.length, (id) => createCase(context.stack.apiUrl, id));
    await sleep(150);
    await context.stack.api.kill();
    context.log('API killed (kill -9) mid-burst');
    await sleep(1_000);
    await context.stack.startApi();
    const recoveredAt = Date.now();
    return { recoveredAt, creates: await burst };
  },
};

const killEverything: Fault = {
  name: 'kill-everything',
  description: 'kill -9 dev server, worker and API; restart the dev server on its state file, then the rest',
  async run(context) {
    const { creates, dueAt } = await createAll(context);
    const { stack } = context;
    await Promise.all([stack.worker.kill(), stack.api.kill(), stack.devServer.kill()]);
    context.log('dev server, worker and API killed (kill -9)');
    await until(dueAt + PAST_DUE_MS);
    await stack.startDevServer();
    await Promise.all([stack.startWorker(), stack.startApi()]);
    return { recoveredAt: Date.now(), creates };
  },
};

const sigstopWorker: Fault = {
  name: 'sigstop-worker',
  description: 'SIGSTOP the worker across the ack timers (--stall-seconds), then SIGCONT',
  async run(context) {
    const { creates, dueAt } = await createAll(context);
    const stallMs = context.stallSeconds * 1000;
    // Stopped so that the stop covers the due instant: the timers fire into a worker that does not answer.
    await until(dueAt + PAST_DUE_MS - stallMs);
    context.stack.worker.signal('SIGSTOP');
    context.log(`worker stopped (SIGSTOP) for ${context.stallSeconds} s`);
    await sleep(stallMs);
    context.stack.worker.signal('SIGCONT');
    return { recoveredAt: Date.now(), creates };
  },
};

const restartDevServer: Fault = {
  name: 'restart-dev-server',
  description: 'stop the dev server (SIGTERM) across the ack timers and restart it on its persisted state',
  async run(context) {
    const { creates, dueAt } = await createAll(context);
    await context.stack.devServer.stop();
    context.log('dev server stopped');
    await until(dueAt + PAST_DUE_MS);
    await context.stack.startDevServer();
    return { recoveredAt: Date.now(), creates };
  },
};

const webhookRetryThenGone: Fault = {
  name: 'webhook-503-then-410',
  description: 'the webhook receiver answers 503 with Retry-After twice per notification, then 410 Gone',
  async run(context) {
    const prefix = (context.caseIds[0] ?? '').replace(/-\d+$/, '');
    context.stack.webhook.behave({
      casePrefix: prefix,
      unavailableAttempts: 2,
      retryAfterSeconds: 2,
      finalStatus: 410,
    });
    const { creates } = await createAll(context);
    // No process fails: lateness is judged against the SLA instants.
    return { recoveredAt: 0, creates, webhookGone: true };
  },
};

const poisonInput: Fault = {
  name: 'poison-input',
  description: 'control characters, oversize bodies and invalid UTF-8 on every route; the cases must still escalate',
  async run(context) {
    const { creates } = await createAll(context);
    const port = Number(new URL(context.stack.apiUrl).port);
    const prefix = (context.caseIds[0] ?? 'POISON').replace(/-\d+$/, '');
    const outcomes: PoisonOutcome[] = await sendPoison(port, context.caseIds, (n) => `${prefix}-poison-${n}`);
    const failed = outcomes.filter((outcome) => !outcome.ok);
    context.log(`${outcomes.length} poison requests, ${failed.length} not answered as expected`);
    return {
      recoveredAt: 0,
      creates,
      extraCases: outcomes.flatMap((outcome) => (outcome.createdCaseId ? [outcome.createdCaseId] : [])),
      problems: failed.map(
        (outcome) =>
          `${outcome.route} [${outcome.variant}]: ${outcome.status || 'no answer'} ${outcome.contentType || '(no content type)'}, expected ${outcome.expected} application/problem+json`,
      ),
    };
  },
};

export const FAULTS: readonly Fault[] = [
  killWorkerWaiting,
  killWorkerActivities,
  killApiCreates,
  killEverything,
  sigstopWorker,
  restartDevServer,
  webhookRetryThenGone,
  poisonInput,
];

export function faultsNamed(names: string[] | undefined): Fault[] {
  if (names === undefined || names.length === 0) return [...FAULTS];
  return names.map((name) => {
    const fault = FAULTS.find((candidate) => candidate.name === name);
    if (!fault) throw new Error(`unknown fault "${name}"; known: ${FAULTS.map((f) => f.name).join(', ')}`);
    return fault;
  });
}
