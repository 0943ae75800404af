// The lifecycle commands that need nothing fetched, one step function each, and `applyLifecycle` that picks the step
// by the command's kind. Reprioritise and reopen need an SLA clock or a level's facts: the workflow finishes them with
// the steps in ./lifecycle, which also holds the legality checks every command passes first.
import type { EscalationState, Recipient, Review, SlaTimes, WorkItem } from '../shared/escalation';
import type { AddTaskInput, CommandOf, UpdateWorkItemInput } from '../shared/messages';
import type { Plan } from '../shared/plan';
import { dueMoves } from '../shared/timeline';
import type { CaseStep } from './case-steps';
import { reach } from './directory';
import { restartAckWindow } from './level-facts';
import { type IllegalTransitionError, refuse } from './illegal';
import {
  close,
  dueInstant,
  dueTimeRefusal,
  lifecycleIllegal,
  reminderEveryMs,
  type LifecycleCommand,
} from './lifecycle';
import {
  actionItemNotice,
  assignedNotice,
  cancelledNotice,
  reporterCancelledNotice,
  subscribedNotice,
  taskAssignedNotice,
  teamAddedNotice,
} from './lifecycle-notices';
import { reporterOf, subscribersOf, withRecipients } from './recipients';

/** The lifecycle commands `applyLifecycle` finishes by itself. */
type StepKind = Exclude<LifecycleCommand['kind'], 'reprioritise' | 'reopen'>;
type Step<K extends StepKind> = (t: CaseStep, command: CommandOf<K>) => void;

const iso = (ms: number) => new Date(ms).toISOString();

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

/**
 * With `ack` (the level's times from now: cases on generation 4 and later, while open) the new assignee gets a full
 * ack window from the reassignment; without, the level's ack due time keeps running.
 */
export function reassign(t: CaseStep, command: CommandOf<'reassign'>, ack?: SlaTimes): void {
  const s = t.state;
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
    assignees: [reached.assignee.id, ...reached.recipients.map((r) => r.name)].filter((v, i, a) => a.indexOf(v) === i),
    levelRecipients: reached.recipients,
    handedTo: withRecipients(s.handedTo, reached.recipients),
  };
  if (ack) t.state = restartAckWindow(t.state, t.now, ack);
  const due = dueMoves(s.sla, t.state.sla);
  const moved = due.ack ? `; ack due ${due.ack.from ?? 'none'} -> ${due.ack.to ?? 'none'}` : '';
  t.record('reassigned', {
    level: s.level,
    by: command.by,
    note: `${from} -> ${reached.assignee.name}: ${command.reason}${moved}`,
    details: { from, to: reached.assignee.name, reason: command.reason, ...(ack ? { due } : {}) },
  });
  t.notify(reached.recipients, 'assignee', assignedNotice(t.state, command.by, command.reason));
}

function cancel(t: CaseStep, command: CommandOf<'cancel'>): void {
  const s = t.state;
  const now = iso(t.now);
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
}

function addTeam(t: CaseStep, command: CommandOf<'addTeam'>): void {
  const s = t.state;
  const now = iso(t.now);
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
  t.notify(reached.recipients, 'assignee', teamAddedNotice(t.state, reached.assignee.name, command.by, command.note));
}

function addTask(t: CaseStep, command: CommandOf<'addTask'>): void {
  const s = t.state;
  const task = newWorkItem(t, `T${s.tasks.length + 1}`, command);
  t.state = { ...s, tasks: [...s.tasks, task], handedTo: withRecipients(s.handedTo, task.recipients) };
  t.record('task_created', {
    level: s.level,
    by: command.by,
    note: `${task.id} "${task.title}" for ${task.owner.name}, due ${task.dueAt}${task.blocking ? ', blocking' : ''}`,
    details: { id: task.id, title: task.title, owner: task.owner.name, dueAt: task.dueAt, blocking: task.blocking },
  });
  t.notify(task.recipients, 'assignee', taskAssignedNotice(t.state, task));
}

function updateTask(t: CaseStep, command: CommandOf<'updateTask'>): void {
  const s = t.state;
  const tasks = s.tasks.map((task) => (task.id === command.id ? closeWorkItem(t, task, command) : task));
  t.state = { ...s, tasks };
  const task = tasks.find((candidate) => candidate.id === command.id) as WorkItem;
  t.record('task_updated', {
    level: s.level,
    by: command.by,
    note: `${task.id} "${task.title}" ${task.state}${command.note ? `: ${command.note}` : ''}`,
    details: itemUpdate(task, command.note),
  });
}

function subscribe(t: CaseStep, command: CommandOf<'subscribe'>): void {
  const s = t.state;
  const now = iso(t.now);
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
}

function unsubscribe(t: CaseStep, command: CommandOf<'unsubscribe'>): void {
  const s = t.state;
  const gone = s.subscribers.filter((sub) => sub.address === command.address);
  t.state = { ...s, subscribers: s.subscribers.filter((sub) => sub.address !== command.address) };
  t.record('unsubscribed', {
    level: s.level,
    by: command.by,
    note: gone.map((g) => `${g.name} <${g.address}>`).join(', '),
    details: { removed: gone.map(({ name, channel, address }) => ({ name, channel, address })) },
  });
}

function receiveFeedback(t: CaseStep, command: CommandOf<'feedback'>): void {
  const s = t.state;
  const now = iso(t.now);
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
}

function submitReview(t: CaseStep, command: CommandOf<'submitReview'>): void {
  const s = t.state;
  const now = iso(t.now);
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
}

function addActionItem(t: CaseStep, command: CommandOf<'addActionItem'>): void {
  const s = t.state;
  const review = s.review as Review;
  const item = newWorkItem(t, `A${review.actionItems.length + 1}`, command);
  t.state = { ...s, review: { ...review, actionItems: [...review.actionItems, item] } };
  announceItems(t, [item], command.by);
}

function updateActionItem(t: CaseStep, command: CommandOf<'updateActionItem'>): void {
  const s = t.state;
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
}

function addEvidence(t: CaseStep, command: CommandOf<'addEvidence'>): void {
  const s = t.state;
  const now = iso(t.now);
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
}

/** Keyed by every kind of StepKind, so a new lifecycle command does not compile until it has a step here. */
const LIFECYCLE_STEPS: { readonly [K in StepKind]: Step<K> } = {
  reassign,
  cancel,
  addTeam,
  addTask,
  updateTask,
  subscribe,
  unsubscribe,
  feedback: receiveFeedback,
  submitReview,
  addActionItem,
  updateActionItem,
  addEvidence,
};

/** Applies a lifecycle command that needs nothing fetched; reprioritise and reopen go through their own steps. */
export function applyLifecycle(t: CaseStep, command: LifecycleCommand): void {
  const illegal = lifecycleIllegal(t.state, t.plan, command);
  if (illegal) throw illegal;
  if (command.kind === 'reprioritise' || command.kind === 'reopen') {
    throw new RangeError(`${command.kind} needs the level's facts: use reprioritise() or reopen()`);
  }
  // Indexed by a union of kinds, the table gives a union of steps, which TypeScript cannot call with the union of
  // commands (it does not tie each kind to its own command); the table's type ties them, so the cast is safe.
  const step = LIFECYCLE_STEPS[command.kind] as Step<StepKind>;
  step(t, command);
}
