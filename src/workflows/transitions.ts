// The escalation state machine as pure functions over one case: the workflow fetches the facts a step needs
// (SLA due instants, recipients), calls these, and runs the resulting side effects through activities.
import { formatDuration } from '../shared/duration';
import {
  emptyLifecycle,
  OPEN_STATUSES,
  type CaseInput,
  type EscalationState,
  type IllegalTransitionReason,
  type LevelRef,
  type NextAction,
  type Recipient,
  type SlaTimes,
  type TimelineEvent,
} from '../shared/escalation';
import type { Plan, PlanLevel, PlanPath, TargetSpec } from '../shared/plan';
import { dueMoves } from '../shared/timeline';
import { CaseStep, type OutgoingNotification } from './case-steps';
import { restartAckWindow, type LevelFacts } from './level-facts';
import {
  breachWarningNotice,
  handoffNotice,
  repeatNotice,
  reporterReceipt,
  reporterResolutionNotice,
  resolutionNotice,
  resolveBreachNotice,
  unownedNotice,
  type Notice,
} from './notices';
import { triage } from '../shared/triage';
import { levelAssignees } from './directory';
import { IllegalTransitionError } from './illegal';
import {
  blockingTasksRefusal,
  fireLifecycle,
  LIFECYCLE_ACTIONS,
  lifecycleCandidates,
  lifecycleIllegal,
  requestFeedback,
  type LifecycleCommand,
} from './lifecycle';
import { nextOnCadence, reporterOf, subscribersOf, withRecipients } from './recipients';

import type { Command } from '../shared/messages';
export type { Command };

export interface Decision {
  state: EscalationState;
  events: TimelineEvent[];
  notifications: OutgoingNotification[];
}

export { IllegalTransitionError };

const iso = (ms: number) => new Date(ms).toISOString();
const later = (a: string, b: string) => (a > b ? a : b);

export function pathOf(state: EscalationState, plan: Plan): PlanPath {
  const path = plan.paths[state.triage?.path ?? plan.defaultPath];
  if (!path) throw new RangeError(`plan ${plan.version} has no path "${state.triage?.path ?? plan.defaultPath}"`);
  return path;
}

export function levelAt(path: PlanPath, index: number): PlanLevel {
  const level = path.levels[index];
  if (!level) throw new RangeError(`level ${index} is not on path ${path.id} (${path.levels.length} levels)`);
  return level;
}

export function levelRef(path: PlanPath, index: number): LevelRef {
  const level = levelAt(path, index);
  return { index, id: level.id, name: level.name };
}

const isLastLevel = (path: PlanPath, index: number) => index === path.levels.length - 1;

/** A step on the ladder: a CaseStep that knows the case's path and level and decides what is due next. */
export class Transition extends CaseStep {
  get path(): PlanPath {
    return pathOf(this.state, this.plan);
  }

  get level(): PlanLevel {
    return levelAt(this.path, this.state.level.index);
  }

  decision(): Decision {
    this.state.next = computeNext(this.state, this.plan);
    return { state: this.state, events: this.events, notifications: this.notifications };
  }
}

