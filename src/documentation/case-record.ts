// The complete documentation of one case, built from what the case store holds: who raised it, what was tried,
// every escalation (automatic or manual, and why), every handoff notice exactly as sent, every notification with its
// delivery status, comments, pauses, the resolution and the durations an escalation review asks for.
// From the case's stored snapshot (when the row has one) it adds what a sound procedure documents besides the timeline:
// when the problem occurred, the evidence, teams, tasks, subscribers, the resolution's root cause and fix, every
// feedback and reopen, a cancellation, when the case closed, and its post-escalation review.
// A pure function of the stored rows, so the export of a case is the same every time it is taken.
import type { RootCauseAnalysis, WorkItem } from '../shared/escalation';
import type { CaseSnapshot } from '../shared/snapshot';
import type { CaseRecord, NotificationRecord, TimelineRecord } from '../store/case-store';
import {
  deliveryFailureOf,
  escalationOf,
  handoffOf,
  pauseReasonOf,
  reachedNobody,
  resolutionOf,
} from '../timeline/facts';

export interface LevelInfo {
  index: number;
  name: string;
}

export interface DocumentEvent {
  seq: number;
  at: string;
  type: string;
  level: LevelInfo | null;
  by: string | null;
  note: string | null;
}

export interface EscalationEntry {
  seq: number;
  at: string;
  from: LevelInfo | null;
  to: LevelInfo | null;
  /** Automatic: an SLA target ran out (no `by`); manual: somebody escalated it (`by`). */
  kind: 'automatic' | 'manual';
  by: string | null;
  /** The target an automatic escalation missed, read from its note; null for manual ones. */
  missedTarget: 'ack' | 'resolve' | null;
  /** Automatic: the note; manual: the reason the person gave. */
  reason: string | null;
  /** The timeline note as recorded. */
  note: string | null;
}

export type DeliveryStatus = 'sent' | 'pending' | 'failed';

export interface Addressee {
  /** Known from the handoff's timeline event or a failure record; null when the store does not say. */
  name: string | null;
  address: string;
  channel: string;
}

export interface HandoffEntry {
  /** The `handed_off` timeline event this notice belongs to (null when it could not be matched). */
  seq: number | null;
  at: string;
  level: LevelInfo | null;
  why: string | null;
  to: Addressee;
  subject: string;
  /** Exactly the body the channel was given. */
  body: string;
  status: DeliveryStatus;
  sentAt: string | null;
  notificationKey: string;
}

export interface NotificationEntry {
  key: string;
  requestedAt: string;
  audience: string;
  to: Addressee;
  subject: string;
  status: DeliveryStatus;
  sentAt: string | null;
  failure: { at: string; reason: string } | null;
}

export interface DeliveryFailure {
  seq: number;
  at: string;
  level: LevelInfo | null;
  to: Addressee | null;
  reason: string | null;
  note: string | null;
  /** The notification it is about, when one matches (same channel and address, requested before the failure). */
  notificationKey: string | null;
}

export interface NoteEntry {
  seq: number;
  at: string;
  level: LevelInfo | null;
  by: string | null;
  note: string | null;
}

export interface PauseEntry {
  level: LevelInfo | null;
  from: string;
  by: string | null;
  reason: string | null;
  /** Null while the case is still paused. */
  to: string | null;
  endedBy: string | null;
  /** `resumed` by somebody, ended by a `handoff` to another level, or by the `resolution`. */
  ended: 'resumed' | 'handoff' | 'resolution' | null;
  note: string | null;
  durationMs: number | null;
}

export interface LevelStint {
  level: LevelInfo;
  enteredAt: string;
  /** When it was escalated away or resolved; null while the case is still there. */
  leftAt: string | null;
  durationMs: number | null;
  /** Time paused during the stint (the SLA clocks skip it). */
  pausedMs: number;
}

export interface EvidenceEntry {
  id: string;
  type: 'link' | 'attachment';
  title: string;
  url: string;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  note: string | null;
  addedBy: string;
  addedAt: string;
}

