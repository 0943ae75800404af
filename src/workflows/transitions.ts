// The escalation state machine as pure functions: (state, plan, input, now) -> new state, timeline events and
// notifications to send. The workflow only waits, calls these, and runs the side effects through activities.
import { formatDuration } from '../shared/duration';
import type {
  CaseInput,
  EscalationState,
  IllegalTransitionReason,
  NextAction,
  Recipient,
  TimelineEvent,
  TimelineEventType,
} from '../shared/escalation';
import type { Plan, PlanLevel } from '../shared/plan';
import {
  handoffNotice,
  levelRef,
  repeatNotice,
  reporterReceipt,
  resolutionNotice,
  resolveBreachNotice,
  unownedNotice,
  type Notice,
} from './notices';

export type Command =
  | { kind: 'acknowledge'; by: string; note?: string }
  | { kind: 'resolve'; by: string; resolution: string }
  | { kind: 'escalate'; by: string; reason: string }
  | { kind: 'comment'; by: string; note: string };

export type Audience = 'reporter' | 'assignee' | 'stakeholder';

export interface OutgoingNotification extends Notice {
  /** Unique per case and stable on replay and retry: the idempotency key's suffix. */
  seq: number;
  /** The instant of the event it reports (a handoff, a breach at its SLA instant, a resolution). */
  at: string;
  recipient: Recipient;
  audience: Audience;
}

