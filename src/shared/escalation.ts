// The escalation case as the workflow holds it and the API returns it: one plain object, published after each step.
import type { Plan, Priority, Urgency } from './plan';

/**
 * `resolved` waits for the reporter's feedback (when the matrix asks for it); `closed` and `cancelled` are final.
 * Without follow-up in the matrix a case ends at `resolved`.
 */
export type Status = 'open' | 'acknowledged' | 'resolved' | 'closed' | 'cancelled';
export const STATUSES: readonly Status[] = ['open', 'acknowledged', 'resolved', 'closed', 'cancelled'];
export const OPEN_STATUSES: readonly Status[] = ['open', 'acknowledged'];

export interface Reporter {
  name: string;
  email: string;
  /** IANA zone the reporter's messages show times in (e.g. `Europe/Berlin`); UTC when absent. */
  timeZone?: string;
}

/** What triage rules look at besides category, tags and urgency. */
export interface Impact {
  usersAffected?: number;
  revenueAtRisk?: number;
  legalThreat?: boolean;
}

/** A piece of evidence: a link (a log search, a screenshot in a ticket) or an attachment's metadata (the file itself
 * stays in the system that holds it; `url` points there). */
export interface EvidenceInput {
  type: 'link' | 'attachment';
  title: string;
  url: string;
  contentType?: string;
  sizeBytes?: number;
  /** Hex SHA-256 of an attachment, so an audit can show the file was not changed. */
  sha256?: string;
  note?: string;
}

export interface Evidence extends EvidenceInput {
  /** `E1`, `E2`, ... */
  id: string;
  addedBy: string;
  addedAt: string;
}

/** What the caller asked to escalate; `id` is the case number the reporter sees. */
export interface CaseInput {
  id: string;
  title: string;
  description?: string;
  category: string;
  /** The caller's priority; triage rules may set another. */
  priority?: Priority;
  tags?: string[];
  impact?: Impact;
  urgency?: Urgency;
  reporter: Reporter;
  attemptedSteps: string[];
  /** When the problem started, if earlier than when it was raised (ISO instant). */
  occurredAt?: string;
  evidence?: EvidenceInput[];
}

export interface EscalationInput {
  case: CaseInput;
  /** The compiled matrix, pinned for the life of the case (older shapes are upgraded on read). */
  plan: Plan;
  /** Set by continue-as-new: the case as the previous run left it (its timeline a recent tail). */
  continued?: EscalationState;
  /** Continue-as-new once the run's history has this many events (or when the server suggests it). */
  historyLimit?: number;
  /**
   * When the API accepted the case (ISO instant, the API's clock): the case is created, and its first level's SLA
   * clock starts, then, however long the first workflow task waits in a busy queue. Absent: the first task's time.
   */
  raisedAt?: string;
  /**
   * The workflow-code generation the case started on (WORKFLOW_GENERATION at the starter). A case started on the
   * current generation runs every change that went through `patched` without asking its history: no patch markers
   * (and no TemporalChangeVersion upserts) in each new case's history. Absent: a case from before generations.
   */
  generation?: number;
  /** How long a step's record may keep failing before the case flags it (record_delayed); default 5 minutes. */
  recordPatienceMs?: number;
}

/**
 * Generation 3: notifications in the background, the case lifecycle, and one record activity per step, all on.
 * Generation 4: a reassignment restarts the ack window for the new assignee.
 * Raise it, and check it in the workflow, when a later `patched` change is folded in the same way.
 */
export const WORKFLOW_GENERATION = 4;

export type { LevelRef, TimelineEvent, TimelineEventType } from './timeline';
import type { LevelRef, TimelineEvent } from './timeline';

export type NextActionKind =
  | 'escalate'
  | 'warn'
  | 'repeat'
  | 'mark_unowned'
  | 'resolve_breach'
  | 'status_update'
  | 'task_reminder'
  | 'close'
  | 'review_reminder'
  | 'action_item_reminder';

/** What happens next on its own, and exactly when, unless somebody acts first. */
export interface NextAction {
  action: NextActionKind;
  at: string;
  /** The level the case moves to (escalate) or stays at (warn, repeat, breach). */
  level?: LevelRef;
  /**
   * Which target it concerns: `ack` or `resolve`, `repeat` for a last-level re-notification; `status` (periodic
   * update), `task`/`action_item` (a reminder about `item`), `follow_up` (no feedback: close), `review`.
   */
  reason: 'ack' | 'resolve' | 'repeat' | 'status' | 'task' | 'action_item' | 'follow_up' | 'review';
  /** The task or action item a reminder is about. */
  item?: string;
}

