// Trend reports: what a manager asks of a month of cases (volume, time to acknowledge and resolve, SLA breaches,
// how deep cases escalate, what keeps coming back), computed from the store's snapshots and timelines. Pure: the
// caller loads the records (see load.ts), this only counts.
import type { CaseRecord, TimelineRecord } from '../store/case-store';
import { PRIORITIES } from '../shared/plan';
import type { SlaTarget } from '../shared/timeline';
import { escalationOf, feedbackOf } from '../timeline/facts';

export const GROUP_BYS = ['category', 'priority', 'level', 'team'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** How many earlier windows of the same length the recurring-issue baseline averages. */
export const BASELINE_WINDOWS = 4;
/** A key recurs when its count in the window is at least this... */
export const RECURRING_MIN_COUNT = 3;
/** ...and at least this many times its mean count over the baseline windows. */
export const RECURRING_MIN_RATIO = 2;

/** Every figure of a set of cases (a group, a week, or both). Times are milliseconds; rates are 0..1. */
export interface Figures {
  /** Cases created in the set's span. */
  cases: number;
  /** Cases not resolved by the time of the report. */
  open: number;
  /** Cases with an acknowledgement, the sample MTTA is computed over. */
  acknowledged: number;
  mttaP50Ms: number | null;
  mttaP90Ms: number | null;
  /** Cases with a resolution, the sample MTTR is computed over. */
  resolved: number;
  mttrP50Ms: number | null;
  mttrP90Ms: number | null;
  ackBreached: number;
  ackBreachRate: number | null;
  resolveBreached: number;
  resolveBreachRate: number | null;
  depthMean: number | null;
  depthMax: number | null;
  reopened: number;
  reopenRate: number | null;
  /** Cases whose reporter rated a resolution ("feedback_received" events). */
  rated: number;
  /** Mean of each rated case's latest score (1-5); null when no case was rated. */
  satisfaction: number | null;
}

export interface WeekFigures extends Figures {
  /** Monday (UTC) the ISO week starts on, YYYY-MM-DD. */
  week: string;
  /** ISO-8601 week, e.g. 2026-W40. */
  isoWeek: string;
  /** The part of the week inside the window: [start, end). The first and last week may be partial. */
  start: string;
  end: string;
}

export interface GroupSummary {
  key: string;
  total: Figures;
  weeks: WeekFigures[];
}

export interface RecurringIssue {
  key: string;
  /** Cases with this key created in the window. */
  count: number;
  /** Counts in each baseline window, most recent first. */
  baselineCounts: number[];
  baselineMean: number;
  /** count / baselineMean; null when the key never occurred in the baseline (new). */
  ratio: number | null;
}

export interface ReportSummary {
  from: string;
  to: string;
  groupBy: GroupBy;
  generatedAt: string;
  total: Figures;
  weeks: WeekFigures[];
  groups: GroupSummary[];
  recurring: {
    rule: string;
    /** The baseline windows, most recent first. */
    baselineWindows: { from: string; to: string }[];
    categories: RecurringIssue[];
    reporters: RecurringIssue[];
  };
  /** What each figure means, for the page, the CSV reader and the API's callers. */
  definitions: Record<string, string>;
  /** Caveats about this summary's data (figures not recorded yet, open windows, empty baselines). */
  notes: string[];
}

export interface SummaryInput {
  /** Cases created in [from, to); others are ignored. */
  cases: CaseRecord[];
  /** Timelines by case id, for the window's cases (baseline cases need none). */
  timelines: Map<string, TimelineRecord[]>;
  /** ISO instants; the window is [from, to). */
  from: string;
  to: string;
  groupBy: GroupBy;
  /** Cases created in the BASELINE_WINDOWS windows of the same length right before `from`. */
  baseline?: CaseRecord[];
  /** When the report is made (default: the current time); figures describe the store as of then. */
  now?: string;
}

export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
}