/** Creates the case and records its triage; the caller then enters the start level with that level's facts. */
export function openCase(input: CaseInput, plan: Plan, now: number): { transition: Transition; startIndex: number } {
  const triaged = triage(input, plan);
  const initial: EscalationState = {
    id: input.id,
    title: input.title,
    ...(input.description !== undefined ? { description: input.description } : {}),
    status: 'open',
    priority: triaged.priority,
    category: input.category,
    tags: input.tags ?? [],
    triage: { rule: triaged.rule.id, path: triaged.path.id, priority: triaged.priority },
    level: levelRef(triaged.path, triaged.startIndex),
    owner: null,
    unowned: false,
    sla: {},
    warned: { ack: false, resolve: false },
    paused: null,
    pauses: [],
    next: null,
    matrixVersion: plan.version,
    ...(plan.versionName !== undefined ? { matrixVersionName: plan.versionName } : {}),
    reporter: input.reporter,
    attemptedSteps: input.attemptedSteps,
    createdAt: iso(now),
    levelEnteredAt: iso(now),
    repeatsSent: 0,
    levelRecipients: [],
    handedTo: [],
    notificationsSent: 0,
    timeline: [],
    ...emptyLifecycle(),
    ...(input.occurredAt !== undefined ? { occurredAt: input.occurredAt } : {}),
    evidence: (input.evidence ?? []).map((item, index) => ({
      id: `E${index + 1}`,
      ...item,
      addedBy: input.reporter.name,
      addedAt: iso(now),
    })),
  };
  const policy = plan.statusUpdates?.[triaged.priority];
  if (policy) initial.statusUpdateAt = iso(now + policy.everyMs);
  const t = new Transition(initial, plan, now);
  t.record('created', {
    by: input.reporter.name,
    note: input.title,
    details: { title: input.title, reporter: input.reporter.name },
  });
  const start = levelAt(triaged.path, triaged.startIndex);
  const given = input.priority === undefined ? 'none given' : `given ${input.priority}`;
  t.record('triaged', {
    note: `rule ${triaged.rule.id}: ${triaged.priority} (${given}), path ${triaged.path.name}, starts at ${start.name}`,
    details: {
      rule: triaged.rule.id,
      priority: triaged.priority,
      given: input.priority ?? null,
      path: triaged.path.id,
      startLevel: levelRef(triaged.path, triaged.startIndex),
    },
  });
  return { transition: t, startIndex: triaged.startIndex };
}

/** Why the case starts where it does, for the first owner's handoff. */
export function startReason(state: EscalationState, plan: Plan, startIndex: number): string {
  if (startIndex === 0) return 'new case';
  const level = levelAt(pathOf(state, plan), startIndex);
  return `new ${state.priority} case (triage rule ${state.triage?.rule ?? 'default'}); the matrix starts it at ${level.name}`;
}

/** The reporter learns the case number and when to expect a first response; sent once the first owner has it. */
export function notifyReporter(t: Transition): void {
  t.notify([reporterOf(t.state, t.plan)], 'reporter', reporterReceipt(t.state));
  t.record('reporter_notified', {
    note: `case number ${t.state.id}; first response by ${t.state.sla.ackDueAt ?? 'the level\u2019s next opening'}`,
    details: { caseNumber: t.state.id, firstResponseBy: t.state.sla.ackDueAt ?? null },
  });
}

/**
 * Hands the case to a level with its facts. A level that reaches nobody (nobody on call, no contacts) is recorded
 * and skipped: the caller moves on to the next one. The last level is entered anyway, flagged unowned.
 */
export function enterLevel(t: Transition, index: number, why: string, facts: LevelFacts): 'entered' | 'skipped' {
  const path = t.path;
  const level = levelAt(path, index);
  const ref = levelRef(path, index);
  if (facts.recipients.length === 0 && !isLastLevel(path, index)) {
    t.record('level_skipped', {
      level: ref,
      note: `nobody reachable at ${level.name}: ${facts.nobody.join('; ')}`,
      details: { nobody: facts.nobody },
    });
    return 'skipped';
  }
  const pauseEnded = t.state.paused?.reason;
  const resumed = pauseEnded !== undefined ? ` (pause "${pauseEnded}" ends)` : '';
  t.state = {
    ...t.state,
    status: 'open',
    level: ref,
    owner: level.name,
    unowned: false,
    levelEnteredAt: iso(t.now),
    ackWindowFrom: undefined,
    acknowledgedAt: undefined,
    sla: facts.sla,
    warned: { ack: false, resolve: false },
    paused: null,
    pauses: [],
    repeatsSent: 0,
    repeatAt: undefined,
    levelRecipients: facts.recipients,
    handedTo: withRecipients(t.state.handedTo, facts.recipients),
    assignee: undefined,
    assignees: levelAssignees(level, facts.recipients),
  };
  if (facts.recipients.length === 0) {
    t.state = { ...t.state, owner: null, unowned: true };
    t.record('unowned', {
      level: ref,
      note: `nobody reachable at ${level.name}, the last level: ${facts.nobody.join('; ')}`,
      details: { cause: 'nobody_reachable', nobody: facts.nobody },
    });
    return 'entered';
  }
  const names = facts.recipients.map((r) => r.name);
  t.record('handed_off', {
    level: ref,
    note: `${names.join(', ')}: ${why}${resumed}`,
    details: { recipients: names, reason: why, ...(pauseEnded !== undefined ? { pauseEnded } : {}) },
  });
  t.notify(facts.recipients, 'assignee', handoffNotice(t.state, level, why, isLastLevel(path, index)));
  return 'entered';
}

