// Cross-field rules of the matrix: ids, references, categories, triage order, SLA merges, calendars and the
// references of the case lifecycle (status update audiences, the review owner).
// They read the parsed YAML as written (not the schema's output), defensively: they run even when the schema found
// problems, so one pass reports everything; a value of the wrong shape is skipped here (the schema reports it).
import { formatDuration } from '../shared/duration';
import { PRIORITIES, WEEKDAYS, type Priority, type Weekday } from '../shared/plan';
import type { IssuePath, PathIssue } from './issues';
import {
  KEBAB_CASE,
  KNOWN_CHANNELS,
  MINUTES_PER_DAY,
  notKebabCase,
  closestKey,
  isDate,
  isLocalDateTime,
  parseDayKey,
  parseInterval,
  readTarget,
  weekdayOf,
  type TargetValue,
} from './values';

const TARGET_FIELDS = ['ack', 'resolve'] as const;
type TargetField = (typeof TARGET_FIELDS)[number];
type Report = (path: IssuePath, message: string) => void;
type Dict = Record<string, unknown>;

/** Every cross-field problem of a matrix (parsed YAML), in document order of the sections. */
export function checkRules(data: unknown): PathIssue[] {
  const issues: PathIssue[] = [];
  if (!isRecord(data)) return issues;
  const report: Report = (path, message) => issues.push({ path, message });
  const m = new Model(data);
  checkIds(m, report);
  checkTeams(m, report);
  checkRotations(m, report);
  checkCalendars(m, report);
  checkPauseReasons(m, report);
  checkCalendarRef(m, ['defaults', 'calendar'], dict(m.data.defaults).calendar, report);
  checkPaths(m, report);
  checkSla(m, report);
  checkDefaultPath(m, report);
  checkTriage(m, report);
  checkJumps(m, report);
  checkLifecycle(m, report);
  return issues;
}

/** The document's sections, read defensively. */
class Model {
  readonly people: Dict;
  readonly teams: Dict;
  readonly rotations: Dict;
  readonly calendars: Dict;
  readonly paths: [string, Dict][];
  readonly defaults: Dict;

  constructor(readonly data: Dict) {
    this.people = dict(data.people);
    this.teams = dict(data.teams);
    this.rotations = dict(data.rotations);
    this.calendars = dict(data.calendars);
    this.paths = Object.entries(dict(data.paths)).map(([id, path]) => [id, dict(path)]);
    this.defaults = dict(data.defaults);
  }

  levelsOf(path: Dict): Dict[] {
    return list(path.levels).map(dict);
  }

  levelIds(path: Dict): string[] {
    return unique(this.levelsOf(path).map((level) => str(level.id)));
  }

  allLevelIds(): string[] {
    return unique(this.paths.flatMap(([, path]) => this.levelIds(path)));
  }

  /** Whether a calendar (known to exist) has any working interval. */
  hasHours(calendarId: string): boolean {
    return Object.values(dict(dict(this.calendars[calendarId]).hours)).some((value) => list(value).length > 0);
  }
}

// ---------------------------------------------------------------------------------------------
// People, teams, rotations, calendars

function checkIds(m: Model, report: Report): void {
  for (const section of ['people', 'teams', 'rotations', 'calendars', 'paths'] as const) {
    for (const key of Object.keys(dict(m.data[section]))) {
      if (!KEBAB_CASE.test(key)) report([section, key], notKebabCase(key));
    }
  }
}

function checkTeams(m: Model, report: Report): void {
  for (const [teamId, team] of Object.entries(m.teams)) {
    list(dict(team).members).forEach((member, index) => {
      checkRef(report, ['teams', teamId, 'members', index], member, 'person', m.people);
    });
  }
}

