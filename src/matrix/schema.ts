// The escalation matrix YAML (version 2, the policy language) as a zod schema, with messages a matrix author can
// act on. This checks the shape of every value; rules.ts checks what spans fields (references, ids, merges).
import { z } from 'zod';
import { PRIORITIES, STATUS_AUDIENCES, URGENCIES, WEEKDAYS, type TargetRef } from '../shared/plan';
import {
  DURATION_EXAMPLES,
  KEBAB_CASE,
  KNOWN_CHANNELS,
  notKebabCase,
  isDate,
  isLocalDateTime,
  isZone,
  parseClock,
  parseDayKey,
  parseInterval,
  closestKey,
  parsePercent,
  type TargetValue,
} from './values';
import { formatDuration, parseDuration } from '../shared/duration';
import type { PathIssue } from './issues';
import { checkRules } from './rules';

export { KNOWN_CHANNELS, type KnownChannel } from './values';

/** Used when `defaults.repeat` (or one of its keys) is left out. */
export const DEFAULT_REPEAT = { every: '30m', times: 3 } as const;
/** Used for whatever `defaults.warning` and a level's `warning` leave out. */
export const DEFAULT_WARNING = { atFraction: 0.75, notifyNextLevel: false } as const;
/** Used when `reminders` (or its `every`) is left out. */
export const DEFAULT_REMINDERS = { every: '1d' } as const;
/** The shortest interval of anything that repeats for a case: status updates, review and task reminders. */
export const MIN_REPEAT_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Building blocks

/**
 * A strict map: unknown keys are errors, so a typo such as `nofity:` is reported instead of silently ignored.
 * The message carries one line per unknown key (in `keys` order); flattenIssues pairs them with their keys.
 */
function strictMap<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      return issue.keys.map((key) => unknownKeyMessage(key, allowed)).join('\n');
    },
  });
}

function unknownKeyMessage(key: string, allowed: string[]): string {
  const guess = closestKey(key, allowed);
  const hint = guess === undefined ? '' : `did you mean "${guess}"? `;
  return `unknown key (${hint}allowed here: ${allowed.join(', ')})`;
}

