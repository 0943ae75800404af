// Maps the workflow's case snapshot to the store's row shape.
import type { Status, TimelineEvent } from '../shared/escalation';
import type { CaseSnapshot } from '../shared/snapshot';
import type { CaseRecord, TimelineRecord } from '../store/case-store';

export interface NearestTarget {
  target: 'ack' | 'resolve';
  dueAt: string;
}

/**
 * The SLA target a case is racing now: while open the earlier of ack and resolve, once acknowledged the resolve
 * target; none while paused (the clock stands still) or once resolved, closed or cancelled.
 */
export function nearestTarget(
  status: Status,
  paused: boolean,
  ackDueAt: string | null | undefined,
  resolveDueAt: string | null | undefined,
): NearestTarget | null {
  if (paused) return null;
  const resolve: NearestTarget | null = resolveDueAt ? { target: 'resolve', dueAt: resolveDueAt } : null;
  if (status === 'acknowledged') return resolve;
  if (status !== 'open') return null;
  const ack: NearestTarget | null = ackDueAt ? { target: 'ack', dueAt: ackDueAt } : null;
  if (ack === null || resolve === null) return ack ?? resolve;
  return Date.parse(resolve.dueAt) < Date.parse(ack.dueAt) ? resolve : ack;
}

/** Who the worklist finds the case under: ids and names responsible now, the owner, added teams, the assignee. */
export function assigneesOf(snapshot: CaseSnapshot): string[] {
  // Snapshots written by runs that started before these fields existed may lack them.
  const ids = [
    ...(snapshot.assignees ?? []),
    ...(snapshot.owner !== null ? [snapshot.owner] : []),
    ...(snapshot.teams ?? []).map((team) => team.id),
    ...(snapshot.assignee ? [snapshot.assignee.id] : []),
  ];
  return [...new Set(ids.filter((id) => id !== ''))];
}

export function toCaseRecord(snapshot: CaseSnapshot, updatedAt: string): CaseRecord {
  const paused = (snapshot.paused ?? null) !== null;
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
    assignees: assigneesOf(snapshot),
    slaDueAt: nearestTarget(snapshot.status, paused, snapshot.sla.ackDueAt, snapshot.sla.resolveDueAt)?.dueAt ?? null,
    paused,
    snapshot,
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
    details: event.details ?? null,
  };
}