function checkRotations(m: Model, report: Report): void {
  for (const [rotationId, value] of Object.entries(m.rotations)) {
    const rotation = dict(value);
    const at = (...rest: IssuePath): IssuePath => ['rotations', rotationId, ...rest];
    list(rotation.layers).forEach((layer, layerIndex) => {
      list(layer).forEach((participant, index) => {
        checkRef(report, at('layers', layerIndex, index), participant, 'person', m.people);
      });
    });
    const handoff = dict(rotation.handoff);
    if (handoff.every === 'weekly' && handoff.day === undefined) {
      report(at('handoff', 'day'), 'required for a weekly handoff: the day shifts change, e.g. day: mon');
    }
    if (handoff.every === 'daily' && handoff.day !== undefined) {
      report(at('handoff', 'day'), 'only a weekly handoff has a day (remove it, or use every: weekly)');
    }
    const start = str(rotation.start);
    if (handoff.every === 'weekly' && typeof handoff.day === 'string' && start !== undefined && isDate(start)) {
      const day = weekdayOf(start);
      if (WEEKDAYS.includes(handoff.day as Weekday) && day !== handoff.day) {
        report(at('start'), `${start} is a ${day}, but shifts change on ${handoff.day}: start on a ${handoff.day}`);
      }
    }
    if (isRecord(rotation.onCallHours)) {
      checkWeeklyHours(rotation.onCallHours, (...rest) => at('onCallHours', ...rest), 'on-call', report);
      if (Object.values(rotation.onCallHours).every((intervals) => list(intervals).length === 0)) {
        report(
          at('onCallHours'),
          'no on-call hours on any day: nobody would ever be on call (leave onCallHours out for round the clock)',
        );
      }
    }
    const intervals: { index: number; from: string; to: string }[] = [];
    list(rotation.overrides).forEach((value, index) => {
      const override = dict(value);
      checkRef(report, at('overrides', index, 'person'), override.person, 'person', m.people);
      const from = str(override.from);
      const to = str(override.to);
      if (from === undefined || to === undefined || !isLocalDateTime(from) || !isLocalDateTime(to)) return;
      if (to <= from) report(at('overrides', index, 'to'), `must be after from (${to} is not after ${from})`);
      else intervals.push({ index, from, to });
    });
    // Two overrides at once would leave it open who is on call. (Local date-times compare as text.)
    for (const later of intervals) {
      const clash = intervals.find(
        (earlier) => earlier.index < later.index && earlier.from < later.to && later.from < earlier.to,
      );
      if (clash !== undefined) {
        report(
          at('overrides', later.index),
          `overlaps overrides.${clash.index} (${clash.from} to ${clash.to}): overrides must not overlap`,
        );
      }
    }
  }
}

interface Span {
  /** Minutes since Monday 00:00. */
  start: number;
  end: number;
  key: string;
  index: number;
  text: string;
  day: Weekday;
}

function checkCalendars(m: Model, report: Report): void {
  for (const [calendarId, value] of Object.entries(m.calendars)) {
    const calendar = dict(value);
    const at = (...rest: IssuePath): IssuePath => ['calendars', calendarId, ...rest];
    checkWeeklyHours(dict(calendar.hours), (...rest) => at('hours', ...rest), 'working', report);
    const seen = new Map<string, number>();
    list(calendar.holidays).forEach((holiday, index) => {
      const day = str(dict(holiday).date);
      if (day === undefined) return;
      const first = seen.get(day);
      if (first === undefined) seen.set(day, index);
      else report(at('holidays', index, 'date'), `${day} is already a holiday (holidays.${first})`);
    });
  }
}

/**
 * Weekly hours (a calendar's working hours, a rotation's on-call hours): each day gets its hours from one key, and
 * no two intervals overlap. `what` names the intervals in the message (`working intervals must not overlap`).
 */
