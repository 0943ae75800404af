// The case beyond the ladder, as pure functions like ./transitions: ownership (reassign, reprioritise, cancel),
// coordination (teams, tasks, subscribers, periodic status updates), follow-up (feedback, reopen, close) and the
// post-escalation review with its action items. Here: which lifecycle command is legal when, the steps the workflow
// finishes with fetched facts (reprioritise and reopen need an SLA clock or a new level's facts), follow-up and
// review, and the lifecycle's timers; the commands that need nothing fetched are applied by ./lifecycle-steps.
import { formatDuration } from '../shared/duration';
import {
  OPEN_STATUSES,
  type EscalationState,
  type NextAction,
  type Recipient,
  type Review,
  type WorkItem,
} from '../shared/escalation';
import type { CommandOf, FeedbackInput, UpdateWorkItemInput } from '../shared/messages';
import type { Plan, Priority } from '../shared/plan';
import { dueMoves, type TimelineDetails } from '../shared/timeline';
import { reach } from './directory';
import { nextOnCadence, reporterOf, subscribersOf, withRecipients } from './recipients';
import { type IllegalTransitionError, refuse } from './illegal';
import {
  actionItemNotice,
  feedbackRequestNotice,
  reporterStatusNotice,
  reprioritisedNotice,
  reviewReminderNotice,
  reviewRequestedNotice,
  statusUpdateNotice,
  taskReminderNotice,
} from './lifecycle-notices';
import type { CaseStep } from './case-steps';

/** The commands beyond the ladder (COMMANDS entries with `lifecycle: true`). */
export type LifecycleCommand = CommandOf<
  | 'reassign'
  | 'reprioritise'
  | 'cancel'
  | 'addTeam'
  | 'addTask'
  | 'updateTask'
  | 'subscribe'
  | 'unsubscribe'
  | 'feedback'
  | 'reopen'
  | 'submitReview'
  | 'addActionItem'
  | 'updateActionItem'
  | 'addEvidence'
>;

const iso = (ms: number) => new Date(ms).toISOString();
const isOpen = (state: EscalationState) => OPEN_STATUSES.includes(state.status);

/** Resolved and waiting for the reporter's feedback. */
export const awaitingFeedback = (state: EscalationState) => state.status === 'resolved' && !!state.followUp;

/** Nothing more happens to the case itself: cancelled, closed, or resolved with no follow-up. */
export const isSettled = (state: EscalationState) =>
  state.status === 'cancelled' || state.status === 'closed' || (state.status === 'resolved' && !state.followUp);

/** The run may end: settled, and no review is outstanding (cancelled cases are never reviewed). */
export const isFinished = (state: EscalationState) =>
  isSettled(state) && (state.status === 'cancelled' || !state.review || state.review.status === 'complete');

// ---------------------------------------------------------------- legality

function statusRefusal(
  state: EscalationState,
  command: LifecycleCommand | { kind: string },
): IllegalTransitionError | undefined {
  const kind = command.kind;
  if (kind === 'comment') return undefined;
  const review = kind === 'submitReview' || kind === 'addActionItem' || kind === 'updateActionItem';
  if (review) return undefined; // judged on the review itself
  if (state.status === 'cancelled') return refuse('CaseClosed', `case ${state.id} was cancelled`);
  if (state.status === 'closed') return refuse('CaseClosed', `case ${state.id} is closed`);
  if (kind === 'feedback' || kind === 'reopen') {
    if (isOpen(state)) return refuse('NotResolved', `case ${state.id} is ${state.status}, not resolved`);
    if (!state.followUp) {
      return refuse(
        'FeedbackNotRequested',
        `case ${state.id} was resolved without follow-up (its matrix asks for none); raise a new case instead`,
      );
    }
    const round = kind === 'feedback' ? (command as FeedbackInput).round : undefined;
    if (round !== undefined && round !== state.followUp.round) {
      return refuse(
        'FeedbackNotRequested',
        `this feedback link is for an earlier resolution of case ${state.id}; use the link in the latest message`,
      );
    }
    return undefined;
  }
  if ((kind === 'updateTask' || kind === 'addEvidence') && awaitingFeedback(state)) return undefined;
  if (state.status === 'resolved') return refuse('CaseResolved', `case ${state.id} is already resolved`);
  return undefined;
}

