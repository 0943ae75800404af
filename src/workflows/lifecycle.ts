// The case beyond the ladder, as pure functions like ./transitions: ownership (reassign, reprioritise, cancel),
// coordination (teams, tasks, subscribers, periodic status updates), follow-up (feedback, reopen, close) and the
// post-escalation review with its action items. Steps that need an SLA clock or a new level's facts (reprioritise,
// reopen) are finished by the workflow, which fetches those facts first.
import { formatDuration } from '../shared/duration';
import {
  OPEN_STATUSES,
  type EscalationState,
  type NextAction,
  type Recipient,
  type Review,
  type WorkItem,
} from '../shared/escalation';
import type { CommandOf, AddTaskInput, FeedbackInput, UpdateWorkItemInput } from '../shared/messages';
import type { Plan, Priority } from '../shared/plan';
import { dueMoves, type TimelineDetails } from '../shared/timeline';
import { reach } from './directory';
import { nextOnCadence, reporterOf, subscribersOf, withRecipients } from './recipients';
import { type IllegalTransitionError, refuse } from './illegal';
import {
  actionItemNotice,
  assignedNotice,
  cancelledNotice,
  feedbackRequestNotice,
  reporterCancelledNotice,
  reporterStatusNotice,
  reprioritisedNotice,
  reviewReminderNotice,
  reviewRequestedNotice,
  statusUpdateNotice,
  subscribedNotice,
  taskAssignedNotice,
  taskReminderNotice,
  teamAddedNotice,
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

/** Everyone who took part: handed the case, added teams, internal subscribers. */
function involved(state: EscalationState): Recipient[] {
  return withRecipients(
    withRecipients(
      state.handedTo,
      state.teams.flatMap((team) => team.recipients),
    ),
    subscribersOf(state, 'internal'),
  );
}

function reporterSide(state: EscalationState, plan: Plan): Recipient[] {
  return withRecipients([reporterOf(state, plan)], subscribersOf(state, 'reporter'));
}

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
const dueInstant = (dueAt: string): string | undefined => {
  const ms = Date.parse(dueAt);
  return Number.isNaN(ms) ? undefined : iso(ms);
};

function dueTimeRefusal(dueAt: string): IllegalTransitionError | undefined {
  return dueInstant(dueAt) === undefined
    ? refuse('InvalidDueTime', `"${dueAt}" is not an instant: give an ISO 8601 date-time such as 2030-01-31T17:00:00Z`)
    : undefined;
}

/** Why a lifecycle command cannot apply, or undefined when it can. */
export function lifecycleIllegal(
  state: EscalationState,
  plan: Plan,
  command: LifecycleCommand,
): IllegalTransitionError | undefined {
  const byStatus = statusRefusal(state, command);
  if (byStatus) return byStatus;
  const unreachable = (who: Parameters<typeof reach>[1]) => {
    const reached = reach(plan, who);
    return typeof reached === 'string' ? refuse('UnknownAssignee', reached) : undefined;
  };
  switch (command.kind) {
    case 'reassign': {
      const refusal = unreachable(command.to);
      if (refusal) return refusal;
      const to = reach(plan, command.to) as Exclude<ReturnType<typeof reach>, string>;
      if (state.assignee && state.assignee.kind === to.assignee.kind && state.assignee.id === to.assignee.id) {
        return refuse('AlreadyAssigned', `case ${state.id} is already assigned to ${to.assignee.name}`);
      }
      return undefined;
    }
    case 'reprioritise':
      return command.priority === state.priority
        ? refuse('SamePriority', `case ${state.id} is already ${state.priority}`)
        : undefined;
    case 'addTeam': {
      if (!Object.prototype.hasOwnProperty.call(plan.teams, command.team)) {
        const known = Object.keys(plan.teams).join(', ') || 'none';
        return refuse('UnknownAssignee', `matrix ${plan.version} has no team "${command.team}" (teams: ${known})`);
      }
      if (state.teams.some((team) => team.id === command.team)) {
        return refuse('TeamAlreadyAdded', `team ${command.team} is already on case ${state.id}`);
      }
      return unreachable(command.team);
    }
    case 'addTask':
      return dueTimeRefusal(command.dueAt) ?? unreachable(command.owner);
    case 'updateTask':
      return workItemRefusal(state.tasks, command, 'task');
    case 'subscribe':
      return state.subscribers.some((s) => s.channel === command.channel && s.address === command.address)
        ? refuse('AlreadySubscribed', `${command.address} (${command.channel}) already gets updates on ${state.id}`)
        : undefined;
    case 'unsubscribe':
      return state.subscribers.some((s) => s.address === command.address)
        ? undefined
        : refuse('NotSubscribed', `${command.address} is not subscribed to ${state.id}`);
    case 'submitReview':
    case 'addActionItem': {
      const refusal = reviewRefusal(state, command);
      if (refusal) return refusal;
      const items = command.kind === 'submitReview' ? (command.actionItems ?? []) : [command];
      for (const item of items) {
        const itemRefusal = dueTimeRefusal(item.dueAt) ?? unreachable(item.owner);
        if (itemRefusal) return itemRefusal;
      }
      return undefined;
    }
    case 'updateActionItem':
      return reviewRefusal(state, command);
    default:
      return undefined;
  }
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

// ---------------------------------------------------------------- commands that need no new facts

function newWorkItem(
  t: CaseStep,
  id: string,
  input: { title: string; owner: AddTaskInput['owner']; dueAt: string; by: string; blocking?: boolean },
): WorkItem {
  const reached = reach(t.plan, input.owner);
  if (typeof reached === 'string') throw refuse('UnknownAssignee', reached);
  const dueAt = dueInstant(input.dueAt);
  if (dueAt === undefined) throw dueTimeRefusal(input.dueAt) as IllegalTransitionError;
  return {
    id,
    title: input.title,
    owner: reached.assignee,
    recipients: reached.recipients,
    dueAt,
    blocking: input.blocking ?? false,
    state: 'open',
    createdAt: iso(t.now),
    createdBy: input.by,
    // Due already: the first reminder goes out at once (at the next activation), otherwise at the due instant.
    remindAt: dueAt,
    remindersSent: 0,
  };
}

function closeWorkItem(t: CaseStep, item: WorkItem, input: UpdateWorkItemInput): WorkItem {
  if (input.state === 'open') {
    const nextReminder = Date.parse(item.dueAt) > t.now ? item.dueAt : iso(t.now + reminderEveryMs(t.plan));
    const { closedAt: _at, closedBy: _by, ...rest } = item;
    return { ...rest, state: 'open', remindAt: nextReminder, ...(input.note ? { note: input.note } : {}) };
  }
  return {
    ...item,
    state: input.state,
    closedAt: iso(t.now),
    closedBy: input.by,
    remindAt: null,
    ...(input.note ? { note: input.note } : {}),
  };
}

const reminderEveryMs = (plan: Plan) => plan.reminders?.everyMs ?? 86_400_000;

/** Applies a lifecycle command that needs nothing fetched; reprioritise and reopen go through their own steps. */
export function applyLifecycle(t: CaseStep, command: LifecycleCommand): void {
  const illegal = lifecycleIllegal(t.state, t.plan, command);
  if (illegal) throw illegal;
  const now = iso(t.now);
  const s = t.state;
  switch (command.kind) {
    case 'reassign': {
      const reached = reach(t.plan, command.to) as Exclude<ReturnType<typeof reach>, string>;
      const from = s.assignee?.name ?? s.owner ?? s.level.name;
      // An unowned case ran out of last-level reminders (or reached nobody there): its new assignee gets them afresh,
      // from the ack target if that is still ahead, else one interval from now.
      const ackAhead = s.sla.ackDueAt !== undefined && Date.parse(s.sla.ackDueAt) > t.now;
      const reminders = s.unowned
        ? { repeatsSent: 0, repeatAt: ackAhead ? undefined : iso(t.now + t.plan.repeat.everyMs) }
        : {};
      t.state = {
        ...s,
        ...reminders,
        assignee: reached.assignee,
        owner: reached.assignee.name,
        unowned: false,
        assignees: [reached.assignee.id, ...reached.recipients.map((r) => r.name)].filter(
          (v, i, a) => a.indexOf(v) === i,
        ),
        levelRecipients: reached.recipients,
        handedTo: withRecipients(s.handedTo, reached.recipients),
      };
      t.record('reassigned', {
        level: s.level,
        by: command.by,
        note: `${from} -> ${reached.assignee.name}: ${command.reason}`,
        details: { from, to: reached.assignee.name, reason: command.reason },
      });
      t.notify(reached.recipients, 'assignee', assignedNotice(t.state, command.by, command.reason));
      return;
    }
    case 'cancel': {
      t.state = {
        ...s,
        status: 'cancelled',
        paused: null,
        cancellation: {
          by: command.by,
          reason: command.reason,
          note: command.note,
          ...(command.duplicateOf ? { duplicateOf: command.duplicateOf } : {}),
          at: now,
        },
        closedAt: now,
        statusUpdateAt: undefined,
        tasks: s.tasks.map((task) =>
          task.state === 'open'
            ? { ...task, state: 'cancelled', closedAt: now, closedBy: command.by, remindAt: null }
            : task,
        ),
      };
      const duplicate = command.duplicateOf ? ` of ${command.duplicateOf}` : '';
      t.record('cancelled', {
        level: s.level,
        by: command.by,
        note: `${command.reason}${duplicate}: ${command.note}`,
        details: {
          reason: command.reason,
          note: command.note,
          ...(command.duplicateOf ? { duplicateOf: command.duplicateOf } : {}),
        },
      });
      t.notify(involved(t.state), 'stakeholder', cancelledNotice(t.state));
      t.notify(reporterSide(t.state, t.plan), 'reporter', reporterCancelledNotice(t.state));
      return;
    }
    case 'addTeam': {
      const reached = reach(t.plan, command.team) as Exclude<ReturnType<typeof reach>, string>;
      t.state = {
        ...s,
        teams: [
          ...s.teams,
          {
            id: command.team,
            name: reached.assignee.name,
            addedBy: command.by,
            addedAt: now,
            ...(command.note ? { note: command.note } : {}),
            recipients: reached.recipients,
          },
        ],
        handedTo: withRecipients(s.handedTo, reached.recipients),
      };
      t.record('team_added', {
        level: s.level,
        by: command.by,
        note: `${reached.assignee.name}${command.note ? `: ${command.note}` : ''}`,
        details: { team: command.team, name: reached.assignee.name, ...(command.note ? { note: command.note } : {}) },
      });
      t.notify(
        reached.recipients,
        'assignee',
        teamAddedNotice(t.state, reached.assignee.name, command.by, command.note),
      );
      return;
    }
    case 'addTask': {
      const task = newWorkItem(t, `T${s.tasks.length + 1}`, command);
      t.state = { ...s, tasks: [...s.tasks, task], handedTo: withRecipients(s.handedTo, task.recipients) };
      t.record('task_created', {
        level: s.level,
        by: command.by,
        note: `${task.id} "${task.title}" for ${task.owner.name}, due ${task.dueAt}${task.blocking ? ', blocking' : ''}`,
        details: { id: task.id, title: task.title, owner: task.owner.name, dueAt: task.dueAt, blocking: task.blocking },
      });
      t.notify(task.recipients, 'assignee', taskAssignedNotice(t.state, task));
      return;
    }
    case 'updateTask': {
      const tasks = s.tasks.map((task) => (task.id === command.id ? closeWorkItem(t, task, command) : task));
      t.state = { ...s, tasks };
      const task = tasks.find((candidate) => candidate.id === command.id) as WorkItem;
      t.record('task_updated', {
        level: s.level,
        by: command.by,
        note: `${task.id} "${task.title}" ${task.state}${command.note ? `: ${command.note}` : ''}`,
        details: itemUpdate(task, command.note),
      });
      return;
    }
    case 'subscribe': {
      const subscriber = {
        name: command.name,
        channel: command.channel,
        address: command.address,
        audience: command.audience,
        addedBy: command.by,
        addedAt: now,
      };
      t.state = { ...s, subscribers: [...s.subscribers, subscriber] };
      t.record('subscribed', {
        level: s.level,
        by: command.by,
        note: `${command.name} <${command.address}> via ${command.channel} (${command.audience} updates)`,
        details: { name: command.name, channel: command.channel, address: command.address, audience: command.audience },
      });
      const { name, channel, address } = subscriber;
      t.notify(
        [{ name, channel, address }],
        command.audience === 'reporter' ? 'reporter' : 'stakeholder',
        subscribedNotice(t.state, command.by, command.audience),
      );
      return;
    }
    case 'unsubscribe': {
      const gone = s.subscribers.filter((sub) => sub.address === command.address);
      t.state = { ...s, subscribers: s.subscribers.filter((sub) => sub.address !== command.address) };
      t.record('unsubscribed', {
        level: s.level,
        by: command.by,
        note: gone.map((g) => `${g.name} <${g.address}>`).join(', '),
        details: { removed: gone.map(({ name, channel, address }) => ({ name, channel, address })) },
      });
      return;
    }
    case 'feedback': {
      const followUp = s.followUp as NonNullable<EscalationState['followUp']>;
      const threshold = t.plan.followUp?.satisfiedAtLeast ?? 4;
      const satisfied = command.score >= threshold;
      t.state = {
        ...s,
        feedback: [
          ...s.feedback,
          {
            score: command.score,
            ...(command.comment ? { comment: command.comment } : {}),
            by: command.by,
            at: now,
            round: followUp.round,
            satisfied,
          },
        ],
      };
      t.record('feedback_received', {
        level: s.level,
        by: command.by,
        note: `score ${command.score}/5 (${satisfied ? 'satisfied' : `unsatisfied: below ${threshold}`})${command.comment ? `: ${command.comment}` : ''}`,
        details: {
          score: command.score,
          satisfied,
          threshold,
          ...(command.comment ? { comment: command.comment } : {}),
        },
      });
      if (satisfied) {
        close(t, `the reporter is satisfied (score ${command.score}/5)`, { cause: 'satisfied', score: command.score });
      }
      return;
    }
    case 'submitReview': {
      const review = s.review as Review;
      const items = (command.actionItems ?? []).map((item, index) =>
        newWorkItem(t, `A${review.actionItems.length + index + 1}`, { ...item, by: command.by }),
      );
      t.state = {
        ...s,
        review: {
          ...review,
          status: 'submitted',
          whatHappened: command.whatHappened,
          rootCause: command.rootCause,
          ...(command.rootCauseCategory ? { rootCauseCategory: command.rootCauseCategory } : {}),
          wentWell: command.wentWell ?? [],
          wentBadly: command.wentBadly ?? [],
          submittedAt: now,
          submittedBy: command.by,
          actionItems: [...review.actionItems, ...items],
          remindAt: null,
        },
      };
      const rootCause =
        command.rootCause.method === 'five-whys'
          ? `five whys: ${command.rootCause.whys.join(' -> ')}`
          : command.rootCause.analysis;
      t.record('review_submitted', {
        by: command.by,
        note: rootCause,
        details: { method: command.rootCause.method, rootCause },
      });
      announceItems(t, items, command.by);
      completeReviewIfDone(t);
      return;
    }
    case 'addActionItem': {
      const review = s.review as Review;
      const item = newWorkItem(t, `A${review.actionItems.length + 1}`, command);
      t.state = { ...s, review: { ...review, actionItems: [...review.actionItems, item] } };
      announceItems(t, [item], command.by);
      return;
    }
    case 'updateActionItem': {
      const review = s.review as Review;
      const actionItems = review.actionItems.map((item) =>
        item.id === command.id ? closeWorkItem(t, item, command) : item,
      );
      t.state = { ...s, review: { ...review, actionItems } };
      const item = actionItems.find((candidate) => candidate.id === command.id) as WorkItem;
      t.record('action_item_updated', {
        by: command.by,
        note: `${item.id} "${item.title}" ${item.state}${command.note ? `: ${command.note}` : ''}`,
        details: itemUpdate(item, command.note),
      });
      completeReviewIfDone(t);
      return;
    }
    case 'addEvidence': {
      const { kind: _kind, by, ...evidence } = command;
      const known = s.evidence ?? [];
      const item = { id: `E${known.length + 1}`, ...evidence, addedBy: by, addedAt: now };
      t.state = { ...s, evidence: [...known, item] };
      t.record('evidence_added', {
        level: s.level,
        by,
        note: `${item.id} ${item.type} "${item.title}": ${item.url}${item.sha256 ? ` (sha256 ${item.sha256})` : ''}`,
        details: {
          id: item.id,
          type: item.type,
          title: item.title,
          url: item.url,
          ...(item.sha256 ? { sha256: item.sha256 } : {}),
        },
      });
      return;
    }
    case 'reprioritise':
    case 'reopen':
      throw new RangeError(`${command.kind} needs the level's facts: use reprioritise() or reopen()`);
  }
}

const itemUpdate = (item: WorkItem, note: string | undefined) => ({
  id: item.id,
  title: item.title,
  state: item.state,
  ...(note ? { note } : {}),
});

function announceItems(t: CaseStep, items: WorkItem[], by: string): void {
  for (const item of items) {
    t.record('action_item_created', {
      by,
      note: `${item.id} "${item.title}" for ${item.owner.name}, due ${item.dueAt}`,
      details: { id: item.id, title: item.title, owner: item.owner.name, dueAt: item.dueAt },
    });
    t.notify(item.recipients, 'assignee', actionItemNotice(t.state, item));
  }
}

function completeReviewIfDone(t: CaseStep): void {
  const review = t.state.review;
  if (!review || review.status !== 'submitted') return;
  if (review.actionItems.some((item) => item.state === 'open')) return;
  t.state = { ...t.state, review: { ...review, status: 'complete', completedAt: iso(t.now) } };
  const done = review.actionItems.filter((item) => item.state === 'done').length;
  t.record('review_completed', {
    note: `${done} of ${review.actionItems.length} action item(s) done, the rest cancelled`,
    details: { done, total: review.actionItems.length },
  });
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