function checkWeeklyHours(hours: Dict, at: (...rest: IssuePath) => IssuePath, what: string, report: Report): void {
  // Which key gave each day its hours, and every interval laid on a minute-of-the-week line.
  const dayOwner = new Map<Weekday, string>();
  const spans: Span[] = [];
  for (const [key, intervals] of Object.entries(hours)) {
    const days = parseDayKey(key);
    if (typeof days === 'string') continue;
    const repeated = days.filter((day) => dayOwner.has(day));
    if (repeated.length > 0) {
      const owners = unique(repeated.map((day) => dayOwner.get(day)));
      report(
        at(key),
        `${repeated.join(', ')} already ${repeated.length === 1 ? 'has' : 'have'} hours from ${owners.map((owner) => JSON.stringify(owner)).join(', ')}: give each day its hours once`,
      );
      continue;
    }
    for (const day of days) dayOwner.set(day, key);
    list(intervals).forEach((item, index) => {
      if (typeof item !== 'string') return;
      const parsed = parseInterval(item);
      if (typeof parsed === 'string') return;
      for (const day of days) {
        const base = WEEKDAYS.indexOf(day) * MINUTES_PER_DAY;
        spans.push({ start: base + parsed.startMinute, end: base + parsed.endMinute, key, index, text: item, day });
      }
    });
  }
  // Pairs in start order: the later one overlaps when it starts before the earlier ends; a Sunday night shift
  // that runs past the end of the week also covers the start of Monday.
  const week = 7 * MINUTES_PER_DAY;
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const reported = new Set<string>();
  const overlap = (earlier: Span, later: Span) => {
    const where = `${later.key}.${later.index}`;
    if (reported.has(where)) return;
    reported.add(where);
    report(
      at(later.key, later.index),
      `${JSON.stringify(later.text)} on ${later.day} overlaps ${JSON.stringify(earlier.text)} on ${earlier.day}: ${what} intervals must not overlap`,
    );
  };
  sorted.forEach((earlier, i) => {
    for (const later of sorted.slice(i + 1)) if (later.start < earlier.end) overlap(earlier, later);
    if (earlier.end > week) for (const later of sorted) if (later.start < earlier.end - week) overlap(earlier, later);
  });
}

function checkPauseReasons(m: Model, report: Report): void {
  duplicates(list(m.data.pauseReasons), (index, value, first) =>
    report(['pauseReasons', index], `duplicate pause reason "${value}" (already pauseReasons.${first})`),
  );
}

// ---------------------------------------------------------------------------------------------
// Paths and levels

function checkPaths(m: Model, report: Report): void {
  const categoryOwner = new Map<string, string>();
  for (const [pathId, path] of m.paths) {
    const at = (...rest: IssuePath): IssuePath => ['paths', pathId, ...rest];
    list(path.categories).forEach((category, index) => {
      if (typeof category !== 'string') return;
      const owner = categoryOwner.get(category);
      if (owner === undefined) categoryOwner.set(category, pathId);
      else if (owner === pathId) report(at('categories', index), `category "${category}" is listed twice on this path`);
      else
        report(
          at('categories', index),
          `category "${category}" is already on path ${owner}: a category belongs to one path (route exceptions with triage rules)`,
        );
    });
    checkCalendarRef(m, at('calendar'), path.calendar, report);
    const levels = m.levelsOf(path);
    const firstIndex = new Map<string, number>();
    levels.forEach((level, index) => {
      const id = str(level.id);
      if (id === undefined) return;
      const first = firstIndex.get(id);
      if (first === undefined) firstIndex.set(id, index);
      else report(at('levels', index, 'id'), `duplicate level id "${id}" (already levels.${first} of this path)`);
    });
    const levelIds = m.levelIds(path);
    const start = dict(path.start);
    for (const priority of PRIORITIES) {
      const id = start[priority];
      if (typeof id === 'string' && !levelIds.includes(id)) {
        report(at('start', priority), noSuch('level', id, levelIds, `on path ${pathId}`));
      }
    }
    levels.forEach((level, levelIndex) => {
      list(level.notify).forEach((target, index) => {
        checkNotifyTarget(m, at('levels', levelIndex, 'notify', index), dict(target), report);
      });
    });
  }
}