function workItemRefusal(items: WorkItem[], input: UpdateWorkItemInput, what: 'task' | 'action item') {
  const item = items.find((candidate) => candidate.id === input.id);
  const reason = what === 'task' ? 'UnknownTask' : 'UnknownActionItem';
  if (!item) {
    const known = items.map((i) => i.id).join(', ') || 'none';
    return refuse(reason, `there is no ${what} "${input.id}" (${what}s: ${known})`);
  }
  if (item.state === input.state) return refuse('TaskClosed', `${what} ${item.id} is already ${item.state}`);
  return undefined;
}

function reviewRefusal(state: EscalationState, command: LifecycleCommand): IllegalTransitionError | undefined {
  const review = state.review;
  if (!review) {
    return refuse(
      'NoReview',
      isSettled(state)
        ? `case ${state.id} was not selected for a post-escalation review by its matrix`
        : `case ${state.id} has no review yet: reviews open when a case the matrix selects is closed`,
    );
  }
  if (review.status === 'complete') return refuse('ReviewComplete', `the review of case ${state.id} is complete`);
  if (command.kind === 'submitReview' && review.status === 'submitted') {
    return refuse('ReviewSubmitted', `the review of case ${state.id} was submitted by ${review.submittedBy}`);
  }
  if (command.kind === 'updateActionItem') return workItemRefusal(review.actionItems, command, 'action item');
  return undefined;
}

/**
 * A due time must be an instant. Timers compare instants as text, so they are kept in one form (UTC, as
 * `toISOString` writes them): `2030-01-31T12:00:00-05:00` would otherwise sort before an earlier UTC instant.
 */
export const dueInstant = (dueAt: string): string | undefined => {
  const ms = Date.parse(dueAt);
  return Number.isNaN(ms) ? undefined : iso(ms);
};

export function dueTimeRefusal(dueAt: string): IllegalTransitionError | undefined {
  return dueInstant(dueAt) === undefined
    ? refuse('InvalidDueTime', `"${dueAt}" is not an instant: give an ISO 8601 date-time such as 2030-01-31T17:00:00Z`)
    : undefined;
}

type LifecycleKind = LifecycleCommand['kind'];
type Assignee = Parameters<typeof reach>[1];

const unreachable = (plan: Plan, who: Assignee) => {
  const reached = reach(plan, who);
  return typeof reached === 'string' ? refuse('UnknownAssignee', reached) : undefined;
};

function actionItemsRefusal(plan: Plan, items: { owner: Assignee; dueAt: string }[]) {
  for (const item of items) {
    const itemRefusal = dueTimeRefusal(item.dueAt) ?? unreachable(plan, item.owner);
    if (itemRefusal) return itemRefusal;
  }
  return undefined;
}

type Refusal<K extends LifecycleKind> = (
  state: EscalationState,
  plan: Plan,
  command: CommandOf<K>,
) => IllegalTransitionError | undefined;

const noRefusal = () => undefined;

