// What people are told, as plain text: the reporter's receipt, a new owner's handoff, repeats, resolution.
// Pure functions of the case state so the wording is unit-testable and identical on replay.
import type { EscalationState } from '../shared/escalation';
import type { PlanLevel } from '../shared/plan';
import { resolutionModel, templated, type NoticeModel } from './notice-model';

export interface Notice {
  /** The fallback text: sent as it is when the worker has no template of that name. */
  subject: string;
  body: string;
  /** The template that renders this notice (`<audience>/<event>`, see ./notice-model), when the worker has it. */
  template?: string;
  /** What the template is rendered with. */
  model?: NoticeModel;
  /** A reporter's feedback request: the notify activity fills in the signed link for this resolution round. */
  feedbackRound?: number;
  /** A report of undeliverable notifications: its own failure is recorded but not reported again. */
  reportsFailure?: boolean;
}

const tag = (state: EscalationState) => `[${state.id}][${state.priority}]`;

function dueLines(state: EscalationState): string[] {
  const lines: string[] = [];
  if (state.sla.ackDueAt && state.status === 'open') lines.push(`Acknowledge by: ${state.sla.ackDueAt}`);
  if (state.sla.resolveDueAt) lines.push(`Resolve by:     ${state.sla.resolveDueAt}`);
  return lines;
}

function caseSummary(state: EscalationState): string[] {
  return [
    `Case:        ${state.id}`,
    `Title:       ${state.title}`,
    `Priority:    ${state.priority}`,
    `Category:    ${state.category}`,
    `Reported by: ${state.reporter.name} <${state.reporter.email}> at ${state.createdAt}`,
    ...(state.occurredAt ? [`Occurred at: ${state.occurredAt}`] : []),
    '',
    'Description:',
    state.description ?? '(none given)',
    '',
    'Steps already attempted:',
    ...(state.attemptedSteps.length > 0 ? state.attemptedSteps.map((step) => `- ${step}`) : ['(none recorded)']),
    ...((state.evidence ?? []).length > 0
      ? ['', 'Evidence:', ...(state.evidence ?? []).map((item) => `- ${item.id} ${item.title}: ${item.url}`)]
      : []),
  ];
}

function pathSoFar(state: EscalationState): string {
  const levels = state.timeline.filter((event) => event.type === 'handed_off' && event.level);
  return levels.map((event) => `${event.level?.name} (${event.at})`).join(' -> ');
}

export function reporterReceipt(state: EscalationState): Notice {
  return {
    subject: `${tag(state)} We have your case: ${state.title}`,
    body: [
      `Hello ${state.reporter.name},`,
      '',
      `your case number is ${state.id}. Please quote it in any follow-up.`,
      // Reporters hear what happens next and when, never internal team or person names.
      `Our team has it now; you can expect a first response by ${state.sla.ackDueAt}.`,
    ].join('\n'),
    ...templated('reporter/receipt', state),
  };
}

/** `lastLevel`: the level handed to is the path's last (leadership), which gets a short impact summary. */
export function handoffNotice(state: EscalationState, level: PlanLevel, why: string, lastLevel = false): Notice {
  return {
    subject: `${tag(state)} Handoff to ${level.name}: ${state.title}`,
    body: [
      `Case ${state.id} is now with ${level.name}.`,
      `Why: ${why}`,
      '',
      ...caseSummary(state),
      '',
      ...dueLines(state),
      `Path so far: ${pathSoFar(state)}`,
    ].join('\n'),
    ...templated(lastLevel ? 'leadership/handoff' : 'assignee/handoff', state, { why, lastLevel }),
  };
}

export function repeatNotice(state: EscalationState, level: PlanLevel, attempt: number, of: number): Notice {
  return {
    subject: `${tag(state)} Still unacknowledged (reminder ${attempt} of ${of}): ${state.title}`,
    body: [
      `Case ${state.id} is at ${level.name}, the last level, and nobody has acknowledged it.`,
      `This is reminder ${attempt} of ${of}.`,
      '',
      ...caseSummary(state),
      '',
      ...dueLines(state),
    ].join('\n'),
    ...templated('assignee/repeat', state, { attempt, of }),
  };
}

