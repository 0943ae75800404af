// Who is on call in a rotation at an instant: shifts handed off at a local wall time, stacked layers, on-call
// hours, overrides; and when nobody is, why.
import { DateTime, IANAZone } from 'luxon';
import { isWorkingTime } from '../sla/clock';
import { describeWeek, WEEKDAYS, type CalendarSpec, type Rotation, type Weekday } from '../shared/plan';

/** A rotation spec that cannot be evaluated; the message names the rotation, the field and what to write instead. */
export class RotationError extends Error {
  override readonly name = 'RotationError';

  constructor(
    /** The rotation's id. */
    readonly rotation: string,
    problem: string,
  ) {
    super(`rotation ${rotation}: ${problem}`);
  }
}

/** One shift: `index` counts shifts from the rotation's first (0); [startMs, endMs). */
export interface Shift {
  index: number;
  startMs: number;
  endMs: number;
}

/** A rotation reduced to numbers, so the lookups below do not re-parse strings at every step. */
interface Compiled {
  zone: string;
  hour: number;
  minute: number;
  /** The first shift's local date, held as a UTC date so that adding days is pure calendar arithmetic. */
  firstDate: DateTime;
  stepDays: 1 | 7;
  firstStartMs: number;
  overrides: { person: string; fromMs: number; toMs: number }[];
  /** The on-call hours as a calendar without holidays, so the SLA clock's wall-time rules (DST included) apply. */
  hours?: CalendarSpec;
}

const TIME = /^(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

function parseTime(id: string, field: string, text: unknown): { hour: number; minute: number } {
  const match = typeof text === 'string' ? TIME.exec(text) : null;
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || hour > 23 || minute > 59) {
    throw new RotationError(
      id,
      `${field} ${JSON.stringify(text)} is not a local time HH:MM (00:00 to 23:59, e.g. 09:00)`,
    );
  }
  return { hour, minute };
}

function parseDate(id: string, field: string, text: unknown): DateTime {
  const match = typeof text === 'string' ? DATE.exec(text) : null;
  const date = match
    ? DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }, { zone: 'utc' })
    : undefined;
  if (!date?.isValid) {
    throw new RotationError(id, `${field} ${JSON.stringify(text)} is not a calendar date YYYY-MM-DD (e.g. 2026-03-02)`);
  }
  return date;
}

/** Local `YYYY-MM-DDTHH:MM` in the zone to epoch ms; a time skipped by a DST change moves forward by the gap. */
function parseLocalDateTime(id: string, field: string, text: unknown, zone: string): number {
  const match = typeof text === 'string' ? DATE_TIME.exec(text) : null;
  const parts = match?.slice(1).map(Number) ?? [];
  const [year, month, day, hour, minute] = parts;
  const local =
    match && hour !== undefined && hour <= 23
      ? DateTime.fromObject({ year, month, day, hour, minute }, { zone })
      : undefined;
  if (!local?.isValid) {
    throw new RotationError(
      id,
      `${field} ${JSON.stringify(text)} is not a local date-time YYYY-MM-DDTHH:MM in ${zone} (e.g. 2026-12-24T18:00)`,
    );
  }
  return local.toMillis();
}

/** Local date plus wall time in the zone to epoch ms: a handoff in a DST gap happens when the clock resumes. */
function wallTimeMs(date: DateTime, hour: number, minute: number, zone: string): number {
  return DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour, minute }, { zone }).toMillis();
}

function compile(rotation: Rotation): Compiled {
  const id = rotation.id;
  const zone = rotation.zone;
  if (typeof zone !== 'string' || !IANAZone.isValidZone(zone)) {
    throw new RotationError(id, `zone ${JSON.stringify(zone)} is not an IANA time zone (e.g. Europe/Berlin)`);
  }
  const every = rotation.handoff.every;
  if (every !== 'daily' && every !== 'weekly') {
    throw new RotationError(id, `handoff.every ${JSON.stringify(every)} must be daily or weekly`);
  }
  const { hour, minute } = parseTime(id, 'handoff.time', rotation.handoff.time);
  let firstDate = parseDate(id, 'start', rotation.start);
  if (every === 'weekly') {
    const day = rotation.handoff.day;
    const dayIndex = WEEKDAYS.indexOf(day as Weekday);
    if (dayIndex < 0) {
      throw new RotationError(
        id,
        `handoff.day ${JSON.stringify(day)} must be one of ${WEEKDAYS.join(', ')} for a weekly rotation`,
      );
    }
    // luxon weekdays are 1 (Monday) to 7 (Sunday), WEEKDAYS starts on Monday: move start onto the handoff day.
    firstDate = firstDate.plus({ days: (dayIndex + 1 - firstDate.weekday + 7) % 7 });
  }
  const overrides = rotation.overrides.map((override, i) => {
    const field = `overrides[${i}]`;
    const fromMs = parseLocalDateTime(id, `${field}.from`, override.from, zone);
    const toMs = parseLocalDateTime(id, `${field}.to`, override.to, zone);
    if (toMs <= fromMs) {
      throw new RotationError(
        id,
        `${field} for ${override.person} ends (${override.to}) before it starts (${override.from})`,
      );
    }
    return { person: override.person, fromMs, toMs };
  });
  return {
    zone,
    hour,
    minute,
    firstDate,
    stepDays: every === 'weekly' ? 7 : 1,
    firstStartMs: wallTimeMs(firstDate, hour, minute, zone),
    overrides,
    ...(rotation.onCallHours === undefined ? {} : { hours: onCallCalendar(rotation, zone) }),
  };
}