/** A notify target must name something that exists, and reach somebody on the channels it allows. */
function checkNotifyTarget(m: Model, at: IssuePath, target: Dict, report: Report): void {
  const allowed = Array.isArray(target.channels) ? list(target.channels).filter(isString) : undefined;
  // An unknown channel in the filter is reported by the schema; reachability is only judged on known ones.
  if (allowed?.some((channel) => !(KNOWN_CHANNELS as readonly string[]).includes(channel))) return;
  const filter = (channels: string[]) =>
    allowed === undefined ? channels : channels.filter((c) => allowed.includes(c));
  const on = allowed === undefined ? '' : ` on ${allowed.join(', ')}`;
  const channelsOf = (personId: string) => Object.keys(dict(dict(m.people[personId]).contacts));
  const knownPeople = (ids: unknown[]) => ids.filter((id): id is string => typeof id === 'string' && id in m.people);
  if (target.person !== undefined) {
    if (!checkRef(report, [...at, 'person'], target.person, 'person', m.people)) return;
    const person = target.person as string;
    if (filter(channelsOf(person)).length === 0) {
      report(at, `person ${person} has no contact${on}: this target reaches nobody`);
    }
  } else if (target.team !== undefined) {
    if (!checkRef(report, [...at, 'team'], target.team, 'team', m.teams)) return;
    const teamId = target.team as string;
    const team = dict(m.teams[teamId]);
    const own = Object.keys(dict(team.contacts));
    const members = knownPeople(list(team.members));
    if (own.length === 0 && members.length === 0) {
      report(at, `team ${teamId} has no contacts and no members: this target reaches nobody`);
    } else if (filter(own.length > 0 ? own : members.flatMap(channelsOf)).length === 0) {
      report(at, `team ${teamId} has no contact${on}: this target reaches nobody`);
    }
  } else if (target.oncall !== undefined) {
    if (!checkRef(report, [...at, 'oncall'], target.oncall, 'rotation', m.rotations)) return;
    const rotationId = target.oncall as string;
    const rotation = dict(m.rotations[rotationId]);
    const layered = knownPeople(list(rotation.layers).flatMap(list));
    const overriding = knownPeople(list(rotation.overrides).map((override) => dict(override).person));
    // Empty layers with overrides are a deliberate "nobody unless somebody is named": the case reaches whoever an
    // override names, and skips this level at any other time (rule 1). Without overrides the target could never
    // reach anybody, which is a mistake rather than a gap, so it stays an error.
    if (layered.length === 0 && overriding.length === 0) {
      report(at, `rotation ${rotationId} has nobody in its layers: this target reaches nobody (outside overrides)`);
    } else if (filter([...layered, ...overriding].flatMap(channelsOf)).length === 0) {
      report(at, `nobody in rotation ${rotationId} has a contact${on}: this target reaches nobody`);
    }
  }
}

function checkDefaultPath(m: Model, report: Report): void {
  const ids = m.paths.map(([id]) => id);
  const defaultPath = m.data.defaultPath;
  if (defaultPath === undefined) {
    if (ids.length > 1) {
      report(
        ['defaultPath'],
        `required when there is more than one path: the path for cases no triage rule or category sends elsewhere (paths: ${ids.join(', ')})`,
      );
    }
    return;
  }
  checkRef(report, ['defaultPath'], defaultPath, 'path', dict(m.data.paths));
}

// ---------------------------------------------------------------------------------------------
// SLA targets

interface LevelRef {
  pathId: string;
  path: Dict;
  index: number;
  overrides: Dict;
}

/**
 * Every level needs ack and resolve targets for every priority once its overrides are laid over `sla`, field by
 * field. A gap is reported once at `sla.<priority>` when no level fills it, otherwise at each level that lacks it.
 * Business targets need a calendar with working hours; ack must not exceed resolve where the two are comparable.
 */
