// What people are told around ownership, coordination and follow-up: reassignments, tasks, status updates, the
// reporter's feedback request, reviews and their action items. Pure, like ./notices; reporter wording never names
// internal people, teams or levels.
import type { EscalationState, Review, WorkItem } from '../shared/escalation';
import type { Notice } from './notices';

const tag = (state: EscalationState) => `[${state.id}][${state.priority}]`;

/** Filled in by the notify activity with the signed link for this resolution round. */
export const FEEDBACK_URL_PLACEHOLDER = '{{feedback_url}}';

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
  };
}

export function reprioritisedNotice(state: EscalationState, from: string, by: string, reason: string): Notice {
  return {
    subject: `${tag(state)} Priority ${from} -> ${state.priority}: ${state.title}`,
    body: [
      `${by} changed the priority of case ${state.id} from ${from} to ${state.priority}: ${reason}`,
      `The targets of ${state.level.name} now count for ${state.priority}. ${dueLine(state)}`,
    ].join('\n'),
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
  };
}

export function subscribedNotice(state: EscalationState, by: string): Notice {
  return {
    subject: `${tag(state)} You will get updates on: ${state.title}`,
    body: `${by} subscribed you to status updates on case ${state.id} (${state.title}), now ${state.status}.`,
  };
}

export function statusUpdateNotice(state: EscalationState): Notice {
  const acked = state.acknowledgedAt ? `acknowledged at ${state.acknowledgedAt}` : 'not yet acknowledged';
  const recent = state.timeline
    .filter((event) => event.type !== 'status_update')
    .slice(-3)
    .map((event) => `- ${event.at} ${event.type}${event.note ? `: ${event.note}` : ''}`);
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
  };
}

export function feedbackRequestNotice(state: EscalationState): Notice {
  return {
    subject: `${tag(state)} Resolved: ${state.title}. How did we do?`,
    body: [
      `Hello ${state.reporter.name},`,
      '',
      `your case ${state.id} was resolved at ${state.resolvedAt}.`,
      '',
      'What we did:',
      state.resolution?.summary ?? '',
      '',
      'Is the problem solved? Please rate our help from 1 (not at all) to 5 (completely):',
      FEEDBACK_URL_PLACEHOLDER,
      `If it is not solved, a low score reopens the case. Without an answer by ${state.followUp?.closesAt}, we close it.`,
    ].join('\n'),
  };
}

export function reviewRequestedNotice(state: EscalationState, review: Review): Notice {
  return {
    subject: `${tag(state)} Post-escalation review due ${review.dueAt}: ${state.title}`,
    body: [
      `Case ${state.id} needs a post-escalation review by ${review.dueAt} (${review.reasons.join('; ')}).`,
      `Owner: ${review.owner.name}.`,
      'Record what happened, the root cause (five whys or a free analysis), what went well and badly, and action',
      'items with owners and due dates.',
      '',
      `Resolution: ${state.resolution?.summary ?? '(none)'}`,
      `Escalations: ${state.timeline.filter((e) => e.type === 'escalated').length}; SLA targets missed: ${state.breaches}; reopened: ${state.reopenCount}.`,
    ].join('\n'),
  };
}

export function reviewReminderNotice(state: EscalationState, review: Review): Notice {
  return {
    subject: `${tag(state)} Review overdue: ${state.title}`,
    body: `The post-escalation review of case ${state.id} was due at ${review.dueAt} and is not submitted (reminder ${review.remindersSent}).`,
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
  };
}