/**
 * On-call hours as a calendar: the same weekly intervals as working hours, read by the same clock, so a boundary
 * in a DST gap moves forward by the gap and one in a repeated hour is its first occurrence, as for SLA targets.
 */
function onCallCalendar(rotation: Rotation, zone: string): CalendarSpec {
  const id = rotation.id;
  const hours: Partial<CalendarSpec['week']> = rotation.onCallHours ?? {};
  const week = Object.fromEntries(
    WEEKDAYS.map((day) => {
      const intervals = hours[day] ?? [];
      intervals.forEach(({ start, end }, i) => {
        const field = `onCallHours.${day}[${i}]`;
        const from = parseTime(id, `${field}.start`, start);
        const to = end === '24:00' ? { hour: 24, minute: 0 } : parseTime(id, `${field}.end`, end);
        if (from.hour === to.hour && from.minute === to.minute) {
          throw new RotationError(id, `${field} ${start}-${end} is empty: start and end are the same time`);
        }
      });
      return [day, intervals.map(({ start, end }) => ({ start, end }))];
    }),
  ) as CalendarSpec['week'];
  if (WEEKDAYS.every((day) => week[day].length === 0)) {
    throw new RotationError(
      id,
      'onCallHours has no interval on any day: nobody would ever be on call (leave it out for round the clock)',
    );
  }
  return { id: `rotation ${id}`, name: rotation.name, zone, week, holidays: [] };
}

/** Start of shift `index`: rebuilt from the local date each time, so a DST gap never shifts later handoffs. */
function shiftStartMs(c: Compiled, index: number): number {
  return wallTimeMs(c.firstDate.plus({ days: index * c.stepDays }), c.hour, c.minute, c.zone);
}

function findShift(c: Compiled, atMs: number): Shift | undefined {
  if (!Number.isFinite(atMs)) throw new RangeError(`not an instant: ${atMs}`);
  if (atMs < c.firstStartMs) return undefined;
  // Elapsed time over the nominal shift length is off by at most one shift (DST moves a handoff by hours, not days).
  let index = Math.floor((atMs - c.firstStartMs) / (c.stepDays * DAY_MS));
  while (index > 0 && shiftStartMs(c, index) > atMs) index -= 1;
  while (shiftStartMs(c, index + 1) <= atMs) index += 1;
  return { index, startMs: shiftStartMs(c, index), endMs: shiftStartMs(c, index + 1) };
}

/** Throws a RotationError when the spec cannot be evaluated (bad zone, handoff, start date or override). */
export function validateRotation(rotation: Rotation): void {
  compile(rotation);
}

/** The shift in progress at `atMs`, or undefined before the first shift starts. */
export function shiftAt(rotation: Rotation, atMs: number): Shift | undefined {
  return findShift(compile(rotation), atMs);
}

/** Who is on call at an instant, primary first; when nobody is, `nobody` says why. */
export interface OnCall {
  people: string[];
  /** Set only when `people` is empty: `empty layer`, `before its start: ...`, `outside its on-call hours ...`. */
  nobody?: string;
}

/**
 * Who is on call at `atMs`. Overrides covering the instant replace the layers (latest-listed override first), even
 * before the first shift or outside on-call hours; otherwise each layer's current participant, later layers first,
 * when the instant is inside the on-call hours (if any). The first reason that applies explains an empty answer.
 */
export function findOnCall(rotation: Rotation, atMs: number): OnCall {
  const c = compile(rotation);
  const ids: string[] = [];
  const add = (person: string | undefined) => {
    if (person !== undefined && person !== '' && !ids.includes(person)) ids.push(person);
  };
  for (const override of [...c.overrides].reverse()) {
    if (override.fromMs <= atMs && atMs < override.toMs) add(override.person);
  }
  if (ids.length > 0) return { people: ids };
  const shift = findShift(c, atMs);
  if (rotation.layers.every((layer) => layer.participants.length === 0)) {
    const layers = rotation.layers.length;
    return { people: [], nobody: layers === 0 ? 'no layers' : layers === 1 ? 'empty layer' : 'every layer is empty' };
  }
  if (!shift) {
    const first = DateTime.fromMillis(c.firstStartMs, { zone: c.zone }).toFormat('yyyy-MM-dd HH:mm');
    return { people: [], nobody: `before its start: the first shift begins ${first} ${c.zone}` };
  }
  if (c.hours !== undefined && !isWorkingTime(atMs, c.hours)) {
    return { people: [], nobody: `outside its on-call hours ${describeWeek(c.hours.week).join('; ')} ${c.zone}` };
  }
  for (const layer of [...rotation.layers].reverse()) {
    const participants = layer.participants;
    if (participants.length > 0) add(participants[shift.index % participants.length]);
  }
  return { people: ids };
}

/** Person ids on call at `atMs`, primary first (see findOnCall, which also says why nobody is). */
export function onCallAt(rotation: Rotation, atMs: number): string[] {
  return findOnCall(rotation, atMs).people;
}
