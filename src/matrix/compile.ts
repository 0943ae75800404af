// Turns a validated matrix document into the Plan the workflow runs on (schema 2), stamped with a content hash.
import { createHash } from 'node:crypto';
import {
  PRIORITIES,
  WEEKDAYS,
  type CalendarSpec,
  type ContactPoint,
  type LevelTargets,
  type Plan,
  type PlanLevel,
  type PlanPath,
  type Priority,
  type ReviewPolicy,
  type StatusUpdatePolicy,
  type TargetSpec,
  type TriageCondition,
  type TriageRule,
  type WarningPolicy,
  type Weekday,
  type WorkingInterval,
} from '../shared/plan';
import { DEFAULT_WARNING, type DocumentLevel, type DocumentPath, type MatrixDocument } from './schema';
import { parseDayKey, parseInterval, type TargetValue } from './values';

type Warning = MatrixDocument['defaults']['warning'];

/**
 * Expects a document that passed `matrixSchema` and `checkRules` (validateMatrix); throws a plain Error when a
 * reference does not resolve (a programming mistake: compile only validated documents).
 */
export function compileMatrix(doc: MatrixDocument): Plan {
  const pathIds = Object.keys(doc.paths);
  const defaultPath = doc.defaultPath ?? (pathIds.length === 1 ? pathIds[0] : undefined);
  if (defaultPath === undefined) throw new Error('no defaultPath: compile only validated documents');

  const withoutVersion: Omit<Plan, 'version'> = {
    schema: 2,
    ...(doc.versionName === undefined ? {} : { versionName: doc.versionName }),
    name: doc.name,
    ...(doc.owner === undefined ? {} : { owner: { name: doc.owner.name, email: doc.owner.email } }),
    ...(doc.reviewBy === undefined ? {} : { reviewBy: doc.reviewBy }),
    people: mapValues(doc.people, (id, person) => ({
      id,
      name: person.name,
      contacts: contactPoints(person.contacts),
    })),
    teams: mapValues(doc.teams, (id, team) => ({
      id,
      name: team.name,
      members: team.members,
      contacts: contactPoints(team.contacts),
    })),
    rotations: mapValues(doc.rotations, (id, rotation) => ({
      id,
      name: rotation.name,
      zone: rotation.zone,
      handoff: {
        every: rotation.handoff.every,
        ...(rotation.handoff.every === 'weekly' && rotation.handoff.day !== undefined
          ? { day: rotation.handoff.day }
          : {}),
        time: rotation.handoff.time,
      },
      start: rotation.start,
      layers: rotation.layers.map((participants) => ({ participants })),
      overrides: rotation.overrides.map(({ person, from, to }) => ({ person, from, to })),
      // Only when written: plans of matrices without on-call hours stay as they were (same version hash).
      ...(rotation.onCallHours === undefined ? {} : { onCallHours: expandHours(rotation.onCallHours) }),
    })),
    calendars: mapValues(doc.calendars, (id, calendar): CalendarSpec => ({
      id,
      name: calendar.name,
      zone: calendar.zone,
      week: expandHours(calendar.hours),
      holidays: [...calendar.holidays]
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
        .map(({ date, name }) => ({ date, name })),
    })),
    triage: (doc.triage ?? [{ id: 'default', default: true as const }]).map(compileRule),
    paths: mapValues(doc.paths, (id, path): PlanPath => ({
      id,
      name: path.name,
      categories: path.categories,
      levels: path.levels.map((level) => compileLevel(doc, id, path, level)),
    })),
    defaultPath,
    startLevel: mapValues(doc.paths, (id, path) => perPriority((priority) => startIndex(id, path, priority))),
    jumps: doc.jumps.map((jump) => ({
      id: jump.id,
      to: jump.to,
      ...(jump.from === undefined ? {} : { from: jump.from }),
      ...(jump.categories === undefined ? {} : { categories: jump.categories }),
      ...(jump.priorities === undefined ? {} : { priorities: jump.priorities }),
    })),
    repeat: { everyMs: doc.defaults.repeat.every, times: doc.defaults.repeat.times },
    pauseReasons: doc.pauseReasons,
    reporterChannel: doc.reporter.channel,
    // The lifecycle after the ladder, always explicit so a plan says what it does without knowing the defaults.
    statusUpdates: statusUpdates(doc.statusUpdates),
    followUp:
      doc.followUp === undefined
        ? null
        : { windowMs: doc.followUp.window, satisfiedAtLeast: doc.followUp.satisfiedAtLeast },
    review: doc.review === undefined ? null : reviewPolicy(doc.review),
    reminders: { everyMs: doc.reminders.every },
  };
  return { ...withoutVersion, version: planVersion(withoutVersion) };
}