/** How a move up came about: a missed SLA target at its due instant, or somebody's decision with a reason. */
export type EscalationCause =
  { trigger: 'ack_target' | 'resolve_target'; dueAt: string } | { trigger: 'manual'; by: string; reason: string };

/** Records a move up (automatic or manual) before the caller enters the new level. */
export function recordEscalation(t: Transition, to: number, why: string, cause: EscalationCause): void {
  const from = t.state.level;
  const level = levelRef(t.path, to);
  if (cause.trigger === 'manual') {
    t.record('escalated', {
      level,
      note: why,
      by: cause.by,
      details: { trigger: 'manual', from, to: level, reason: cause.reason, jumped: to > from.index + 1 },
    });
    return;
  }
  // An automatic escalation is a missed SLA target; reviews and reports count them.
  t.state = { ...t.state, breaches: t.state.breaches + 1 };
  t.record('escalated', {
    level,
    note: why,
    at: later(cause.dueAt, t.state.timeline.at(-1)?.at ?? cause.dueAt),
    details: { trigger: cause.trigger, from, to: level, dueAt: cause.dueAt, reason: why },
  });
}

function describeTarget(target: TargetSpec, basis: string | undefined): string {
  if (target.kind === 'calendar') return formatDuration(target.ms);
  if (basis === 'after-hours' && target.afterHoursMs !== undefined) {
    return `${formatDuration(target.afterHoursMs)} (raised after hours)`;
  }
  return `${formatDuration(target.ms)} of ${target.calendar} business time`;
}

/** Why the automatic escalation that is due happens, in words for the next owner. */
export function automaticEscalationReason(state: EscalationState, plan: Plan): string {
  const level = levelAt(pathOf(state, plan), state.level.index);
  const targets = level.sla[state.priority];
  return state.next?.reason === 'resolve'
    ? `not resolved by ${level.name} within ${describeTarget(targets.resolve, state.sla.resolveBasis)} of handoff (resolve target)`
    : `not acknowledged by ${level.name} within ${describeTarget(targets.ack, state.sla.ackBasis)} (ack target)`;
}

/** Where a command or the due action moves the case, or undefined when it stays at its level. */
export function escalationTarget(state: EscalationState, plan: Plan, command?: Command): number | undefined {
  if (command === undefined) return state.next?.action === 'escalate' ? state.next.level?.index : undefined;
  if (command.kind !== 'escalate') return undefined;
  if (command.to === undefined) return state.level.index + 1;
  return pathOf(state, plan).levels.findIndex((level) => level.id === command.to);
}

function jumpAllowed(state: EscalationState, plan: Plan, toId: string): boolean {
  const fromId = levelAt(pathOf(state, plan), state.level.index).id;
  return plan.jumps.some(
    (rule) =>
      rule.to === toId &&
      (rule.from === undefined || rule.from.includes(fromId)) &&
      (rule.categories === undefined || rule.categories.includes(state.category)) &&
      (rule.priorities === undefined || rule.priorities.includes(state.priority)),
  );
}