function checkSla(m: Model, report: Report): void {
  const defaults = m.data.sla;
  if (defaults !== undefined && !isRecord(defaults)) return; // the wrong type is already reported
  const base = dict(defaults);
  // Levels whose `sla` is malformed are skipped: their own error says what to fix.
  const levels: LevelRef[] = m.paths.flatMap(([pathId, path]) =>
    m
      .levelsOf(path)
      .flatMap((level, index) =>
        level.sla === undefined || isRecord(level.sla) ? [{ pathId, path, index, overrides: dict(level.sla) }] : [],
      ),
  );
  for (const priority of PRIORITIES) {
    const basePriority = base[priority];
    if (basePriority !== undefined && !isRecord(basePriority)) continue;
    const baseTargets = dict(basePriority);
    const overridesOf = (level: LevelRef) => level.overrides[priority];

    // Completeness.
    const missingEverywhere = TARGET_FIELDS.filter(
      (field) => baseTargets[field] === undefined && levels.every((level) => !has(overridesOf(level), field)),
    );
    if (missingEverywhere.length > 0 && levels.length > 0) {
      const path = missingEverywhere.length === 2 ? ['sla', priority] : ['sla', priority, missingEverywhere[0]!];
      report(
        path,
        `required: ${describeFields(missingEverywhere)} for ${priority} priority (set here, or in the sla of every level)`,
      );
    }
    for (const level of levels) {
      const override = overridesOf(level);
      if (override !== undefined && !isRecord(override)) continue;
      const missing = TARGET_FIELDS.filter(
        (field) => !missingEverywhere.includes(field) && baseTargets[field] === undefined && !has(override, field),
      );
      if (missing.length === 0) continue;
      const path = [...levelPath(level), 'sla', priority, ...(missing.length === 2 ? [] : [missing[0]!])];
      const fallback = missing.length === 2 ? `sla.${priority}` : `sla.${priority}.${missing[0]!}`;
      report(path, `required: ${describeFields(missing)} for ${priority} priority (no default in ${fallback})`);
    }

    // Business targets and their calendars.
    for (const field of TARGET_FIELDS) {
      checkBaseCalendar(m, priority, field, baseTargets[field], levels, report);
      for (const level of levels) {
        const override = overridesOf(level);
        if (!isRecord(override) || override[field] === undefined) continue;
        checkLevelCalendar(m, level, [...levelPath(level), 'sla', priority, field], override[field], report);
      }
    }

    // ack <= resolve: the defaults once, then each level that overrides at least one of the two.
    const baseAck = readTarget(baseTargets.ack);
    const baseResolve = readTarget(baseTargets.resolve);
    if (baseAck && baseResolve) {
      const problem = ackExceedsResolve(baseAck, baseResolve, ownCalendar(baseAck), ownCalendar(baseResolve));
      if (problem !== undefined) report(['sla', priority, 'ack'], problem);
    }
    for (const level of levels) {
      const override = overridesOf(level);
      if (!isRecord(override) || (override.ack === undefined && override.resolve === undefined)) continue;
      const ack = override.ack === undefined ? baseAck : readTarget(override.ack);
      const resolve = override.resolve === undefined ? baseResolve : readTarget(override.resolve);
      if (!ack || !resolve) continue;
      const problem = ackExceedsResolve(
        ack,
        resolve,
        calendarFor(m, level.path, ack),
        calendarFor(m, level.path, resolve),
      );
      if (problem === undefined) continue;
      const field = override.ack !== undefined ? 'ack' : 'resolve';
      const inherited =
        override.ack === undefined
          ? ` (ack inherited from sla.${priority}.ack)`
          : override.resolve === undefined
            ? ` (resolve inherited from sla.${priority}.resolve)`
            : '';
      report([...levelPath(level), 'sla', priority, field], problem + inherited);
    }
  }
}

/** A target in `sla`: its calendar comes from itself, or from each path that inherits it, or from `defaults`. */
function checkBaseCalendar(
  m: Model,
  priority: Priority,
  field: TargetField,
  value: unknown,
  levels: LevelRef[],
  report: Report,
): void {
  const at: IssuePath = ['sla', priority, field];
  const target = readTarget(value);
  if (target?.kind !== 'business') return;
  if (target.calendar !== undefined) {
    if (checkCalendarRef(m, [...at, 'calendar'], target.calendar, report)) noHours(m, at, target.calendar, report);
    return;
  }
  const inheriting = unique(
    levels.filter((level) => !has(level.overrides[priority], field)).map((level) => level.pathId),
  );
  const withoutCalendar = inheriting.filter((pathId) => calendarFor(m, pathOf(m, pathId), target) === '');
  if (withoutCalendar.length > 0) {
    report(
      at,
      `business time needs a calendar: name one here (calendar: id), in defaults.calendar, or as calendar of path ${withoutCalendar.join(', ')}`,
    );
  }
  for (const calendarId of unique(inheriting.map((pathId) => calendarFor(m, pathOf(m, pathId), target)))) {
    if (calendarId !== '' && calendarId in m.calendars) noHours(m, at, calendarId, report);
  }
}