/** Who has been handed the case: everyone told at a handoff, told again at resolution. */
export interface Recipient {
  name: string;
  channel: string;
  address: string;
}

/** Due instants of the current level's targets, computed by the SLA clock when the level was entered. */
export interface SlaTimes {
  ackDueAt?: string;
  resolveDueAt?: string;
  ackWarnAt?: string;
  resolveWarnAt?: string;
  /** How each target counts at this level: `calendar`, `business` or `after-hours`. */
  ackBasis?: string;
  resolveBasis?: string;
  /** Set once a missed resolve target at the last level has been reported. */
  resolveBreachedAt?: string;
}

export interface TriageResult {
  rule: string;
  path: string;
  priority: Priority;
}

export interface Pause {
  since: string;
  reason: string;
  by: string;
}

/** A person or team of the case's matrix, or an outside contact, that owns something on the case. */
export interface Assignee {
  /** `person`/`team`: an id of the matrix; `contact`: somebody outside it, reached at `recipients`. */
  kind: 'person' | 'team' | 'contact';
  id: string;
  name: string;
}

export type WorkItemState = 'open' | 'done' | 'cancelled';

/** A task on an open case (`T1`, `T2`, ...) or an action item of its review (`A1`, ...): owned, due, reminded. */
export interface WorkItem {
  id: string;
  title: string;
  owner: Assignee;
  recipients: Recipient[];
  dueAt: string;
  /** Tasks only: the case cannot be resolved while a blocking task is open, unless forced with a reason. */
  blocking: boolean;
  state: WorkItemState;
  createdAt: string;
  createdBy: string;
  closedAt?: string;
  closedBy?: string;
  note?: string;
  /** Next reminder to the owner; null once the item is closed (or when no further reminder is due). */
  remindAt: string | null;
  remindersSent: number;
}

export interface CaseTeam {
  id: string;
  name: string;
  addedBy: string;
  addedAt: string;
  note?: string;
  recipients: Recipient[];
}

export interface Subscriber extends Recipient {
  /** `internal` gets internal wording; `reporter` gets what a reporter may read (no internal names). */
  audience: 'internal' | 'reporter';
  addedBy: string;
  addedAt: string;
}

export interface Resolution {
  by: string;
  summary: string;
  rootCause?: string;
  fix?: string;
  at: string;
  /** The level that resolved it: a reopened case goes back there. */
  level: LevelRef;
  /** Set when the case was resolved with blocking tasks still open. */
  forced?: string;
}

export interface Feedback {
  score: number;
  comment?: string;
  by: string;
  at: string;
  /** Which resolution it rates (0 for the first, 1 after one reopen, ...). */
  round: number;
  satisfied: boolean;
}

export interface FollowUp {
  round: number;
  requestedAt: string;
  /** The case closes at this instant unless the reporter answers (or somebody reopens it) first. */
  closesAt: string;
}

export type RootCauseAnalysis = { method: 'five-whys'; whys: string[] } | { method: 'free'; analysis: string };

export interface Review {
  /** Why the matrix selected this case for review. */
  reasons: string[];
  owner: Assignee;
  recipients: Recipient[];
  openedAt: string;
  dueAt: string;
  status: 'pending' | 'submitted' | 'complete';
  whatHappened?: string;
  rootCause?: RootCauseAnalysis;
  rootCauseCategory?: string;
  wentWell: string[];
  wentBadly: string[];
  submittedAt?: string;
  submittedBy?: string;
  completedAt?: string;
  actionItems: WorkItem[];
  /** Next reminder to the review owner while the review is not submitted. */
  remindAt: string | null;
  remindersSent: number;
}

export interface Cancellation {
  by: string;
  reason: CancelReason;
  note: string;
  duplicateOf?: string;
  at: string;
}