export const DEFINITIONS: Record<string, string> = {
  cases: 'Cases created in the window (or the week), by created time, UTC.',
  weeks: 'ISO weeks starting on Monday 00:00 UTC; the first and last week are cut at the window edges.',
  mtta:
    'Time to acknowledge: case created -> its first "acknowledged" event, over the cases that have one. ' +
    'p50 and p90 use the nearest-rank method: the value at position ceil(p/100 * n) of the n sorted times.',
  mttr:
    'Time to resolve: case created -> its last "resolved" event (else the recorded resolved time), over resolved cases ' +
    '(a case reopened after its last resolution is open); nearest-rank p50/p90.',
  ackBreachRate:
    'Cases that missed an acknowledge target (an automatic "escalated" event, one without "by", whose note says ' +
    '"(ack target)", or an "unowned" mark) / cases.',
  resolveBreachRate:
    'Cases that missed a resolve target (an automatic "escalated" event whose note says "(resolve target)", or a ' +
    '"resolve_breached" event) / cases.',
  depth:
    'Escalation depth: distinct levels the case was handed to ("handed_off" events) minus 1, 0 when none; mean and max over the cases.',
  reopenRate: 'Cases with a "reopened" event / cases.',
  satisfaction:
    "Reporter satisfaction: the mean, over cases rated in the follow-up, of each case's latest score (1-5, from its " +
    '"feedback_received" events); "rated" counts those cases.',
  level: 'Group "level": the deepest level index the case reached (0 = the first level of its path).',
  team: 'Group "team": the name of the level the case was last with (its current level, or the one it was resolved at).',
  recurring:
    `A category or reporter (email, lower-cased) recurs when it has at least ${RECURRING_MIN_COUNT} cases in the window ` +
    `and at least ${RECURRING_MIN_RATIO}x its mean count over the ${BASELINE_WINDOWS} windows of the same length ` +
    'right before it. ratio = count / baseline mean (none when the baseline mean is 0: the key is new).',
};

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** Nearest-rank percentile of ascending-sorted values: the value at position ceil(p/100 * n), 1-based. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

function instant(text: string, what: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new ReportInputError(`${what} must be an ISO-8601 instant, got "${text}"`);
  return ms;
}

/** Monday 00:00 UTC of the ISO week holding `ms`. */
export function weekStart(ms: number): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  return day - weekday * DAY_MS;
}

/** ISO-8601 week label of the week starting on Monday `monday`: the year is the one its Thursday falls in. */
export function isoWeekLabel(monday: number): string {
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK_MS) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const isoOf = (ms: number) => new Date(ms).toISOString();
const dayOf = (ms: number) => isoOf(ms).slice(0, 10);

/** What the report needs of one case, read once from its record and timeline. */
interface CaseFacts {
  record: CaseRecord;
  week: string;
  group: string;
  ackMs: number | null;
  resolveMs: number | null;
  ackBreached: boolean;
  resolveBreached: boolean;
  depth: number;
  reopened: boolean;
  /** The latest score the reporter gave, null when none. */
  score: number | null;
  open: boolean;
}

function factsOf(record: CaseRecord, timeline: readonly TimelineRecord[], groupBy: GroupBy, nowMs: number): CaseFacts {
  const events = [...timeline].sort((a, b) => a.seq - b.seq);
  const created = Date.parse(record.createdAt);
  const since = (at: string | null | undefined) => (at ? Math.max(0, Date.parse(at) - created) : null);
  // An automatic escalation names the target it missed; a manual one (it has a `by`) missed none.
  const missed = (event: TimelineRecord, target: SlaTarget) =>
    event.type === 'escalated' && !event.by && escalationOf(event, null).missedTarget === target;

  const acknowledged = events.find((event) => event.type === 'acknowledged');
  // The final resolution counts: a reopened case is open again until it is resolved once more.
  const lastResolved = [...events].reverse().find((event) => event.type === 'resolved');
  const reopenedAfter =
    lastResolved && events.some((event) => event.type === 'reopened' && event.seq > lastResolved.seq);
  const resolvedAt = reopenedAfter ? null : (lastResolved?.at ?? record.resolvedAt);
  const handedTo = new Set(
    events
      .filter((event) => event.type === 'handed_off')
      .map((event) => (event.levelIndex !== null ? `#${event.levelIndex}` : `name:${event.levelName ?? ''}`)),
  );
  const deepest = Math.max(record.levelIndex, ...events.map((event) => event.levelIndex ?? 0));
  const group =
    groupBy === 'category'
      ? record.category
      : groupBy === 'priority'
        ? record.priority
        : groupBy === 'level'
          ? `level ${deepest}`
          : record.levelName;
  return {
    record,
    week: dayOf(weekStart(created)),
    group,
    ackMs: since(acknowledged?.at),
    resolveMs: since(resolvedAt),
    ackBreached: events.some((event) => missed(event, 'ack') || event.type === 'unowned'),
    resolveBreached: events.some((event) => missed(event, 'resolve') || event.type === 'resolve_breached'),
    depth: Math.max(0, handedTo.size - 1),
    reopened: events.some((event) => event.type === 'reopened'),
    score:
      events
        .filter((event) => event.type === 'feedback_received')
        .map((event) => feedbackOf(event)?.score)
        .filter((score) => score !== undefined)
        .at(-1) ?? null,
    open: resolvedAt === null || resolvedAt === undefined || Date.parse(resolvedAt) > nowMs,
  };
}

