// What people are told around ownership, coordination and follow-up: reassignments, tasks, status updates, the
// reporter's feedback request, reviews and their action items. Pure, like ./notices; reporter wording never names
// internal people, teams or levels.
import type { EscalationState, Review, WorkItem } from '../shared/escalation';
import { FEEDBACK_URL_PLACEHOLDER, type TemplateName } from '../shared/notifications';
import { cancellationModel, resolutionModel, reviewModel, templated, workItemModel } from './notice-model';
import { resolvedForReporter, type Notice } from './notices';

const tag = (state: EscalationState) => `[${state.id}][${state.priority}]`;

function dueLine(state: EscalationState): string {
  if (state.paused) return `SLA clocks paused since ${state.paused.since} (${state.paused.reason}).`;
  if (state.status === 'open' && state.sla.ackDueAt) return `Acknowledge by ${state.sla.ackDueAt}.`;
  return state.sla.resolveDueAt ? `Resolve by ${state.sla.resolveDueAt}.` : '';
}

function openTasks(state: EscalationState): string[] {
  const open = state.tasks.filter((task) => task.state === 'open');
  if (open.length === 0) return ['Open tasks: none'];
  return [
    'Open tasks:',
    ...open.map((t) => `- ${t.id} ${t.title} (${t.owner.name}, due ${t.dueAt}${t.blocking ? ', blocking' : ''})`),
  ];
}

export function assignedNotice(state: EscalationState, by: string, reason: string): Notice {
  return {
    subject: `${tag(state)} Assigned to you: ${state.title}`,
    body: [
      `Case ${state.id} is now assigned to ${state.assignee?.name ?? state.owner} at ${state.level.name}, by ${by}.`,
      `Why: ${reason}`,
      '',
      `Reported by ${state.reporter.name} <${state.reporter.email}> at ${state.createdAt}.`,
      state.description ?? '(no description given)',
      '',
      `Status: ${state.status}. ${dueLine(state)}`,
      ...openTasks(state),
    ].join('\n'),
    ...templated('assignee/assigned', state, { by, why: reason }),
  };
}

export function reprioritisedNotice(state: EscalationState, from: string, by: string, reason: string): Notice {
  return {
    subject: `${tag(state)} Priority ${from} -> ${state.priority}: ${state.title}`,
    body: [
      `${by} changed the priority of case ${state.id} from ${from} to ${state.priority}: ${reason}`,
      `The targets of ${state.level.name} now count for ${state.priority}. ${dueLine(state)}`,
    ].join('\n'),
    ...templated('assignee/reprioritised', state, { from, by, reason }),
  };
}

export function cancelledNotice(state: EscalationState): Notice {
  const c = state.cancellation;
  const duplicate = c?.duplicateOf ? ` of ${c.duplicateOf}` : '';
  return {
    subject: `${tag(state)} Cancelled (${c?.reason}${duplicate}): ${state.title}`,
    body: [
      `Case ${state.id} was cancelled by ${c?.by} at ${c?.at}: ${c?.reason}${duplicate}.`,
      c?.note ?? '',
      'No further action is needed on it.',
    ].join('\n'),
    ...templated('stakeholder/cancelled', state, { cancellation: cancellationModel(state) }),
  };
}

export function reporterCancelledNotice(state: EscalationState): Notice {
  const c = state.cancellation;
  return {
    subject: `${tag(state)} Case closed: ${state.title}`,
    body: [
      `Hello ${state.reporter.name},`,
      '',
      c?.reason === 'duplicate'
        ? `your case ${state.id} duplicates case ${c.duplicateOf ?? 'another case'}, which we are working on; we closed ${state.id} so you hear from us in one place.`
        : `your case ${state.id} was closed because it was raised in error.`,
      `If you still need help, reply quoting ${state.id}.`,
    ].join('\n'),
    ...templated('reporter/cancelled', state, { cancellation: cancellationModel(state) }),
  };
}

export function teamAddedNotice(state: EscalationState, team: string, by: string, note?: string): Notice {
  return {
    subject: `${tag(state)} Your team is needed on: ${state.title}`,
    body: [
      `${by} added ${team} to case ${state.id}, which ${state.owner ?? state.level.name} owns at ${state.level.name}.`,
      ...(note ? [`Why: ${note}`] : []),
      '',
      state.description ?? '(no description given)',
      '',
      ...openTasks(state),
    ].join('\n'),
    ...templated('assignee/team-added', state, { team, by, note }),
  };
}

export function taskAssignedNotice(state: EscalationState, task: WorkItem): Notice {
  return {
    subject: `${tag(state)} Task ${task.id} for you: ${task.title}`,
    body: [
      `${task.createdBy} asks ${task.owner.name} to do this on case ${state.id} (${state.title}):`,
      task.title,
      `Due: ${task.dueAt}${task.blocking ? ' (the case cannot be resolved until this is done)' : ''}`,
      `Case owner: ${state.owner ?? state.level.name} at ${state.level.name}.`,
    ].join('\n'),
    ...templated('assignee/task', state, { task: workItemModel(task), by: task.createdBy }),
  };
}

