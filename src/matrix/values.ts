// Parsers for the small value formats of the matrix YAML: ids, clock times, working intervals, day keys, dates,
// percentages and SLA targets. Pure: the zod schema, the cross-field rules and the compiler share them.
import { DateTime, IANAZone } from 'luxon';
import { parseDuration } from '../shared/duration';
import { WEEKDAYS, type Weekday } from '../shared/plan';

/** Channels a notify target, a contact or the reporter can use; each needs a sender in src/channels. */
export const KNOWN_CHANNELS = ['log', 'email', 'slack', 'webhook'] as const;
export type KnownChannel = (typeof KNOWN_CHANNELS)[number];

export const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const KEBAB_CASE_HINT = 'lowercase letters and digits joined by single dashes, e.g. team-lead';
export function notKebabCase(input: unknown): string {
  return `${JSON.stringify(input)} is not a kebab-case id (${KEBAB_CASE_HINT})`;
}

export const DURATION_EXAMPLES = 'use e.g. 30m, 24h, 1h30m, 2d';

export const MINUTES_PER_DAY = 24 * 60;

/** Minutes since midnight of a `HH:MM` wall time (`00:00`..`23:59`, or `24:00` when `allowEndOfDay`). */
export function parseClock(text: string, allowEndOfDay = false): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59) return undefined;
  if (hours === 24 && minutes === 0 && allowEndOfDay) return MINUTES_PER_DAY;
  if (hours > 23) return undefined;
  return hours * 60 + minutes;
}

export interface ParsedInterval {
  start: string;
  end: string;
  /** Minutes since midnight. */
  startMinute: number;
  /** Minutes since midnight of the start day: above 1440 for a shift that crosses midnight. */
  endMinute: number;
}

/** `"09:00-17:00"`, `"09:00-24:00"` or `"22:00-06:00"` (crosses midnight); a string says what is wrong. */
export function parseInterval(text: string): ParsedInterval | string {
  const match = /^\s*([^-\s]+)\s*-\s*([^-\s]+)\s*$/.exec(text);
  const example = 'write "HH:MM-HH:MM", e.g. "09:00-17:00", "22:00-06:00" or "18:00-24:00"';
  if (!match) return `${JSON.stringify(text)} is not a time range (${example})`;
  const start = match[1]!;
  const end = match[2]!;
  const startMinute = parseClock(start);
  if (startMinute === undefined)
    return `${JSON.stringify(text)}: start ${JSON.stringify(start)} is not a time (${example})`;
  const endOfDay = parseClock(end, true);
  if (endOfDay === undefined) return `${JSON.stringify(text)}: end ${JSON.stringify(end)} is not a time (${example})`;
  if (endOfDay === startMinute) return `${JSON.stringify(text)} is empty: start and end are the same time`;
  const endMinute = endOfDay > startMinute ? endOfDay : endOfDay + MINUTES_PER_DAY;
  return { start, end, startMinute, endMinute };
}

/** The weekdays a key of `hours` stands for: `mon`, or an ascending range `mon-fri`; a string says what is wrong. */
export function parseDayKey(key: string): Weekday[] | string {
  const days = WEEKDAYS.join(', ');
  const parts = key.split('-');
  const indexes = parts.map((part) => WEEKDAYS.indexOf(part as Weekday));
  if (parts.length > 2 || indexes.some((index) => index < 0)) {
    return `${JSON.stringify(key)} is not a day or a day range (days: ${days}; a range: mon-fri)`;
  }
  const from = indexes[0]!;
  const to = indexes[indexes.length - 1]!;
  if (to < from) {
    return `${JSON.stringify(key)} runs backwards: a range goes from an earlier to a later day of mon..sun (e.g. mon-fri; write sat-sun and mon as two keys)`;
  }
  return WEEKDAYS.slice(from, to + 1);
}

/** A real calendar date written `YYYY-MM-DD`. */
export function isDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromFormat(text, 'yyyy-MM-dd').isValid;
}

/** A real local date-time written `YYYY-MM-DDTHH:MM`. */
export function isLocalDateTime(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) && DateTime.fromFormat(text, "yyyy-MM-dd'T'HH:mm").isValid;
}

export function isZone(text: string): boolean {
  return IANAZone.isValidZone(text);
}

/** Weekday of a valid `YYYY-MM-DD` date. */
export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[DateTime.fromFormat(date, 'yyyy-MM-dd').weekday - 1]!;
}

/** `"75%"` -> 0.75; undefined when the text is not a percentage. Range is checked by the caller. */
export function parsePercent(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  return match ? Number(match[1]) / 100 : undefined;
}

/** Positive milliseconds of a duration, or undefined. */
export function positiveDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = parseDuration(value);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

/** An SLA target before its calendar is resolved: the calendar comes from the target, its path or `defaults`. */
export type TargetValue =
  { kind: 'calendar'; ms: number } | { kind: 'business'; ms: number; calendar?: string; afterHoursMs?: number };

/** Reads a target as written (`4h`, or `{ business: 30m, afterHours: 12h, calendar: eu-support }`), if valid. */
export function readTarget(value: unknown): TargetValue | undefined {
  if (typeof value === 'string') {
    const ms = positiveDuration(value);
    return ms === undefined ? undefined : { kind: 'calendar', ms };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const ms = positiveDuration(record.business);
  if (ms === undefined) return undefined;
  const afterHoursMs = record.afterHours === undefined ? undefined : positiveDuration(record.afterHours);
  if (record.afterHours !== undefined && afterHoursMs === undefined) return undefined;
  const calendar = typeof record.calendar === 'string' ? record.calendar : undefined;
  return {
    kind: 'business',
    ms,
    ...(calendar === undefined ? {} : { calendar }),
    ...(afterHoursMs === undefined ? {} : { afterHoursMs }),
  };
}

/** The candidate a typo most likely meant: within two edits, or differing only in case, `_` or `-`. */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  // Bounded work: a huge matrix full of typos must still lint quickly (it is linted on an API request too).
  if (key.length > 64 || allowed.length > 2000) return undefined;
  const squash = (text: string) => text.toLowerCase().replace(/[-_]/g, '');
  let best: { key: string; distance: number } | undefined;
  for (const candidate of allowed) {
    if (Math.abs(candidate.length - key.length) > 2 && squash(candidate) !== squash(key)) continue;
    const distance = squash(candidate) === squash(key) ? 0 : editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`: `bne` is one edit from `ben`. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, at(i - 2, j - 2) + 1);
      rows[i]![j] = distance;
    }
  }
  return at(a.length, b.length);
}