function figuresOf(facts: readonly CaseFacts[]): Figures {
  const n = facts.length;
  const sorted = (values: (number | null)[]) =>
    values.filter((value): value is number => value !== null).sort((a, b) => a - b);
  const acks = sorted(facts.map((f) => f.ackMs));
  const resolutions = sorted(facts.map((f) => f.resolveMs));
  const count = (test: (f: CaseFacts) => boolean) => facts.filter(test).length;
  const rate = (k: number) => (n === 0 ? null : k / n);
  const ackBreached = count((f) => f.ackBreached);
  const resolveBreached = count((f) => f.resolveBreached);
  const reopened = count((f) => f.reopened);
  const depths = facts.map((f) => f.depth);
  const scores = facts.map((f) => f.score).filter((score): score is number => score !== null);
  return {
    cases: n,
    open: count((f) => f.open),
    acknowledged: acks.length,
    mttaP50Ms: nearestRank(acks, 50),
    mttaP90Ms: nearestRank(acks, 90),
    resolved: resolutions.length,
    mttrP50Ms: nearestRank(resolutions, 50),
    mttrP90Ms: nearestRank(resolutions, 90),
    ackBreached,
    ackBreachRate: rate(ackBreached),
    resolveBreached,
    resolveBreachRate: rate(resolveBreached),
    depthMean: n === 0 ? null : depths.reduce((sum, d) => sum + d, 0) / n,
    depthMax: n === 0 ? null : Math.max(...depths),
    reopened,
    reopenRate: rate(reopened),
    rated: scores.length,
    satisfaction: scores.length === 0 ? null : scores.reduce((sum, score) => sum + score, 0) / scores.length,
  };
}

interface WeekSpan {
  week: string;
  isoWeek: string;
  start: number;
  end: number;
}

function weeksOf(fromMs: number, toMs: number): WeekSpan[] {
  const spans: WeekSpan[] = [];
  for (let monday = weekStart(fromMs); monday < toMs; monday += WEEK_MS) {
    spans.push({
      week: dayOf(monday),
      isoWeek: isoWeekLabel(monday),
      start: Math.max(monday, fromMs),
      end: Math.min(monday + WEEK_MS, toMs),
    });
  }
  return spans;
}

function weeklyFigures(spans: readonly WeekSpan[], facts: readonly CaseFacts[]): WeekFigures[] {
  return spans.map((span) => ({
    week: span.week,
    isoWeek: span.isoWeek,
    start: isoOf(span.start),
    end: isoOf(span.end),
    ...figuresOf(facts.filter((f) => f.week === span.week)),
  }));
}

function groupOrder(groupBy: GroupBy, groups: Map<string, CaseFacts[]>): string[] {
  const keys = [...groups.keys()];
  if (groupBy === 'priority') {
    const rank = (key: string) => PRIORITIES.indexOf(key as (typeof PRIORITIES)[number]);
    return keys.sort((a, b) => rank(a) - rank(b));
  }
  if (groupBy === 'level') return keys.sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
  // Biggest first, then by name: the groups a manager looks at first.
  return keys.sort((a, b) => (groups.get(b)?.length ?? 0) - (groups.get(a)?.length ?? 0) || a.localeCompare(b));
}