/** What each command asks of the case beyond its status (see statusRefusal); a new command must say, even if nothing. */
const LIFECYCLE_REFUSALS: { readonly [K in LifecycleKind]: Refusal<K> } = {
  reassign: (state, plan, command) => {
    const refusal = unreachable(plan, command.to);
    if (refusal) return refusal;
    const to = reach(plan, command.to) as Exclude<ReturnType<typeof reach>, string>;
    if (state.assignee && state.assignee.kind === to.assignee.kind && state.assignee.id === to.assignee.id) {
      return refuse('AlreadyAssigned', `case ${state.id} is already assigned to ${to.assignee.name}`);
    }
    return undefined;
  },
  reprioritise: (state, _plan, command) =>
    command.priority === state.priority
      ? refuse('SamePriority', `case ${state.id} is already ${state.priority}`)
      : undefined,
  cancel: noRefusal,
  addTeam: (state, plan, command) => {
    if (!Object.prototype.hasOwnProperty.call(plan.teams, command.team)) {
      const known = Object.keys(plan.teams).join(', ') || 'none';
      return refuse('UnknownAssignee', `matrix ${plan.version} has no team "${command.team}" (teams: ${known})`);
    }
    if (state.teams.some((team) => team.id === command.team)) {
      return refuse('TeamAlreadyAdded', `team ${command.team} is already on case ${state.id}`);
    }
    return unreachable(plan, command.team);
  },
  addTask: (_state, plan, command) => dueTimeRefusal(command.dueAt) ?? unreachable(plan, command.owner),
  updateTask: (state, _plan, command) => workItemRefusal(state.tasks, command, 'task'),
  subscribe: (state, _plan, command) =>
    state.subscribers.some((s) => s.channel === command.channel && s.address === command.address)
      ? refuse('AlreadySubscribed', `${command.address} (${command.channel}) already gets updates on ${state.id}`)
      : undefined,
  unsubscribe: (state, _plan, command) =>
    state.subscribers.some((s) => s.address === command.address)
      ? undefined
      : refuse('NotSubscribed', `${command.address} is not subscribed to ${state.id}`),
  feedback: noRefusal,
  reopen: noRefusal,
  submitReview: (state, plan, command) =>
    reviewRefusal(state, command) ?? actionItemsRefusal(plan, command.actionItems ?? []),
  addActionItem: (state, plan, command) => reviewRefusal(state, command) ?? actionItemsRefusal(plan, [command]),
  updateActionItem: (state, _plan, command) => reviewRefusal(state, command),
  addEvidence: noRefusal,
};

/** Why a lifecycle command cannot apply, or undefined when it can. */
export function lifecycleIllegal(
  state: EscalationState,
  plan: Plan,
  command: LifecycleCommand,
): IllegalTransitionError | undefined {
  // Indexed by a union of kinds, the table gives a union of checks, which TypeScript cannot call with the union of
  // commands (it does not tie each kind to its own command); the table's type ties them, so the cast is safe.
  const commandRefusal = LIFECYCLE_REFUSALS[command.kind] as Refusal<LifecycleKind>;
  return statusRefusal(state, command) ?? commandRefusal(state, plan, command);
}

/** Blocking tasks that stop a resolve unless it is forced with a reason. */
export function blockingTasksRefusal(state: EscalationState, forced: boolean): IllegalTransitionError | undefined {
  const blocking = state.tasks.filter((task) => task.state === 'open' && task.blocking);
  if (blocking.length === 0 || forced) return undefined;
  return refuse(
    'BlockingTasksOpen',
    `case ${state.id} has open blocking tasks: ${blocking.map((t) => `${t.id} ${t.title} (${t.owner.name})`).join('; ')}; ` +
      'close them, or resolve with force and a reason',
  );
}

// ---------------------------------------------------------------- steps the workflow finishes with fetched facts

/** Sets the new priority; the workflow then re-times the level for it and calls `reprioritised`. */
export function reprioritise(t: CaseStep, command: Extract<LifecycleCommand, { kind: 'reprioritise' }>): Priority {
  const illegal = lifecycleIllegal(t.state, t.plan, command);
  if (illegal) throw illegal;
  const from = t.state.priority;
  t.state = { ...t.state, priority: command.priority };
  return from;
}

