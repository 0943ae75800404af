// The case as the API shows it when its workflow run is gone (past retention): rebuilt from the case store.
import type { EscalationState, TimelineEventType } from '../shared/escalation';
import type { CaseRecord, TimelineRecord } from '../store/case-store';

export function stateFromRecord(record: CaseRecord, timeline: TimelineRecord[]): Omit<EscalationState, 'handedTo'> {
  const ackEvent = [...timeline].reverse().find((event) => event.type === 'acknowledged');
  return {
    id: record.id,
    title: record.title,
    ...(record.description !== null ? { description: record.description } : {}),
    status: record.status,
    priority: record.priority,
    category: record.category,
    tags: [],
    level: { index: record.levelIndex, name: record.levelName },
    owner: record.owner,
    unowned: record.unowned,
    sla: {
      ...(record.ackDueAt ? { ackDueAt: record.ackDueAt } : {}),
      ...(record.resolveDueAt ? { resolveDueAt: record.resolveDueAt } : {}),
    },
    warned: { ack: false, resolve: false },
    paused: null,
    pauses: [],
    next: null,
    matrixVersion: record.matrixVersion,
    reporter: { name: record.reporterName, email: record.reporterEmail },
    attemptedSteps: record.attemptedSteps,
    createdAt: record.createdAt,
    levelEnteredAt: record.createdAt,
    ...(ackEvent ? { acknowledgedAt: ackEvent.at } : {}),
    repeatsSent: 0,
    ...(record.resolvedAt ? { resolvedAt: record.resolvedAt } : {}),
    ...(record.resolution !== null ? { resolution: { by: record.owner ?? '', summary: record.resolution } } : {}),
    levelRecipients: [],
    notificationsSent: 0,
    timeline: timeline.map((event) => ({
      seq: event.seq,
      at: event.at,
      type: event.type as TimelineEventType,
      ...(event.levelIndex !== null ? { level: { index: event.levelIndex, name: event.levelName ?? '' } } : {}),
      ...(event.by !== null ? { by: event.by } : {}),
      ...(event.note !== null ? { note: event.note } : {}),
    })),
  };
}

/** One row of `GET /escalations`: enough to triage a queue without opening each case. */
export function caseSummary(record: CaseRecord) {
  return {
    id: record.id,
    title: record.title,
    status: record.status,
    priority: record.priority,
    category: record.category,
    tags: [],
    level: { index: record.levelIndex, name: record.levelName },
    owner: record.owner,
    unowned: record.unowned,
    sla: { ackDueAt: record.ackDueAt, resolveDueAt: record.resolveDueAt },
    next: record.nextAction && record.nextAt ? { action: record.nextAction, at: record.nextAt } : null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