export function unownedNotice(state: EscalationState, level: PlanLevel): Notice {
  return {
    subject: `${tag(state)} UNOWNED: nobody acknowledged ${state.title}`,
    body: [
      `Case ${state.id} ran out of reminders at ${level.name} and is open without an owner.`,
      'It stays open until somebody acknowledges or resolves it.',
      '',
      ...caseSummary(state),
    ].join('\n'),
    ...templated('assignee/unowned', state),
  };
}

export function resolveBreachNotice(state: EscalationState, level: PlanLevel): Notice {
  return {
    subject: `${tag(state)} Resolve target missed: ${state.title}`,
    body:
      `Case ${state.id} was not resolved by its resolve target at ${level.name}` +
      ` (due ${state.sla.resolveDueAt}). It stays with ${state.owner ?? level.name}.`,
    ...templated('assignee/resolve-breach', state),
  };
}

/** A heads-up before a target runs out: to the owner, or to the next level that would get the case. */
export function breachWarningNotice(
  state: EscalationState,
  level: PlanLevel,
  target: 'ack' | 'resolve',
  dueAt: string,
  upcoming?: PlanLevel,
  isLastLevel = false,
): Notice {
  const what = target === 'ack' ? 'acknowledged' : 'resolved';
  // At the top there is nobody to escalate to: say what really happens (reminders, then unowned; or a breach).
  const otherwise = isLastLevel
    ? target === 'ack'
      ? `it is still with ${level.name}, the last level: reminders follow, then it is marked unowned`
      : `the resolve target at ${level.name}, the last level, is missed and reported`
    : `it is escalated from ${level.name}`;
  return {
    subject: `${tag(state)} ${upcoming ? `May come to ${upcoming.name}` : 'Due soon'}: ${state.title}`,
    body: [
      upcoming
        ? `Case ${state.id} is with ${level.name} and moves to ${upcoming.name} at ${dueAt} unless it is ${what} by then.`
        : `Case ${state.id} must be ${what} by ${dueAt}, or ${otherwise}.`,
      '',
      ...caseSummary(state),
    ].join('\n'),
    ...(upcoming
      ? templated('stakeholder/upcoming-warning', state, { target, dueAt, upcoming: upcoming.name })
      : templated('assignee/breach-warning', state, { target, dueAt, lastLevel: isLastLevel })),
  };
}

/** How a reporter hears of a resolution (with or without a feedback request after it): no internal names. */
export function resolvedForReporter(state: EscalationState): string[] {
  return [
    `Hello ${state.reporter.name},`,
    '',
    `your case ${state.id} was resolved at ${state.resolvedAt}.`,
    '',
    'What we did:',
    state.resolution?.summary ?? '',
    '',
  ];
}

/** The reporter's version of the resolution: plain words, no internal names. */
export function reporterResolutionNotice(state: EscalationState): Notice {
  return {
    subject: `${tag(state)} Resolved: ${state.title}`,
    body: [...resolvedForReporter(state), `If the problem is not solved, reply quoting ${state.id}.`].join('\n'),
    ...templated('reporter/resolution', state, { resolution: resolutionModel(state) }),
  };
}

export function resolutionNotice(state: EscalationState): Notice {
  return {
    subject: `${tag(state)} Resolved: ${state.title}`,
    body: [
      `Case ${state.id} was resolved by ${state.resolution?.by} at ${state.resolvedAt}.`,
      '',
      'Resolution:',
      state.resolution?.summary ?? '',
      ...(state.resolution?.rootCause ? ['', `Root cause: ${state.resolution.rootCause}`] : []),
      ...(state.resolution?.fix ? [`Fix: ${state.resolution.fix}`] : []),
      ...(state.resolution?.forced ? [`Resolved with blocking tasks open: ${state.resolution.forced}`] : []),
    ].join('\n'),
    ...templated('stakeholder/resolution', state, { resolution: resolutionModel(state) }),
  };
}

/** Told to the level's owner on another channel when a notification could not be delivered at all. */
export function deliveryFailedNotice(state: EscalationState, failures: string[]): Notice {
  return {
    subject: `${tag(state)} Could not deliver ${failures.length} notification(s): ${state.title}`,
    body: [
      `These notifications about case ${state.id} could not be delivered and will not be retried:`,
      ...failures.map((failure) => `- ${failure}`),
      '',
      'Please reach those people another way, and fix their contact points in the matrix.',
    ].join('\n'),
    ...templated('assignee/delivery-failed', state, { failures }),
  };
}