/** Records the new priority with the level's due instants re-run for it; the status-update cadence follows. */
export function reprioritised(
  t: CaseStep,
  command: Extract<LifecycleCommand, { kind: 'reprioritise' }>,
  from: Priority,
  sla: EscalationState['sla'],
): void {
  const before = t.state.sla;
  const policy = t.plan.statusUpdates?.[t.state.priority];
  t.state = {
    ...t.state,
    sla: { ...sla, ...(before.resolveBreachedAt ? { resolveBreachedAt: before.resolveBreachedAt } : {}) },
    statusUpdateAt: policy ? iso(t.now + policy.everyMs) : undefined,
  };
  const moved = [
    before.ackDueAt !== sla.ackDueAt ? `ack due ${before.ackDueAt ?? '-'} -> ${sla.ackDueAt ?? '-'}` : '',
    before.resolveDueAt !== sla.resolveDueAt
      ? `resolve due ${before.resolveDueAt ?? '-'} -> ${sla.resolveDueAt ?? '-'}`
      : '',
  ].filter(Boolean);
  t.record('reprioritised', {
    level: t.state.level,
    by: command.by,
    note: [`${from} -> ${command.priority}: ${command.reason}`, ...moved].join('; '),
    details: { from, to: command.priority, reason: command.reason, due: dueMoves(before, sla) },
  });
  const notice = reprioritisedNotice(t.state, from, command.by, command.reason);
  t.notify(withRecipients(t.state.levelRecipients, subscribersOf(t.state, 'internal')), 'assignee', notice);
}

/** Records a reopen; the workflow then hands the case back to the level that resolved it. Returns the reason. */
export function recordReopen(t: CaseStep, by: string, reason: string, cause: TimelineDetails['reopened']): string {
  const resolution = t.state.resolution;
  const why =
    `reopened: ${reason}. Previous resolution by ${resolution?.by ?? 'unknown'} at ${resolution?.at ?? '-'}: ` +
    `${resolution?.summary ?? '-'}`;
  const policy = t.plan.statusUpdates?.[t.state.priority];
  const { followUp: _followUp, resolvedAt: _resolvedAt, ...rest } = t.state;
  t.state = {
    ...rest,
    status: 'open',
    reopenCount: t.state.reopenCount + 1,
    statusUpdateAt: policy ? iso(t.now + policy.everyMs) : undefined,
  };
  t.record('reopened', { level: resolution?.level ?? t.state.level, by, note: reason, details: cause });
  return why;
}

/** Where a reopened case goes: the level that resolved it. */
export const reopenLevel = (state: EscalationState) => state.resolution?.level.index ?? state.level.index;

/** After a resolution: asks the reporter for feedback when the matrix wants it; otherwise the case is settled. */
export function requestFeedback(t: CaseStep): void {
  const policy = t.plan.followUp;
  if (!policy) {
    openReviewIfSelected(t);
    return;
  }
  const round = t.state.reopenCount;
  t.state = {
    ...t.state,
    statusUpdateAt: undefined,
    followUp: { round, requestedAt: iso(t.now), closesAt: iso(t.now + policy.windowMs) },
  };
  t.record('feedback_requested', {
    level: t.state.level,
    note: `the reporter may rate the resolution until ${t.state.followUp?.closesAt} (${formatDuration(policy.windowMs)}); below ${policy.satisfiedAtLeast} of 5 reopens`,
    details: { closesAt: iso(t.now + policy.windowMs), satisfiedAtLeast: policy.satisfiedAtLeast, round },
  });
  t.notify([reporterOf(t.state, t.plan)], 'reporter', { ...feedbackRequestNotice(t.state), feedbackRound: round });
}

/** Closes a resolved case and opens its review when the matrix selects it. */
export function close(t: CaseStep, why: string, cause: TimelineDetails['closed'], at = iso(t.now)): void {
  const { followUp: _followUp, ...rest } = t.state;
  t.state = { ...rest, status: 'closed', closedAt: at };
  t.record('closed', { at, level: t.state.level, note: why, details: cause });
  openReviewIfSelected(t);
}

