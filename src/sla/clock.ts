// SLA clock: exact business-time arithmetic over a calendar's weekly working hours, holidays and IANA zone
// (DST included), plus calendar time and pauses. Pure: no I/O, no current time; instants are epoch milliseconds.
import { DateTime, IANAZone } from 'luxon';
import { WEEKDAYS, type CalendarSpec, type TargetSpec } from '../shared/plan';

/** A half-open span of absolute time [start, end), in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

/** A calendar that cannot be used: malformed, unknown, or with no working time to count. */
export class CalendarError extends Error {
  override readonly name = 'CalendarError';
}

export interface DueTime {
  dueMs: number;
  /** True when the window started outside working hours and the after-hours target applies. */
  afterHours: boolean;
  basis: 'calendar' | 'business' | 'after-hours';
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far the clock walks in one step when looking for working time. */
const WINDOW_MS = 7 * DAY;
/** A calendar with no working time for this long is treated as broken rather than searched forever. */
const MAX_IDLE_MS = 3 * 366 * DAY;

// ---------------------------------------------------------------------------------------------------------------
// Compiled calendars

/** One weekly interval in minutes of local wall time; `endDayOffset` 1 when it ends on the next local day. */
interface Shift {
  startMinute: number;
  endMinute: number;
  endDayOffset: 0 | 1;
}

interface CompiledCalendar {
  id: string;
  zone: IANAZone;
  /** Shifts by weekday, Monday first (index 0), as in WEEKDAYS. */
  shiftsByWeekday: Shift[][];
  holidays: Set<string>;
}

// Calendars are plan data and never mutated, so each is validated and compiled once.
const compiledCalendars = new WeakMap<CalendarSpec, CompiledCalendar>();

function compileCalendar(spec: CalendarSpec): CompiledCalendar {
  const cached = compiledCalendars.get(spec);
  if (cached) return cached;
  const compiled: CompiledCalendar = {
    id: spec.id,
    zone: zoneOf(spec.zone, `Calendar "${spec.id}"`),
    shiftsByWeekday: WEEKDAYS.map((day) =>
      (spec.week[day] ?? []).map((w, i) => parseShift(w, `${spec.id}.week.${day}[${i}]`)),
    ),
    holidays: new Set(spec.holidays.map((h) => parseHolidayDate(h.date, spec.id))),
  };
  if (compiled.shiftsByWeekday.every((shifts) => shifts.length === 0)) {
    throw new CalendarError(
      `Calendar "${spec.id}" has no working hours on any weekday: give at least one day an interval such as ` +
        `{ start: '09:00', end: '17:00' }, or use a calendar-time target.`,
    );
  }
  compiledCalendars.set(spec, compiled);
  return compiled;
}

function zoneOf(name: string, owner: string): IANAZone {
  if (!IANAZone.isValidZone(name)) {
    throw new CalendarError(`${owner}: zone "${name}" is not an IANA time zone (e.g. Europe/Berlin).`);
  }
  return IANAZone.create(name);
}

function parseShift(interval: { start: string; end: string }, where: string): Shift {
  const startMinute = parseWallTime(interval.start, false, where);
  const endMinute = parseWallTime(interval.end, true, where);
  if (endMinute === 24 * 60) return { startMinute, endMinute: 0, endDayOffset: 1 };
  // An end at or before the start is a shift crossing midnight; it belongs to the day it starts on.
  return { startMinute, endMinute, endDayOffset: endMinute <= startMinute ? 1 : 0 };
}

function parseWallTime(text: string, allowEndOfDay: boolean, where: string): number {
  if (allowEndOfDay && text === '24:00') return 24 * 60;
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) {
    const allowed = allowEndOfDay ? "'HH:MM' from 00:00 to 24:00" : "'HH:MM' from 00:00 to 23:59";
    throw new CalendarError(`Calendar ${where}: "${text}" is not a wall time; use ${allowed}.`);
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

function parseHolidayDate(date: string, calendarId: string): string {
  const midnightUtc = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  // Round-tripping rejects dates that do not exist (2026-02-30).
  if (Number.isNaN(midnightUtc) || isoDateOfDay(midnightUtc / DAY) !== date) {
    throw new CalendarError(`Calendar "${calendarId}": holiday "${date}" is not a date; use 'YYYY-MM-DD'.`);
  }
  return date;
}

// ---------------------------------------------------------------------------------------------------------------
// Local days and wall times. A local day is a plain Gregorian day number (days since 1970-01-01); only the
// mapping between wall time and instants involves the zone, and that always goes through the tz database.

function localDayOf(ms: number, zone: IANAZone): number {
  return Math.floor((ms + zone.offset(ms) * MINUTE) / DAY);
}

function isoDateOfDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** Index into WEEKDAYS (Monday = 0); day 0 (1970-01-01) was a Thursday. */
function weekdayIndexOfDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/**
 * The instant at which a local wall time occurs. In a DST gap (a wall time that never occurs) it moves forward
 * by the gap: 02:30 on a spring-forward night is read with the offset in force before the change, which is
 * 03:30 after it. In a repeated hour it is the first occurrence. (These are RFC 5545's and Temporal's
 * 'compatible' rules.) Luxon's own `fromObject` is not used: in a repeated hour its answer depends on a
 * provisional offset guess rather than a rule.
 */
function wallTimeToInstant(day: number, minute: number, zone: IANAZone): number {
  const wall = day * DAY + minute * MINUTE; // the wall time read as if it were UTC
  // Offsets stay within +-18h, so the offsets a day either side are the only ones this wall time can have.
  const offsetBefore = zone.offset(wall - DAY) * MINUTE;
  const offsetAfter = zone.offset(wall + DAY) * MINUTE;
  const occurrences = [wall - offsetBefore, wall - offsetAfter].filter((t) => zone.offset(t) * MINUTE === wall - t);
  if (occurrences.length > 0) return Math.min(...occurrences);
  return wall - offsetBefore;
}

/** The working intervals that start on one local day (none on a holiday), as absolute instants. */
function shiftsStartingOn(day: number, calendar: CompiledCalendar): Interval[] {
  if (calendar.holidays.has(isoDateOfDay(day))) return [];
  const shifts = calendar.shiftsByWeekday[weekdayIndexOfDay(day)] ?? [];
  const intervals: Interval[] = [];
  for (const shift of shifts) {
    // Real elapsed time between the two boundaries: a night shift across a DST change is an hour shorter/longer.
    const start = wallTimeToInstant(day, shift.startMinute, calendar.zone);
    const end = wallTimeToInstant(day + shift.endDayOffset, shift.endMinute, calendar.zone);
    // A same-day interval whose start was pushed forward by a DST gap past its end (02:30-03:15) is empty.
    if (end > start) intervals.push({ start, end });
  }
  return intervals;
}

// ---------------------------------------------------------------------------------------------------------------
// Interval helpers

/** Sorts and unites intervals, joining those that overlap or touch; drops empty ones. */
function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** Removes merged, sorted `pauses` from sorted, disjoint `intervals`. */
function subtractIntervals(intervals: Interval[], pauses: Interval[]): Interval[] {
  const result: Interval[] = [];
  for (const interval of intervals) {
    let cursor = interval.start;
    for (const pause of pauses) {
      if (pause.end <= cursor) continue;
      if (pause.start >= interval.end) break;
      if (pause.start > cursor) result.push({ start: cursor, end: pause.start });
      cursor = Math.max(cursor, pause.end);
    }
    if (cursor < interval.end) result.push({ start: cursor, end: interval.end });
  }
  return result;
}

function totalLength(intervals: Interval[]): number {
  return intervals.reduce((sum, i) => sum + (i.end - i.start), 0);
}

function normalizePauses(pauses: Interval[]): Interval[] {
  for (const pause of pauses) {
    assertInstant(pause.start, 'pause start');
    assertInstant(pause.end, 'pause end');
    if (pause.end < pause.start) throw new RangeError(`A pause ends (${pause.end}) before it starts (${pause.start}).`);
  }
  return mergeIntervals(pauses);
}

function assertInstant(ms: number, what: string): void {
  if (!Number.isFinite(ms)) throw new RangeError(`${what} must be a finite epoch-millisecond instant, got ${ms}.`);
}

function assertDuration(ms: number, what: string): void {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`${what} must be a finite, non-negative ms count, got ${ms}.`);
}

// ---------------------------------------------------------------------------------------------------------------
// Walking the clock

function compiledWorkingIntervals(fromMs: number, toMs: number, calendar: CompiledCalendar): Interval[] {
  if (toMs <= fromMs) return [];
  const intervals: Interval[] = [];
  // A shift from the previous local day may still be running at `fromMs` (it started before midnight).
  const lastDay = localDayOf(toMs, calendar.zone);
  for (let day = localDayOf(fromMs, calendar.zone) - 1; day <= lastDay; day++) {
    for (const shift of shiftsStartingOn(day, calendar)) {
      const start = Math.max(shift.start, fromMs);
      const end = Math.min(shift.end, toMs);
      if (end > start) intervals.push({ start, end });
    }
  }
  return mergeIntervals(intervals);
}

/**
 * The spans that count, from `fromMs` on: working time minus pauses, in order. Endless; pieces may be split at
 * window edges (which never changes a sum or an earliest instant). Throws when the calendar has gone
 * MAX_IDLE_MS without any working time.
 */
function* countingSpans(fromMs: number, calendar: CompiledCalendar, pauses: Interval[]): Generator<Interval> {
  let workedUntil = fromMs;
  for (let windowStart = fromMs; ; windowStart += WINDOW_MS) {
    const working = compiledWorkingIntervals(windowStart, windowStart + WINDOW_MS, calendar);
    const last = working[working.length - 1];
    if (last) workedUntil = last.end;
    else if (windowStart + WINDOW_MS - workedUntil >= MAX_IDLE_MS) throw noWorkingTimeError(calendar, workedUntil);
    yield* subtractIntervals(working, pauses);
  }
}

function noWorkingTimeError(calendar: CompiledCalendar, sinceMs: number): CalendarError {
  const since = formatLocal(sinceMs, calendar.zone.name);
  return new CalendarError(
    `Calendar "${calendar.id}" has no working time for 3 years after ${since}: check its holidays and weekly ` +
      `hours, or use a calendar-time target.`,
  );
}

/** Counts `durationMs` along the spans; a zero duration ends where counting begins (the first span's start). */
function countAlong(spans: Iterable<Interval>, durationMs: number): number {
  let remaining = durationMs;
  for (const span of spans) {
    const length = span.end - span.start;
    // `<=`: a duration that runs out exactly at a span's end is due then (closing time), not at the next opening.
    if (remaining <= length) return span.start + remaining;
    remaining -= length;
  }
  throw new Error('unreachable: counting spans are endless');
}

/** The spans of calendar time from `fromMs` on that are not paused. Endless. */
function* unpausedSpans(fromMs: number, pauses: Interval[]): Generator<Interval> {
  let cursor = fromMs;
  for (const pause of pauses) {
    if (pause.end <= cursor) continue;
    if (pause.start > cursor) yield { start: cursor, end: pause.start };
    cursor = pause.end;
  }
  yield { start: cursor, end: Infinity };
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/** The calendar's working intervals overlapping [fromMs, toMs), clipped to it, in order, merged where they touch. */
export function workingIntervals(fromMs: number, toMs: number, calendar: CalendarSpec): Interval[] {
  assertInstant(fromMs, 'fromMs');
  assertInstant(toMs, 'toMs');
  return compiledWorkingIntervals(fromMs, toMs, compileCalendar(calendar));
}

/** Whether `atMs` is inside working hours: start-inclusive, end-exclusive (17:00 on a 09:00-17:00 day is not). */
export function isWorkingTime(atMs: number, calendar: CalendarSpec): boolean {
  return workingIntervals(atMs, atMs + 1, calendar).length > 0;
}

/** `atMs` itself when it is working time, else the next opening. */
export function nextWorkingInstant(atMs: number, calendar: CalendarSpec): number {
  assertInstant(atMs, 'atMs');
  return countAlong(countingSpans(atMs, compileCalendar(calendar), []), 0);
}

/**
 * The earliest instant t >= start at which the working time in [start, t], minus pauses, equals `durationMs`.
 * Runs out exactly at closing time -> due at closing time. A start outside working hours (or inside a pause)
 * counts from the next opening, and a zero duration is then due at that opening.
 */
export function addBusinessTime(
  startMs: number,
  durationMs: number,
  calendar: CalendarSpec,
  pauses: Interval[] = [],
): number {
  assertInstant(startMs, 'startMs');
  assertDuration(durationMs, 'durationMs');
  return countAlong(countingSpans(startMs, compileCalendar(calendar), normalizePauses(pauses)), durationMs);
}

/** Working time in [aMs, bMs) minus pauses; 0 when bMs <= aMs. */
export function businessTimeBetween(aMs: number, bMs: number, calendar: CalendarSpec, pauses: Interval[] = []): number {
  return totalLength(subtractIntervals(workingIntervals(aMs, bMs, calendar), normalizePauses(pauses)));
}

/**
 * The earliest instant t at which (t - start) minus the paused time in [start, t] equals `durationMs`. Like
 * business time, a zero duration started inside a pause is due when the pause ends.
 */
export function addCalendarTime(startMs: number, durationMs: number, pauses: Interval[] = []): number {
  assertInstant(startMs, 'startMs');
  assertDuration(durationMs, 'durationMs');
  return countAlong(unpausedSpans(startMs, normalizePauses(pauses)), durationMs);
}

type Basis =
  { kind: 'calendar' | 'after-hours'; ms: number } | { kind: 'business'; ms: number; calendar: CalendarSpec };

/** Which clock a target runs on for a window starting at `startMs`; decided once, at the start. */
function basisAt(startMs: number, target: TargetSpec, calendars: Record<string, CalendarSpec>): Basis {
  if (target.kind === 'calendar') return { kind: 'calendar', ms: target.ms };
  const calendar = calendars[target.calendar];
  if (!calendar) {
    const known = Object.keys(calendars).join(', ') || 'none';
    throw new CalendarError(`Unknown calendar "${target.calendar}" in a business-time target (known: ${known}).`);
  }
  if (target.afterHoursMs !== undefined && !isWorkingTime(startMs, calendar)) {
    return { kind: 'after-hours', ms: target.afterHoursMs };
  }
  return { kind: 'business', ms: target.ms, calendar };
}

function addOnBasis(startMs: number, durationMs: number, basis: Basis, pauses: Interval[]): number {
  return basis.kind === 'business'
    ? addBusinessTime(startMs, durationMs, basis.calendar, pauses)
    : addCalendarTime(startMs, durationMs, pauses);
}

/**
 * When a target started at `startMs` is due. Business targets with `afterHoursMs` use that much calendar time
 * instead when `startMs` is outside working hours.
 */
export function computeDue(
  startMs: number,
  target: TargetSpec,
  calendars: Record<string, CalendarSpec>,
  pauses: Interval[] = [],
): DueTime {
  const basis = basisAt(startMs, target, calendars);
  return {
    dueMs: addOnBasis(startMs, basis.ms, basis, pauses),
    afterHours: basis.kind === 'after-hours',
    basis: basis.kind,
  };
}

/**
 * The instant at which `fraction` (0..1) of a target has elapsed, on the same clock computeDue chose at the
 * start. The fractional duration is floored to whole milliseconds, so a warning is never later than exact.
 */
export function warningAt(
  startMs: number,
  target: TargetSpec,
  fraction: number,
  calendars: Record<string, CalendarSpec>,
  pauses: Interval[] = [],
): number {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fraction must be within 0..1, got ${fraction}.`);
  const basis = basisAt(startMs, target, calendars);
  return addOnBasis(startMs, Math.floor(basis.ms * fraction), basis, pauses);
}

/**
 * An instant as people read it in a zone, e.g. `Mon 2026-03-02 09:30 CET`; seconds (and milliseconds) appear
 * only when the instant is not on a whole minute (second), so `16:59:59.999` is never shown as `16:59`.
 */
export function formatLocal(ms: number, zone: string): string {
  assertInstant(ms, 'ms');
  const ianaZone = zoneOf(zone, 'formatLocal');
  const local = DateTime.fromMillis(ms, { zone: ianaZone, locale: 'en-US' });
  const time = ms % 1000 !== 0 ? 'HH:mm:ss.SSS' : ms % MINUTE !== 0 ? 'HH:mm:ss' : 'HH:mm';
  return `${local.toFormat(`ccc yyyy-LL-dd ${time}`)} ${zoneAbbreviation(ms, ianaZone)}`;
}

/**
 * ICU only has the customary abbreviation of a zone in locales that use it (EST in en-US, CET in en-GB);
 * elsewhere it answers GMT+5:30, which is unambiguous and kept.
 */
function zoneAbbreviation(ms: number, zone: IANAZone): string {
  const names = ['en-US', 'en-GB'].map((locale) => zone.offsetName(ms, { format: 'short', locale }) ?? '');
  return names.find((name) => name !== '' && !/^(GMT|UTC)[+-]/.test(name)) ?? names[0] ?? zone.name;
}
