// Every signal, query and update of the escalation workflow, defined once; API, workflow and tests import these.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EscalationState } from './escalation';
import type { Plan } from './plan';

export interface AcknowledgeInput {
  by: string;
  note?: string;
}

export interface ResolveInput {
  by: string;
  resolution: string;
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
/** Records the resolution, tells everyone who was handed the case and the reporter, and completes the case. */
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