/** Why the matrix selects this case for a post-escalation review (empty: not selected). */
export function reviewReasons(state: EscalationState, plan: Plan): string[] {
  const when = plan.review?.when;
  if (!when) return [];
  return [
    when.priorities?.includes(state.priority) ? `priority ${state.priority}` : '',
    when.categories?.includes(state.category) ? `category ${state.category}` : '',
    when.breached && state.breaches > 0 ? `${state.breaches} SLA target(s) missed` : '',
    when.reopened && state.reopenCount > 0 ? `reopened ${state.reopenCount} time(s)` : '',
  ].filter(Boolean);
}

function openReviewIfSelected(t: CaseStep): void {
  const policy = t.plan.review;
  const reasons = reviewReasons(t.state, t.plan);
  if (!policy || reasons.length === 0 || t.state.review) return;
  const named = policy.owner ? reach(t.plan, policy.owner) : undefined;
  const owner =
    named && typeof named !== 'string'
      ? named
      : {
          assignee: { kind: 'contact' as const, id: t.state.level.id ?? t.state.level.name, name: t.state.level.name },
          recipients: t.state.levelRecipients,
        };
  const dueAt = iso(t.now + policy.dueWithinMs);
  const review: Review = {
    reasons,
    owner: owner.assignee,
    recipients: owner.recipients,
    openedAt: iso(t.now),
    dueAt,
    status: 'pending',
    wentWell: [],
    wentBadly: [],
    actionItems: [],
    remindAt: dueAt,
    remindersSent: 0,
  };
  t.state = { ...t.state, review };
  t.record('review_opened', {
    note: `owner ${review.owner.name}, due ${dueAt}: ${reasons.join('; ')}`,
    details: { owner: review.owner.name, dueAt, reasons },
  });
  t.notify(review.recipients, 'assignee', reviewRequestedNotice(t.state, review));
}

// ---------------------------------------------------------------- timers

const earliest = (items: WorkItem[]) =>
  items
    .filter((item) => item.state === 'open' && item.remindAt !== null)
    .sort((a, b) => (a.remindAt as string).localeCompare(b.remindAt as string) || a.id.localeCompare(b.id))[0];

/** The lifecycle's pending timers: status updates, task and action-item reminders, follow-up close, review. */
export function lifecycleCandidates(state: EscalationState): NextAction[] {
  const candidates: NextAction[] = [];
  if (isOpen(state) && state.statusUpdateAt) {
    candidates.push({ action: 'status_update', at: state.statusUpdateAt, reason: 'status' });
  }
  if (!isSettled(state) && state.status !== 'cancelled') {
    const task = earliest(state.tasks);
    if (task) candidates.push({ action: 'task_reminder', at: task.remindAt as string, reason: 'task', item: task.id });
  }
  if (awaitingFeedback(state) && state.followUp) {
    candidates.push({ action: 'close', at: state.followUp.closesAt, reason: 'follow_up' });
  }
  const review = state.review;
  if (review && review.status !== 'complete') {
    if (review.status === 'pending' && review.remindAt) {
      candidates.push({ action: 'review_reminder', at: review.remindAt, reason: 'review' });
    }
    const item = earliest(review.actionItems);
    if (item) {
      candidates.push({
        action: 'action_item_reminder',
        at: item.remindAt as string,
        reason: 'action_item',
        item: item.id,
      });
    }
  }
  return candidates;
}

const itemReminder = (item: WorkItem) => ({
  id: item.id,
  title: item.title,
  owner: item.owner.name,
  dueAt: item.dueAt,
  reminder: item.remindersSent,
});

/** The cadence of task and action-item reminders; ./lifecycle-steps restarts it when an item is reopened. */
export const reminderEveryMs = (plan: Plan) => plan.reminders?.everyMs ?? 86_400_000;

function remind(t: CaseStep, item: WorkItem, at: string): WorkItem {
  return {
    ...item,
    remindersSent: item.remindersSent + 1,
    remindAt: nextOnCadence(at, reminderEveryMs(t.plan), t.now),
  };
}

