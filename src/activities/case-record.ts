// Maps the workflow's case snapshot to the store's row shape.
import type { TimelineEvent } from '../shared/escalation';
import type { CaseSnapshot } from '../shared/snapshot';
import type { CaseRecord, TimelineRecord } from '../store/case-store';

export function toCaseRecord(snapshot: CaseSnapshot, updatedAt: string): CaseRecord {
  return {
    id: snapshot.id,
    workflowId: snapshot.workflowId,
    title: snapshot.title,
    description: snapshot.description ?? null,
    category: snapshot.category,
    priority: snapshot.priority,
    status: snapshot.status,
    levelIndex: snapshot.level.index,
    levelName: snapshot.level.name,
    owner: snapshot.owner,
    unowned: snapshot.unowned,
    reporterName: snapshot.reporter.name,
    reporterEmail: snapshot.reporter.email,
    attemptedSteps: snapshot.attemptedSteps,
    matrixVersion: snapshot.matrixVersion,
    ackDueAt: snapshot.sla.ackDueAt ?? null,
    resolveDueAt: snapshot.sla.resolveDueAt ?? null,
    nextAction: snapshot.next?.action ?? null,
    nextAt: snapshot.next?.at ?? null,
    createdAt: snapshot.createdAt,
    updatedAt,
    resolvedAt: snapshot.resolvedAt ?? null,
    resolution: snapshot.resolution?.summary ?? null,
    revision: snapshot.revision,
  };
}

export function toTimelineRecord(caseId: string, event: TimelineEvent): TimelineRecord {
  return {
    caseId,
    seq: event.seq,
    at: event.at,
    type: event.type,
    levelIndex: event.level?.index ?? null,
    levelName: event.level?.name ?? null,
    by: event.by ?? null,
    note: event.note ?? null,
  };
}
