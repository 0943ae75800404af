// The verdict on one round, from what the log, the store and the workflows recorded: every escalation the clock
// called for happened exactly once and was delivered, no notification went out twice, nothing is stuck without a
// next action, and how late the overdue actions were once the fault was over. Pure: tests feed it observations.
import type { EscalationState } from '../../src/shared/escalation';
import type { CreateOutcome } from './api-client';
import type { LoggedNotification, Observation, StoredEvent } from './observations';
import type { WebhookAttempt } from './webhook-receiver';

export interface RoundContext {
  caseIds: string[];
  ackMs: number;
  /** When the fault was over and every part of the product was back (the instant lateness counts from). */
  recoveredAt: number;
  /** How long past its instant an action may still be pending (being executed) without counting as missed. */
  graceMs: number;
  creates: CreateOutcome[];
  webhookAttempts: WebhookAttempt[];
  /** The webhook round: its receiver ends with 410, so its notifications must end as `failed`, not lost. */
  webhookGone: boolean;
}

export interface RoundVerdict {
  cases: number;
  expected: number;
  seen: number;
  duplicates: number;
  lost: number;
  stalled: number;
  /** Seconds from recovery to the handoff of an escalation that fell due during the fault; undefined: none did. */
  maxLatenessAfterRecovery: number | undefined;
  /** Seconds from the SLA instant to the handoff notification, over every escalation of the round. */
  maxLatenessAfterSla: number | undefined;
  problems: string[];
}

/** Handoff subjects of the shipped templates: "Handoff to <level>" and, to a path's last level, "Escalated to". */
const HANDOFF_SUBJECT = /\] (?:Handoff|Escalated) to (.+?): /;

function handoffLevel(entry: LoggedNotification): string | undefined {
  return HANDOFF_SUBJECT.exec(entry.subject)?.[1];
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return groups;
}

/**
 * Why a case that should be moving has nothing scheduled, or undefined. The rule of src/workflows/transitions.ts
 * (slaCandidates): an open or acknowledged case with running clocks always has a next action, except an open case
 * flagged unowned (repeats ran out) and an acknowledged case at the last level whose resolve breach was reported.
 */