export const CANCEL_REASONS = ['duplicate', 'raised-in-error'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export interface EscalationState {
  id: string;
  title: string;
  description?: string;
  status: Status;
  priority: Priority;
  category: string;
  tags: string[];
  triage?: TriageResult;
  level: LevelRef;
  /** The person who acknowledged, else the level's name; null when nobody owns it after repeats ran out. */
  owner: string | null;
  unowned: boolean;
  sla: SlaTimes;
  /** Which breach warnings of the current level were sent. */
  warned: { ack: boolean; resolve: boolean };
  paused: Pause | null;
  /** Paused intervals since the current level was entered; the SLA clock skips them. */
  pauses: { start: string; end: string }[];
  next: NextAction | null;
  matrixVersion: string;
  matrixVersionName?: string;
  reporter: Reporter;
  attemptedSteps: string[];
  createdAt: string;
  levelEnteredAt: string;
  /**
   * Where the current ack window started when it restarted inside the level (an unacknowledge, a reassignment);
   * absent: at `levelEnteredAt`. The resolve target always counts from the level's entry.
   */
  ackWindowFrom?: string;
  acknowledgedAt?: string;
  repeatsSent: number;
  /** When the next last-level reminder (or the unowned mark) is due, counted from the SLA instant. */
  repeatAt?: string;
  resolvedAt?: string;
  resolution?: Resolution;
  /** Who the case is assigned to by a reassign; absent: the current level (its targets) owns it. */
  assignee?: Assignee;
  /** Ids (people, teams, rotations) responsible now: the level's targets or the assignee, plus added teams. */
  assignees: string[];
  teams: CaseTeam[];
  tasks: WorkItem[];
  subscribers: Subscriber[];
  /** When the next periodic status update goes out (per the matrix's policy for the priority). */
  statusUpdateAt?: string;
  /** How many SLA targets were missed (automatic escalations, resolve breaches at the top). */
  breaches: number;
  followUp?: FollowUp;
  feedback: Feedback[];
  reopenCount: number;
  cancellation?: Cancellation;
  closedAt?: string;
  review?: Review;
  occurredAt?: string;
  /** Absent on cases started before evidence was recorded. */
  evidence?: Evidence[];
  /** Events recorded over the case's life; the timeline held here may be a recent tail after continue-as-new. */
  eventsRecorded: number;
  /** Runs of this case's workflow so far (continue-as-new starts the next one). */
  runs: number;
  /** Who was handed the case at the current level: reminders and warnings go to them. */
  levelRecipients: Recipient[];
  handedTo: Recipient[];
  notificationsSent: number;
  timeline: TimelineEvent[];
}

/** What a new case holds beyond its facts: nobody assigned yet, no teams, tasks, subscribers, feedback or review. */
export function emptyLifecycle(): Pick<
  EscalationState,
  'assignees' | 'teams' | 'tasks' | 'subscribers' | 'breaches' | 'feedback' | 'reopenCount' | 'eventsRecorded' | 'runs'
> {
  return {
    assignees: [],
    teams: [],
    tasks: [],
    subscribers: [],
    breaches: 0,
    feedback: [],
    reopenCount: 0,
    eventsRecorded: 0,
    runs: 1,
  };
}

/** The reasons an update is refused; the API answers 409 with this as `reason`. */
export type IllegalTransitionReason =
  | 'CaseResolved'
  | 'AlreadyAcknowledged'
  | 'NotAcknowledged'
  | 'NoHigherLevel'
  | 'JumpNotAllowed'
  | 'UnknownLevel'
  | 'AlreadyPaused'
  | 'NotPaused'
  | 'PauseReasonNotAllowed'
  | 'PlanMismatch'
  | 'CaseClosed'
  | 'NotResolved'
  | 'UnknownAssignee'
  | 'AlreadyAssigned'
  | 'SamePriority'
  | 'TeamAlreadyAdded'
  | 'UnknownTask'
  | 'TaskClosed'
  | 'BlockingTasksOpen'
  | 'AlreadySubscribed'
  | 'NotSubscribed'
  | 'FeedbackNotRequested'
  | 'NoReview'
  | 'ReviewSubmitted'
  | 'ReviewComplete'
  | 'UnknownActionItem'
  | 'InvalidDueTime';
export const ILLEGAL_TRANSITION = 'IllegalTransition';

/**
 * What a command meets on a case whose run has ended (its updates are gone with the run): the refusal a live run
 * would give at that status. Undefined for a status a run does not end in.
 */
export function finishedRefusal(
  status: Status,
  caseId: string,
): { reason: IllegalTransitionReason; message: string } | undefined {
  if (status === 'resolved') return { reason: 'CaseResolved', message: `case ${caseId} is already resolved` };
  if (status === 'closed') return { reason: 'CaseClosed', message: `case ${caseId} is closed` };
  if (status === 'cancelled') return { reason: 'CaseClosed', message: `case ${caseId} was cancelled` };
  return undefined;
}
