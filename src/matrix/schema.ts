// The escalation matrix YAML (version 1) as a zod schema, with messages a matrix author can act on.
import { z } from 'zod';
import { formatDuration, parseDuration } from '../shared/duration';
import { PRIORITIES } from '../shared/plan';

/** Channels a notify target or the reporter can use; each needs a sender in src/channels. */
export const KNOWN_CHANNELS = ['log'] as const;
export type KnownChannel = (typeof KNOWN_CHANNELS)[number];

const DURATION_EXAMPLES = 'use e.g. 30m, 24h, 1h30m, 2d';
const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TARGET_FIELDS = ['ack', 'resolve'] as const;
type TargetField = (typeof TARGET_FIELDS)[number];

/** Used when the matrix has no `repeat` section (or leaves out one of its keys). */
export const DEFAULT_REPEAT = { every: '30m', times: 3 } as const;

// ---------------------------------------------------------------------------------------------
// Building blocks

/**
 * A strict map: unknown keys are errors, so a typo such as `nofity:` is reported instead of silently ignored.
 * The message carries one line per unknown key (in `keys` order); formatIssues pairs them with their keys.
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

/** The allowed key a typo most likely meant: within two edits, or differing only in case, `_` or `-`. */
function closestKey(key: string, allowed: string[]): string | undefined {
  const squash = (text: string) => text.toLowerCase().replace(/[-_]/g, '');
  let best: { key: string; distance: number } | undefined;
  for (const candidate of allowed) {
    const distance = squash(candidate) === squash(key) ? 0 : editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Non-empty text; surrounding whitespace is trimmed so `"  "` does not pass as a name or address. */
const text = z.string().trim().min(1, 'must not be empty');

/**
 * A calendar duration such as `30m`; the document holds it in milliseconds. Bare numbers are accepted by the
 * union only to be rejected by the transform: that way a number in the output is always a parsed duration,
 * which the cross-field checks rely on when they run over a partly invalid document.
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

function notADuration(input: unknown): string {
  if (input === null) return `is empty: expected a duration (${DURATION_EXAMPLES})`;
  return `${JSON.stringify(input)} is not a duration (${DURATION_EXAMPLES})`;
}

const channel = z.enum(KNOWN_CHANNELS, {
  error: (issue) => {
    if (issue.input === undefined) return undefined;
    const known = `known: ${KNOWN_CHANNELS.join(', ')}`;
    if (issue.input === null) return `is empty: expected a channel (${known})`;
    return `unknown channel ${JSON.stringify(issue.input)} (${known})`;
  },
});

const levelId = z.string().regex(KEBAB_CASE, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a kebab-case id (lowercase letters and digits joined by single dashes, e.g. team-lead)`,
});

const REPEAT_TIMES_MESSAGE = 'must be a whole number from 0 to 100';

/** ack/resolve of one priority; both optional here because a level may override just one of them. */
const targets = strictMap({ ack: duration.optional(), resolve: duration.optional() });

/** Targets per priority; every priority optional here, completeness is checked after merging (checkSla). */
const slaTable = strictMap({
  critical: targets.optional(),
  high: targets.optional(),
  medium: targets.optional(),
  low: targets.optional(),
});

const notifyTarget = strictMap({ name: text, channel, address: text });

const level = strictMap({
  id: levelId,
  name: text,
  notify: z.array(notifyTarget).min(1, 'needs at least one target: who is told when a case reaches this level'),
  sla: slaTable.optional(),
});

// ---------------------------------------------------------------------------------------------
// The document

export const matrixSchema = strictMap({
  version: z.literal(1, {
    error: (issue) =>
      issue.input === undefined
        ? 'required: add "version: 1" at the top of the file'
        : typeof issue.input === 'number'
          ? `unsupported version ${issue.input} (this release reads version 1)`
          : `expected the number 1, got ${describeValue(issue.input)} (write version: 1, without quotes)`,
  }),
  name: text,
  reporter: strictMap({ channel: channel.default('log') }).prefault({}),
  sla: slaTable.prefault({}),
  start: strictMap({
    critical: z.string().optional(),
    high: z.string().optional(),
    medium: z.string().optional(),
    low: z.string().optional(),
  }).prefault({}),
  repeat: strictMap({
    every: duration.prefault(DEFAULT_REPEAT.every),
    times: z
      .number({ error: (issue) => (issue.input === undefined ? undefined : REPEAT_TIMES_MESSAGE) })
      // A refine rather than .int(): a failed .int() stops the cross-field checks below from running at all.
      .refine((times) => Number.isInteger(times) && times >= 0 && times <= 100, REPEAT_TIMES_MESSAGE)
      .default(DEFAULT_REPEAT.times),
  }).prefault({}),
  levels: z.array(level).min(1, 'needs at least one level: the first level is where cases start by default'),
})
  // Runs even when fields above failed, so one pass reports every problem; hence it reads `value` defensively.
  .superRefine((value, ctx) => checkCrossField(value, ctx), { when: () => true });

/** A validated matrix: durations are already milliseconds, optional sections have their defaults. */
export type MatrixDocument = z.infer<typeof matrixSchema>;
/** The matrix as written in YAML (before defaults and duration parsing). */
export type MatrixInput = z.input<typeof matrixSchema>;

// ---------------------------------------------------------------------------------------------
// Cross-field rules

type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

function checkCrossField(value: unknown, ctx: z.RefinementCtx): void {
  if (!isRecord(value)) return;
  const report: Report = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  const levels = Array.isArray(value.levels) ? value.levels : [];
  checkLevelIds(levels, report);
  checkStart(value.start, levels, report);
  checkSla(value.sla, levels, report);
}

function checkLevelIds(levels: unknown[], report: Report): void {
  const firstIndex = new Map<string, number>();
  levels.forEach((level, index) => {
    const id = isRecord(level) ? level.id : undefined;
    if (typeof id !== 'string') return;
    const first = firstIndex.get(id);
    if (first === undefined) firstIndex.set(id, index);
    else
      report(
        ['levels', index, 'id'],
        `duplicate id "${id}" (already used by levels.${first}): level ids must be unique`,
      );
  });
}

function checkStart(start: unknown, levels: unknown[], report: Report): void {
  if (!isRecord(start)) return;
  const ids = uniqueStrings(levels.map((level) => (isRecord(level) ? level.id : undefined)));
  for (const priority of PRIORITIES) {
    const id = start[priority];
    if (typeof id === 'string' && !ids.includes(id)) {
      report(['start', priority], `no level with id ${JSON.stringify(id)} (levels: ${ids.join(', ') || 'none'})`);
    }
  }
}

/**
 * Every level needs ack and resolve targets for every priority once its overrides are laid over the defaults,
 * and ack must not exceed resolve. A gap is reported once at `sla.<priority>` when no level fills it, otherwise
 * at each level that lacks it; a bad pair in the defaults is reported once, not again for each inheriting level.
 */
function checkSla(defaults: unknown, levels: unknown[], report: Report): void {
  if (!isRecord(defaults)) return; // the wrong type is already reported
  // Levels whose `sla` is malformed are skipped: their own error says what to fix.
  const checkable = levels.flatMap((level, index) =>
    isRecord(level) && (level.sla === undefined || isRecord(level.sla))
      ? [{ index, overrides: isRecord(level.sla) ? level.sla : {} }]
      : [],
  );
  for (const priority of PRIORITIES) {
    const base = defaults[priority];
    if (base !== undefined && !isRecord(base)) continue;
    const baseHas = (field: TargetField) => isRecord(base) && base[field] !== undefined;

    // Completeness.
    const missingEverywhere = TARGET_FIELDS.filter(
      (field) => !baseHas(field) && checkable.every(({ overrides }) => !has(overrides[priority], field)),
    );
    if (missingEverywhere.length > 0 && checkable.length > 0) {
      const path = missingEverywhere.length === 2 ? ['sla', priority] : ['sla', priority, missingEverywhere[0]!];
      report(
        path,
        `required: ${describeFields(missingEverywhere)} for ${priority} priority (set here, or in the sla of every level)`,
      );
    }
    for (const { index, overrides } of checkable) {
      const override = overrides[priority];
      if (override !== undefined && !isRecord(override)) continue;
      const missing = TARGET_FIELDS.filter(
        (field) => !missingEverywhere.includes(field) && !baseHas(field) && !has(override, field),
      );
      if (missing.length === 0) continue;
      const path = ['levels', index, 'sla', priority, ...(missing.length === 2 ? [] : [missing[0]!])];
      const fallback = missing.length === 2 ? `sla.${priority}` : `sla.${priority}.${missing[0]!}`;
      report(path, `required: ${describeFields(missing)} for ${priority} priority (no default in ${fallback})`);
    }

    // ack <= resolve: the defaults once, then each level that overrides at least one of the two.
    const baseAck = isRecord(base) ? base.ack : undefined;
    const baseResolve = isRecord(base) ? base.resolve : undefined;
    if (isMs(baseAck) && isMs(baseResolve) && baseAck > baseResolve) {
      report(['sla', priority, 'ack'], ackExceedsResolve(baseAck, baseResolve));
    }
    for (const { index, overrides } of checkable) {
      const override = overrides[priority];
      if (!isRecord(override) || (override.ack === undefined && override.resolve === undefined)) continue;
      const ack = override.ack ?? baseAck;
      const resolve = override.resolve ?? baseResolve;
      if (!isMs(ack) || !isMs(resolve) || ack <= resolve) continue;
      const field = override.ack !== undefined ? 'ack' : 'resolve';
      const inherited =
        override.ack === undefined
          ? ` (ack inherited from sla.${priority}.ack)`
          : override.resolve === undefined
            ? ` (resolve inherited from sla.${priority}.resolve)`
            : '';
      report(['levels', index, 'sla', priority, field], ackExceedsResolve(ack, resolve) + inherited);
    }
  }
}

function ackExceedsResolve(ack: number, resolve: number): string {
  return `ack ${formatDuration(ack)} must not exceed resolve ${formatDuration(resolve)}`;
}

function describeFields(fields: TargetField[]): string {
  return fields.length === 2 ? 'ack and resolve targets' : `${fields[0]} target`;
}

function has(targets: unknown, field: TargetField): boolean {
  return isRecord(targets) && targets[field] !== undefined;
}

function uniqueStrings(values: unknown[]): string[] {
  return [...new Set(values.filter((value): value is string => typeof value === 'string'))];
}

function isMs(value: unknown): value is number {
  return typeof value === 'number' && value > 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Validation with readable errors

export type MatrixValidation = { success: true; document: MatrixDocument } | { success: false; errors: string[] };

/** Validates parsed YAML; on failure returns every problem as a `dotted.path: message` line. */
export function validateMatrix(data: unknown): MatrixValidation {
  if (data === null || data === undefined) {
    return { success: false, errors: ['(root): the matrix is empty (start with "version: 1")'] };
  }
  const result = matrixSchema.safeParse(data, { error: fallbackMessage });
  if (result.success) return { success: true, document: result.data };
  return { success: false, errors: formatIssues(result.error.issues) };
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
    array: 'a list (- item lines)',
    string: 'text',
    number: 'a number',
    int: 'a whole number',
  };
  return names[expected] ?? expected;
}

function describeValue(input: unknown): string {
  if (input === null) return 'an empty value';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a map';
  if (typeof input === 'string') return `text ${JSON.stringify(input)}`;
  return `${typeof input} ${JSON.stringify(input)}`;
}

function formatIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    const where = (path: PropertyKey[]) => (path.length === 0 ? '(root)' : path.map(String).join('.'));
    if (issue.code === 'unrecognized_keys') {
      const lines = issue.message.split('\n');
      return issue.keys.map(
        (key, i) => `${where([...issue.path, key])}: ${lines.length === issue.keys.length ? lines[i] : 'unknown key'}`,
      );
    }
    return [`${where(issue.path)}: ${issue.message}`];
  });
}