export interface TeamEntry {
  id: string;
  name: string;
  addedBy: string;
  addedAt: string;
  note: string | null;
}

/** A task (`T1`...) or a review's action item (`A1`...). */
export interface WorkItemEntry {
  id: string;
  title: string;
  owner: { kind: 'person' | 'team' | 'contact'; id: string; name: string };
  dueAt: string;
  blocking: boolean;
  state: 'open' | 'done' | 'cancelled';
  createdAt: string;
  createdBy: string;
  closedAt: string | null;
  closedBy: string | null;
  note: string | null;
  remindersSent: number;
}

export interface SubscriberEntry {
  name: string;
  channel: string;
  address: string;
  audience: 'internal' | 'reporter';
  addedBy: string;
  addedAt: string;
}

export interface ResolutionDetail {
  by: string;
  at: string;
  summary: string;
  /** The level that resolved it. */
  level: LevelInfo;
  rootCause: string | null;
  fix: string | null;
  /** Why it was resolved with blocking tasks still open; null when it was not forced. */
  forced: string | null;
}

export interface FeedbackEntry {
  /** The resolution it rates: 0 for the first, 1 after one reopen, ... */
  round: number;
  at: string;
  by: string;
  score: number;
  satisfied: boolean;
  comment: string | null;
}

export interface CancellationEntry {
  by: string;
  at: string;
  reason: string;
  duplicateOf: string | null;
  note: string;
}

export interface ReviewEntry {
  /** Why the matrix selected the case. */
  reasons: string[];
  owner: { kind: 'person' | 'team' | 'contact'; id: string; name: string };
  openedAt: string;
  dueAt: string;
  status: 'pending' | 'submitted' | 'complete';
  whatHappened: string | null;
  rootCause: RootCauseAnalysis | null;
  rootCauseCategory: string | null;
  wentWell: string[];
  wentBadly: string[];
  submittedAt: string | null;
  submittedBy: string | null;
  completedAt: string | null;
  actionItems: WorkItemEntry[];
}

/** What the stored snapshot of the case adds to its timeline. */
export interface CaseLifecycle {
  /** When the problem started, as the reporter said; null when not given. */
  occurredAt: string | null;
  /** The zone the reporter's messages show times in; null: UTC. */
  reporterTimeZone: string | null;
  evidence: EvidenceEntry[];
  teams: TeamEntry[];
  tasks: WorkItemEntry[];
  /** Subscribed now (who unsubscribed is on the timeline). */
  subscribers: SubscriberEntry[];
  /** The latest resolution in full; kept after a reopen (the case goes back to the level that resolved it). */
  resolution: ResolutionDetail | null;
  /** Resolutions before the latest one, each followed by a reopen (from the timeline). */
  earlierResolutions: NoteEntry[];
  feedback: FeedbackEntry[];
  /** While the reporter may still rate the latest resolution. */
  awaitingFeedback: { round: number; requestedAt: string; closesAt: string } | null;
  reopenCount: number;
  /** Every reopen, the note being the reason given (from the timeline). */
  reopens: NoteEntry[];
  cancellation: CancellationEntry | null;
  closedAt: string | null;
  review: ReviewEntry | null;
}

export interface CaseDocument {
  id: string;
  workflowId: string;
  title: string;
  description: string | null;
  category: string;
  priority: string;
  status: string;
  matrixVersion: string;
  reporter: { name: string; email: string };
  raisedAt: string;
  attemptedSteps: string[];
  /** The triage decision as recorded (rule, priority, path, start level). */
  triage: string | null;
  currentLevel: LevelInfo;
  owner: string | null;
  unowned: boolean;
  timeline: DocumentEvent[];
  escalations: EscalationEntry[];
  acknowledgements: NoteEntry[];
  handoffs: HandoffEntry[];
  notifications: NotificationEntry[];
  deliveryFailures: DeliveryFailure[];
  comments: NoteEntry[];
  pauses: PauseEntry[];
  resolution: { by: string | null; at: string; summary: string | null } | null;
  durations: {
    toFirstAcknowledgementMs: number | null;
    toResolutionMs: number | null;
    pausedMs: number;
    levels: LevelStint[];
  };
  /** Null on rows stored without a snapshot of the case (written before snapshots were kept). */
  lifecycle: CaseLifecycle | null;
}