/** Why a command cannot apply to this state, or undefined when it can. */
export function illegalReason(
  state: EscalationState,
  plan: Plan,
  command: Command,
): IllegalTransitionError | undefined {
  const refuse = (reason: IllegalTransitionReason, message: string) => new IllegalTransitionError(reason, message);
  if (isLifecycle(command)) return lifecycleIllegal(state, plan, command);
  if (state.status === 'cancelled' && command.kind !== 'comment') {
    return refuse('CaseClosed', `case ${state.id} was cancelled`);
  }
  if (state.status === 'closed' && command.kind !== 'comment') {
    return refuse('CaseClosed', `case ${state.id} is closed`);
  }
  if (state.status === 'resolved' && command.kind !== 'comment') {
    return refuse('CaseResolved', `case ${state.id} is already resolved`);
  }
  const path = pathOf(state, plan);
  switch (command.kind) {
    case 'resolve':
      return blockingTasksRefusal(state, command.force !== undefined);
    case 'acknowledge':
      if (state.status === 'acknowledged') {
        return refuse(
          'AlreadyAcknowledged',
          `case ${state.id} was already acknowledged by ${state.owner} at ${state.acknowledgedAt}`,
        );
      }
      return undefined;
    case 'unacknowledge':
      return state.status === 'acknowledged'
        ? undefined
        : refuse(
            'NotAcknowledged',
            `case ${state.id} is not acknowledged (it is ${state.status}); nothing to withdraw`,
          );
    case 'escalate': {
      if (command.to === undefined) {
        if (isLastLevel(path, state.level.index)) {
          return refuse(
            'NoHigherLevel',
            `case ${state.id} is at ${state.level.name}, the last level of the matrix; there is nobody higher to escalate to`,
          );
        }
        return undefined;
      }
      const to = path.levels.findIndex((level) => level.id === command.to);
      if (to < 0) {
        const known = path.levels.map((level) => level.id).join(', ');
        return refuse('UnknownLevel', `path ${path.id} has no level "${command.to}" (levels: ${known})`);
      }
      if (to <= state.level.index) {
        return refuse(
          'JumpNotAllowed',
          `level ${command.to} is not above ${state.level.name}; escalation only goes up`,
        );
      }
      if (to > state.level.index + 1 && !jumpAllowed(state, plan, command.to)) {
        return refuse(
          'JumpNotAllowed',
          `the matrix does not allow a ${state.priority} ${state.category} case to jump from ${state.level.name} to ` +
            `${levelAt(path, to).name}; escalate one level at a time or ask the matrix owner for a jump rule`,
        );
      }
      return undefined;
    }
    case 'pause':
      if (state.paused) {
        return refuse(
          'AlreadyPaused',
          `case ${state.id} is already paused since ${state.paused.since} (${state.paused.reason})`,
        );
      }
      if (!plan.pauseReasons.includes(command.reason)) {
        const allowed =
          plan.pauseReasons.length > 0 ? plan.pauseReasons.join(', ') : 'none: this matrix allows no pauses';
        return refuse(
          'PauseReasonNotAllowed',
          `"${command.reason}" is not a pause reason of this matrix (allowed: ${allowed})`,
        );
      }
      return undefined;
    case 'resume':
      return state.paused ? undefined : refuse('NotPaused', `case ${state.id} is not paused`);
    case 'migrate': {
      if (command.plan.version === state.matrixVersion) {
        return refuse('PlanMismatch', `case ${state.id} already runs on matrix ${state.matrixVersion}`);
      }
      const target = migrationTarget(state, command.plan);
      return typeof target === 'string' ? refuse('PlanMismatch', target) : undefined;
    }
    default:
      return undefined;
  }
}

const CORE_COMMANDS = new Set([
  'acknowledge',
  'unacknowledge',
  'resolve',
  'escalate',
  'comment',
  'pause',
  'resume',
  'migrate',
]);

export function isLifecycle(command: Command): command is LifecycleCommand {
  return !CORE_COMMANDS.has(command.kind);
}

