// The case's timeline as data: every event type with its typed `details`, defined once. The workflow writes both a
// sentence (`note`, for people) and the details; exports, reports and what-if replays read only the details, so a
// sentence can be reworded without changing a figure. Rows written before details existed carry none, and their
// readers fall back to the old notes (see `src/documentation/legacy-notes.ts`).
import type { Priority } from './plan';

export interface LevelRef {
  index: number;
  /** The level's id in the matrix (absent on cases started before paths existed). */
  id?: string;
  name: string;
}

/** A notification's addressee as the timeline names it. */
export interface Addressee {
  name: string;
  channel: string;
  address: string;
}

/** A due instant that moved (resume, reprioritise, migrate): before and after, absent when there was none. */
export interface DueMove {
  from: string | null;
  to: string | null;
}

/** Which SLA target an automatic action concerns. */
export type SlaTarget = 'ack' | 'resolve';

/** The due instants of the level that changed, by target; a target that did not move is absent. */
export interface DueMoves {
  ack?: DueMove;
  resolve?: DueMove;
}

/** A task or action item as the timeline names it. */
export interface WorkItemRef {
  id: string;
  title: string;
}

/** Per event type, what happened, as data. */
export interface TimelineDetails {
  created: { title: string; reporter: string };
  triaged: {
    rule: string;
    priority: Priority;
    /** The priority the reporter gave; null when none. */
    given: Priority | null;
    path: string;
    startLevel: LevelRef;
  };
  reporter_notified: { caseNumber: string; firstResponseBy: string | null };
  handed_off: {
    /** Names of the people and channels the level reached. */
    recipients: string[];
    /** Why the case came here, as told to the new owner. */
    reason: string;
    /** The pause reason this handoff ended, when the case was paused. */
    pauseEnded?: string;
  };
  level_skipped: { nobody: string[] };
  unowned: { cause: 'nobody_reachable'; nobody: string[] } | { cause: 'no_ack_after_reminders'; reminders: number };
  acknowledged: { ackDueAt: string | null; note?: string };
  /** Who had acknowledged, when, and the ack due instant that restarts from the withdrawal. */
  unacknowledged: { acknowledgedBy: string | null; acknowledgedAt: string | null; reason: string; due: DueMoves };
  escalated:
    | { trigger: 'ack_target' | 'resolve_target'; from: LevelRef; to: LevelRef; dueAt: string; reason: string }
    | { trigger: 'manual'; from: LevelRef; to: LevelRef; reason: string; jumped: boolean };
  breach_warning: { target: SlaTarget; dueAt: string; warnAt: string; late: boolean };
  warning_skipped: { target: SlaTarget; dueAt: string; warnAt: string };
  repeat_notified: { attempt: number; of: number; dueAt: string; merged: number };
  resolve_breached: { dueAt: string | null; owner: string | null };
  paused: { reason: string };
  resumed: { reason: string; pausedMs: number; due: DueMoves; note?: string };
  /** The note is the comment itself. */
  comment: Record<string, never>;
  plan_migrated: { fromVersion: string; toVersion: string; reason: string; due: DueMoves };
  notification_failed: { recipient: Addressee; reason: string };
  documentation_failed: { reason: string };
  /** `reason`: the last failure; `steps`: the timeline seqs whose record is late; `patienceMs`: how long it failed. */
  record_delayed: { reason: string; steps: number[]; patienceMs: number };
  resolved: { resolution: string; rootCause?: string; fix?: string; forced?: string };
  /** `due`: the ack window restarted for the new assignee (cases started on generation 4 and later). */
  reassigned: { from: string; to: string; reason: string; due?: DueMoves };
  reprioritised: { from: Priority; to: Priority; reason: string; due: DueMoves };
  cancelled: { reason: string; note: string; duplicateOf?: string };
  team_added: { team: string; name: string; note?: string };
  task_created: WorkItemRef & { owner: string; dueAt: string; blocking: boolean };
  task_updated: WorkItemRef & { state: string; note?: string };
  task_reminder: WorkItemRef & { owner: string; dueAt: string; reminder: number };
  subscribed: Addressee & { audience: 'internal' | 'reporter' };
  unsubscribed: { removed: Addressee[] };
  status_update: { to: string[] };
  feedback_requested: { closesAt: string; satisfiedAtLeast: number; round: number };
  feedback_received: { score: number; satisfied: boolean; threshold: number; comment?: string };
  reopened: { cause: 'staff'; reason: string } | { cause: 'unsatisfied_feedback'; score: number; comment?: string };
  closed: { cause: 'satisfied' | 'no_feedback'; score?: number };
  review_opened: { owner: string; dueAt: string; reasons: string[] };
  review_submitted: { method: string; rootCause: string };
  review_reminder: { owner: string; dueAt: string; reminder: number };
  action_item_created: WorkItemRef & { owner: string; dueAt: string };
  action_item_updated: WorkItemRef & { state: string; note?: string };
  action_item_reminder: WorkItemRef & { owner: string; dueAt: string; reminder: number };
  review_completed: { done: number; total: number };
  continued_as_new: { fromRun: number; toRun: number; historyEvents: number };
  evidence_added: { id: string; type: string; title: string; url: string; sha256?: string };
}