export function stallReason(state: EscalationState, now: number, graceMs: number): string | undefined {
  if (state.status !== 'open' && state.status !== 'acknowledged') return undefined;
  if (state.paused) return undefined;
  if (state.next === null) {
    if (state.status === 'open' && state.unowned) return undefined;
    if (state.status === 'acknowledged' && state.sla.resolveBreachedAt !== undefined) return undefined;
    return `${state.status} at ${state.level.name} with no next action`;
  }
  const overdueMs = now - Date.parse(state.next.at);
  if (state.next.action !== 'escalate' && overdueMs > graceMs) {
    return `next ${state.next.action} was due ${Math.round(overdueMs / 1000)} s ago and has not happened`;
  }
  return undefined;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
const max = (values: number[]) => (values.length === 0 ? undefined : Math.max(...values));

export function judgeRound(observation: Observation, context: RoundContext): RoundVerdict {
  const problems: string[] = [];
  let expected = 0;
  let seen = 0;
  let duplicates = 0;
  let lost = 0;
  let stalled = 0;
  const afterRecovery: number[] = [];
  const afterSla: number[] = [];

  // Creates: every id a client tried must be exactly one case, whether or not its create was answered.
  for (const create of context.creates) {
    if (create.status !== 200 && create.status !== 201) {
      problems.push(
        `${create.id}: create ended with ${create.status || 'no answer'} after ${create.attempts} attempts`,
      );
    }
  }

  // The log channel: one line per idempotency key, ever.
  for (const [key, lines] of groupBy(observation.log, (entry) => entry.idempotencyKey)) {
    if (lines.length > 1) {
      duplicates += lines.length - 1;
      problems.push(`${key}: written ${lines.length} times to the notification log`);
    }
  }
  if (observation.tornLines > 0) problems.push(`${observation.tornLines} notification log lines are not JSON`);

  const logByCase = groupBy(observation.log, (entry) => entry.caseId);
  const eventsByCase = groupBy(observation.events, (event) => event.caseId);
  const storedByKey = new Map(observation.notifications.map((record) => [record.key, record]));
  const workflows = new Map(observation.workflows.map((view) => [view.caseId, view]));

  for (const caseId of context.caseIds) {
    const view = workflows.get(caseId);
    const state = view?.state;
    if (!observation.cases.has(caseId) || state === undefined) {
      lost++;
      expected++;
      problems.push(`${caseId}: no case (store row: ${observation.cases.has(caseId)}, workflow: ${view?.runStatus})`);
      continue;
    }
    const events = eventsByCase.get(caseId) ?? [];
    const created = events.filter((event) => event.type === 'created');
    if (created.length !== 1) {
      duplicates += Math.max(0, created.length - 1);
      problems.push(`${caseId}: ${created.length} created events on the timeline`);
    }
    const escalations = events.filter((event) => event.type === 'escalated');
    const byLevel = groupBy(escalations, (event) => String(event.levelIndex));
    for (const [level, same] of byLevel) {
      if (same.length > 1) {
        duplicates += same.length - 1;
        problems.push(`${caseId}: escalated to level ${level} ${same.length} times`);
      }
    }
    // The store is written in the background: it may trail the workflow, never lead it.
    if (state.level.index < byLevel.size) problems.push(`${caseId}: store has more escalations than the workflow`);

    // What the clock called for by now: the first ack target, and any escalation that is overdue.
    const firstDue = Date.parse(state.createdAt) + context.ackMs;
    const overdue =
      state.next?.action === 'escalate' && Date.parse(state.next.at) < observation.at - context.graceMs ? 1 : 0;
    const called = Math.max(firstDue < observation.at - context.graceMs ? 1 : 0, byLevel.size + overdue);
    expected += called;
    if (overdue) problems.push(`${caseId}: escalation due at ${state.next?.at} has not happened`);

    const handoffs = (logByCase.get(caseId) ?? []).filter((entry) => handoffLevel(entry) !== undefined);
    // Per level and recipient, one handoff: a second one (another key) is a second escalation's page.
    for (const [target, same] of groupBy(handoffs, (entry) => `${handoffLevel(entry)} -> ${entry.recipient.address}`)) {
      const keys = new Set(same.map((entry) => entry.idempotencyKey));
      if (keys.size > 1) {
        duplicates += keys.size - 1;
        problems.push(`${caseId}: ${keys.size} handoffs ${target}`);
      }
    }
    let delivered = 0;
    for (const [, same] of byLevel) {
      const escalation = same[0] as StoredEvent;
      const levelHandoffs = handoffs.filter((entry) => handoffLevel(entry) === escalation.levelName);
      if (levelHandoffs.length === 0) {
        problems.push(`${caseId}: escalated to ${escalation.levelName} but no handoff in the notification log`);
        continue;
      }
      delivered++;
      const sentAt = max(
        levelHandoffs.map((entry) => storedByKey.get(entry.idempotencyKey)?.sentAt ?? observation.at),
      ) as number;
      afterSla.push(sentAt - escalation.at);
      if (escalation.at <= context.recoveredAt) afterRecovery.push(Math.max(0, sentAt - context.recoveredAt));
    }
    seen += delivered;
    const missing = called - delivered;
    if (missing > 0) lost += missing;

    const stall = stallReason(state, observation.at, context.graceMs);
    if (stall) {
      stalled++;
      problems.push(`${caseId}: ${stall}`);
    }
  }

  // Every notification the store claimed ended as sent (and written) or failed for good; none is still pending.
  const loggedKeys = new Set(observation.log.map((entry) => entry.idempotencyKey));
  for (const record of observation.notifications) {
    if (record.status === 'pending') {
      lost++;
      problems.push(`${record.key} (${record.channel}): still pending after ${record.attempts} attempts`);
    } else if (record.channel === 'log' && record.status === 'sent' && !loggedKeys.has(record.key)) {
      lost++;
      problems.push(`${record.key}: marked sent but not in the notification log`);
    }
  }
  problems.push(...judgeWebhook(observation, context));
  return {
    cases: context.caseIds.length,
    expected,
    seen,
    duplicates,
    lost,
    stalled,
    maxLatenessAfterRecovery: afterRecovery.length ? seconds(max(afterRecovery) as number) : undefined,
    maxLatenessAfterSla: afterSla.length ? seconds(max(afterSla) as number) : undefined,
    problems,
  };
}

/** The webhook channel is at-least-once on the wire: judged per key (deduplicated), never per request. */
function judgeWebhook(observation: Observation, context: RoundContext): string[] {
  const problems: string[] = [];
  const attemptsByKey = groupBy(context.webhookAttempts, (attempt) => attempt.key);
  const failedEvents = new Set(
    observation.events.filter((event) => event.type === 'notification_failed').map((event) => event.caseId),
  );
  for (const record of observation.notifications.filter((stored) => stored.channel === 'webhook')) {
    const attempts = attemptsByKey.get(record.key) ?? [];
    const accepted = attempts.some((attempt) => attempt.status === 200);
    if (attempts.some((attempt) => !attempt.signatureOk)) problems.push(`${record.key}: webhook signature invalid`);
    if (record.status === 'sent' && !accepted) problems.push(`${record.key}: marked sent, receiver never accepted it`);
    if (context.webhookGone) {
      if (record.status !== 'failed') problems.push(`${record.key}: receiver answered 410, stored as ${record.status}`);
      if (!attempts.some((attempt) => attempt.status === 503)) problems.push(`${record.key}: never saw the 503s`);
      if (!failedEvents.has(record.caseId)) problems.push(`${record.caseId}: no notification_failed on the timeline`);
    } else if (record.status === 'failed') {
      problems.push(`${record.key}: webhook delivery failed`);
    }
  }
  return problems;
}