/** Applies a command that keeps the case at its level (acknowledge, resolve, comment, pause). */
export function applyCommand(t: Transition, command: Command): void {
  const illegal = illegalReason(t.state, t.plan, command);
  if (illegal) throw illegal;
  const now = iso(t.now);
  switch (command.kind) {
    case 'acknowledge':
      t.state = {
        ...t.state,
        status: 'acknowledged',
        owner: command.by,
        unowned: false,
        acknowledgedAt: now,
        repeatAt: undefined,
      };
      t.record('acknowledged', {
        level: t.state.level,
        by: command.by,
        ...(command.note ? { note: command.note } : {}),
        details: { ackDueAt: t.state.sla.ackDueAt ?? null, ...(command.note ? { note: command.note } : {}) },
      });
      return;
    case 'resolve': {
      t.state = {
        ...t.state,
        status: 'resolved',
        owner: command.by,
        unowned: false,
        paused: null,
        resolvedAt: now,
        statusUpdateAt: undefined,
        resolution: {
          by: command.by,
          summary: command.resolution,
          ...(command.rootCause ? { rootCause: command.rootCause } : {}),
          ...(command.fix ? { fix: command.fix } : {}),
          at: now,
          level: t.state.level,
          ...(command.force ? { forced: command.force.reason } : {}),
        },
      };
      const details = [
        command.rootCause ? `root cause: ${command.rootCause}` : '',
        command.fix ? `fix: ${command.fix}` : '',
        command.force ? `forced with open blocking tasks: ${command.force.reason}` : '',
      ].filter(Boolean);
      t.record('resolved', {
        level: t.state.level,
        by: command.by,
        note: [command.resolution, ...details].join('; '),
        details: {
          resolution: command.resolution,
          ...(command.rootCause ? { rootCause: command.rootCause } : {}),
          ...(command.fix ? { fix: command.fix } : {}),
          ...(command.force ? { forced: command.force.reason } : {}),
        },
      });
      t.notify(
        withRecipients(t.state.handedTo, subscribersOf(t.state, 'internal')),
        'stakeholder',
        resolutionNotice(t.state),
      );
      // With follow-up the reporter's resolution notice is the feedback request; without, the case is settled
      // here (and its review opened when the matrix selects it).
      const reporterSubscribers = subscribersOf(t.state, 'reporter');
      const reporterSide = t.plan.followUp
        ? reporterSubscribers
        : [reporterOf(t.state, t.plan), ...reporterSubscribers];
      t.notify(reporterSide, 'reporter', reporterResolutionNotice(t.state));
      requestFeedback(t);
      return;
    }
    case 'comment':
      t.record('comment', { level: t.state.level, by: command.by, note: command.note, details: {} });
      return;
    case 'pause':
      t.state = { ...t.state, paused: { since: now, reason: command.reason, by: command.by } };
      t.record('paused', {
        level: t.state.level,
        by: command.by,
        note: `${command.reason}: SLA clocks stopped`,
        details: { reason: command.reason },
      });
      return;
    case 'resume':
    case 'unacknowledge':
    case 'escalate':
    case 'migrate':
      throw new RangeError(
        `${command.kind} needs the level's facts: use resume(), unacknowledge(), enterLevel() or migrate()`,
      );
    default:
      throw new RangeError(`${command.kind} is a lifecycle command: use applyLifecycle()`);
  }
}

/** The pause that `resume` ends, as an interval the SLA clock skips. */
export function endingPause(state: EscalationState, now: number): { start: number; end: number } | undefined {
  return state.paused ? { start: Date.parse(state.paused.since), end: now } : undefined;
}

/** Ends a pause: the clocks restart with due instants recomputed around every pause at this level. */
export function resume(
  t: Transition,
  command: Extract<Command, { kind: 'resume' }>,
  sla: EscalationState['sla'],
): void {
  const illegal = illegalReason(t.state, t.plan, command);
  if (illegal) throw illegal;
  const paused = t.state.paused as NonNullable<EscalationState['paused']>;
  const pausedMs = t.now - Date.parse(paused.since);
  const before = t.state.sla;
  t.state = {
    ...t.state,
    paused: null,
    pauses: [...t.state.pauses, { start: paused.since, end: iso(t.now) }],
    sla: { ...sla },
    ...(t.state.repeatAt ? { repeatAt: iso(Date.parse(t.state.repeatAt) + pausedMs) } : {}),
  };
  const moved = (label: string, from?: string, to?: string) =>
    from && to && from !== to ? `${label} ${from} -> ${to}` : undefined;
  const changes = [
    moved('ack due', before.ackDueAt, sla.ackDueAt),
    moved('resolve due', before.resolveDueAt, sla.resolveDueAt),
  ]
    .filter(Boolean)
    .join('; ');
  t.record('resumed', {
    level: t.state.level,
    by: command.by,
    note: [`paused ${formatDuration(pausedMs)} (${paused.reason})`, changes, command.note].filter(Boolean).join('; '),
    details: {
      reason: paused.reason,
      pausedMs,
      due: dueMoves(before, sla),
      ...(command.note ? { note: command.note } : {}),
    },
  });
}

/**
 * Withdraws the acknowledgement: the case is open again at its level, whose people are told again (a handoff with
 * the reason), and its ack window restarts from now (`ack`: the level's times from now). The resolve target keeps
 * running from the level's entry.
 */
