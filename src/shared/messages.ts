// Every signal, query and update of the escalation workflow, defined once; API, workflow and tests import these.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CancelReason, EscalationState, EvidenceInput, RootCauseAnalysis, WorkItemState } from './escalation';
import type { Plan, Priority } from './plan';

export interface AcknowledgeInput {
  by: string;
  note?: string;
}

export interface ResolveInput {
  by: string;
  /** What was done, in words everyone involved and the reporter will read. */
  resolution: string;
  /** Root cause category, e.g. `configuration`, `bug`, `third-party`: reports group by it. */
  rootCause?: string;
  fix?: string;
  /** Resolve although blocking tasks are open; the reason is recorded. */
  force?: { reason: string };
}

export interface EscalateInput {
  by: string;
  reason: string;
  /** Level id to jump to; only where the matrix's jump rules allow it. Absent: one level up. */
  to?: string;
}

export interface PauseInput {
  by: string;
  /** One of the matrix's pause reasons, e.g. `waiting-on-customer`. */
  reason: string;
}

export interface ResumeInput {
  by: string;
  note?: string;
}

export interface CommentInput {
  by: string;
  note: string;
}

/** The full case state: status, level, owner, due times, what happens next, and the timeline. */
export const stateQuery = defineQuery<EscalationState>('state');

/**
 * Answers once the case is open (triaged, handed off, reporter told), with that state: what its creator gets back.
 * A query right after start may see the case before its first handoff.
 */
export const openedUpdate = defineUpdate<EscalationState>('opened');

/** Takes ownership at the current level; stops the ack clock, the resolve clock keeps running. */
export const acknowledgeUpdate = defineUpdate<EscalationState, [AcknowledgeInput]>('acknowledge');
/**
 * Records the resolution and tells everyone involved and the reporter; with follow-up in the matrix the reporter is
 * asked for feedback and the case waits for it, otherwise the case completes.
 */
export const resolveUpdate = defineUpdate<EscalationState, [ResolveInput]>('resolve');
/** Manual escalation one level up, with a reason for the next owner. */
export const escalateUpdate = defineUpdate<EscalationState, [EscalateInput]>('escalate');

/** Stops the SLA clocks for one of the matrix's pause reasons (waiting on the customer, ...). */
export const pauseUpdate = defineUpdate<EscalationState, [PauseInput]>('pause');
/** Restarts the clocks; due instants move by the paused (working) time. */
export const resumeUpdate = defineUpdate<EscalationState, [ResumeInput]>('resume');

export interface MigrateInput {
  by: string;
  reason: string;
  /** The compiled matrix the case moves to; its path and current level must exist there. */
  plan: Plan;
}

/** Moves a running case onto another matrix version, explicitly; due times of its level are recomputed. */
export const migratePlanUpdate = defineUpdate<EscalationState, [MigrateInput]>('migratePlan');

/** Adds a note to the timeline; fire-and-forget. */
export const commentSignal = defineSignal<[CommentInput]>('comment');

/** Somebody to own the case, a task or an action item: a person or team id of the case's matrix, or a contact. */
export type AssigneeInput = string | { name: string; email: string };

export interface ReassignInput {
  by: string;
  to: AssigneeInput;
  reason: string;
}

export interface ReprioritiseInput {
  by: string;
  priority: Priority;
  reason: string;
}

export interface CancelInput {
  by: string;
  reason: CancelReason;
  note: string;
  /** The case this one duplicates (reason `duplicate`). */
  duplicateOf?: string;
}

export interface AddTeamInput {
  by: string;
  /** A team id of the case's matrix. */
  team: string;
  note?: string;
}

export interface AddTaskInput {
  by: string;
  title: string;
  owner: AssigneeInput;
  /** ISO instant the task is due. */
  dueAt: string;
  blocking?: boolean;
}

export interface UpdateWorkItemInput {
  by: string;
  /** `T1`, `A2`, ... */
  id: string;
  state: WorkItemState;
  note?: string;
}

export interface SubscribeInput {
  by: string;
  name: string;
  channel: string;
  address: string;
  audience: 'internal' | 'reporter';
}

export interface UnsubscribeInput {
  by: string;
  address: string;
}

export interface FeedbackInput {
  /** The reporter (or who answered on their behalf). */
  by: string;
  score: number;
  comment?: string;
  /** The resolution round a feedback link was sent for; a link from before a reopen no longer counts. */
  round?: number;
}

export interface ReopenInput {
  by: string;
  reason: string;
}

export interface SubmitReviewInput {
  by: string;
  whatHappened: string;
  rootCause: RootCauseAnalysis;
  rootCauseCategory?: string;
  wentWell?: string[];
  wentBadly?: string[];
  actionItems?: { title: string; owner: AssigneeInput; dueAt: string }[];
}

export interface AddActionItemInput {
  by: string;
  title: string;
  owner: AssigneeInput;
  dueAt: string;
}

/** Hands the case to a person or team at its level; due times keep running (reassigning buys no time). */
export const reassignUpdate = defineUpdate<EscalationState, [ReassignInput]>('reassign');
/** Changes the priority; the current level's targets are re-run for it from the level's entry. */
export const reprioritiseUpdate = defineUpdate<EscalationState, [ReprioritiseInput]>('reprioritise');
/** Ends the case as a duplicate or raised in error; everyone involved and the reporter are told. */
export const cancelUpdate = defineUpdate<EscalationState, [CancelInput]>('cancel');
/** Brings another team onto the case: told now, kept informed, may own tasks. */
export const addTeamUpdate = defineUpdate<EscalationState, [AddTeamInput]>('addTeam');
export const addTaskUpdate = defineUpdate<EscalationState, [AddTaskInput]>('addTask');
/** Closes (`done`, `cancelled`) or reopens a task. */
export const updateTaskUpdate = defineUpdate<EscalationState, [UpdateWorkItemInput]>('updateTask');
export const subscribeUpdate = defineUpdate<EscalationState, [SubscribeInput]>('subscribe');
export const unsubscribeUpdate = defineUpdate<EscalationState, [UnsubscribeInput]>('unsubscribe');
/** The reporter's 1-5 score on the resolution: below the matrix's threshold reopens, otherwise closes. */
export const feedbackUpdate = defineUpdate<EscalationState, [FeedbackInput]>('feedback');
/** Reopens a resolved case at the level that resolved it (within the follow-up window). */
export const reopenUpdate = defineUpdate<EscalationState, [ReopenInput]>('reopen');
export const submitReviewUpdate = defineUpdate<EscalationState, [SubmitReviewInput]>('submitReview');
export const addActionItemUpdate = defineUpdate<EscalationState, [AddActionItemInput]>('addActionItem');
export const updateActionItemUpdate = defineUpdate<EscalationState, [UpdateWorkItemInput]>('updateActionItem');

export interface AddEvidenceInput extends EvidenceInput {
  by: string;
}

/** Adds a link or an attachment's metadata to the case record (until the case is closed). */
export const addEvidenceUpdate = defineUpdate<EscalationState, [AddEvidenceInput]>('addEvidence');
