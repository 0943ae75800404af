// Every signal, query and update of the escalation workflow, defined once; API, workflow and tests import these.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EscalationState } from './escalation';

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
}

export interface CommentInput {
  by: string;
  note: string;
}

/** The full case state: status, level, owner, due times, what happens next, and the timeline. */
export const stateQuery = defineQuery<EscalationState>('state');

/** Takes ownership at the current level; stops the ack clock, the resolve clock keeps running. */
export const acknowledgeUpdate = defineUpdate<EscalationState, [AcknowledgeInput]>('acknowledge');
/** Records the resolution, tells everyone who was handed the case and the reporter, and completes the case. */
export const resolveUpdate = defineUpdate<EscalationState, [ResolveInput]>('resolve');
/** Manual escalation one level up, with a reason for the next owner. */
export const escalateUpdate = defineUpdate<EscalationState, [EscalateInput]>('escalate');

/** Adds a note to the timeline; fire-and-forget. */
export const commentSignal = defineSignal<[CommentInput]>('comment');
