// Every signal, query and update of the escalation workflow, defined once; API, workflow and tests import these.
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  CancelReason,
  EscalationState,
  EvidenceInput,
  IllegalTransitionReason,
  RootCauseAnalysis,
  WorkItemState,
} from './escalation';
import type { Plan, Priority } from './plan';

export interface AcknowledgeInput {
  by: string;
  note?: string;
}

export interface UnacknowledgeInput {
  by: string;
  /** Why the acknowledgement is withdrawn (off shift, wrong team, ...): the level is told. */
  reason: string;
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
/** Withdraws the acknowledgement: the current level is told again and its ack window restarts from now. */
export const unacknowledgeUpdate = defineUpdate<EscalationState, [UnacknowledgeInput]>('unacknowledge');
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

// ---------------------------------------------------------------- the command table

/** Who may act: a calling service, an assignee, a manager, an administrator (each role may do what those before it may). */
export type Role = 'service' | 'agent' | 'manager' | 'admin';

/** Each command's input, by command kind: the argument of its update. */
export interface CommandInputs {
  acknowledge: AcknowledgeInput;
  unacknowledge: UnacknowledgeInput;
  resolve: ResolveInput;
  escalate: EscalateInput;
  pause: PauseInput;
  resume: ResumeInput;
  migrate: MigrateInput;
  reassign: ReassignInput;
  reprioritise: ReprioritiseInput;
  cancel: CancelInput;
  addTeam: AddTeamInput;
  addTask: AddTaskInput;
  updateTask: UpdateWorkItemInput;
  subscribe: SubscribeInput;
  unsubscribe: UnsubscribeInput;
  feedback: FeedbackInput;
  reopen: ReopenInput;
  submitReview: SubmitReviewInput;
  addActionItem: AddActionItemInput;
  updateActionItem: UpdateWorkItemInput;
  addEvidence: AddEvidenceInput;
}

export type CommandKind = keyof CommandInputs;

/** A command as the workflow queues it: its kind and its input (a union of kinds gives a union of commands). */
export type CommandOf<K extends CommandKind> = K extends CommandKind ? { kind: K } & CommandInputs[K] : never;

/** Any command the workflow queues: one of the table's, or a comment (a signal: nobody waits for it). */
export type Command = CommandOf<CommandKind> | ({ kind: 'comment' } & CommentInput);

export interface CommandSpec<K extends CommandKind> {
  update: UpdateDefinition<EscalationState, [CommandInputs[K]]>;
  /** Its HTTP route; `:id` is the case id, other `:params` are fields of the input. */
  route: { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string };
  /** The least role that may send it (issue 15's roles; the feedback route also takes the reporter's signed link). */
  role: Role;
  /** The 409 reasons it can meet, besides the case being closed, cancelled or resolved where that applies. */
  refusals: readonly IllegalTransitionReason[];
  /** Part of the case lifecycle (registered on cases that run it: every case started since generation 1). */
  lifecycle: boolean;
}

/**
 * Every command, once: the workflow registers its handlers from this table, the API builds its routes from it, the
 * simulator sends through it. Adding a command is an entry here, its input above and its transition.
 */
export const COMMANDS: { readonly [K in CommandKind]: CommandSpec<K> } = {
  acknowledge: {
    update: acknowledgeUpdate,
    route: { method: 'POST', path: '/escalations/:id/acknowledge' },
    role: 'agent',
    refusals: ['AlreadyAcknowledged'],
    lifecycle: false,
  },
  unacknowledge: {
    update: unacknowledgeUpdate,
    route: { method: 'POST', path: '/escalations/:id/unacknowledge' },
    role: 'agent',
    refusals: ['NotAcknowledged'],
    lifecycle: false,
  },
  resolve: {
    update: resolveUpdate,
    route: { method: 'POST', path: '/escalations/:id/resolve' },
    role: 'agent',
    refusals: ['BlockingTasksOpen'],
    lifecycle: false,
  },
  escalate: {
    update: escalateUpdate,
    route: { method: 'POST', path: '/escalations/:id/escalate' },
    role: 'agent',
    refusals: ['NoHigherLevel', 'UnknownLevel', 'JumpNotAllowed'],
    lifecycle: false,
  },
  pause: {
    update: pauseUpdate,
    route: { method: 'POST', path: '/escalations/:id/pause' },
    role: 'agent',
    refusals: ['AlreadyPaused', 'PauseReasonNotAllowed'],
    lifecycle: false,
  },
  resume: {
    update: resumeUpdate,
    route: { method: 'POST', path: '/escalations/:id/resume' },
    role: 'agent',
    refusals: ['NotPaused'],
    lifecycle: false,
  },
  migrate: {
    update: migratePlanUpdate,
    route: { method: 'POST', path: '/escalations/:id/migrate' },
    role: 'manager',
    refusals: ['PlanMismatch'],
    lifecycle: false,
  },
  reassign: {
    update: reassignUpdate,
    route: { method: 'POST', path: '/escalations/:id/reassign' },
    role: 'agent',
    refusals: ['UnknownAssignee', 'AlreadyAssigned'],
    lifecycle: true,
  },
  reprioritise: {
    update: reprioritiseUpdate,
    route: { method: 'POST', path: '/escalations/:id/reprioritise' },
    role: 'manager',
    refusals: ['SamePriority'],
    lifecycle: true,
  },
  cancel: {
    update: cancelUpdate,
    route: { method: 'POST', path: '/escalations/:id/cancel' },
    role: 'manager',
    refusals: [],
    lifecycle: true,
  },
  addTeam: {
    update: addTeamUpdate,
    route: { method: 'POST', path: '/escalations/:id/teams' },
    role: 'agent',
    refusals: ['UnknownAssignee', 'TeamAlreadyAdded'],
    lifecycle: true,
  },
  addTask: {
    update: addTaskUpdate,
    route: { method: 'POST', path: '/escalations/:id/tasks' },
    role: 'agent',
    refusals: ['UnknownAssignee', 'InvalidDueTime'],
    lifecycle: true,
  },
  updateTask: {
    update: updateTaskUpdate,
    route: { method: 'PATCH', path: '/escalations/:id/tasks/:taskId' },
    role: 'agent',
    refusals: ['UnknownTask', 'TaskClosed'],
    lifecycle: true,
  },
  subscribe: {
    update: subscribeUpdate,
    route: { method: 'POST', path: '/escalations/:id/subscribers' },
    role: 'agent',
    refusals: ['AlreadySubscribed'],
    lifecycle: true,
  },
  unsubscribe: {
    update: unsubscribeUpdate,
    route: { method: 'DELETE', path: '/escalations/:id/subscribers/:address' },
    role: 'agent',
    refusals: ['NotSubscribed'],
    lifecycle: true,
  },
  feedback: {
    update: feedbackUpdate,
    route: { method: 'POST', path: '/escalations/:id/feedback' },
    role: 'agent',
    refusals: ['NotResolved', 'FeedbackNotRequested'],
    lifecycle: true,
  },
  reopen: {
    update: reopenUpdate,
    route: { method: 'POST', path: '/escalations/:id/reopen' },
    role: 'agent',
    refusals: ['NotResolved', 'FeedbackNotRequested'],
    lifecycle: true,
  },
  submitReview: {
    update: submitReviewUpdate,
    route: { method: 'PUT', path: '/escalations/:id/review' },
    role: 'agent',
    refusals: ['NoReview', 'ReviewSubmitted', 'ReviewComplete', 'UnknownAssignee', 'InvalidDueTime'],
    lifecycle: true,
  },
  addActionItem: {
    update: addActionItemUpdate,
    route: { method: 'POST', path: '/escalations/:id/review/action-items' },
    role: 'agent',
    refusals: ['NoReview', 'ReviewComplete', 'UnknownAssignee', 'InvalidDueTime'],
    lifecycle: true,
  },
  updateActionItem: {
    update: updateActionItemUpdate,
    route: { method: 'PATCH', path: '/escalations/:id/review/action-items/:itemId' },
    role: 'agent',
    refusals: ['NoReview', 'ReviewComplete', 'UnknownActionItem', 'TaskClosed'],
    lifecycle: true,
  },
  addEvidence: {
    update: addEvidenceUpdate,
    route: { method: 'POST', path: '/escalations/:id/evidence' },
    role: 'service',
    refusals: [],
    lifecycle: true,
  },
};

/** Every command kind, in the table's order. */
export const COMMAND_KINDS = Object.keys(COMMANDS) as CommandKind[];