/** A string checked by `check`, which returns what is wrong (or undefined when it is fine). */
function checkedString(check: (value: string) => string | undefined, notText?: (input: unknown) => string) {
  return z
    .string({
      error: (issue) => (issue.input === undefined || notText === undefined ? undefined : notText(issue.input)),
    })
    .superRefine((value, ctx) => {
      const problem = check(value);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/**
 * A value whose schema depends on what it looks like (a duration or a map, which kind of notify target...).
 * `choose` returns the schema to apply, or a message when the value fits none. Problems inside the chosen schema
 * are reported at their own paths.
 */
function dispatch<T>(choose: (input: unknown) => z.ZodType<T> | string) {
  return z.unknown().transform((input, ctx): T => {
    const chosen = choose(input);
    if (typeof chosen === 'string') {
      ctx.addIssue({ code: 'custom', message: chosen });
      return z.NEVER;
    }
    const result = chosen.safeParse(input, { error: fallbackMessage });
    if (result.success) return result.data;
    for (const { path, message } of flattenIssues(result.error.issues)) ctx.addIssue({ code: 'custom', path, message });
    return z.NEVER;
  });
}

/** Non-empty text; surrounding whitespace is trimmed so `"  "` does not pass as a name or address. */
const text = z.string().trim().min(1, 'must not be empty');

/** A reference to an id defined elsewhere; rules.ts checks that it exists. */
const ref = text;

/** Kebab-case ids: of people, teams, rotations, calendars, paths, levels, triage rules, jumps and pause reasons. */
const id = z.string().regex(KEBAB_CASE, {
  error: (issue) => (issue.input === undefined ? undefined : notKebabCase(issue.input)),
});

/**
 * A calendar duration such as `30m`, in milliseconds. Bare numbers are accepted by the union only to be rejected by
 * the transform, with a message that asks for a unit.
 */
const duration = z
  .union([z.string(), z.number()], {
    error: (issue) => (issue.input === undefined ? undefined : notADuration(issue.input)),
  })
  .transform((value, ctx) => {
    const ms = typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: notADuration(value) });
      return z.NEVER;
    }
    if (ms <= 0) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is zero: must be longer than 0 (${DURATION_EXAMPLES})`,
      });
      return z.NEVER;
    }
    return ms;
  });

/** A duration for something that repeats (status updates, reminders): at least MIN_REPEAT_MS apart. */
const repeatInterval = duration.pipe(
  z.number().refine((ms) => ms >= MIN_REPEAT_MS, {
    error: (issue) =>
      `${JSON.stringify(formatDuration(issue.input as number))} is too often: must be at least ${formatDuration(MIN_REPEAT_MS)}`,
  }),
);

function notADuration(input: unknown): string {
  if (input === null) return `is empty: expected a duration (${DURATION_EXAMPLES})`;
  return `${JSON.stringify(input)} is not a duration (${DURATION_EXAMPLES})`;
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, {
    error: (issue) => {
      if (issue.input === undefined) return undefined;
      const known = `${values.join(', ')}`;
      if (issue.input === null) return `is empty: expected a ${what} (one of: ${known})`;
      return `unknown ${what} ${JSON.stringify(issue.input)} (one of: ${known})`;
    },
  });
}

const channel = z.enum(KNOWN_CHANNELS, {
  error: (issue) => {
    if (issue.input === undefined) return undefined;
    const known = `known: ${KNOWN_CHANNELS.join(', ')}`;
    if (issue.input === null) return `is empty: expected a channel (${known})`;
    return `unknown channel ${JSON.stringify(issue.input)} (${known})`;
  },
});

const priority = oneOf(PRIORITIES, 'priority');
const audience = oneOf(STATUS_AUDIENCES, 'audience');
const urgency = oneOf(URGENCIES, 'urgency');
const weekday = oneOf(WEEKDAYS, 'day');

const date = checkedString(
  (value) => (isDate(value) ? undefined : `${JSON.stringify(value)} is not a date (write YYYY-MM-DD, e.g. 2026-12-25)`),
  (input) => `${JSON.stringify(input)} is not a date (write YYYY-MM-DD, e.g. 2026-12-25)`,
);

const localDateTime = checkedString((value) =>
  isLocalDateTime(value)
    ? undefined
    : `${JSON.stringify(value)} is not a local date and time (write "YYYY-MM-DDTHH:MM", e.g. "2026-12-24T18:00")`,
);

const clock = checkedString(
  (value) =>
    parseClock(value) === undefined
      ? `${JSON.stringify(value)} is not a time (write "HH:MM", 00:00 to 23:59)`
      : undefined,
  (input) => `${JSON.stringify(input)} is not a time (write "HH:MM" in quotes, e.g. "09:00")`,
);

const zone = checkedString((value) =>
  isZone(value)
    ? undefined
    : `unknown time zone ${JSON.stringify(value)} (use an IANA zone such as Europe/Berlin, America/New_York or UTC)`,
);

/** Non-empty list: an empty list in a condition or filter is almost certainly a mistake. */
function nonEmptyList<T extends z.ZodType>(item: T) {
  return z.array(item).min(1, 'must list at least one (or leave the key out)');
}

/** `75%` -> 0.75, strictly between 0% and 100%. */
const percent = z
  .union([z.string(), z.number()], {
    error: (issue) => (issue.input === undefined ? undefined : notAPercent(issue.input)),
  })
  .transform((value, ctx) => {
    const fraction = typeof value === 'string' ? parsePercent(value) : undefined;
    if (fraction === undefined) {
      ctx.addIssue({ code: 'custom', message: notAPercent(value) });
      return z.NEVER;
    }
    if (!(fraction > 0 && fraction < 1)) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} must be strictly between 0% and 100% (a share of the target's time)`,
      });
      return z.NEVER;
    }
    return fraction;
  });

