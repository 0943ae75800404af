// Who is on call in a rotation at an instant: shifts handed off at a local wall time, stacked layers, overrides.
import { DateTime, IANAZone } from 'luxon';
import { WEEKDAYS, type Rotation, type Weekday } from '../shared/plan';

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
  };
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

/**
 * Person ids on call at `atMs`, primary first. Overrides covering the instant replace the layers (latest-listed
 * override first), even before the first shift; otherwise each layer's current participant, later layers first.
 */
export function onCallAt(rotation: Rotation, atMs: number): string[] {
  const c = compile(rotation);
  const ids: string[] = [];
  const add = (person: string | undefined) => {
    if (person !== undefined && person !== '' && !ids.includes(person)) ids.push(person);
  };
  for (const override of [...c.overrides].reverse()) {
    if (override.fromMs <= atMs && atMs < override.toMs) add(override.person);
  }
  if (ids.length > 0) return ids;
  const shift = findShift(c, atMs);
  if (!shift) return [];
  for (const layer of [...rotation.layers].reverse()) {
    const participants = layer.participants;
    if (participants.length > 0) add(participants[shift.index % participants.length]);
  }
  return ids;
}