const ms = (iso: string) => Date.parse(iso);
const between = (from: string, to: string) => ms(to) - ms(from);

function levelOf(event: TimelineRecord): LevelInfo | null {
  return event.levelIndex === null ? null : { index: event.levelIndex, name: event.levelName ?? '' };
}

/** The n of the idempotency key `<workflowId>/notification/<n>`: the order the workflow issued notices in. */
function keySeq(key: string): number {
  const match = /\/notification\/(\d+)$/.exec(key);
  return match ? Number(match[1]) : Number.MAX_SAFE_INTEGER;
}

function byIssueOrder(a: NotificationRecord, b: NotificationRecord): number {
  if (a.requestedAt !== b.requestedAt) return a.requestedAt < b.requestedAt ? -1 : 1;
  const bySeq = keySeq(a.idempotencyKey) - keySeq(b.idempotencyKey);
  if (bySeq !== 0) return bySeq;
  return a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The level name of an assignee handoff notice, `[id][priority] Handoff to <level>: <title>`; else undefined. */
function handoffLevelName(record: CaseRecord, subject: string): string | undefined {
  const pattern = new RegExp(`^\\[${escapeRegExp(record.id)}\\]\\[[^\\]]*\\] Handoff to (.*)$`, 's');
  const match = pattern.exec(subject);
  if (!match) return undefined;
  const rest = match[1] ?? '';
  const suffix = `: ${record.title}`;
  return rest.endsWith(suffix) ? rest.slice(0, -suffix.length) : rest.split(': ')[0];
}

function escalationsOf(timeline: TimelineRecord[]): EscalationEntry[] {
  const entries: EscalationEntry[] = [];
  let current: LevelInfo | null = null;
  for (const event of timeline) {
    if (event.type === 'escalated') {
      const by = event.by;
      const { missedTarget, reason } = escalationOf(event, current?.name ?? null);
      entries.push({
        seq: event.seq,
        at: event.at,
        from: current,
        to: levelOf(event),
        kind: by === null ? 'automatic' : 'manual',
        by,
        missedTarget: by === null ? missedTarget : null,
        reason,
        note: event.note,
      });
    }
    if (event.type === 'handed_off' || event.type === 'unowned' || event.type === 'escalated') {
      current = levelOf(event) ?? current;
    }
  }
  return entries;
}

function pausesOf(timeline: TimelineRecord[]): PauseEntry[] {
  const pauses: PauseEntry[] = [];
  let open: PauseEntry | undefined;
  const close = (at: string, ended: PauseEntry['ended'], by: string | null, note: string | null) => {
    if (!open) return;
    open.to = at;
    open.ended = ended;
    open.endedBy = by;
    open.note = note;
    open.durationMs = between(open.from, at);
    open = undefined;
  };
  for (const event of timeline) {
    if (event.type === 'paused') {
      const reason = pauseReasonOf(event);
      open = {
        level: levelOf(event),
        from: event.at,
        by: event.by,
        reason,
        to: null,
        endedBy: null,
        ended: null,
        note: null,
        durationMs: null,
      };
      pauses.push(open);
    } else if (event.type === 'resumed') {
      close(event.at, 'resumed', event.by, event.note);
    } else if (event.type === 'handed_off' || (event.type === 'unowned' && open && reachedNobody(event))) {
      close(event.at, 'handoff', null, event.note);
    } else if (event.type === 'resolved') {
      close(event.at, 'resolution', event.by, null);
    }
  }
  return pauses;
}

function stintsOf(timeline: TimelineRecord[], pauses: PauseEntry[]): LevelStint[] {
  const stints: LevelStint[] = [];
  let current: LevelStint | undefined;
  const leave = (at: string) => {
    if (!current) return;
    current.leftAt = at;
    current.durationMs = between(current.enteredAt, at);
    current = undefined;
  };
  for (const event of timeline) {
    const level = levelOf(event);
    const enters =
      level !== null &&
      (event.type === 'handed_off' ||
        // Entering the last level with nobody reachable: recorded as `unowned` instead of `handed_off`.
        (event.type === 'unowned' && (current === undefined || current.level.index !== level.index)));
    if (enters) {
      leave(event.at);
      current = { level, enteredAt: event.at, leftAt: null, durationMs: null, pausedMs: 0 };
      stints.push(current);
    } else if (event.type === 'escalated' || event.type === 'resolved') {
      leave(event.at);
    }
  }
  for (const stint of stints) {
    const start = ms(stint.enteredAt);
    const end = stint.leftAt === null ? Number.POSITIVE_INFINITY : ms(stint.leftAt);
    stint.pausedMs = pauses
      .filter((pause) => pause.durationMs !== null && ms(pause.from) >= start && ms(pause.from) < end)
      .reduce((sum, pause) => sum + (pause.durationMs ?? 0), 0);
  }
  return stints;
}

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

function workItemEntry(item: WorkItem): WorkItemEntry {
  return {
    id: item.id,
    title: item.title,
    owner: { kind: item.owner.kind, id: item.owner.id, name: item.owner.name },
    dueAt: item.dueAt,
    blocking: item.blocking,
    state: item.state,
    createdAt: item.createdAt,
    createdBy: item.createdBy,
    closedAt: orNull(item.closedAt),
    closedBy: orNull(item.closedBy),
    note: orNull(item.note),
    remindersSent: item.remindersSent ?? 0,
  };
}

/** The snapshot's part of the record; a snapshot of an older run may lack any collection, read as empty. */
function lifecycleOf(snapshot: CaseSnapshot, events: TimelineRecord[], noteEntry: (e: TimelineRecord) => NoteEntry) {
  const resolved = events.filter((event) => event.type === 'resolved');
  const { resolution, followUp, cancellation, review } = snapshot;
  const lifecycle: CaseLifecycle = {
    occurredAt: orNull(snapshot.occurredAt),
    reporterTimeZone: orNull(snapshot.reporter?.timeZone),
    evidence: (snapshot.evidence ?? []).map((item) => ({
      id: item.id,
      type: item.type,
      title: item.title,
      url: item.url,
      contentType: orNull(item.contentType),
      sizeBytes: orNull(item.sizeBytes),
      sha256: orNull(item.sha256),
      note: orNull(item.note),
      addedBy: item.addedBy,
      addedAt: item.addedAt,
    })),
    teams: (snapshot.teams ?? []).map((team) => ({
      id: team.id,
      name: team.name,
      addedBy: team.addedBy,
      addedAt: team.addedAt,
      note: orNull(team.note),
    })),
    tasks: (snapshot.tasks ?? []).map(workItemEntry),
    subscribers: (snapshot.subscribers ?? []).map((s) => ({
      name: s.name,
      channel: s.channel,
      address: s.address,
      audience: s.audience,
      addedBy: s.addedBy,
      addedAt: s.addedAt,
    })),
    resolution: resolution
      ? {
          by: resolution.by,
          at: resolution.at,
          summary: resolution.summary,
          level: { index: resolution.level.index, name: resolution.level.name },
          rootCause: orNull(resolution.rootCause),
          fix: orNull(resolution.fix),
          forced: orNull(resolution.forced),
        }
      : null,
    earlierResolutions: resolved.slice(0, -1).map(noteEntry),
    feedback: (snapshot.feedback ?? []).map((f) => ({
      round: f.round,
      at: f.at,
      by: f.by,
      score: f.score,
      satisfied: f.satisfied,
      comment: orNull(f.comment),
    })),
    awaitingFeedback: followUp
      ? { round: followUp.round, requestedAt: followUp.requestedAt, closesAt: followUp.closesAt }
      : null,
    reopenCount: snapshot.reopenCount ?? 0,
    reopens: events.filter((event) => event.type === 'reopened').map(noteEntry),
    cancellation: cancellation
      ? {
          by: cancellation.by,
          at: cancellation.at,
          reason: cancellation.reason,
          duplicateOf: orNull(cancellation.duplicateOf),
          note: cancellation.note,
        }
      : null,
    closedAt: orNull(snapshot.closedAt),
    review: review
      ? {
          reasons: [...review.reasons],
          owner: { kind: review.owner.kind, id: review.owner.id, name: review.owner.name },
          openedAt: review.openedAt,
          dueAt: review.dueAt,
          status: review.status,
          whatHappened: orNull(review.whatHappened),
          rootCause: orNull(review.rootCause),
          rootCauseCategory: orNull(review.rootCauseCategory),
          wentWell: [...(review.wentWell ?? [])],
          wentBadly: [...(review.wentBadly ?? [])],
          submittedAt: orNull(review.submittedAt),
          submittedBy: orNull(review.submittedBy),
          completedAt: orNull(review.completedAt),
          actionItems: (review.actionItems ?? []).map(workItemEntry),
        }
      : null,
  };
  return lifecycle;
}

export function caseDocument(
  record: CaseRecord,
  timeline: TimelineRecord[],
  notifications: NotificationRecord[],
): CaseDocument {
  const events = [...timeline].sort((a, b) => a.seq - b.seq);
  const issued = [...notifications].sort(byIssueOrder);
  const noteEntry = (event: TimelineRecord): NoteEntry => ({
    seq: event.seq,
    at: event.at,
    level: levelOf(event),
    by: event.by,
    note: event.note,
  });

  // Assignee handoff notices, matched to their `handed_off` event: same instant, same level; names in issue order.
  const handoffEvents = events.filter((event) => event.type === 'handed_off');
  const handoffs: HandoffEntry[] = [];
  const handoffNotices = issued.filter(
    (n) => n.audience === 'assignee' && handoffLevelName(record, n.subject) !== undefined,
  );
  const used = new Map<number, number>();
  for (const notice of handoffNotices) {
    const levelName = handoffLevelName(record, notice.subject);
    const event = handoffEvents.find((e) => e.at === notice.requestedAt && (e.levelName ?? '') === levelName);
    const { names, why } = event ? handoffOf(event) : { names: [], why: null };
    const position = event ? (used.get(event.seq) ?? 0) : 0;
    if (event) used.set(event.seq, position + 1);
    const siblings = event
      ? handoffNotices.filter(
          (n) => n.requestedAt === event.at && handoffLevelName(record, n.subject) === (event.levelName ?? ''),
        ).length
      : 0;
    handoffs.push({
      seq: event?.seq ?? null,
      at: event?.at ?? notice.requestedAt,
      level: event ? levelOf(event) : null,
      why,
      to: {
        // Only trust the names when there is one per notice issued for the handoff.
        name: names.length === siblings ? (names[position] ?? null) : null,
        address: notice.recipient,
        channel: notice.channel,
      },
      subject: notice.subject,
      body: notice.body,
      status: notice.status,
      sentAt: notice.sentAt,
      notificationKey: notice.idempotencyKey,
    });
  }

  // Failed deliveries: the workflow records permanent failures; the notification itself stays pending in the store.
  const failures: DeliveryFailure[] = [];
  const failureOf = new Map<string, { at: string; reason: string }>();
  for (const event of events.filter((e) => e.type === 'notification_failed')) {
    const parsed = deliveryFailureOf(event);
    const candidates = parsed
      ? issued.filter(
          (n) =>
            n.status === 'pending' &&
            !failureOf.has(n.idempotencyKey) &&
            n.channel === parsed.to.channel &&
            n.recipient === parsed.to.address &&
            n.requestedAt <= event.at,
        )
      : [];
    const matched = candidates.at(-1);
    if (matched && parsed) failureOf.set(matched.idempotencyKey, { at: event.at, reason: parsed.reason });
    failures.push({
      seq: event.seq,
      at: event.at,
      level: levelOf(event),
      to: parsed?.to ?? null,
      reason: parsed?.reason ?? null,
      note: event.note,
      notificationKey: matched?.idempotencyKey ?? null,
    });
  }

  const names = new Map<string, string>();
  const nameKey = (channel: string, address: string) => `${channel}\u0000${address}`;
  for (const failure of failures) {
    if (failure.to?.name) names.set(nameKey(failure.to.channel, failure.to.address), failure.to.name);
  }
  for (const handoff of handoffs) {
    if (handoff.to.name !== null) names.set(nameKey(handoff.to.channel, handoff.to.address), handoff.to.name);
  }
  const statusOf = (n: NotificationRecord): DeliveryStatus =>
    n.status === 'sent' ? 'sent' : failureOf.has(n.idempotencyKey) ? 'failed' : 'pending';
  for (const handoff of handoffs) {
    const notice = issued.find((n) => n.idempotencyKey === handoff.notificationKey);
    if (notice) handoff.status = statusOf(notice);
  }

  const notificationEntries: NotificationEntry[] = issued.map((n) => ({
    key: n.idempotencyKey,
    requestedAt: n.requestedAt,
    audience: n.audience,
    to: {
      name:
        names.get(nameKey(n.channel, n.recipient)) ??
        (n.audience === 'reporter' && n.recipient === record.reporterEmail ? record.reporterName : null),
      address: n.recipient,
      channel: n.channel,
    },
    subject: n.subject,
    status: statusOf(n),
    sentAt: n.sentAt,
    failure: failureOf.get(n.idempotencyKey) ?? null,
  }));

  const pauses = pausesOf(events);
  const resolvedEvent = [...events].reverse().find((event) => event.type === 'resolved');
  const lifecycle = record.snapshot ? lifecycleOf(record.snapshot, events, noteEntry) : null;
  // The timeline's note also carries root cause and fix; the snapshot has the summary alone, and those apart.
  const detail = lifecycle?.resolution;
  const resolution =
    detail && (!resolvedEvent || resolvedEvent.at === detail.at)
      ? { by: detail.by, at: detail.at, summary: detail.summary }
      : resolvedEvent
        ? { by: resolvedEvent.by, at: resolvedEvent.at, summary: resolutionOf(resolvedEvent) ?? record.resolution }
        : record.resolvedAt !== null
          ? { by: record.owner, at: record.resolvedAt, summary: record.resolution }
          : null;
  const firstAck = events.find((event) => event.type === 'acknowledged');

  return {
    id: record.id,
    workflowId: record.workflowId,
    title: record.title,
    description: record.description,
    category: record.category,
    priority: record.priority,
    status: record.status,
    matrixVersion: record.matrixVersion,
    reporter: { name: record.reporterName, email: record.reporterEmail },
    raisedAt: record.createdAt,
    attemptedSteps: [...record.attemptedSteps],
    triage: events.find((event) => event.type === 'triaged')?.note ?? null,
    currentLevel: { index: record.levelIndex, name: record.levelName },
    owner: record.owner,
    unowned: record.unowned,
    timeline: events.map((event) => ({
      seq: event.seq,
      at: event.at,
      type: event.type,
      level: levelOf(event),
      by: event.by,
      note: event.note,
    })),
    escalations: escalationsOf(events),
    acknowledgements: events.filter((event) => event.type === 'acknowledged').map(noteEntry),
    handoffs,
    notifications: notificationEntries,
    deliveryFailures: failures,
    comments: events.filter((event) => event.type === 'comment').map(noteEntry),
    pauses,
    resolution,
    durations: {
      toFirstAcknowledgementMs: firstAck ? between(record.createdAt, firstAck.at) : null,
      toResolutionMs: resolution ? between(record.createdAt, resolution.at) : null,
      pausedMs: pauses.reduce((sum, pause) => sum + (pause.durationMs ?? 0), 0),
      levels: stintsOf(events, pauses),
    },
    lifecycle,
  };
}