function notAPercent(input: unknown): string {
  return `${JSON.stringify(input)} is not a percentage (write e.g. 75%)`;
}

// ---------------------------------------------------------------------------------------------
// People, teams, rotations, calendars

/** `channel: address` pairs, e.g. `{ log: ana@example.com }`. */
const contacts = z.record(
  checkedString((key) =>
    (KNOWN_CHANNELS as readonly string[]).includes(key)
      ? undefined
      : `unknown channel ${JSON.stringify(key)} (known: ${KNOWN_CHANNELS.join(', ')})`,
  ),
  text,
);

const person = strictMap({
  name: text,
  contacts: contacts.refine(
    (map) => Object.keys(map).length > 0,
    'needs at least one contact, e.g. { log: ana@example.com }',
  ),
});

const team = strictMap({
  name: text,
  members: z.array(ref).default([]),
  contacts: contacts.default({}),
});

const interval = checkedString((value) => {
  const parsed = parseInterval(value);
  return typeof parsed === 'string' ? parsed : undefined;
});

/** Weekly local wall-time intervals by day or day range: `{ mon-fri: ['09:00-17:00'], sat: ['10:00-14:00'] }`. */
const weeklyHours = z.record(
  checkedString((key) => {
    const parsed = parseDayKey(key);
    return typeof parsed === 'string' ? parsed : undefined;
  }),
  z.array(interval),
);

const rotation = strictMap({
  name: text,
  zone,
  handoff: strictMap({ every: oneOf(['daily', 'weekly'], 'handoff interval'), day: weekday.optional(), time: clock }),
  start: date,
  // An empty layer is allowed (warnings.ts flags it): with overrides, it is a rotation only overrides staff.
  layers: z.array(z.array(ref)).min(1, 'needs at least one layer: a list of people who take turns'),
  overrides: z.array(strictMap({ person: ref, from: localDateTime, to: localDateTime })).default([]),
  // When the layers put anybody on call, in the rotation's zone; left out, around the clock.
  onCallHours: weeklyHours.optional(),
});

const calendar = strictMap({
  name: text,
  zone,
  hours: weeklyHours,
  holidays: z.array(strictMap({ date, name: text })).default([]),
});

// ---------------------------------------------------------------------------------------------
// Targets, warnings, levels

const businessTarget = strictMap({ business: duration, afterHours: duration.optional(), calendar: ref.optional() });

/** `4h` (calendar time) or `{ business: 30m, afterHours: 12h, calendar: eu-support }`. */
const target = dispatch<TargetValue>((input) => {
  if (typeof input === 'string' || typeof input === 'number' || input === null) {
    return duration.transform((ms) => ({ kind: 'calendar' as const, ms }));
  }
  if (isRecord(input) && input.business === undefined && typeof input.calendar === 'string') {
    const ms = parseDuration(input.calendar);
    if (ms !== undefined) {
      return `a calendar-time target is a plain duration: write ${input.calendar}, not { calendar: ${input.calendar} } (calendar: names the working-hours calendar of a business target)`;
    }
  }
  if (!isRecord(input)) {
    return `expected a duration (calendar time, e.g. 4h) or a map { business: 30m, afterHours: 12h, calendar: id }, got ${describeValue(input)}`;
  }
  return businessTarget.transform(({ business, afterHours, calendar }) => ({
    kind: 'business' as const,
    ms: business,
    ...(calendar === undefined ? {} : { calendar }),
    ...(afterHours === undefined ? {} : { afterHoursMs: afterHours }),
  }));
});

/** ack/resolve of one priority; both optional here because a level may override just one of them. */
const targets = strictMap({ ack: target.optional(), resolve: target.optional() });

/** Targets per priority; every priority optional here, completeness is checked after merging (rules.ts). */
const slaTable = strictMap({
  critical: targets.optional(),
  high: targets.optional(),
  medium: targets.optional(),
  low: targets.optional(),
});

