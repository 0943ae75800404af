// summarize() on the hand-computed fixture, and the rules behind each figure on small cases.
import { nearestRank, summarize, weekStart, isoWeekLabel, type SummaryInput } from '../../src/reports/summary';
import type { TimelineRecord } from '../../src/store/case-store';
import { baselineCases, FROM, NOW, outsideCases, TO, windowCases, MINUTE, type FixtureCase } from './fixture';
import { expectFixtureSummary, LOGIN, PAYMENTS } from './expected';

function input(cases: FixtureCase[], overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    cases: cases.map((c) => c.record),
    timelines: new Map(cases.map((c) => [c.record.id, c.timeline])),
    baseline: baselineCases().map((c) => c.record),
    from: FROM,
    to: TO,
    groupBy: 'category',
    now: NOW,
    ...overrides,
  };
}

const everything = () => [...windowCases(), ...baselineCases(), ...outsideCases()];

describe('summarize', () => {
  test('the fixture gives the hand-computed figures; cases outside [from, to) are ignored', () => {
    const summary = summarize(input(everything(), { baseline: everything().map((c) => c.record) }));
    expectFixtureSummary(summary);
    expect(summary.generatedAt).toBe(NOW);
  });

  test('nearest-rank percentiles: position ceil(p/100 * n) of the sorted values', () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([7], 50)).toBe(7);
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRank([1, 2, 3, 4], 90)).toBe(4);
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(ten, 50)).toBe(5);
    expect(nearestRank(ten, 90)).toBe(9);
    expect(nearestRank([...ten, 11], 90)).toBe(10);
  });

  test('grouped by priority, level (deepest reached) and team (last level name)', () => {
    const keys = (groupBy: SummaryInput['groupBy']) =>
      summarize(input(windowCases(), { groupBy })).groups.map((g) => [g.key, g.total.cases]);
    expect(keys('priority')).toEqual([
      ['critical', 1],
      ['high', 2],
      ['medium', 3],
      ['low', 1],
    ]);
    expect(keys('level')).toEqual([
      ['level 0', 5],
      ['level 1', 1],
      ['level 2', 1],
    ]);
    expect(keys('team')).toEqual([
      ['First line', 5],
      ['Engineering', 1],
      ['Second line', 1],
    ]);
    const byTeam = summarize(input(windowCases(), { groupBy: 'team' }));
    expect(byTeam.total).toEqual(summarize(input(windowCases())).total);
  });

  test('a category group equals the summary of its cases alone', () => {
    const payments = windowCases().filter((c) => c.record.category === 'payments');
    expect(summarize(input(payments)).total).toEqual(PAYMENTS);
    const login = windowCases().filter((c) => c.record.category === 'login');
    expect(summarize(input(login)).total).toEqual(LOGIN);
  });

  test('reopened events count once per case', () => {
    const cases = windowCases();
    const p1 = cases[0]!;
    const reopen = (seq: number): TimelineRecord => ({ ...p1.timeline[0]!, seq, type: 'reopened', note: null });
    p1.timeline.push(reopen(90), reopen(91));
    const summary = summarize(input(cases));
    expect(summary.total.reopened).toBe(1);
    expect(summary.total.reopenRate).toBe(1 / 7);
  });

  test('a reopened case counts its final resolution, and is open while reopened', () => {
    const cases = windowCases();
    const resolvedCase = cases.find((c) => c.timeline.some((e) => e.type === 'resolved'))!;
    const before = summarize(input(cases)).total;
    const last = resolvedCase.timeline.at(-1)!;
    const created = Date.parse(resolvedCase.record.createdAt);
    const at = (hours: number) => new Date(created + hours * 3_600_000).toISOString();
    resolvedCase.timeline.push({
      ...last,
      seq: 90,
      at: at(30),
      type: 'reopened',
      by: 'reporter',
      note: 'still broken',
    });
    const reopened = summarize(input(cases)).total;
    expect(reopened.resolved).toBe(before.resolved - 1);
    expect(reopened.open).toBe(before.open + 1);

    resolvedCase.timeline.push({ ...last, seq: 95, at: at(40), type: 'resolved', by: 'Grace', note: 'fixed again' });
    const resolvedAgain = summarize(input([resolvedCase])).total;
    expect(resolvedAgain).toMatchObject({ resolved: 1, open: 0, mttrP50Ms: 40 * 3_600_000, reopened: 1 });
  });

  test("satisfaction is the mean of each rated case's latest score, and drops the note", () => {
    const cases = windowCases();
    const feedback = (c: (typeof cases)[number], seq: number, note: string): TimelineRecord => ({
      ...c.timeline[0]!,
      seq,
      type: 'feedback_received',
      by: 'reporter',
      note,
    });
    // Case 1 was unhappy, reopened, then happy (latest 5 counts); case 2 gave 3; the rest never answered.
    cases[0]!.timeline.push(feedback(cases[0]!, 90, 'score 2/5 (unsatisfied: below 4): still broken'));
    cases[0]!.timeline.push(feedback(cases[0]!, 95, 'score 5/5 (satisfied)'));
    cases[1]!.timeline.push(feedback(cases[1]!, 90, 'score 3/5 (unsatisfied: below 4)'));
    const summary = summarize(input(cases));
    expect(summary.total.rated).toBe(2);
    expect(summary.total.satisfaction).toBe(4);
    expect(summary.notes.some((note) => note.startsWith('Satisfaction'))).toBe(false);
  });

  test('an empty window has zero cases, no times and no rates, and every week is listed', () => {
    const summary = summarize(input([], { baseline: [] }));
    expect(summary.total).toMatchObject({
      cases: 0,
      mttaP50Ms: null,
      mttrP90Ms: null,
      ackBreachRate: null,
      depthMean: null,
      depthMax: null,
      reopenRate: null,
    });
    expect(summary.weeks.map((w) => w.cases)).toEqual([0, 0]);
    expect(summary.groups).toEqual([]);
    expect(summary.notes.at(-1)).toMatch(/^No cases in the 4 baseline windows/);
  });

  test('weeks are ISO weeks from Monday 00:00 UTC, cut at the window edges', () => {
    // Thursday 2026-10-01 to Sunday 2026-10-11 (end excluded: ends Saturday night).
    const summary = summarize(input([], { from: '2026-10-01T00:00:00Z', to: '2026-10-11T00:00:00Z' }));
    expect(summary.weeks.map((w) => [w.week, w.isoWeek, w.start, w.end])).toEqual([
      ['2026-09-28', '2026-W40', '2026-10-01T00:00:00.000Z', '2026-10-05T00:00:00.000Z'],
      ['2026-10-05', '2026-W41', '2026-10-05T00:00:00.000Z', '2026-10-11T00:00:00.000Z'],
    ]);
    expect(isoWeekLabel(weekStart(Date.parse('2027-01-01T12:00:00Z')))).toBe('2026-W53');
    expect(isoWeekLabel(weekStart(Date.parse('2024-12-31T12:00:00Z')))).toBe('2025-W01');
  });

  test('a window that ends after now says its last week is incomplete', () => {
    const summary = summarize(input(windowCases(), { now: '2026-10-16T00:00:00.000Z' }));
    expect(summary.notes).toContain(
      'The window ends after the report was made (2026-10-16T00:00:00.000Z): the last week is incomplete.',
    );
  });

  test('a manual escalation is never a breach; an automatic one counts once per case', () => {
    const [p2] = windowCases().slice(1, 2);
    const twice = { ...p2!, timeline: [...p2!.timeline] };
    twice.timeline.push({ ...twice.timeline[2]!, seq: 50, at: '2026-10-06T09:50:00.000Z' });
    const manual = windowCases()[0]!;
    manual.timeline.push({
      ...manual.timeline[0]!,
      seq: 50,
      type: 'escalated',
      by: 'grace',
      note: 'escalating by hand (ack target) (resolve target)',
    });
    const summary = summarize(input([twice, manual]));
    expect(summary.total.ackBreached).toBe(1);
    expect(summary.total.resolveBreached).toBe(0);
    expect(summary.total.ackBreachRate).toBe(0.5);
  });

  test('bad input is refused', () => {
    expect(() => summarize(input([], { from: TO, to: FROM }))).toThrow(/must be before/);
    expect(() => summarize(input([], { from: 'yesterday' }))).toThrow(/ISO-8601/);
    expect(() => summarize(input([], { groupBy: 'owner' as never }))).toThrow(/groupBy/);
  });

  test('times are measured from the created time and never negative', () => {
    const [p1] = windowCases();
    const early = { ...p1!, timeline: p1!.timeline.map((e) => (e.type === 'acknowledged' ? { ...e, at: FROM } : e)) };
    expect(summarize(input([early])).total.mttaP50Ms).toBe(0);
    expect(summarize(input([p1!])).total.mttaP50Ms).toBe(10 * MINUTE);
  });
});