export function unacknowledge(
  t: Transition,
  command: Extract<Command, { kind: 'unacknowledge' }>,
  ack: EscalationState['sla'],
): void {
  const illegal = illegalReason(t.state, t.plan, command);
  if (illegal) throw illegal;
  const before = t.state;
  const level = levelAt(t.path, before.level.index);
  t.state = restartAckWindow(
    {
      ...before,
      status: 'open',
      owner: before.assignee?.name ?? level.name,
      unowned: false,
      acknowledgedAt: undefined,
    },
    t.now,
    ack,
  );
  const due = dueMoves(before.sla, t.state.sla);
  t.record('unacknowledged', {
    level: before.level,
    by: command.by,
    note: `${before.owner ?? 'nobody'} no longer owns it: ${command.reason}; ack due ${t.state.sla.ackDueAt ?? 'none'}`,
    details: {
      acknowledgedBy: before.owner,
      acknowledgedAt: before.acknowledgedAt ?? null,
      reason: command.reason,
      due,
    },
  });
  const why = `the acknowledgement by ${before.owner ?? 'nobody'} was withdrawn by ${command.by}: ${command.reason}`;
  t.notify(
    before.levelRecipients,
    'assignee',
    handoffNotice(t.state, level, why, isLastLevel(t.path, before.level.index)),
  );
}

/** True when the case's next automatic action is due at `now` (windows are half-open: due at their end instant). */
export function isDue(state: EscalationState, now: number): boolean {
  return state.next !== null && Date.parse(state.next.at) <= now;
}

/**
 * Performs the due action that keeps the case at its level: a breach warning, a last-level reminder, the unowned
 * mark, or a resolve breach at the top. The event is stamped at its SLA instant (never before what is already on
 * the timeline), which is when it happened even if the timer fired late.
 */
/** An automatic action this long past its instant ran late (the worker or server was down), and says so. */
const LATE_AFTER_MS = 60_000;
const isLate = (dueAt: string, now: number) => now - Date.parse(dueAt) > LATE_AFTER_MS;

