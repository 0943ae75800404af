// The escalation case as the workflow holds it and the API returns it: one plain object, published after each step.
import type { Plan, Priority } from './plan';

export type Status = 'open' | 'acknowledged' | 'resolved';

export interface Reporter {
  name: string;
  email: string;
}

/** What the caller asked to escalate; `id` is the case number the reporter sees. */
export interface CaseInput {
  id: string;
  title: string;
  description?: string;
  category: string;
  priority: Priority;
  reporter: Reporter;
  attemptedSteps: string[];
}

export interface EscalationInput {
  case: CaseInput;
  plan: Plan;
}

export interface LevelRef {
  index: number;
  name: string;
}

export type TimelineEventType =
  | 'created'
  | 'reporter_notified'
  | 'handed_off'
  | 'acknowledged'
  | 'escalated'
  | 'repeat_notified'
  | 'unowned'
  | 'resolve_breached'
  | 'comment'
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

export type NextActionKind = 'escalate' | 'repeat' | 'mark_unowned' | 'resolve_breach';

/** What happens next on its own, and exactly when, unless somebody acts first. */
export interface NextAction {
  action: NextActionKind;
  at: string;
  /** The level the case moves to (escalate) or stays at (repeat, breach). */
  level?: LevelRef;
  /** Which target runs out: `ack` or `resolve`, or `repeat` for a last-level re-notification. */
  reason: string;
}

/** Who has been handed the case: everyone told at a handoff, told again at resolution. */
export interface Recipient {
  name: string;
  channel: string;
  address: string;
}

export interface EscalationState {
  id: string;
  title: string;
  description?: string;
  status: Status;
  priority: Priority;
  category: string;
  level: LevelRef;
  /** The person who acknowledged, else the level's name; null when nobody owns it after repeats ran out. */
  owner: string | null;
  unowned: boolean;
  sla: { ackDueAt?: string; resolveDueAt?: string };
  next: NextAction | null;
  matrixVersion: string;
  reporter: Reporter;
  attemptedSteps: string[];
  createdAt: string;
  levelEnteredAt: string;
  acknowledgedAt?: string;
  repeatsSent: number;
  resolvedAt?: string;
  resolution?: { by: string; summary: string };
  handedTo: Recipient[];
  notificationsSent: number;
  timeline: TimelineEvent[];
}

/** The reasons an update is refused; the API answers 409 with this as `reason`. */
export type IllegalTransitionReason = 'CaseResolved' | 'AlreadyAcknowledged' | 'NoHigherLevel';
export const ILLEGAL_TRANSITION = 'IllegalTransition';
