// SLA lateness: cases with a 20 s ack target (bench matrix, priority critical) are created at a steady rate, so
// their ack-due instants fall at that rate; nobody acknowledges. Lateness is when the handoff to the next level
// reached the log channel minus the case's `sla.ackDueAt`. A case is lost when no handoff came by due + 30 s.
import type { Plan } from '../../../src/shared/plan';
import { caseBody, caseId } from '../cases';
import { requestJson, type ApiBase } from '../http-client';
import { closedLoop, openLoop } from '../load-loops';
import type { NotificationTail } from '../notification-tail';
import { stepTimeLimitMs, type RateStep } from '../profile';
import { distribution, failuresByStatus, loadAverage, type Distribution } from '../stats';

/** A handoff later than this after its due instant counts as lost (and the wait for it ends). */
export const LOST_AFTER_MS = 30_000;

export interface LatenessResult {
  /** Ack-due instants per second the creates were meant to produce. */
  duePerSecond: number;
  /** What they did produce: cases over the span of their due instants (lower when creates fell behind). */
  achievedDuePerSecond?: number;
  ackTargetS: number;
  cases: number;
  createFailures: Record<string, number>;
  /** Lateness in ms of the handoffs that came in time. */
  latenessMs: Distribution;
  lost: number;
  /** Of the lost: no handoff at all by the cutoff, a handoff later than due + 30 s, no due time to measure from. */
  lostBecause: { noHandoff: number; late: number; noDueTime: number };
  /** Notifications of these cases delivered again under an idempotency key already seen. */
  duplicated: number;
  /** Cases whose next-level handoff arrived more than once (under different idempotency keys). */
  repeatedHandoffs: number;
  load1: number;
}

interface Tracked {
  dueAt?: number;
  handoffAt?: number;
  handoffs: number;
  /** Every notification of the case: lines, and distinct idempotency keys. */
  lines: number;
  keys: Set<string>;
}

/** The level an unacknowledged case moves to first, and its ack target, from the bench matrix. */
export function firstEscalation(plan: Plan): { levelName: string; ackMs: number } {
  const path = plan.paths[plan.defaultPath];
  const target = path?.levels[0]?.sla.critical.ack;
  const next = path?.levels[1];
  if (!target || target.kind !== 'calendar' || !next) {
    throw new Error('the bench matrix needs two levels and a calendar-time critical ack target on the first');
  }
  return { levelName: next.name, ackMs: target.ms };
}

function ackDueAt(body: unknown): number | undefined {
  const due = (body as { sla?: { ackDueAt?: unknown } } | undefined)?.sla?.ackDueAt;
  return typeof due === 'string' ? Date.parse(due) : undefined;
}

/** Cases of one rate, created, with their due instants known, while their handoffs come in. */
export interface DueCases {
  step: RateStep;
  ackMs: number;
  cases: Map<string, Tracked>;
  createFailures: Record<string, number>;
  stopListening: () => void;
}

/** Creates one rate's cases (open loop) and starts watching the log channel for their handoffs. */
export async function createDueCases(context: {
  apiBase: ApiBase;
  plan: Plan;
  tail: NotificationTail;
  run: string;
  phase: string;
  step: RateStep;
}): Promise<DueCases> {
  const { apiBase, plan, tail, run, phase, step } = context;
  const { levelName, ackMs } = firstEscalation(plan);
  // "Handoff to <level>: ..." (assignee/handoff) or, when the level is the path's last, "Escalated to <level>: ..."
  // (leadership/handoff): the level's name after "to" tells the handoff to the next level from every other notice.
  const handoffSubject = ` to ${levelName}: `;
  const cases = new Map<string, Tracked>();
  // Listening before the first create: the create's answer can come after the case's first notifications.
  const stopListening = tail.onArrival(({ line, arrivedAt }) => {
    const tracked = cases.get(line.caseId);
    if (!tracked) return;
    tracked.lines++;
    tracked.keys.add(line.idempotencyKey);
    if (line.audience !== 'assignee' || !line.subject.includes(handoffSubject)) return;
    tracked.handoffs++;
    tracked.handoffAt ??= arrivedAt;
  });

  const created = await openLoop({ ...step, timeLimitMs: stepTimeLimitMs(step) }, async (index) => {
    const id = caseId(run, phase, index);
    cases.set(id, { handoffs: 0, lines: 0, keys: new Set() });
    const reply = await requestJson(apiBase, 'POST', '/escalations', caseBody(id, 'critical'));
    const tracked = cases.get(id);
    if (!reply.ok) cases.delete(id);
    else if (tracked) tracked.dueAt = ackDueAt(reply.body);
    return reply;
  });

  // A create that answers before the worker opened the case carries no due time yet: read it from the case.
  const unknownDue = [...cases].filter(([, tracked]) => tracked.dueAt === undefined).map(([id]) => id);
  if (unknownDue.length > 0) {
    await closedLoop({ concurrency: 10, count: unknownDue.length, timeLimitMs: 60_000 }, async (index) => {
      const id = unknownDue[index] ?? '';
      const reply = await requestJson(apiBase, 'GET', `/escalations/${encodeURIComponent(id)}`);
      const tracked = cases.get(id);
      if (tracked) tracked.dueAt = ackDueAt(reply.body);
      return reply;
    });
  }
  return {
    step,
    ackMs,
    cases,
    createFailures: {
      ...failuresByStatus(created.outcomes),
      ...(created.notSent ? { 'not sent': created.notSent } : {}),
    },
    stopListening,
  };
}

/** Waits until every handoff is in or the last case's lost cutoff has passed, then measures. */
export async function collectLateness(due: DueCases): Promise<{ result: LatenessResult; escalated: string[] }> {
  const { step, ackMs, cases } = due;
  const dues = [...cases.values()].map((tracked) => tracked.dueAt ?? Date.now() + ackMs);
  const cutoff = Math.max(Date.now(), ...dues) + LOST_AFTER_MS;
  while (Date.now() < cutoff && [...cases.values()].some((tracked) => tracked.handoffAt === undefined)) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const load1 = loadAverage();
  due.stopListening();

  const lateness: number[] = [];
  const lostBecause = { noHandoff: 0, late: 0, noDueTime: 0 };
  for (const tracked of cases.values()) {
    if (tracked.dueAt === undefined) lostBecause.noDueTime++;
    else if (tracked.handoffAt === undefined) lostBecause.noHandoff++;
    else if (tracked.handoffAt - tracked.dueAt > LOST_AFTER_MS) lostBecause.late++;
    else lateness.push(tracked.handoffAt - tracked.dueAt);
  }
  const lost = lostBecause.noHandoff + lostBecause.late + lostBecause.noDueTime;
  const known = [...cases.values()].flatMap((tracked) => tracked.dueAt ?? []).sort((a, b) => a - b);
  const span = known.length > 1 ? ((known.at(-1) ?? 0) - (known[0] ?? 0)) / 1000 : 0;
  return {
    result: {
      duePerSecond: step.perSecond,
      ...(span > 0 ? { achievedDuePerSecond: (known.length - 1) / span } : {}),
      ackTargetS: ackMs / 1000,
      cases: cases.size,
      createFailures: due.createFailures,
      latenessMs: distribution(lateness),
      lost,
      lostBecause,
      duplicated: [...cases.values()].reduce((sum, tracked) => sum + tracked.lines - tracked.keys.size, 0),
      repeatedHandoffs: [...cases.values()].filter((tracked) => tracked.handoffs > 1).length,
      load1,
    },
    escalated: [...cases].filter(([, tracked]) => tracked.handoffAt !== undefined).map(([id]) => id),
  };
}