/** A warning policy as written: either key may be left out (the defaults fill it in). */
export interface WarningInput {
  at?: number;
  notifyNextLevel?: boolean;
}

const warningMap = strictMap({ at: percent.optional(), notifyNextLevel: z.boolean().optional() });

/** `{ at: 75%, notifyNextLevel: false }` (either key may be left out) or `off` (null). */
const warning = dispatch<WarningInput | null>((input) => {
  if (input === 'off') return z.literal('off').transform(() => null);
  if (isRecord(input)) return warningMap;
  if (input === false) return 'write off (not false) to turn warnings off';
  return `expected a map { at: 75%, notifyNextLevel: false } or off, got ${describeValue(input)}`;
});

const channelFilter = nonEmptyList(channel).optional();
const TARGET_KINDS = ['person', 'team', 'oncall'] as const;

/** `{ person: id }`, `{ team: id }`, `{ oncall: rotation }` (each with optional `channels`), or a bare contact. */
const notifyTarget = dispatch<TargetRef>((input) => {
  if (!isRecord(input)) {
    return `expected a map such as { person: ana }, { team: support }, { oncall: leads } or { name, channel, address }, got ${describeValue(input)}`;
  }
  const kinds = TARGET_KINDS.filter((kind) => input[kind] !== undefined);
  if (kinds.length > 1) {
    return `names ${kinds.join(' and ')}: a target is exactly one of person, team, oncall, or a contact (name, channel, address)`;
  }
  switch (kinds[0]) {
    case 'person':
      return strictMap({ person: ref, channels: channelFilter }).transform(({ person, channels }) => ({
        kind: 'person' as const,
        person,
        ...(channels === undefined ? {} : { channels: [...channels] as string[] }),
      }));
    case 'team':
      return strictMap({ team: ref, channels: channelFilter }).transform(({ team, channels }) => ({
        kind: 'team' as const,
        team,
        ...(channels === undefined ? {} : { channels: [...channels] as string[] }),
      }));
    case 'oncall':
      return strictMap({ oncall: ref, channels: channelFilter }).transform(({ oncall, channels }) => ({
        kind: 'oncall' as const,
        rotation: oncall,
        ...(channels === undefined ? {} : { channels: [...channels] as string[] }),
      }));
    default:
      return strictMap({ name: text, channel, address: text }).transform(({ name, channel, address }) => ({
        kind: 'contact' as const,
        name,
        channel,
        address,
      }));
  }
});

const level = strictMap({
  id,
  name: text,
  notify: z.array(notifyTarget).min(1, 'needs at least one target: who is told when a case reaches this level'),
  sla: slaTable.optional(),
  warning: warning.optional(),
});

const startTable = strictMap({
  critical: ref.optional(),
  high: ref.optional(),
  medium: ref.optional(),
  low: ref.optional(),
});

const path = strictMap({
  name: text,
  categories: z.array(text).default([]),
  calendar: ref.optional(),
  start: startTable.prefault({}),
  levels: z.array(level).min(1, 'needs at least one level: the first level is where cases start by default'),
});

// ---------------------------------------------------------------------------------------------
// Triage and jumps

const condition = strictMap({
  categories: nonEmptyList(text).optional(),
  tags: nonEmptyList(text).optional(),
  priorities: nonEmptyList(priority).optional(),
  urgencies: nonEmptyList(urgency).optional(),
  legalThreat: z.boolean().optional(),
  minUsersAffected: z
    .number()
    .refine((n) => Number.isInteger(n) && n >= 0, 'must be a whole number, 0 or more')
    .optional(),
  minRevenueAtRisk: z
    .number()
    .refine((n) => Number.isFinite(n) && n >= 0, 'must be a number, 0 or more')
    .optional(),
});

const triageRule = strictMap({
  id,
  when: condition.optional(),
  default: z
    .literal(true, { error: () => 'write default: true on the final catch-all rule, or leave the key out' })
    .optional(),
  priority: priority.optional(),
  path: ref.optional(),
  startLevel: ref.optional(),
});