function checkLevelCalendar(m: Model, level: LevelRef, at: IssuePath, value: unknown, report: Report): void {
  const target = readTarget(value);
  if (target?.kind !== 'business') return;
  if (target.calendar !== undefined && !checkCalendarRef(m, [...at, 'calendar'], target.calendar, report)) return;
  const calendarId = calendarFor(m, level.path, target);
  if (calendarId === '') {
    report(
      at,
      `business time needs a calendar: name one here (calendar: id), as calendar of path ${level.pathId}, or in defaults.calendar`,
    );
  } else if (calendarId in m.calendars) {
    noHours(m, at, calendarId, report);
  }
}

function noHours(m: Model, at: IssuePath, calendarId: string, report: Report): void {
  if (!m.hasHours(calendarId)) {
    report(at, `business time on calendar ${calendarId}, which has no working hours: this target would never be due`);
  }
}

/** The calendar a business target counts on at a path: its own, the path's, or the default ('' when none). */
function calendarFor(m: Model, path: Dict, target: TargetValue): string {
  if (target.kind !== 'business') return '';
  return target.calendar ?? str(path.calendar) ?? str(m.defaults.calendar) ?? '';
}

/**
 * Only comparable pairs are checked: both calendar time, or both business time on the same calendar without an
 * after-hours alternative. Anything else can legitimately come out either way depending on when the case arrives.
 */
function ackExceedsResolve(ack: TargetValue, resolve: TargetValue, ackCalendar: string, resolveCalendar: string) {
  if (ack.ms <= resolve.ms) return undefined;
  if (ack.kind === 'calendar' && resolve.kind === 'calendar') {
    return `ack ${formatDuration(ack.ms)} must not exceed resolve ${formatDuration(resolve.ms)}`;
  }
  if (
    ack.kind === 'business' &&
    resolve.kind === 'business' &&
    ackCalendar === resolveCalendar &&
    ack.afterHoursMs === undefined &&
    resolve.afterHoursMs === undefined
  ) {
    const on = ackCalendar === '' ? '' : ` of ${ackCalendar}`;
    return `ack ${formatDuration(ack.ms)} must not exceed resolve ${formatDuration(resolve.ms)} (both business time${on})`;
  }
  return undefined;
}

function ownCalendar(target: TargetValue): string {
  return target.kind === 'business' ? (target.calendar ?? '') : '';
}

function levelPath(level: LevelRef): IssuePath {
  return ['paths', level.pathId, 'levels', level.index];
}

function pathOf(m: Model, pathId: string): Dict {
  return m.paths.find(([id]) => id === pathId)?.[1] ?? {};
}

function describeFields(fields: TargetField[]): string {
  return fields.length === 2 ? 'ack and resolve targets' : `${fields[0]} target`;
}

// ---------------------------------------------------------------------------------------------
// Triage and jumps

function checkTriage(m: Model, report: Report): void {
  if (!Array.isArray(m.data.triage)) return;
  const rules = m.data.triage.map(dict);
  const paths = dict(m.data.paths);
  const last = rules.length - 1;
  rules.forEach((rule, index) => {
    const at = (...rest: IssuePath): IssuePath => ['triage', index, ...rest];
    if (rule.default === true) {
      if (index < last) {
        report(at('default'), 'only the last rule may be the default: the rules after it would never run');
      }
      if (rule.when !== undefined) {
        report(at('when'), 'the default rule has no conditions: it takes every case that reaches it (remove when)');
      }
    } else if (rule.when === undefined) {
      report(at('when'), 'required: the conditions a case must meet (or default: true on the final catch-all rule)');
    }
    const pathId = rule.path;
    const pathKnown = pathId === undefined || checkRef(report, at('path'), pathId, 'path', paths);
    const startLevel = rule.startLevel;
    if (typeof startLevel !== 'string' || !pathKnown) return;
    if (typeof pathId === 'string') {
      const ids = m.levelIds(pathOf(m, pathId));
      if (!ids.includes(startLevel)) report(at('startLevel'), noSuch('level', startLevel, ids, `on path ${pathId}`));
      return;
    }
    const lacking = m.paths.filter(([, path]) => !m.levelIds(path).includes(startLevel)).map(([id]) => id);
    if (lacking.length > 0) {
      report(
        at('startLevel'),
        `no level "${startLevel}" on path ${lacking.join(', ')}: a rule without a path may send cases to any path, so its start level must exist on every path (or give the rule a path)`,
      );
    }
  });
  if (rules.length > 0 && rules[last]!.default !== true) {
    report(
      ['triage'],
      'the last rule must be the catch-all default, so that every case matches: add - { id: default, default: true }',
    );
  }
  duplicates(
    rules.map((rule) => rule.id),
    (index, value, first) => report(['triage', index, 'id'], `duplicate rule id "${value}" (already triage.${first})`),
  );
}