export function fireInPlace(t: Transition, upcoming: Recipient[] = []): void {
  const next = t.state.next;
  if (!next || next.action === 'escalate') throw new RangeError(`case ${t.state.id} has no in-place action pending`);
  const at = later(next.at, t.state.timeline.at(-1)?.at ?? next.at);
  if (LIFECYCLE_ACTIONS.has(next.action)) {
    fireLifecycle(t, next, at);
    return;
  }
  const level = t.level;
  const recipients = t.state.levelRecipients;
  switch (next.action) {
    case 'warn': {
      const target = next.reason === 'resolve' ? 'resolve' : 'ack';
      const dueAt = (target === 'ack' ? t.state.sla.ackDueAt : t.state.sla.resolveDueAt) ?? '';
      t.state = { ...t.state, warned: { ...t.state.warned, [target]: true } };
      // After downtime the target itself may have passed: "due soon" would be false, and the breach follows now.
      // Never silently: the timeline says which warning was not sent and why.
      if (Date.parse(dueAt) <= t.now) {
        t.record('warning_skipped', {
          at,
          level: t.state.level,
          note: `${target} warning due ${next.at} not sent: the ${target} target itself passed at ${dueAt} while the case could not run`,
          details: { target, dueAt, warnAt: next.at },
        });
        return;
      }
      const late = isLate(next.at, t.now);
      const lateNote = late ? ` (late: due ${next.at}, sent ${iso(t.now)} after the case could not run)` : '';
      t.record('breach_warning', {
        at,
        level: t.state.level,
        note: `${target} target due ${dueAt}${lateNote}`,
        details: { target, dueAt, warnAt: next.at, late },
      });
      const last = isLastLevel(t.path, t.state.level.index);
      const marked = (notice: Notice): Notice => (late ? { ...notice, subject: `(late) ${notice.subject}` } : notice);
      t.notify(recipients, 'assignee', marked(breachWarningNotice(t.state, level, target, dueAt, undefined, last)));
      const upcomingLevel = t.path.levels[t.state.level.index + 1];
      if (upcomingLevel && upcoming.length > 0) {
        t.notify(upcoming, 'stakeholder', marked(breachWarningNotice(t.state, level, target, dueAt, upcomingLevel)));
      }
      return;
    }
    case 'repeat': {
      // The first reminder is the last level's missed ack target: a breach, for reviews and reports.
      if (next.reason === 'ack') t.state = { ...t.state, breaches: t.state.breaches + 1 };
      const attempt = t.state.repeatsSent + 1;
      // Reminders keep their cadence from the SLA instant; after downtime the next one waits a full interval.
      const repeatAt = nextOnCadence(next.at, t.plan.repeat.everyMs, t.now);
      t.state = { ...t.state, repeatsSent: attempt, repeatAt };
      // Reminders that fell due while the case could not run are merged into this one, and the note says so.
      const missed = Math.floor((t.now - Date.parse(next.at)) / t.plan.repeat.everyMs);
      const merged =
        missed > 0 ? `; late (due ${next.at}): ${missed} more fell due while the case could not run, one sent` : '';
      t.record('repeat_notified', {
        at,
        level: t.state.level,
        note: `reminder ${attempt} of ${t.plan.repeat.times}: not acknowledged at the last level${merged}`,
        details: { attempt, of: t.plan.repeat.times, dueAt: next.at, merged: Math.max(0, missed) },
      });
      t.notify(recipients, 'assignee', repeatNotice(t.state, level, attempt, t.plan.repeat.times));
      return;
    }
    case 'mark_unowned':
      t.state = {
        ...t.state,
        owner: null,
        unowned: true,
        repeatAt: undefined,
        breaches: t.state.breaches + (next.reason === 'ack' ? 1 : 0),
      };
      t.record('unowned', {
        at,
        level: t.state.level,
        note: `nobody acknowledged after ${t.state.repeatsSent} reminder(s); the case stays open without an owner`,
        details: { cause: 'no_ack_after_reminders', reminders: t.state.repeatsSent },
      });
      t.notify(recipients, 'assignee', unownedNotice(t.state, level));
      return;
    case 'resolve_breach':
      t.state = { ...t.state, sla: { ...t.state.sla, resolveBreachedAt: at }, breaches: t.state.breaches + 1 };
      t.record('resolve_breached', {
        at,
        level: t.state.level,
        note: `not resolved within ${describeTarget(level.sla[t.state.priority].resolve, t.state.sla.resolveBasis)} at the last level; stays with ${t.state.owner}`,
        details: { dueAt: t.state.sla.resolveDueAt ?? null, owner: t.state.owner },
      });
      t.notify(recipients, 'assignee', resolveBreachNotice(t.state, level));
      return;
  }
}

const SEVERITY: Record<NextAction['action'], number> = {
  escalate: 0,
  mark_unowned: 1,
  repeat: 2,
  resolve_breach: 3,
  warn: 4,
  close: 5,
  task_reminder: 6,
  action_item_reminder: 7,
  review_reminder: 8,
  status_update: 9,
};

/** What happens next on its own: the earliest pending action (at one instant, the most severe first). */
export function computeNext(state: EscalationState, plan: Plan): NextAction | null {
  const candidates = [...slaCandidates(state, plan), ...lifecycleCandidates(state)];
  candidates.sort((a, b) => a.at.localeCompare(b.at) || SEVERITY[a.action] - SEVERITY[b.action]);
  return candidates[0] ?? null;
}

