// Waits for a workflow to reach a quiet point in virtual time: no activity in flight (time-skipping jumps virtual
// time at once, so an activity still running in real time would overrun its timeout and be retried for nothing) and,
// for settleCase, no workflow task outstanding; and reads from its history which timers it still waits for.
import type { WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export async function settle(handle: WorkflowHandle, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const description = await handle.describe();
    const pending = description.raw.pendingActivities?.length ?? 0;
    if (pending === 0 || description.status.name !== 'RUNNING') return;
    if (Date.now() > deadline)
      throw new Error(`${handle.workflowId} still has ${pending} activities running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface PendingTimer {
  id: string;
  /** When the server fires it (its start, as recorded, plus its duration). */
  firesAtMs: number;
}

/** Where a run stands, read from its history (the server's DescribeWorkflowExecution lists no timers). */
export interface CaseProgress {
  /** The run has ended (completed, failed, continued as new...). */
  closed: boolean;
  /** A workflow task scheduled or started and not finished yet. */
  openTask?: { scheduledEventId: number; startedAtMs?: number };
  /** Timers started and neither fired nor cancelled, earliest first. */
  timers: PendingTimer[];
}

const CLOSING_EVENTS = [
  'workflowExecutionCompletedEventAttributes',
  'workflowExecutionFailedEventAttributes',
  'workflowExecutionTimedOutEventAttributes',
  'workflowExecutionCanceledEventAttributes',
  'workflowExecutionTerminatedEventAttributes',
  'workflowExecutionContinuedAsNewEventAttributes',
] as const;

export function caseProgress(events: readonly HistoryEvent[]): CaseProgress {
  const timers = new Map<string, number>();
  let openTask: CaseProgress['openTask'];
  let closed = false;
  for (const event of events) {
    const started = event.timerStartedEventAttributes;
    if (started?.timerId) timers.set(started.timerId, tsToMs(event.eventTime) + tsToMs(started.startToFireTimeout));
    const ended = event.timerFiredEventAttributes ?? event.timerCanceledEventAttributes;
    if (ended?.timerId) timers.delete(ended.timerId);
    if (event.workflowTaskScheduledEventAttributes) openTask = { scheduledEventId: Number(event.eventId) };
    if (event.workflowTaskStartedEventAttributes && openTask) openTask.startedAtMs = tsToMs(event.eventTime);
    if (
      event.workflowTaskCompletedEventAttributes ??
      event.workflowTaskFailedEventAttributes ??
      event.workflowTaskTimedOutEventAttributes
    ) {
      openTask = undefined;
    }
    if (CLOSING_EVENTS.some((key) => event[key])) closed = true;
  }
  return {
    closed,
    ...(openTask && !closed ? { openTask } : {}),
    timers: closed
      ? []
      : [...timers].map(([id, firesAtMs]) => ({ id, firesAtMs })).sort((a, b) => a.firesAtMs - b.firesAtMs),
  };
}

/**
 * Waits until the case has no activity in flight and no workflow task outstanding, and returns where it stands. A
 * task still open after `timeoutMs` fails the wait with the likely reason: the time-skipping test server leaves a task
 * started for good when it refuses its completion, which it does when the task cancels a timer that fired while the
 * task ran (temporalio/sdk-java#2606, #3088); `advanceTo` with a clearance keeps commands clear of that.
 */
export async function settleCase(handle: WorkflowHandle, timeoutMs = 30_000): Promise<CaseProgress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return { closed: true, timers: [] };
    const activities = description.raw.pendingActivities?.length ?? 0;
    const progress = activities === 0 ? caseProgress((await handle.fetchHistory()).events ?? []) : undefined;
    if (progress && !progress.openTask) return progress;
    if (Date.now() > deadline) throw new Error(unsettled(handle.workflowId, timeoutMs, activities, progress?.openTask));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function unsettled(workflowId: string, timeoutMs: number, activities: number, task: CaseProgress['openTask']): string {
  if (!task) return `${workflowId} still has ${activities} activities running after ${timeoutMs} ms`;
  if (task.startedAtMs === undefined) {
    return `${workflowId}: workflow task ${task.scheduledEventId} was not picked up within ${timeoutMs} ms (is a worker polling?)`;
  }
  return (
    `${workflowId}: workflow task ${task.scheduledEventId} started at ${new Date(task.startedAtMs).toISOString()} and ` +
    `has not finished within ${timeoutMs} ms. The time-skipping test server never times such a task out when it ` +
    'refused its completion ("invalid history builder state for action": the task cancelled a timer that fired ' +
    'while it ran, temporalio/sdk-java#2606, #3088); a command sent within moments of a timer of its case does that'
  );
}
