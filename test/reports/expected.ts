// The hand-computed figures of fixture.ts (see the table there), checked the same way for summarize() on plain
// records and for loadReport() on each store backend.
import type { Figures, ReportSummary } from '../../src/reports/summary';
import { HOUR, MINUTE } from './fixture';

export const TOTAL: Figures = {
  cases: 7,
  open: 2,
  acknowledged: 5,
  mttaP50Ms: 30 * MINUTE,
  mttaP90Ms: 60 * MINUTE,
  resolved: 5,
  mttrP50Ms: 4 * HOUR,
  mttrP90Ms: 10 * HOUR,
  ackBreached: 2,
  ackBreachRate: 2 / 7,
  resolveBreached: 2,
  resolveBreachRate: 2 / 7,
  depthMean: 3 / 7,
  depthMax: 2,
  reopened: 0,
  reopenRate: 0,
  rated: 0,
  satisfaction: null,
};

export const PAYMENTS: Figures = {
  cases: 4,
  open: 1,
  acknowledged: 3,
  // [10, 20, 30]m: ranks ceil(1.5) = 2 and ceil(2.7) = 3.
  mttaP50Ms: 20 * MINUTE,
  mttaP90Ms: 30 * MINUTE,
  resolved: 3,
  mttrP50Ms: 4 * HOUR,
  mttrP90Ms: 8 * HOUR,
  ackBreached: 2,
  ackBreachRate: 0.5,
  resolveBreached: 1,
  resolveBreachRate: 0.25,
  depthMean: 0.75,
  depthMax: 2,
  reopened: 0,
  reopenRate: 0,
  rated: 0,
  satisfaction: null,
};

export const LOGIN: Figures = {
  cases: 3,
  open: 1,
  acknowledged: 2,
  // [40, 60]m: ranks ceil(1) = 1 and ceil(1.8) = 2.
  mttaP50Ms: 40 * MINUTE,
  mttaP90Ms: 60 * MINUTE,
  resolved: 2,
  mttrP50Ms: 1 * HOUR,
  mttrP90Ms: 10 * HOUR,
  ackBreached: 0,
  ackBreachRate: 0,
  resolveBreached: 1,
  resolveBreachRate: 1 / 3,
  depthMean: 0,
  depthMax: 0,
  reopened: 0,
  reopenRate: 0,
  rated: 0,
  satisfaction: null,
};

/** W41: P1, P2, L1. */
export const WEEK_41: Figures = {
  cases: 3,
  open: 0,
  acknowledged: 3,
  mttaP50Ms: 30 * MINUTE,
  mttaP90Ms: 40 * MINUTE,
  resolved: 3,
  mttrP50Ms: 4 * HOUR,
  mttrP90Ms: 10 * HOUR,
  ackBreached: 1,
  ackBreachRate: 1 / 3,
  resolveBreached: 1,
  resolveBreachRate: 1 / 3,
  depthMean: 1 / 3,
  depthMax: 1,
  reopened: 0,
  reopenRate: 0,
  rated: 0,
  satisfaction: null,
};

/** W42: P3, P4, L2, L3. */
export const WEEK_42: Figures = {
  cases: 4,
  open: 2,
  acknowledged: 2,
  mttaP50Ms: 20 * MINUTE,
  mttaP90Ms: 60 * MINUTE,
  resolved: 2,
  mttrP50Ms: 1 * HOUR,
  mttrP90Ms: 8 * HOUR,
  ackBreached: 1,
  ackBreachRate: 0.25,
  resolveBreached: 1,
  resolveBreachRate: 0.25,
  depthMean: 0.5,
  depthMax: 2,
  reopened: 0,
  reopenRate: 0,
  rated: 0,
  satisfaction: null,
};

/** The whole category report of the fixture, figure by figure. */
export function expectFixtureSummary(summary: ReportSummary): void {
  expect(summary.from).toBe('2026-10-05T00:00:00.000Z');
  expect(summary.to).toBe('2026-10-19T00:00:00.000Z');
  expect(summary.groupBy).toBe('category');
  expect(summary.total).toEqual(TOTAL);
  expect(summary.weeks).toEqual([
    {
      week: '2026-10-05',
      isoWeek: '2026-W41',
      start: '2026-10-05T00:00:00.000Z',
      end: '2026-10-12T00:00:00.000Z',
      ...WEEK_41,
    },
    {
      week: '2026-10-12',
      isoWeek: '2026-W42',
      start: '2026-10-12T00:00:00.000Z',
      end: '2026-10-19T00:00:00.000Z',
      ...WEEK_42,
    },
  ]);
  expect(summary.groups.map((g) => g.key)).toEqual(['payments', 'login']);
  expect(summary.groups[0]!.total).toEqual(PAYMENTS);
  expect(summary.groups[1]!.total).toEqual(LOGIN);
  // payments: W41 P1, P2; W42 P3, P4.
  expect(summary.groups[0]!.weeks.map((w) => [w.cases, w.mttaP50Ms, w.ackBreached, w.resolveBreached])).toEqual([
    [2, 10 * 60_000, 1, 0],
    [2, 20 * 60_000, 1, 1],
  ]);
  expect(summary.recurring.baselineWindows).toEqual([
    { from: '2026-09-21T00:00:00.000Z', to: '2026-10-05T00:00:00.000Z' },
    { from: '2026-09-07T00:00:00.000Z', to: '2026-09-21T00:00:00.000Z' },
    { from: '2026-08-24T00:00:00.000Z', to: '2026-09-07T00:00:00.000Z' },
    { from: '2026-08-10T00:00:00.000Z', to: '2026-08-24T00:00:00.000Z' },
  ]);
  expect(summary.recurring.categories).toEqual([
    { key: 'login', count: 3, baselineCounts: [0, 0, 0, 0], baselineMean: 0, ratio: null },
  ]);
  expect(summary.recurring.reporters).toEqual([
    { key: 'ada@example.com', count: 4, baselineCounts: [3, 1, 2, 2], baselineMean: 2, ratio: 2 },
  ]);
  expect(summary.notes).toEqual([
    'Satisfaction: no reporter rated a resolution in the window (matrices without followUp ask none).',
    '2 case(s) are still open: they count in volume and breach rates but not in MTTR.',
  ]);
}
