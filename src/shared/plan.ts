// The compiled escalation matrix ("plan"): plain JSON the workflow receives at start and keeps for the case's life.
// Produced by src/matrix/compile.ts from the YAML the escalation manager writes (docs/matrix.md).
// Pure types and helpers only: workflow code imports this module.

export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const URGENCIES = ['high', 'medium', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local wall time `HH:MM` in the calendar's zone; `end` may be `24:00`, or earlier than `start` for a shift
 * that crosses midnight (it belongs to the day it starts on). Start-inclusive, end-exclusive. */
export interface WorkingInterval {
  start: string;
  end: string;
}

/** A week of intervals as people write it, one entry per run of consecutive days with the same hours, e.g.
 * `mon-fri 09:00-17:00`; days without intervals are left out. */
export function describeWeek(week: Record<Weekday, WorkingInterval[]>): string[] {
  const groups: { from: Weekday; to: Weekday; hours: string }[] = [];
  for (const day of WEEKDAYS) {
    const hours = (week[day] ?? []).map((interval) => `${interval.start}-${interval.end}`).join(', ');
    const last = groups[groups.length - 1];
    if (last !== undefined && last.hours === hours) last.to = day;
    else groups.push({ from: day, to: day, hours });
  }
  return groups
    .filter((group) => group.hours !== '')
    .map((group) => `${group.from === group.to ? group.from : `${group.from}-${group.to}`} ${group.hours}`);
}

export interface Holiday {
  /** Local date `YYYY-MM-DD`: no working interval that starts on it counts. */
  date: string;
  name: string;
}

export interface CalendarSpec {
  id: string;
  name: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  zone: string;
  week: Record<Weekday, WorkingInterval[]>;
  holidays: Holiday[];
}

/**
 * How long a target is. `calendar`: elapsed time. `business`: working time of a calendar; with `afterHoursMs`,
 * a window that starts outside working hours uses that many calendar milliseconds instead (e.g. respond within
 * 30 business minutes in hours, within 12 hours when raised after hours).
 */
export type TargetSpec =
  { kind: 'calendar'; ms: number } | { kind: 'business'; ms: number; calendar: string; afterHoursMs?: number };

export interface LevelTargets {
  ack: TargetSpec;
  resolve: TargetSpec;
}

export interface ContactPoint {
  channel: string;
  address: string;
}

export interface Person {
  id: string;
  name: string;
  contacts: ContactPoint[];
}

export interface Team {
  id: string;
  name: string;
  members: string[];
  /** The team's shared contact points (a queue, a channel); members are notified only when these are empty. */
  contacts: ContactPoint[];
}

/** One layer of a rotation: participants take turns, one shift each, in order, from the rotation's start. */
export interface RotationLayer {
  participants: string[];
}

export interface RotationOverride {
  person: string;
  /** Local date-times `YYYY-MM-DDTHH:MM` in the rotation's zone; [from, to). */
  from: string;
  to: string;
}

export interface Rotation {
  id: string;
  name: string;
  zone: string;
  /** Shift length and handoff moment: daily at `time`, or weekly on `day` at `time` (local). */
  handoff: { every: 'daily' | 'weekly'; day?: Weekday; time: string };
  /** Local date the first shift starts (at the handoff time): participant 0 of each layer is on call then. */
  start: string;
  /** Later layers take precedence; every layer's current participant is on call when there is no override. */
  layers: RotationLayer[];
  /** Whoever an override names is on call instead of the layers for its interval. */
  overrides: RotationOverride[];
  /**
   * When the layers put anybody on call: weekly local wall-time intervals in `zone`, as a calendar's `week`;
   * outside them nobody is (overrides still apply). Left out: around the clock, as before this field existed.
   */
  onCallHours?: Record<Weekday, WorkingInterval[]>;
}

/** Who a level notifies: a person, a team, whoever is on call in a rotation at handoff time, or a bare address. */
export type TargetRef =
  | { kind: 'person'; person: string; channels?: string[] }
  | { kind: 'team'; team: string; channels?: string[] }
  | { kind: 'oncall'; rotation: string; channels?: string[] }
  | { kind: 'contact'; name: string; channel: string; address: string };

export interface WarningPolicy {
  /** Fraction of a target's time after which the owner is warned (0 < atFraction < 1). */
  atFraction: number;
  /** Also tell the next level that a case may come its way. */
  notifyNextLevel: boolean;
}

export interface PlanLevel {
  id: string;
  name: string;
  targets: TargetRef[];
  sla: Record<Priority, LevelTargets>;
  /** Breach warnings at this level; null turns them off. */
  warning: WarningPolicy | null;
}

/** An ordered ladder of levels for some categories of case (billing, legal, ...). */
export interface PlanPath {
  id: string;
  name: string;
  /** Cases of these categories take this path unless a triage rule names another. */
  categories: string[];
  levels: PlanLevel[];
}

export interface TriageCondition {
  categories?: string[];
  /** Matches when the case has at least one of these tags. */
  tags?: string[];
  priorities?: Priority[];
  urgencies?: Urgency[];
  legalThreat?: boolean;
  minUsersAffected?: number;
  minRevenueAtRisk?: number;
}

/** First match wins; the last rule has an empty condition and matches everything (the required default). */
export interface TriageRule {
  id: string;
  when: TriageCondition;
  /** Priority to give the case; absent keeps the caller's priority (or `medium` when none was given). */
  priority?: Priority;
  path?: string;
  /** Level id on the chosen path where the case starts; absent uses the path's `start` for the priority. */
  startLevel?: string;
}

/** Where a manual escalation may skip levels: onto level `to`, for these categories/priorities, from `from`. */
export interface JumpRule {
  id: string;
  to: string;
  from?: string[];
  categories?: string[];
  priorities?: Priority[];
}

/** Who hears a periodic status update: case subscribers (internal wording), the reporter (reporter wording),
 * the current owner (the level's recipients or the assignee), or the teams added to the case. */
export const STATUS_AUDIENCES = ['subscribers', 'reporter', 'owner', 'teams'] as const;
export type StatusAudience = (typeof STATUS_AUDIENCES)[number];

export interface StatusUpdatePolicy {
  everyMs: number;
  to: StatusAudience[];
}

/** After resolution: the reporter is asked for a 1-5 score; below `satisfiedAtLeast` reopens, silence closes. */
export interface FollowUpPolicy {
  windowMs: number;
  satisfiedAtLeast: number;
}

/** Which closed cases get a post-escalation review (any condition that is set and holds selects a case). */
export interface ReviewPolicy {
  when: { priorities?: Priority[]; categories?: string[]; breached?: boolean; reopened?: boolean };
  /** Person or team id who owns reviews; absent: whoever was handed the case at the last level. */
  owner?: string;
  /** The review is due this long after the case closes; its owner is reminded from then on. */
  dueWithinMs: number;
  remindEveryMs: number;
}

export interface Plan {
  /** Shape of this object; workflow code upgrades older shapes it finds in running cases. */
  schema: 2;
  /** Content hash of the compiled plan: which matrix a case runs on. */
  version: string;
  /** The matrix's own version label (e.g. `2026.11`), shown with the hash. */
  versionName?: string;
  name: string;
  owner?: { name: string; email: string };
  /** Date (`YYYY-MM-DD`) by which the matrix should be reviewed again. */
  reviewBy?: string;
  people: Record<string, Person>;
  teams: Record<string, Team>;
  rotations: Record<string, Rotation>;
  calendars: Record<string, CalendarSpec>;
  triage: TriageRule[];
  paths: Record<string, PlanPath>;
  /** Path for cases no triage rule sends elsewhere. */
  defaultPath: string;
  /** Per path, the level index where each priority starts (unless a triage rule says otherwise). */
  startLevel: Record<string, Record<Priority, number>>;
  jumps: JumpRule[];
  /** At the last level: re-notify every `everyMs`, at most `times`, then mark the case unowned. */
  repeat: { everyMs: number; times: number };
  /** Reasons a case may be paused for (its SLA clocks stop); empty means pausing is not allowed. */
  pauseReasons: string[];
  /** Channel on which reporters hear about their case (their address is their email). */
  reporterChannel: string;
  // The lifecycle after the ladder. Absent on plans compiled before it existed: no status updates, no follow-up
  // (the case ends when resolved), no reviews, reminders for tasks once at their due time.
  /** Periodic status updates of open cases, per priority. */
  statusUpdates?: Partial<Record<Priority, StatusUpdatePolicy>>;
  followUp?: FollowUpPolicy | null;
  review?: ReviewPolicy | null;
  /** How often owners of overdue tasks and action items are reminded after the due time. */
  reminders?: { everyMs: number };
}