export type TimelineEventType = keyof TimelineDetails;

/** Every event type, in the order the list above gives (for schemas and exhaustive tests). */
export const TIMELINE_EVENT_TYPES = [
  'created',
  'triaged',
  'reporter_notified',
  'handed_off',
  'level_skipped',
  'unowned',
  'acknowledged',
  'unacknowledged',
  'escalated',
  'breach_warning',
  'warning_skipped',
  'repeat_notified',
  'resolve_breached',
  'paused',
  'resumed',
  'comment',
  'plan_migrated',
  'notification_failed',
  'documentation_failed',
  'record_delayed',
  'resolved',
  'reassigned',
  'reprioritised',
  'cancelled',
  'team_added',
  'task_created',
  'task_updated',
  'task_reminder',
  'subscribed',
  'unsubscribed',
  'status_update',
  'feedback_requested',
  'feedback_received',
  'reopened',
  'closed',
  'review_opened',
  'review_submitted',
  'review_reminder',
  'action_item_created',
  'action_item_updated',
  'action_item_reminder',
  'review_completed',
  'continued_as_new',
  'evidence_added',
] as const satisfies readonly TimelineEventType[];
// Compile-time: the list above names every type of TimelineDetails.
const _everyTypeListed: Exclude<TimelineEventType, (typeof TIMELINE_EVENT_TYPES)[number]> extends never ? true : never =
  true;

/**
 * One timeline event. `details` is absent only on events recorded before details existed; its shape is the one
 * TimelineDetails gives for `type` (written through Transition.record, read through detailsOf).
 */
export interface TimelineEvent {
  seq: number;
  at: string;
  type: TimelineEventType;
  level?: LevelRef;
  by?: string;
  /** The event in words, for people; no code reads it back. */
  note?: string;
  details?: TimelineDetails[TimelineEventType];
}

/** The details of an event of type `K`, when it carries them. */
export function detailsOf<K extends TimelineEventType>(
  event: { type: string; details?: unknown },
  type: K,
): TimelineDetails[K] | undefined {
  return event.type === type && event.details !== null && typeof event.details === 'object'
    ? (event.details as TimelineDetails[K])
    : undefined;
}

/** The level's due instants that changed between two SLA snapshots (resume, reprioritise, migrate). */
export function dueMoves(
  before: { ackDueAt?: string; resolveDueAt?: string },
  after: { ackDueAt?: string; resolveDueAt?: string },
): DueMoves {
  const move = (from?: string, to?: string) => (from === to ? undefined : { from: from ?? null, to: to ?? null });
  const ack = move(before.ackDueAt, after.ackDueAt);
  const resolve = move(before.resolveDueAt, after.resolveDueAt);
  return { ...(ack ? { ack } : {}), ...(resolve ? { resolve } : {}) };
}
