// The escalation case as the workflow holds it and the API returns it: one plain object, published after each step.
import type { Plan, Priority, Urgency } from './plan';

export type Status = 'open' | 'acknowledged' | 'resolved';

export interface Reporter {
  name: string;
  email: string;
}

/** What triage rules look at besides category, tags and urgency. */
export interface Impact {
  usersAffected?: number;
  revenueAtRisk?: number;
  legalThreat?: boolean;
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
}

export interface EscalationInput {
  case: CaseInput;
  /** The compiled matrix, pinned for the life of the case (older shapes are upgraded on read). */
  plan: Plan;
}

export interface LevelRef {
  index: number;
  /** The level's id in the matrix (absent on cases started before paths existed). */
  id?: string;
  name: string;
}

export type TimelineEventType =
  | 'created'
  | 'triaged'
  | 'reporter_notified'
  | 'handed_off'
  | 'level_skipped'
  | 'acknowledged'
  | 'escalated'
  | 'breach_warning'
  | 'repeat_notified'
  | 'unowned'
  | 'resolve_breached'
  | 'paused'
  | 'resumed'
  | 'comment'
  | 'plan_migrated'
  | 'notification_failed'
  | 'resolved';

export interface TimelineEvent {
  seq: number;
  at: string;
  type: TimelineEventType;
  level?: LevelRef;
  by?: string;
  note?: string;
}

export type NextActionKind = 'escalate' | 'warn' | 'repeat' | 'mark_unowned' | 'resolve_breach';

/** What happens next on its own, and exactly when, unless somebody acts first. */
export interface NextAction {
  action: NextActionKind;
  at: string;
  /** The level the case moves to (escalate) or stays at (warn, repeat, breach). */
  level?: LevelRef;
  /** Which target it concerns: `ack` or `resolve`, or `repeat` for a last-level re-notification. */
  reason: 'ack' | 'resolve' | 'repeat';
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
  acknowledgedAt?: string;
  repeatsSent: number;
  /** When the next last-level reminder (or the unowned mark) is due, counted from the SLA instant. */
  repeatAt?: string;
  resolvedAt?: string;
  resolution?: { by: string; summary: string };
  /** Who was handed the case at the current level: reminders and warnings go to them. */
  levelRecipients: Recipient[];
  handedTo: Recipient[];
  notificationsSent: number;
  timeline: TimelineEvent[];
}

/** The reasons an update is refused; the API answers 409 with this as `reason`. */
export type IllegalTransitionReason =
  | 'CaseResolved'
  | 'AlreadyAcknowledged'
  | 'NoHigherLevel'
  | 'JumpNotAllowed'
  | 'UnknownLevel'
  | 'AlreadyPaused'
  | 'NotPaused'
  | 'PauseReasonNotAllowed'
  | 'PlanMismatch';
export const ILLEGAL_TRANSITION = 'IllegalTransition';
