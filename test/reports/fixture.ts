// A two-week window of cases whose report figures are worked out by hand below, plus the four baseline windows
// before it. Window: Monday 2026-10-05 to Monday 2026-10-19 (ISO weeks 2026-W41 and 2026-W42).
//
//   case  category  week  reporter            levels handed to  ack   resolved  breaches
//   P1    payments  W41   ada                 0                 10m   2h        -
//   P2    payments  W41   ada                 0, 1              30m   4h        ack (automatic, "(ack target)")
//   P3    payments  W42   ADA (upper case)    0, 1, 2           20m   8h        resolve (automatic); the manual
//                                                                               escalation mentioning "(ack target)"
//                                                                               is not a breach
//   P4    payments  W42   bob                 0, 0 (same level) -     open      ack (unowned mark)
//   L1    login     W41   ada                 0                 40m   10h       resolve (resolve_breached)
//   L2    login     W42   bob                 0                 60m   1h        -
//   L3    login     W42   dan                 0                 -     open      -
//
// Everything: 7 cases, 2 open. MTTA sorted [10, 20, 30, 40, 60]m: nearest rank p50 = 3rd = 30m, p90 = 5th = 60m.
// MTTR sorted [1, 2, 4, 8, 10]h: p50 = 4h, p90 = 10h. Ack breaches P2, P4: 2/7; resolve breaches P3, L1: 2/7.
// Depths 0, 1, 2, 0, 0, 0, 0: mean 3/7, max 2.
// Baseline windows (latest first): payments [2, 3, 1, 3] mean 2.25 -> 4 cases < 4.5: not recurring;
// login [0, 0, 0, 0] -> 3 cases, new: recurring; ada [3, 1, 2, 2] mean 2 -> 4 cases = 2x: recurring (ratio 2).
import type { CaseRecord, TimelineRecord } from '../../src/store/case-store';

export const FROM = '2026-10-05T00:00:00.000Z';
export const TO = '2026-10-19T00:00:00.000Z';
export const NOW = '2026-10-20T00:00:00.000Z';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

const LEVELS = ['First line', 'Second line', 'Engineering'];

export interface FixtureCase {
  record: CaseRecord;
  timeline: TimelineRecord[];
}

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

interface Step {
  after: number;
  type: string;
  level?: number;
  by?: string;
  note?: string;
}

function makeCase(
  id: string,
  createdAt: string,
  options: { category: string; reporter: string; steps?: Step[]; priority?: CaseRecord['priority'] },
): FixtureCase {
  const steps: Step[] = [{ after: 0, type: 'created', level: 0 }, ...(options.steps ?? [])];
  const timeline: TimelineRecord[] = steps.map((step, i) => ({
    caseId: id,
    seq: i + 1,
    at: plus(createdAt, step.after),
    type: step.type,
    levelIndex: step.level ?? null,
    levelName: step.level === undefined ? null : (LEVELS[step.level] ?? null),
    by: step.by ?? null,
    note: step.note ?? null,
  }));
  const resolved = timeline.find((event) => event.type === 'resolved');
  const acknowledged = timeline.some((event) => event.type === 'acknowledged');
  const lastLevel = [...timeline].reverse().find((event) => event.levelIndex !== null)?.levelIndex ?? 0;
  const last = timeline.at(-1)!;
  return {
    record: {
      id,
      workflowId: `escalation-${id}`,
      title: `Case ${id}`,
      description: null,
      category: options.category,
      priority: options.priority ?? 'high',
      status: resolved ? 'resolved' : acknowledged ? 'acknowledged' : 'open',
      levelIndex: lastLevel,
      levelName: LEVELS[lastLevel] ?? 'First line',
      owner: acknowledged ? 'grace' : null,
      unowned: timeline.some((event) => event.type === 'unowned'),
      reporterName: options.reporter.split('@')[0] ?? options.reporter,
      reporterEmail: options.reporter,
      attemptedSteps: [],
      matrixVersion: 'sha256:fixture',
      ackDueAt: null,
      resolveDueAt: null,
      nextAction: null,
      nextAt: null,
      createdAt,
      updatedAt: last.at,
      resolvedAt: resolved?.at ?? null,
      resolution: resolved ? 'fixed' : null,
      revision: timeline.length,
      assignees: acknowledged ? ['grace'] : [],
      slaDueAt: null,
      paused: false,
      snapshot: null,
    },
    timeline,
  };
}

const handoff = (after: number, level: number): Step => ({ after, type: 'handed_off', level, note: 'paged' });
const ack = (after: number, level: number): Step => ({ after, type: 'acknowledged', level, by: 'grace' });
const resolve = (after: number, level: number): Step => ({ after, type: 'resolved', level, by: 'grace' });
const autoEscalation = (after: number, to: number, target: 'ack' | 'resolve'): Step => ({
  after,
  type: 'escalated',
  level: to,
  note: `not ${target === 'ack' ? 'acknowledged' : 'resolved'} by ${LEVELS[to - 1]} within 15m (${target} target)`,
});