/**
 * First 12 hex chars of the sha256 of the plan's canonical JSON (keys sorted at every depth), so the same matrix
 * always gets the same version however its YAML is laid out, and any change to what cases run on gets a new one.
 */
export function planVersion(plan: Omit<Plan, 'version'>): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex').slice(0, 12);
}

/** JSON with object keys sorted, so equal values always serialise to the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `{ log: a@example.com }` -> `[{ channel: 'log', address: 'a@example.com' }]`, sorted by channel. */
function contactPoints(contacts: Record<string, string>): ContactPoint[] {
  return Object.keys(contacts)
    .sort()
    .map((channel) => ({ channel, address: contacts[channel]! }));
}

/** `mon-fri: [...]` and friends laid out on all seven weekdays (a day no key mentions has no hours), by start. */
function expandHours(hours: Record<string, string[]>): Record<Weekday, WorkingInterval[]> {
  const week = Object.fromEntries(WEEKDAYS.map((day) => [day, [] as WorkingInterval[]])) as Record<
    Weekday,
    WorkingInterval[]
  >;
  for (const [key, intervals] of Object.entries(hours)) {
    const days = parseDayKey(key);
    if (typeof days === 'string') throw new Error(`bad day key ${key}: compile only validated documents`);
    for (const day of days) {
      for (const text of intervals) {
        const interval = parseInterval(text);
        if (typeof interval === 'string') throw new Error(`bad interval ${text}: compile only validated documents`);
        week[day].push({ start: interval.start, end: interval.end });
      }
    }
  }
  for (const day of WEEKDAYS) week[day].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return week;
}

function compileLevel(doc: MatrixDocument, pathId: string, path: DocumentPath, level: DocumentLevel): PlanLevel {
  return {
    id: level.id,
    name: level.name,
    targets: level.notify,
    sla: perPriority((priority) => levelTargets(doc, pathId, path, level, priority)),
    warning: warningPolicy(level.warning, doc.defaults.warning),
  };
}

/** A level's own target wins over the matrix's `sla`, field by field (so `high: { ack: 10m }` keeps the resolve). */
function levelTargets(
  doc: MatrixDocument,
  pathId: string,
  path: DocumentPath,
  level: DocumentLevel,
  priority: Priority,
): LevelTargets {
  const ack = level.sla?.[priority]?.ack ?? doc.sla[priority]?.ack;
  const resolve = level.sla?.[priority]?.resolve ?? doc.sla[priority]?.resolve;
  if (ack === undefined || resolve === undefined) {
    throw new Error(`level ${pathId}.${level.id} has no ${priority} targets: compile only validated documents`);
  }
  const where = `${pathId}.${level.id}`;
  return { ack: targetSpec(doc, path, ack, where), resolve: targetSpec(doc, path, resolve, where) };
}