const jump = strictMap({
  id,
  to: ref,
  from: nonEmptyList(ref).optional(),
  categories: nonEmptyList(text).optional(),
  priorities: nonEmptyList(priority).optional(),
});

const REPEAT_TIMES_MESSAGE = 'must be a whole number from 0 to 100';

const repeat = strictMap({
  every: duration.prefault(DEFAULT_REPEAT.every),
  times: z
    .number({ error: (issue) => (issue.input === undefined ? undefined : REPEAT_TIMES_MESSAGE) })
    .refine((times) => Number.isInteger(times) && times >= 0 && times <= 100, REPEAT_TIMES_MESSAGE)
    .default(DEFAULT_REPEAT.times),
});

// ---------------------------------------------------------------------------------------------
// The case lifecycle after the ladder: status updates, follow-up, reviews, reminders

const statusUpdate = strictMap({ every: repeatInterval, to: nonEmptyList(audience) });

/** Periodic status updates per priority; a priority left out gets none. */
const statusUpdates = strictMap({
  critical: statusUpdate.optional(),
  high: statusUpdate.optional(),
  medium: statusUpdate.optional(),
  low: statusUpdate.optional(),
});

const SATISFIED_MESSAGE = 'must be a whole number from 1 to 5 (the lowest score that does not reopen the case)';

const followUp = strictMap({
  window: duration,
  satisfiedAtLeast: z
    .number({ error: (issue) => (issue.input === undefined ? undefined : SATISFIED_MESSAGE) })
    .refine((score) => Number.isInteger(score) && score >= 1 && score <= 5, SATISFIED_MESSAGE),
});

/** `breached: true` / `reopened: true`: a condition is either set or left out. */
const flag = (key: string) =>
  z.literal(true, { error: () => `write ${key}: true to select these cases, or leave the key out` });

const REVIEW_CONDITIONS = 'priorities, categories, breached: true, reopened: true';

const reviewWhen = strictMap({
  priorities: nonEmptyList(priority).optional(),
  categories: nonEmptyList(text).optional(),
  breached: flag('breached').optional(),
  reopened: flag('reopened').optional(),
}).refine(
  (when) => Object.values(when).some((value) => value !== undefined),
  `needs at least one condition (${REVIEW_CONDITIONS}): a closed case is reviewed when any of them holds`,
);

const review = strictMap({
  when: reviewWhen,
  owner: ref.optional(),
  dueWithin: duration,
  remindEvery: repeatInterval,
});

const reminders = strictMap({ every: repeatInterval.prefault(DEFAULT_REMINDERS.every) });

// ---------------------------------------------------------------------------------------------
// The document

/** A map from ids to definitions; rules.ts checks the ids, so a bad id does not hide problems in its value. */
const idRecord = <T extends z.ZodType>(value: T) => z.record(z.string(), value);

export const matrixSchema = strictMap({
  version: z.literal(2, {
    error: (issue) =>
      issue.input === undefined
        ? 'required: add "version: 2" at the top of the file'
        : typeof issue.input === 'number'
          ? `unsupported version ${issue.input} (this release reads version 2)`
          : `expected the number 2, got ${describeValue(issue.input)} (write version: 2, without quotes)`,
  }),
  name: text,
  versionName: z
    .string({
      error: (issue) =>
        typeof issue.input === 'number'
          ? `expected text, got number ${issue.input}: quote it (versionName: "2026.10"), or YAML reads it as a number`
          : undefined,
    })
    .trim()
    .min(1, 'must not be empty')
    .optional(),
  owner: strictMap({ name: text, email: z.email('must be an email address') }).optional(),
  reviewBy: date.optional(),
  people: idRecord(person).default({}),
  teams: idRecord(team).default({}),
  rotations: idRecord(rotation).default({}),
  calendars: idRecord(calendar).default({}),
  reporter: strictMap({ channel: channel.default('log') }).prefault({}),
  pauseReasons: z.array(id).default([]),
  defaults: strictMap({
    calendar: ref.optional(),
    warning: warning.optional(),
    repeat: repeat.prefault({}),
  }).prefault({}),
  sla: slaTable.prefault({}),
  paths: idRecord(path).refine(
    (paths) => Object.keys(paths).length > 0,
    'needs at least one path: an ordered list of levels cases escalate through',
  ),
  defaultPath: ref.optional(),
  triage: z.array(triageRule).min(1, 'needs at least the final rule: - { id: default, default: true }').optional(),
  jumps: z.array(jump).default([]),
  statusUpdates: statusUpdates.prefault({}),
  followUp: followUp.optional(),
  review: review.optional(),
  reminders: reminders.prefault({}),
});