export function taskReminderNotice(state: EscalationState, task: WorkItem): Notice {
  return {
    subject: `${tag(state)} Task ${task.id} overdue: ${task.title}`,
    body: [
      `Task ${task.id} on case ${state.id} was due at ${task.dueAt} and is still open (reminder ${task.remindersSent}).`,
      task.title,
      `Owner: ${task.owner.name}. Mark it done or cancelled when it is.`,
    ].join('\n'),
    ...templated('assignee/task-reminder', state, { task: workItemModel(task) }),
  };
}

/** `audience`: a subscriber outside the organisation gets the reporter's wording when templates render it. */
export function subscribedNotice(
  state: EscalationState,
  by: string,
  audience: 'internal' | 'reporter' = 'internal',
): Notice {
  const template: TemplateName = audience === 'reporter' ? 'reporter/subscribed' : 'stakeholder/subscribed';
  return {
    subject: `${tag(state)} You will get updates on: ${state.title}`,
    body: `${by} subscribed you to status updates on case ${state.id} (${state.title}), now ${state.status}.`,
    ...templated(template, state, { by }),
  };
}

export function statusUpdateNotice(state: EscalationState): Notice {
  const acked = state.acknowledgedAt ? `acknowledged at ${state.acknowledgedAt}` : 'not yet acknowledged';
  const latest = state.timeline.filter((event) => event.type !== 'status_update').slice(-3);
  const recent = latest.map((event) => `- ${event.at} ${event.type}${event.note ? `: ${event.note}` : ''}`);
  const recentModel = latest.map(({ at, type, note }) => ({ at, type, ...(note !== undefined ? { note } : {}) }));
  return {
    subject: `${tag(state)} Status: ${state.status} at ${state.level.name}: ${state.title}`,
    body: [
      `Case ${state.id} is ${state.status} at ${state.level.name}, owner ${state.owner ?? 'nobody'}, ${acked}.`,
      dueLine(state),
      ...openTasks(state),
      '',
      'Latest:',
      ...recent,
    ].join('\n'),
    ...templated('stakeholder/status-update', state, { recent: recentModel }),
  };
}

export function reporterStatusNotice(state: EscalationState): Notice {
  return {
    subject: `${tag(state)} Update on your case: ${state.title}`,
    body: [
      `Hello ${state.reporter.name},`,
      '',
      state.paused
        ? `your case ${state.id} is on hold while we wait for something we need to continue.`
        : `your case ${state.id} is being worked on${state.acknowledgedAt ? '' : ' and will be picked up shortly'}.`,
      `We will keep you posted. Please quote ${state.id} in any follow-up.`,
    ].join('\n'),
    ...templated('reporter/status-update', state),
  };
}

export function feedbackRequestNotice(state: EscalationState): Notice {
  return {
    subject: `${tag(state)} Resolved: ${state.title}. How did we do?`,
    body: [
      ...resolvedForReporter(state),
      'Is the problem solved? Please rate our help from 1 (not at all) to 5 (completely):',
      FEEDBACK_URL_PLACEHOLDER,
      `If it is not solved, a low score reopens the case. Without an answer by ${state.followUp?.closesAt}, we close it.`,
    ].join('\n'),
    ...templated('reporter/feedback-request', state, {
      resolution: resolutionModel(state),
      ...(state.followUp ? { followUp: { closesAt: state.followUp.closesAt } } : {}),
    }),
  };
}

export function reviewRequestedNotice(state: EscalationState, review: Review): Notice {
  const escalations = state.timeline.filter((e) => e.type === 'escalated').length;
  return {
    subject: `${tag(state)} Post-escalation review due ${review.dueAt}: ${state.title}`,
    body: [
      `Case ${state.id} needs a post-escalation review by ${review.dueAt} (${review.reasons.join('; ')}).`,
      `Owner: ${review.owner.name}.`,
      'Record what happened, the root cause (five whys or a free analysis), what went well and badly, and action',
      'items with owners and due dates.',
      '',
      `Resolution: ${state.resolution?.summary ?? '(none)'}`,
      `Escalations: ${escalations}; SLA targets missed: ${state.breaches}; reopened: ${state.reopenCount}.`,
    ].join('\n'),
    ...templated('assignee/review-requested', state, {
      review: reviewModel(review),
      resolution: resolutionModel(state),
      escalations,
    }),
  };
}

export function reviewReminderNotice(state: EscalationState, review: Review): Notice {
  return {
    subject: `${tag(state)} Review overdue: ${state.title}`,
    body: `The post-escalation review of case ${state.id} was due at ${review.dueAt} and is not submitted (reminder ${review.remindersSent}).`,
    ...templated('assignee/review-reminder', state, { review: reviewModel(review) }),
  };
}

export function actionItemNotice(state: EscalationState, item: WorkItem, reminder = false): Notice {
  return {
    subject: `${tag(state)} ${reminder ? 'Action item overdue' : 'Action item for you'} ${item.id}: ${item.title}`,
    body: [
      reminder
        ? `Action item ${item.id} from the review of case ${state.id} was due at ${item.dueAt} and is still open (reminder ${item.remindersSent}).`
        : `The review of case ${state.id} (${state.title}) gives ${item.owner.name} an action item, due ${item.dueAt}:`,
      item.title,
    ].join('\n'),
    ...templated(reminder ? 'assignee/action-item-reminder' : 'assignee/action-item', state, {
      item: workItemModel(item),
    }),
  };
}
