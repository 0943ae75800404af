// What entering a level needs to know: its SLA due instants and who to notify. Targets in calendar time and bare
// contacts are computed right here (plain arithmetic, identical on every replay); business hours and directory
// lookups (people, teams, on-call) go through local activities so their answers are recorded in history.
import type { EscalationState, Recipient, SlaTimes } from '../shared/escalation';
import type { LevelTargets, PlanLevel, TargetSpec, WarningPolicy } from '../shared/plan';

export interface PauseInterval {
  start: number;
  end: number;
}

export interface LevelFacts {
  sla: SlaTimes;
  recipients: Recipient[];
  /** Why some targets reached nobody (e.g. nobody on call); all of them when `recipients` is empty. */
  nobody: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Earliest t >= start such that (t - start) minus the paused time inside [start, t] equals `ms`. */
export function addCalendarTimeSkippingPauses(start: number, ms: number, pauses: PauseInterval[]): number {
  let due = start + ms;
  // Sorted by start, overlapping pauses count once: only the part after what was already skipped extends the due.
  let skippedUntil = start;
  for (const pause of [...pauses].sort((a, b) => a.start - b.start)) {
    const from = Math.max(pause.start, skippedUntil);
    if (pause.end <= from || from >= due) continue;
    due += pause.end - from;
    skippedUntil = pause.end;
  }
  return due;
}

export const isCalendarOnly = (targets: LevelTargets) =>
  targets.ack.kind === 'calendar' && targets.resolve.kind === 'calendar';

export const hasOnlyContacts = (level: PlanLevel) => level.targets.every((target) => target.kind === 'contact');

/** Due and warning instants for calendar-time targets; undefined when a target counts business time. */
export function calendarSlaTimes(
  startMs: number,
  targets: LevelTargets,
  warning: WarningPolicy | null,
  pauses: PauseInterval[],
): SlaTimes | undefined {
  if (targets.ack.kind !== 'calendar' || targets.resolve.kind !== 'calendar') return undefined;
  const at = (target: TargetSpec, fraction: number) =>
    // Floored like the SLA clock's warningAt, so a calendar target warns at the same instant on either path.
    iso(addCalendarTimeSkippingPauses(startMs, Math.floor(target.ms * fraction), pauses));
  return {
    ackDueAt: at(targets.ack, 1),
    resolveDueAt: at(targets.resolve, 1),
    ...(warning
      ? { ackWarnAt: at(targets.ack, warning.atFraction), resolveWarnAt: at(targets.resolve, warning.atFraction) }
      : {}),
    ackBasis: 'calendar',
    resolveBasis: 'calendar',
  };
}

/** Recipients of a level made only of bare contacts; undefined when a person, team or rotation must be looked up. */
export function contactRecipients(level: PlanLevel): Recipient[] | undefined {
  const recipients: Recipient[] = [];
  for (const target of level.targets) {
    if (target.kind !== 'contact') return undefined;
    recipients.push({ name: target.name, channel: target.channel, address: target.address });
  }
  return recipients;
}

/** The level's due times with its ack window taken from `ack` (a window restarted inside the level). */
export function withAckWindow(sla: SlaTimes, ack: SlaTimes): SlaTimes {
  const { ackWarnAt: _warn, ...rest } = sla;
  return {
    ...rest,
    ackDueAt: ack.ackDueAt,
    ...(ack.ackWarnAt ? { ackWarnAt: ack.ackWarnAt } : {}),
    ackBasis: ack.ackBasis,
  };
}

/**
 * The case with its ack window restarted at `nowMs` (an unacknowledge, a reassignment): due and warning instants from
 * `ack` (the level's times computed from now), the warning armed again, last-level reminders counted afresh. The
 * resolve target keeps running from the level's entry.
 */
export function restartAckWindow(state: EscalationState, nowMs: number, ack: SlaTimes): EscalationState {
  return {
    ...state,
    ackWindowFrom: iso(nowMs),
    sla: withAckWindow(state.sla, ack),
    warned: { ...state.warned, ack: false },
    repeatsSent: 0,
    repeatAt: undefined,
  };
}

/** Pauses as they bear on a window starting at `fromMs`: the parts after it. */
export function pausesFrom(pauses: PauseInterval[], fromMs: number): PauseInterval[] {
  return pauses
    .filter((pause) => pause.end > fromMs)
    .map((pause) => ({ start: Math.max(pause.start, fromMs), end: pause.end }));
}