/** The window's cases, in the order of the table above. */
export function windowCases(): FixtureCase[] {
  return [
    makeCase('P1', '2026-10-05T09:00:00.000Z', {
      category: 'payments',
      reporter: 'ada@example.com',
      priority: 'critical',
      steps: [handoff(1000, 0), ack(10 * MINUTE, 0), resolve(2 * HOUR, 0)],
    }),
    makeCase('P2', '2026-10-06T09:00:00.000Z', {
      category: 'payments',
      reporter: 'ada@example.com',
      steps: [
        handoff(1000, 0),
        { after: 10 * MINUTE, type: 'breach_warning', level: 0, note: 'ack target in 5m' },
        autoEscalation(15 * MINUTE, 1, 'ack'),
        handoff(15 * MINUTE + 1000, 1),
        ack(30 * MINUTE, 1),
        { after: HOUR, type: 'comment', by: 'grace', note: 'rolling back' },
        resolve(4 * HOUR, 1),
      ],
    }),
    makeCase('P3', '2026-10-12T09:00:00.000Z', {
      category: 'payments',
      reporter: 'ADA@Example.com',
      steps: [
        handoff(1000, 0),
        ack(20 * MINUTE, 0),
        autoEscalation(HOUR, 1, 'resolve'),
        handoff(HOUR + 1000, 1),
        { after: 2 * HOUR, type: 'escalated', level: 2, by: 'grace', note: 'needs a DBA, not an (ack target) miss' },
        handoff(2 * HOUR + 1000, 2),
        ack(3 * HOUR, 2),
        resolve(8 * HOUR, 2),
      ],
    }),
    makeCase('P4', '2026-10-13T09:00:00.000Z', {
      category: 'payments',
      reporter: 'bob@example.com',
      priority: 'low',
      steps: [
        handoff(1000, 0),
        { after: 4 * HOUR, type: 'repeat_notified', level: 0, note: 'reminder 1 of 1' },
        handoff(5 * HOUR, 0),
        { after: 6 * HOUR, type: 'unowned', level: 0, note: 'nobody acknowledged' },
      ],
    }),
    makeCase('L1', '2026-10-07T09:00:00.000Z', {
      category: 'login',
      reporter: 'ada@example.com',
      priority: 'medium',
      steps: [
        handoff(1000, 0),
        ack(40 * MINUTE, 0),
        { after: 8 * HOUR, type: 'resolve_breached', level: 0, note: 'not resolved within 8h at the last level' },
        resolve(10 * HOUR, 0),
      ],
    }),
    makeCase('L2', '2026-10-14T09:00:00.000Z', {
      category: 'login',
      reporter: 'bob@example.com',
      priority: 'medium',
      steps: [handoff(1000, 0), ack(HOUR, 0), resolve(HOUR, 0)],
    }),
    makeCase('L3', '2026-10-15T09:00:00.000Z', {
      category: 'login',
      reporter: 'dan@example.com',
      priority: 'medium',
      steps: [handoff(1000, 0)],
    }),
  ];
}

/** Cases around the window's edges that belong to neither the window nor its baseline, or to the baseline only. */
export function baselineCases(): FixtureCase[] {
  const at = (id: string, createdAt: string, category: string, reporter: string) =>
    makeCase(id, createdAt, { category, reporter, steps: [handoff(1000, 0)] });
  return [
    // Window 1 [09-21, 10-05): payments 2, ada 3.
    at('B1a', '2026-10-04T23:59:59.999Z', 'payments', 'ada@example.com'),
    at('B1b', '2026-09-21T00:00:00.000Z', 'payments', 'ada@example.com'),
    at('B1c', '2026-09-25T12:00:00.000Z', 'hardware', 'ada@example.com'),
    // Window 2 [09-07, 09-21): payments 3, ada 1.
    at('B2a', '2026-09-08T12:00:00.000Z', 'payments', 'ada@example.com'),
    at('B2b', '2026-09-09T12:00:00.000Z', 'payments', 'erin@example.com'),
    at('B2c', '2026-09-20T23:00:00.000Z', 'payments', 'erin@example.com'),
    // Window 3 [08-24, 09-07): payments 1, ada 2.
    at('B3a', '2026-08-24T00:00:00.000Z', 'payments', 'ada@example.com'),
    at('B3b', '2026-09-01T12:00:00.000Z', 'hardware', 'ada@example.com'),
    // Window 4 [08-10, 08-24): payments 3, ada 2.
    at('B4a', '2026-08-10T00:00:00.000Z', 'payments', 'ada@example.com'),
    at('B4b', '2026-08-11T12:00:00.000Z', 'payments', 'ada@example.com'),
    at('B4c', '2026-08-12T12:00:00.000Z', 'payments', 'erin@example.com'),
  ];
}

/** Outside both: just before the baseline and exactly at the window's (excluded) end. */
export function outsideCases(): FixtureCase[] {
  return [
    makeCase('X-early', '2026-08-09T23:59:59.999Z', { category: 'payments', reporter: 'ada@example.com' }),
    makeCase('X-at-to', TO, { category: 'payments', reporter: 'ada@example.com' }),
  ];
}