function checkJumps(m: Model, report: Report): void {
  const rules = list(m.data.jumps).map(dict);
  const levelIds = m.allLevelIds();
  rules.forEach((rule, index) => {
    if (typeof rule.to === 'string' && !levelIds.includes(rule.to)) {
      report(['jumps', index, 'to'], noSuch('level', rule.to, levelIds, 'on any path'));
    }
    list(rule.from).forEach((from, fromIndex) => {
      if (typeof from === 'string' && !levelIds.includes(from)) {
        report(['jumps', index, 'from', fromIndex], noSuch('level', from, levelIds, 'on any path'));
      }
    });
  });
  duplicates(
    rules.map((rule) => rule.id),
    (index, value, first) => report(['jumps', index, 'id'], `duplicate jump id "${value}" (already jumps.${first})`),
  );
}

// ---------------------------------------------------------------------------------------------
// The case lifecycle after the ladder

function checkLifecycle(m: Model, report: Report): void {
  for (const priority of PRIORITIES) {
    duplicates(list(dict(dict(m.data.statusUpdates)[priority]).to), (index, value, first) =>
      report(
        ['statusUpdates', priority, 'to', index],
        `audience "${value}" is listed twice (already statusUpdates.${priority}.to.${first})`,
      ),
    );
  }
  const owner = dict(m.data.review).owner;
  if (typeof owner !== 'string' || owner.trim() === '') return; // the schema reports blank text
  const at: IssuePath = ['review', 'owner'];
  if (owner in m.people && owner in m.teams) {
    report(at, `"${owner}" is both a person and a team: rename one, so it is clear who owns reviews`);
  } else if (!(owner in m.people) && !(owner in m.teams)) {
    const known = [...Object.keys(m.people), ...Object.keys(m.teams)];
    report(at, noSuch('person or team', owner, known, 'in people or teams'));
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Reports a reference to an id that `known` lacks; true when it exists (or is not text: the schema reports it). */
function checkRef(report: Report, at: IssuePath, value: unknown, kind: string, known: Dict): boolean {
  if (typeof value !== 'string') return false;
  if (value in known) return true;
  const section = { person: 'people', team: 'teams', rotation: 'rotations', calendar: 'calendars', path: 'paths' }[
    kind
  ];
  report(at, noSuch(kind, value, Object.keys(known), `in ${section ?? kind}`));
  return false;
}

function checkCalendarRef(m: Model, at: IssuePath, value: unknown, report: Report): boolean {
  return checkRef(report, at, value, 'calendar', m.calendars);
}

function noSuch(kind: string, value: string, known: string[], where: string): string {
  const guess = closestKey(value, known);
  if (guess !== undefined) return `no ${kind} "${value}" ${where} (did you mean "${guess}"?)`;
  if (known.length === 0) return `no ${kind} "${value}" ${where} (there are none)`;
  const shown = known.slice(0, 8).join(', ') + (known.length > 8 ? ', ...' : '');
  return `no ${kind} "${value}" ${where} (known: ${shown})`;
}

function duplicates(values: unknown[], report: (index: number, value: string, first: number) => void): void {
  const firstIndex = new Map<string, number>();
  values.forEach((value, index) => {
    if (typeof value !== 'string') return;
    const first = firstIndex.get(value);
    if (first === undefined) firstIndex.set(value, index);
    else report(index, value, first);
  });
}

function has(targets: unknown, field: TargetField): boolean {
  return isRecord(targets) && targets[field] !== undefined;
}

function unique<T>(values: (T | undefined)[]): T[] {
  return [...new Set(values.filter((value): value is T => value !== undefined))];
}

export function isRecord(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function dict(value: unknown): Dict {
  return isRecord(value) ? value : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
