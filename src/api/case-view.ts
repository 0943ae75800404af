// The case as the API shows it when its workflow run is gone (past retention): read from the case store.
import { emptyLifecycle, type EscalationState, type TimelineEvent, type TimelineEventType } from '../shared/escalation';
import type { CaseSnapshot } from '../shared/snapshot';
import type { CaseRecord, TimelineRecord } from '../store/case-store';

type StoredState = Omit<EscalationState, 'handedTo'>;

/** What a case has when nothing was recorded: the fields a snapshot of an older run may lack, and the rebuild's. */
const EMPTY: Pick<
  StoredState,
  | 'tags'
  | 'assignees'
  | 'teams'
  | 'tasks'
  | 'subscribers'
  | 'breaches'
  | 'feedback'
  | 'reopenCount'
  | 'eventsRecorded'
  | 'runs'
  | 'levelRecipients'
  | 'notificationsSent'
  | 'pauses'
> = {
  tags: [],
  ...emptyLifecycle(),
  levelRecipients: [],
  notificationsSent: 0,
  pauses: [],
};

/** The whole case as last documented when the row carries it; rebuilt from the row's columns otherwise. */
export function stateFromRecord(record: CaseRecord, timeline: TimelineRecord[]): StoredState {
  const events = timeline.map(toTimelineEvent);
  if (record.snapshot) {
    // The store's timeline is the whole one; the snapshot carries neither it nor who was handed the case.
    const {
      workflowId: _workflowId,
      revision,
      handedTo: _handedTo,
      ...state
    } = record.snapshot as CaseSnapshot & { handedTo?: unknown };
    return {
      ...EMPTY,
      ...state,
      eventsRecorded: state.eventsRecorded ?? Math.max(revision, timeline.length),
      timeline: events,
    };
  }
  const ackEvent = [...timeline].reverse().find((event) => event.type === 'acknowledged');
  const level = { index: record.levelIndex, name: record.levelName };
  return {
    ...EMPTY,
    id: record.id,
    title: record.title,
    ...(record.description !== null ? { description: record.description } : {}),
    status: record.status,
    priority: record.priority,
    category: record.category,
    level,
    owner: record.owner,
    unowned: record.unowned,
    sla: {
      ...(record.ackDueAt ? { ackDueAt: record.ackDueAt } : {}),
      ...(record.resolveDueAt ? { resolveDueAt: record.resolveDueAt } : {}),
    },
    warned: { ack: false, resolve: false },
    paused: null,
    next: null,
    matrixVersion: record.matrixVersion,
    reporter: { name: record.reporterName, email: record.reporterEmail },
    attemptedSteps: record.attemptedSteps,
    createdAt: record.createdAt,
    levelEnteredAt: record.createdAt,
    ...(ackEvent ? { acknowledgedAt: ackEvent.at } : {}),
    repeatsSent: 0,
    ...(record.resolvedAt ? { resolvedAt: record.resolvedAt } : {}),
    ...(record.resolution !== null
      ? {
          resolution: {
            by: record.owner ?? '',
            summary: record.resolution,
            at: record.resolvedAt ?? record.updatedAt,
            level,
          },
        }
      : {}),
    assignees: record.assignees,
    eventsRecorded: Math.max(record.revision, timeline.length),
    timeline: events,
  };
}

function toTimelineEvent(event: TimelineRecord): TimelineEvent {
  return {
    seq: event.seq,
    at: event.at,
    type: event.type as TimelineEventType,
    ...(event.levelIndex !== null ? { level: { index: event.levelIndex, name: event.levelName ?? '' } } : {}),
    ...(event.by !== null ? { by: event.by } : {}),
    ...(event.note !== null ? { note: event.note } : {}),
    ...(event.details ? { details: event.details as NonNullable<TimelineEvent['details']> } : {}),
  };
}

/** One row of `GET /escalations`: enough to triage a queue without opening each case. */
export function caseSummary(record: CaseRecord) {
  const snapshot = record.snapshot;
  return {
    id: record.id,
    title: record.title,
    status: record.status,
    priority: record.priority,
    category: record.category,
    tags: snapshot?.tags ?? [],
    level: { index: record.levelIndex, name: record.levelName },
    owner: record.owner,
    unowned: record.unowned,
    assignees: snapshot?.assignees ?? record.assignees,
    paused: snapshot ? (snapshot.paused ?? null) !== null : record.paused,
    sla: { ackDueAt: record.ackDueAt, resolveDueAt: record.resolveDueAt },
    next: record.nextAction && record.nextAt ? { action: record.nextAction, at: record.nextAt } : null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