export interface Decision {
  state: EscalationState;
  events: TimelineEvent[];
  notifications: OutgoingNotification[];
}

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransition';
  constructor(
    readonly reason: IllegalTransitionReason,
    message: string,
  ) {
    super(message);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Accumulates one transition's changes so every path records events and notifications the same way. */
class Transition {
  state: EscalationState;
  readonly events: TimelineEvent[] = [];
  readonly notifications: OutgoingNotification[] = [];

  constructor(
    state: EscalationState,
    readonly plan: Plan,
    readonly now: number,
  ) {
    this.state = { ...state, timeline: [...state.timeline] };
  }

  get level(): PlanLevel {
    return levelOf(this.plan, this.state.level.index);
  }

  record(
    type: TimelineEventType,
    { at, ...fields }: Omit<TimelineEvent, 'seq' | 'type' | 'at'> & { at?: string } = {},
  ): void {
    const event: TimelineEvent = { seq: this.state.timeline.length + 1, at: at ?? iso(this.now), type, ...fields };
    this.state.timeline.push(event);
    this.events.push(event);
  }

  notify(recipients: Recipient[], audience: Audience, notice: Notice): void {
    const at = this.events.at(-1)?.at ?? iso(this.now);
    for (const recipient of recipients) {
      this.state.notificationsSent += 1;
      this.notifications.push({ seq: this.state.notificationsSent, at, recipient, audience, ...notice });
    }
  }

  decision(): Decision {
    return { state: this.state, events: this.events, notifications: this.notifications };
  }
}

function levelOf(plan: Plan, index: number): PlanLevel {
  const level = plan.levels[index];
  if (!level) throw new RangeError(`level ${index} is not in the plan (${plan.levels.length} levels)`);
  return level;
}

const isLastLevel = (plan: Plan, index: number) => index === plan.levels.length - 1;

function targetsAsRecipients(level: PlanLevel): Recipient[] {
  return level.targets.map(({ name, channel, address }) => ({ name, channel, address }));
}

function withRecipients(known: Recipient[], added: Recipient[]): Recipient[] {
  const has = (r: Recipient) => known.some((k) => k.channel === r.channel && k.address === r.address);
  return [...known, ...added.filter((r) => !has(r))];
}

/** What the ack window of a freshly entered level leads to, unless somebody acknowledges first. */
function ackWindowNext(state: EscalationState, plan: Plan): NextAction {
  const at = state.sla.ackDueAt as string;
  const index = state.level.index;
  if (!isLastLevel(plan, index)) {
    return { action: 'escalate', at, level: levelRef(plan.levels, index + 1), reason: 'ack' };
  }
  const action = plan.repeat.times > 0 ? 'repeat' : 'mark_unowned';
  return { action, at, level: state.level, reason: 'ack' };
}

/**
 * What an acknowledged case's resolve window leads to: the next level, or a breach notice at the top. A window
 * that already ran out (an unowned case acknowledged late) is reported now, so the timeline stays in time order.
 */
function resolveWindowNext(state: EscalationState, plan: Plan, now: number): NextAction {
  const dueAt = state.sla.resolveDueAt as string;
  const at = Date.parse(dueAt) > now ? dueAt : iso(now);
  const index = state.level.index;
  if (!isLastLevel(plan, index)) {
    return { action: 'escalate', at, level: levelRef(plan.levels, index + 1), reason: 'resolve' };
  }
  return { action: 'resolve_breach', at, level: state.level, reason: 'resolve' };
}

/** Hands the case to a level: a new ack window and resolve window start now, the level's targets are told why. */
function enterLevel(t: Transition, index: number, why: string): void {
  const level = levelOf(t.plan, index);
  const targets = t.plan.levels[index]?.sla[t.state.priority];
  if (!targets) throw new RangeError(`level ${level.id} has no targets for ${t.state.priority}`);
  t.state = {
    ...t.state,
    status: 'open',
    level: levelRef(t.plan.levels, index),
    owner: level.name,
    unowned: false,
    levelEnteredAt: iso(t.now),
    acknowledgedAt: undefined,
    repeatsSent: 0,
    sla: { ackDueAt: iso(t.now + targets.ackMs), resolveDueAt: iso(t.now + targets.resolveMs) },
    handedTo: withRecipients(t.state.handedTo, targetsAsRecipients(level)),
  };
  t.state.next = ackWindowNext(t.state, t.plan);
  t.record('handed_off', { level: t.state.level, note: `${level.targets.map((x) => x.name).join(', ')}: ${why}` });
  t.notify(targetsAsRecipients(level), 'assignee', handoffNotice(t.state, level, why));
}

export function openCase(input: CaseInput, plan: Plan, now: number): Decision {
  const startIndex = plan.startLevel[input.priority];
  const initial: EscalationState = {
    id: input.id,
    title: input.title,
    description: input.description,
    status: 'open',
    priority: input.priority,
    category: input.category,
    level: levelRef(plan.levels, startIndex),
    owner: null,
    unowned: false,
    sla: {},
    next: null,
    matrixVersion: plan.version,
    reporter: input.reporter,
    attemptedSteps: input.attemptedSteps,
    createdAt: iso(now),
    levelEnteredAt: iso(now),
    repeatsSent: 0,
    handedTo: [],
    notificationsSent: 0,
    timeline: [],
  };
  const t = new Transition(initial, plan, now);
  t.record('created', { by: input.reporter.name, note: input.title });
  const why =
    startIndex === 0
      ? 'new case'
      : `new ${input.priority} case; the matrix starts ${input.priority} cases at ${levelOf(plan, startIndex).name}`;
  enterLevel(t, startIndex, why);
  const reporter: Recipient = {
    name: input.reporter.name,
    channel: plan.reporterChannel,
    address: input.reporter.email,
  };
  t.notify([reporter], 'reporter', reporterReceipt(t.state));
  t.record('reporter_notified', { note: `case number ${input.id}; first response by ${t.state.sla.ackDueAt}` });
  return t.decision();
}

/** Why a command cannot apply to this state, or undefined when it can. */
export function illegalReason(
  state: EscalationState,
  plan: Plan,
  command: Command,
): IllegalTransitionError | undefined {
  if (state.status === 'resolved' && command.kind !== 'comment') {
    return new IllegalTransitionError('CaseResolved', `case ${state.id} is already resolved`);
  }
  if (command.kind === 'acknowledge' && state.status === 'acknowledged') {
    return new IllegalTransitionError(
      'AlreadyAcknowledged',
      `case ${state.id} was already acknowledged by ${state.owner} at ${state.acknowledgedAt}`,
    );
  }
  if (command.kind === 'escalate' && isLastLevel(plan, state.level.index)) {
    return new IllegalTransitionError(
      'NoHigherLevel',
      `case ${state.id} is at ${state.level.name}, the last level of the matrix; there is nobody higher to escalate to`,
    );
  }
  return undefined;
}

export function applyCommand(state: EscalationState, plan: Plan, command: Command, now: number): Decision {
  const illegal = illegalReason(state, plan, command);
  if (illegal) throw illegal;
  const t = new Transition(state, plan, now);
  switch (command.kind) {
    case 'acknowledge': {
      t.state = { ...t.state, status: 'acknowledged', owner: command.by, unowned: false, acknowledgedAt: iso(now) };
      t.state.next = resolveWindowNext(t.state, plan, now);
      t.record('acknowledged', { level: t.state.level, by: command.by, note: command.note });
      break;
    }
    case 'escalate': {
      const from = t.level.name;
      const why = `escalated by ${command.by} from ${from}: ${command.reason}`;
      const to = state.level.index + 1;
      t.record('escalated', { level: levelRef(plan.levels, to), by: command.by, note: why });
      enterLevel(t, to, why);
      break;
    }
    case 'resolve': {
      t.state = {
        ...t.state,
        status: 'resolved',
        owner: command.by,
        unowned: false,
        next: null,
        resolvedAt: iso(now),
        resolution: { by: command.by, summary: command.resolution },
      };
      t.record('resolved', { level: t.state.level, by: command.by, note: command.resolution });
      const reporter: Recipient = {
        name: state.reporter.name,
        channel: plan.reporterChannel,
        address: state.reporter.email,
      };
      const notice = resolutionNotice(t.state);
      t.notify(t.state.handedTo, 'stakeholder', notice);
      t.notify([reporter], 'reporter', notice);
      break;
    }
    case 'comment':
      t.record('comment', { level: t.state.level, by: command.by, note: command.note });
      break;
  }
  return t.decision();
}

/** True when the case's next automatic action is due at `now` (windows are half-open: due at their end instant). */
export function isDue(state: EscalationState, now: number): boolean {
  return state.next !== null && Date.parse(state.next.at) <= now;
}

/**
 * Performs the case's next automatic action (it must be due). The breach is recorded at the SLA instant itself,
 * which is when it happened; what follows (handoff, reminders) happens at `now`, so a timer that fires late after
 * downtime moves the case up once rather than replaying every window it missed.
 */
export function fireNext(state: EscalationState, plan: Plan, now: number): Decision {
  const next = state.next;
  if (!next) throw new RangeError(`case ${state.id} has no pending action`);
  const t = new Transition(state, plan, now);
  const at = next.at;
  const level = t.level;
  const targets = level.sla[state.priority];
  switch (next.action) {
    case 'escalate': {
      const missed =
        next.reason === 'ack'
          ? `not acknowledged by ${level.name} within ${formatDuration(targets.ackMs)} (ack target)`
          : `not resolved by ${level.name} within ${formatDuration(targets.resolveMs)} of handoff (resolve target)`;
      const to = state.level.index + 1;
      t.record('escalated', { at, level: levelRef(plan.levels, to), note: missed });
      enterLevel(t, to, missed);
      break;
    }
    case 'repeat': {
      const attempt = state.repeatsSent + 1;
      t.state = { ...t.state, repeatsSent: attempt };
      // Reminders keep their cadence from the SLA instant; after downtime the next one waits a full interval.
      const onCadence = Date.parse(at) + plan.repeat.everyMs;
      t.state.next = {
        action: attempt < plan.repeat.times ? 'repeat' : 'mark_unowned',
        at: iso(onCadence > now ? onCadence : now + plan.repeat.everyMs),
        level: state.level,
        reason: 'repeat',
      };
      t.record('repeat_notified', {
        at,
        level: state.level,
        note: `reminder ${attempt} of ${plan.repeat.times}: not acknowledged at the last level`,
      });
      t.notify(targetsAsRecipients(level), 'assignee', repeatNotice(t.state, level, attempt, plan.repeat.times));
      break;
    }
    case 'mark_unowned': {
      t.state = { ...t.state, owner: null, unowned: true, next: null };
      t.record('unowned', {
        at,
        level: state.level,
        note: `nobody acknowledged after ${state.repeatsSent} reminder(s); the case stays open without an owner`,
      });
      t.notify(targetsAsRecipients(level), 'assignee', unownedNotice(t.state, level));
      break;
    }
    case 'resolve_breach': {
      t.state = { ...t.state, next: null };
      t.record('resolve_breached', {
        at,
        level: state.level,
        note: `not resolved within ${formatDuration(targets.resolveMs)} at the last level; stays with ${state.owner}`,
      });
      t.notify(targetsAsRecipients(level), 'assignee', resolveBreachNotice(t.state, level, targets.resolveMs));
      break;
    }
  }
  return t.decision();
}

/** The state a command would see at `now`: every automatic action due by then has happened first. */
export function catchUp(state: EscalationState, plan: Plan, now: number): EscalationState {
  let current = state;
  // Bounded: each action either moves up a level, counts a repeat, or clears `next`.
  for (let step = 0; step < plan.levels.length + plan.repeat.times + 2 && isDue(current, now); step++) {
    current = fireNext(current, plan, now).state;
  }
  return current;
}