function targetSpec(doc: MatrixDocument, path: DocumentPath, target: TargetValue, where: string): TargetSpec {
  if (target.kind === 'calendar') return { kind: 'calendar', ms: target.ms };
  const calendar = target.calendar ?? path.calendar ?? doc.defaults.calendar;
  if (calendar === undefined)
    throw new Error(`business target of ${where} has no calendar: compile only validated documents`);
  return {
    kind: 'business',
    ms: target.ms,
    calendar,
    ...(target.afterHoursMs === undefined ? {} : { afterHoursMs: target.afterHoursMs }),
  };
}

/** The level's warning over the default's, field by field; `off` at the level wins, and so does a level map over a default `off`. */
function warningPolicy(level: Warning, defaults: Warning): WarningPolicy | null {
  if (level === null) return null;
  if (level === undefined && defaults === null) return null;
  return {
    atFraction: level?.at ?? defaults?.at ?? DEFAULT_WARNING.atFraction,
    notifyNextLevel: level?.notifyNextLevel ?? defaults?.notifyNextLevel ?? DEFAULT_WARNING.notifyNextLevel,
  };
}

/** Only the priorities the matrix lists, in priority order. */
function statusUpdates(written: MatrixDocument['statusUpdates']): Partial<Record<Priority, StatusUpdatePolicy>> {
  const policies: Partial<Record<Priority, StatusUpdatePolicy>> = {};
  for (const priority of PRIORITIES) {
    const policy = written[priority];
    if (policy !== undefined) policies[priority] = { everyMs: policy.every, to: [...policy.to] };
  }
  return policies;
}

function reviewPolicy(written: NonNullable<MatrixDocument['review']>): ReviewPolicy {
  const { priorities, categories, breached, reopened } = written.when;
  return {
    when: {
      ...(priorities === undefined ? {} : { priorities }),
      ...(categories === undefined ? {} : { categories }),
      ...(breached === undefined ? {} : { breached }),
      ...(reopened === undefined ? {} : { reopened }),
    },
    ...(written.owner === undefined ? {} : { owner: written.owner }),
    dueWithinMs: written.dueWithin,
    remindEveryMs: written.remindEvery,
  };
}

type DocumentRule = NonNullable<MatrixDocument['triage']>[number] | { id: string; default: true };

function compileRule(rule: DocumentRule): TriageRule {
  const when: TriageCondition = {};
  if ('when' in rule && rule.when !== undefined && rule.default !== true) {
    const { categories, tags, priorities, urgencies, legalThreat, minUsersAffected, minRevenueAtRisk } = rule.when;
    if (categories !== undefined) when.categories = categories;
    if (tags !== undefined) when.tags = tags;
    if (priorities !== undefined) when.priorities = priorities;
    if (urgencies !== undefined) when.urgencies = urgencies;
    if (legalThreat !== undefined) when.legalThreat = legalThreat;
    if (minUsersAffected !== undefined) when.minUsersAffected = minUsersAffected;
    if (minRevenueAtRisk !== undefined) when.minRevenueAtRisk = minRevenueAtRisk;
  }
  return {
    id: rule.id,
    when,
    ...('priority' in rule && rule.priority !== undefined ? { priority: rule.priority } : {}),
    ...('path' in rule && rule.path !== undefined ? { path: rule.path } : {}),
    ...('startLevel' in rule && rule.startLevel !== undefined ? { startLevel: rule.startLevel } : {}),
  };
}

function startIndex(pathId: string, path: DocumentPath, priority: Priority): number {
  const id = path.start[priority];
  if (id === undefined) return 0;
  const index = path.levels.findIndex((level) => level.id === id);
  if (index < 0)
    throw new Error(`paths.${pathId}.start.${priority} names no level ("${id}"): compile only validated documents`);
  return index;
}

function perPriority<T>(make: (priority: Priority) => T): Record<Priority, T> {
  return Object.fromEntries(PRIORITIES.map((priority) => [priority, make(priority)])) as Record<Priority, T>;
}

function mapValues<T, U>(record: Record<string, T>, make: (id: string, value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([id, value]) => [id, make(id, value)]));
}