/** The ladder's pending actions: only while the case is open or acknowledged and its clocks run. */
function slaCandidates(state: EscalationState, plan: Plan): NextAction[] {
  if (!OPEN_STATUSES.includes(state.status) || state.paused) return [];
  const path = pathOf(state, plan);
  const index = state.level.index;
  const last = isLastLevel(path, index);
  const up = last ? undefined : levelRef(path, index + 1);
  const here = state.level;
  const { sla, warned } = state;
  const candidates: NextAction[] = [];
  if (state.status === 'open' && !state.unowned) {
    if (state.repeatAt) {
      const action = state.repeatsSent < plan.repeat.times ? 'repeat' : 'mark_unowned';
      candidates.push({ action, at: state.repeatAt, level: here, reason: 'repeat' });
    } else if (sla.ackDueAt) {
      if (sla.ackWarnAt && !warned.ack)
        candidates.push({ action: 'warn', at: sla.ackWarnAt, level: here, reason: 'ack' });
      if (up) candidates.push({ action: 'escalate', at: sla.ackDueAt, level: up, reason: 'ack' });
      else {
        const action = plan.repeat.times > 0 ? 'repeat' : 'mark_unowned';
        candidates.push({ action, at: sla.ackDueAt, level: here, reason: 'ack' });
      }
    }
  }
  if (sla.resolveDueAt && (state.status === 'acknowledged' || (state.status === 'open' && !state.unowned))) {
    if (sla.resolveWarnAt && !warned.resolve && state.status === 'acknowledged') {
      candidates.push({ action: 'warn', at: sla.resolveWarnAt, level: here, reason: 'resolve' });
    }
    if (up) candidates.push({ action: 'escalate', at: sla.resolveDueAt, level: up, reason: 'resolve' });
    else if (state.status === 'acknowledged' && !sla.resolveBreachedAt) {
      candidates.push({ action: 'resolve_breach', at: sla.resolveDueAt, level: here, reason: 'resolve' });
    }
  }
  return candidates;
}

/**
 * The state a command will meet at `now`: every action due by then has happened first (windows are half-open).
 * Escalations are projected without their new level's facts, which legality does not depend on.
 */
export function projectForCommand(state: EscalationState, plan: Plan, now: number): EscalationState {
  let current = state;
  const path = pathOf(state, plan);
  // Bounded: every step moves a timer forward, but a long downtime could leave many reminders due at once.
  for (let step = 0; step < path.levels.length + plan.repeat.times + 100 && isDue(current, now); step++) {
    const next = current.next as NextAction;
    if (next.action === 'escalate') {
      const level = levelRef(path, next.level?.index ?? current.level.index + 1);
      current = {
        ...current,
        status: 'open',
        level,
        acknowledgedAt: undefined,
        paused: null,
        repeatAt: undefined,
        next: null,
      };
    } else {
      const t = new Transition(current, plan, now);
      fireInPlace(t);
      current = t.decision().state;
    }
  }
  return current;
}

/** Where the case stands on another plan: the same path and level id; or why it cannot move there. */
export function migrationTarget(state: EscalationState, plan: Plan): LevelRef | string {
  const pathId = state.triage?.path ?? 'default';
  const path = plan.paths[pathId];
  if (!path) return `matrix ${plan.version} has no path "${pathId}", which case ${state.id} is on`;
  const levelId = state.level.id;
  const index = path.levels.findIndex((level) => level.id === levelId);
  if (levelId === undefined || index < 0) {
    return `matrix ${plan.version} has no level "${levelId ?? state.level.name}" on path ${pathId}, where case ${state.id} is`;
  }
  return levelRef(path, index);
}

/**
 * Moves the case onto another plan (the transition is built with that plan): same path and level, due times
 * recomputed from the level's entry on the new targets. Warnings already sent stay sent; the move is recorded.
 */
export function migrate(t: Transition, command: Extract<Command, { kind: 'migrate' }>, sla: SlaTimes): void {
  const level = migrationTarget(t.state, t.plan);
  if (typeof level === 'string') throw new IllegalTransitionError('PlanMismatch', level);
  const before = t.state;
  const { matrixVersionName: _previous, ...rest } = t.state;
  t.state = {
    ...rest,
    level,
    sla: { ...sla },
    matrixVersion: t.plan.version,
    ...(t.plan.versionName !== undefined ? { matrixVersionName: t.plan.versionName } : {}),
  };
  const moved = [
    before.sla.ackDueAt !== sla.ackDueAt ? `ack due ${before.sla.ackDueAt ?? '-'} -> ${sla.ackDueAt ?? '-'}` : '',
    before.sla.resolveDueAt !== sla.resolveDueAt
      ? `resolve due ${before.sla.resolveDueAt ?? '-'} -> ${sla.resolveDueAt ?? '-'}`
      : '',
  ].filter(Boolean);
  t.record('plan_migrated', {
    level,
    by: command.by,
    note: [`matrix ${before.matrixVersion} -> ${t.plan.version}: ${command.reason}`, ...moved].join('; '),
    details: {
      fromVersion: before.matrixVersion,
      toVersion: t.plan.version,
      reason: command.reason,
      due: dueMoves(before.sla, sla),
    },
  });
}