/** A matrix that passed the schema: durations are milliseconds, targets are tagged, defaults are filled in. */
export type MatrixDocument = z.infer<typeof matrixSchema>;
/** The matrix as written in YAML (before defaults and parsing). */
export type MatrixInput = z.input<typeof matrixSchema>;
export type DocumentPath = MatrixDocument['paths'][string];
export type DocumentLevel = DocumentPath['levels'][number];

// ---------------------------------------------------------------------------------------------
// Validation with readable issues

export type SchemaValidation = { success: true; document: MatrixDocument } | { success: false; issues: PathIssue[] };

/** Checks the shape of parsed YAML; on failure returns every problem with its path. */
export function validateShape(data: unknown): SchemaValidation {
  if (data === null || data === undefined) {
    return { success: false, issues: [{ path: [], message: 'the matrix is empty (start with "version: 2")' }] };
  }
  const result = matrixSchema.safeParse(data, { error: fallbackMessage });
  if (result.success) return { success: true, document: result.data };
  return { success: false, issues: flattenIssues(result.error.issues) };
}

export type MatrixValidation = { success: true; document: MatrixDocument } | { success: false; issues: PathIssue[] };

/**
 * Checks parsed YAML against the schema and the cross-field rules (rules.ts) in one pass, so every problem is
 * reported at once; on success the document is ready for compileMatrix.
 */
export function validateMatrix(data: unknown): MatrixValidation {
  const shape = validateShape(data);
  const issues = [...(shape.success ? [] : shape.issues), ...checkRules(data)];
  if (shape.success && issues.length === 0) return shape;
  return { success: false, issues };
}

/** Messages for issues the schema does not word itself: missing keys and wrong types, in YAML terms. */
function fallbackMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.input === undefined) return 'required';
  if (issue.code === 'invalid_type') {
    return `expected ${describeExpected(String(issue.expected))}, got ${describeValue(issue.input)}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'array') return `needs at least ${String(issue.minimum)} item(s)`;
  return undefined;
}

function describeExpected(expected: string): string {
  const names: Record<string, string> = {
    object: 'a map (key: value lines)',
    record: 'a map (key: value lines)',
    array: 'a list (- item lines)',
    string: 'text',
    number: 'a number',
    boolean: 'true or false',
    int: 'a whole number',
  };
  return names[expected] ?? expected;
}

export function describeValue(input: unknown): string {
  if (input === null) return 'an empty value';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a map';
  if (typeof input === 'string') return `text ${JSON.stringify(input)}`;
  return `${typeof input} ${JSON.stringify(input)}`;
}

/** One issue per problem: unknown keys get one each (at the key), invalid record keys the key's own message. */
function flattenIssues(issues: z.core.$ZodIssue[]): PathIssue[] {
  return issues.flatMap((issue): PathIssue[] => {
    const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
    if (issue.code === 'unrecognized_keys') {
      const lines = issue.message.split('\n');
      return issue.keys.map((key, i) => ({
        path: [...path, key],
        message: lines.length === issue.keys.length ? lines[i]! : 'unknown key',
      }));
    }
    if (issue.code === 'invalid_key') {
      return [{ path, message: issue.issues.map((inner) => inner.message).join('; ') }];
    }
    return [{ path, message: issue.message }];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