function recurringIssues(
  current: readonly CaseRecord[],
  baseline: readonly CaseRecord[],
  windows: readonly { from: number; to: number }[],
  keyOf: (record: CaseRecord) => string,
): RecurringIssue[] {
  const counts = new Map<string, number>();
  for (const record of current) counts.set(keyOf(record), (counts.get(keyOf(record)) ?? 0) + 1);
  const issues: RecurringIssue[] = [];
  for (const [key, count] of counts) {
    if (count < RECURRING_MIN_COUNT) continue;
    const baselineCounts = windows.map(
      (window) =>
        baseline.filter((record) => {
          const at = Date.parse(record.createdAt);
          return at >= window.from && at < window.to && keyOf(record) === key;
        }).length,
    );
    const baselineMean = baselineCounts.reduce((sum, c) => sum + c, 0) / windows.length;
    if (count < RECURRING_MIN_RATIO * baselineMean) continue;
    issues.push({ key, count, baselineCounts, baselineMean, ratio: baselineMean === 0 ? null : count / baselineMean });
  }
  // New keys (no baseline) first, then the highest ratio, then the most cases.
  return issues.sort(
    (a, b) => (b.ratio ?? Infinity) - (a.ratio ?? Infinity) || b.count - a.count || a.key.localeCompare(b.key),
  );
}

/** Baseline windows for a report window [from, to): BASELINE_WINDOWS windows of its length right before it, most recent first. */
export function baselineWindows(fromIso: string, toIso: string): { from: string; to: string }[] {
  const from = instant(fromIso, 'from');
  const length = instant(toIso, 'to') - from;
  return Array.from({ length: BASELINE_WINDOWS }, (_, k) => ({
    from: isoOf(from - (k + 1) * length),
    to: isoOf(from - k * length),
  }));
}

export function summarize(input: SummaryInput): ReportSummary {
  const fromMs = instant(input.from, 'from');
  const toMs = instant(input.to, 'to');
  if (fromMs >= toMs) throw new ReportInputError(`from ${input.from} must be before to ${input.to}`);
  if (!GROUP_BYS.includes(input.groupBy)) {
    throw new ReportInputError(`groupBy must be one of ${GROUP_BYS.join(', ')}, got "${String(input.groupBy)}"`);
  }
  const now = input.now ?? new Date().toISOString();
  const nowMs = instant(now, 'now');

  const inWindow = input.cases.filter((record) => {
    const at = Date.parse(record.createdAt);
    return at >= fromMs && at < toMs;
  });
  const facts = inWindow.map((record) => factsOf(record, input.timelines.get(record.id) ?? [], input.groupBy, nowMs));
  const spans = weeksOf(fromMs, toMs);

  const byGroup = new Map<string, CaseFacts[]>();
  for (const f of facts) byGroup.set(f.group, [...(byGroup.get(f.group) ?? []), f]);
  const groups = groupOrder(input.groupBy, byGroup).map((key) => {
    const members = byGroup.get(key) ?? [];
    return { key, total: figuresOf(members), weeks: weeklyFigures(spans, members) };
  });

  const windows = baselineWindows(input.from, input.to);
  const windowMs = windows.map((w) => ({ from: Date.parse(w.from), to: Date.parse(w.to) }));
  const baseline = input.baseline ?? [];
  const baselineStart = windowMs.at(-1)?.from ?? fromMs;
  const baselineCases = baseline.filter((record) => {
    const at = Date.parse(record.createdAt);
    return at >= baselineStart && at < fromMs;
  });

  const notes: string[] = [];
  if (!facts.some((f) => f.score !== null)) {
    notes.push('Satisfaction: no reporter rated a resolution in the window (matrices without followUp ask none).');
  }
  if (toMs > nowMs) {
    notes.push(`The window ends after the report was made (${now}): the last week is incomplete.`);
  }
  if (baselineCases.length === 0) {
    notes.push(
      `No cases in the ${BASELINE_WINDOWS} baseline windows before ${input.from}: every category or reporter with ` +
        `${RECURRING_MIN_COUNT} or more cases is flagged as recurring.`,
    );
  }
  const open = facts.filter((f) => f.open).length;
  if (open > 0) {
    notes.push(`${open} case(s) are still open: they count in volume and breach rates but not in MTTR.`);
  }

  return {
    from: isoOf(fromMs),
    to: isoOf(toMs),
    groupBy: input.groupBy,
    generatedAt: isoOf(nowMs),
    total: figuresOf(facts),
    weeks: weeklyFigures(spans, facts),
    groups,
    recurring: {
      rule: DEFINITIONS.recurring ?? '',
      baselineWindows: windows,
      categories: recurringIssues(inWindow, baselineCases, windowMs, (record) => record.category),
      reporters: recurringIssues(inWindow, baselineCases, windowMs, (record) =>
        record.reporterEmail.trim().toLowerCase(),
      ),
    },
    definitions: DEFINITIONS,
    notes,
  };
}