/** Performs a due lifecycle action, stamped at its instant. */
export function fireLifecycle(t: CaseStep, next: NextAction, at: string): void {
  const s = t.state;
  switch (next.action) {
    case 'status_update': {
      const policy = t.plan.statusUpdates?.[s.priority];
      t.state = { ...s, statusUpdateAt: policy ? nextOnCadence(next.at, policy.everyMs, t.now) : undefined };
      const to = policy?.to ?? [];
      t.record('status_update', { at, level: s.level, note: `sent to ${to.join(', ') || 'nobody'}`, details: { to } });
      const internal: Recipient[] = [
        ...(to.includes('owner') ? s.levelRecipients : []),
        ...(to.includes('teams') ? s.teams.flatMap((team) => team.recipients) : []),
        ...(to.includes('subscribers') ? subscribersOf(s, 'internal') : []),
      ];
      const outside: Recipient[] = [
        ...(to.includes('reporter') ? [reporterOf(s, t.plan)] : []),
        ...(to.includes('subscribers') ? subscribersOf(s, 'reporter') : []),
      ];
      t.notify(withRecipients([], internal), 'stakeholder', statusUpdateNotice(t.state));
      t.notify(withRecipients([], outside), 'reporter', reporterStatusNotice(t.state));
      return;
    }
    case 'task_reminder': {
      const task = s.tasks.find((candidate) => candidate.id === next.item) as WorkItem;
      const reminded = remind(t, task, next.at);
      t.state = { ...s, tasks: s.tasks.map((candidate) => (candidate.id === task.id ? reminded : candidate)) };
      t.record('task_reminder', {
        at,
        level: s.level,
        note: `${task.id} "${task.title}" for ${task.owner.name} due ${task.dueAt}: reminder ${reminded.remindersSent}`,
        details: itemReminder(reminded),
      });
      t.notify(reminded.recipients, 'assignee', taskReminderNotice(t.state, reminded));
      return;
    }
    case 'close': {
      const window = t.plan.followUp ? formatDuration(t.plan.followUp.windowMs) : 'the follow-up window';
      close(t, `no feedback from the reporter within ${window}`, { cause: 'no_feedback' }, at);
      return;
    }
    case 'review_reminder': {
      const review = s.review as Review;
      const updated: Review = {
        ...review,
        remindersSent: review.remindersSent + 1,
        remindAt: nextOnCadence(next.at, t.plan.review?.remindEveryMs ?? reminderEveryMs(t.plan), t.now),
      };
      t.state = { ...s, review: updated };
      t.record('review_reminder', {
        at,
        note: `review due ${review.dueAt}: reminder ${updated.remindersSent} to ${review.owner.name}`,
        details: { owner: review.owner.name, dueAt: review.dueAt, reminder: updated.remindersSent },
      });
      t.notify(updated.recipients, 'assignee', reviewReminderNotice(t.state, updated));
      return;
    }
    case 'action_item_reminder': {
      const review = s.review as Review;
      const item = review.actionItems.find((candidate) => candidate.id === next.item) as WorkItem;
      const reminded = remind(t, item, next.at);
      t.state = {
        ...s,
        review: { ...review, actionItems: review.actionItems.map((c) => (c.id === item.id ? reminded : c)) },
      };
      t.record('action_item_reminder', {
        at,
        note: `${item.id} "${item.title}" for ${item.owner.name} due ${item.dueAt}: reminder ${reminded.remindersSent}`,
        details: itemReminder(reminded),
      });
      t.notify(reminded.recipients, 'assignee', actionItemNotice(t.state, reminded, true));
      return;
    }
    default:
      throw new RangeError(`${next.action} is not a lifecycle action`);
  }
}

export const LIFECYCLE_ACTIONS: ReadonlySet<NextAction['action']> = new Set([
  'status_update',
  'task_reminder',
  'close',
  'review_reminder',
  'action_item_reminder',
]);
