// What one case costs the server in history: events of a sample of cases from creation through their first
// escalation, read with fetchHistory once each history has stopped growing.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { workflowIdFor } from '../../../src/shared/ids';
import { percentile } from '../stats';

const EventType = temporal.api.enums.v1.EventType;
const SETTLE_MS = 1_000;
const SETTLE_LIMIT_MS = 15_000;

export interface HistoryCounts {
  events: number;
  /** WORKFLOW_TASK_COMPLETED: round trips to the worker. */
  workflowTasks: number;
  activitiesScheduled: number;
  /** MARKER_RECORDED: local activities (due-time arithmetic, recipients). */
  localActivities: number;
  timersStarted: number;
  searchAttributeUpserts: number;
  bytes: number;
}

export interface HistoryResult {
  sampled: number;
  /** Per case, the median over the sample (each count on its own). */
  median?: HistoryCounts;
  /** Event types of the first sampled case, in order of first appearance, with their counts. */
  eventTypes: Record<string, number>;
}

async function settledHistory(client: Client, workflowId: string): Promise<temporal.api.history.v1.IHistory> {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  const fetch = () =>
    client.withDeadline(deadline + SETTLE_MS, () => client.workflow.getHandle(workflowId).fetchHistory());
  let history = await fetch();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const again = await fetch();
    if ((again.events ?? []).length === (history.events ?? []).length || Date.now() > deadline) return again;
    history = again;
  }
}

function countsOf(history: temporal.api.history.v1.IHistory): HistoryCounts {
  const events = history.events ?? [];
  const count = (type: temporal.api.enums.v1.EventType) => events.filter((event) => event.eventType === type).length;
  return {
    events: events.length,
    workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    activitiesScheduled: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    localActivities: count(EventType.EVENT_TYPE_MARKER_RECORDED),
    timersStarted: count(EventType.EVENT_TYPE_TIMER_STARTED),
    searchAttributeUpserts: count(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES),
    bytes: temporal.api.history.v1.History.encode(history).finish().length,
  };
}

export async function measureHistoryShape(client: Client, caseIds: readonly string[]): Promise<HistoryResult> {
  const histories = await Promise.all(caseIds.map((id) => settledHistory(client, workflowIdFor(id))));
  const all = histories.map(countsOf);
  const eventTypes: Record<string, number> = {};
  for (const event of histories[0]?.events ?? []) {
    const name = (EventType[event.eventType ?? 0] ?? String(event.eventType)).replace(/^EVENT_TYPE_/, '');
    eventTypes[name] = (eventTypes[name] ?? 0) + 1;
  }
  const first = all[0];
  const median = first
    ? (Object.fromEntries(
        Object.keys(first).map((key) => [
          key,
          percentile(
            all.map((counts) => counts[key as keyof HistoryCounts]),
            50,
          ) ?? 0,
        ]),
      ) as unknown as HistoryCounts)
    : undefined;
  return { sampled: all.length, ...(median ? { median } : {}), eventTypes };
}
