// The fixture written through the real store on both backends: loadReport reads it back to the same exact figures.
import { allCasesCreatedBetween, loadReport } from '../../src/reports/load';
import { summarize } from '../../src/reports/summary';
import { MAX_WINDOW_LIMIT } from '../../src/store/sql-store';
import type { CaseRecord, CaseStore } from '../../src/store/case-store';
import { expectFixtureSummary } from './expected';
import { baselineCases, FROM, NOW, outsideCases, TO, windowCases } from './fixture';
import { BACKENDS, writeCases, type OpenStore } from './stores';

describe.each(BACKENDS)('loadReport on $name', ({ open }) => {
  let opened: OpenStore;

  beforeAll(async () => {
    opened = await open();
    await writeCases(opened.store, [...windowCases(), ...baselineCases(), ...outsideCases()]);
  });

  afterAll(async () => {
    await opened?.close();
  });

  test('gives the hand-computed figures of the fixture', async () => {
    const summary = await loadReport(opened.store, { from: FROM, to: TO, groupBy: 'category', now: NOW });
    expectFixtureSummary(summary);
  });

  test('matches summarize on the records in memory for every grouping', async () => {
    const cases = windowCases();
    for (const groupBy of ['category', 'priority', 'level', 'team'] as const) {
      const loaded = await loadReport(opened.store, { from: FROM, to: TO, groupBy, now: NOW });
      const direct = summarize({
        cases: cases.map((c) => c.record),
        timelines: new Map(cases.map((c) => [c.record.id, c.timeline])),
        baseline: baselineCases().map((c) => c.record),
        from: FROM,
        to: TO,
        groupBy,
        now: NOW,
      });
      expect(loaded).toEqual(direct);
    }
  });
});

describe('allCasesCreatedBetween', () => {
  const record = (id: string, createdAt: string) => ({ id, createdAt }) as CaseRecord;

  /** A store stub serving casesCreatedBetween from a sorted list, like SqlCaseStore does. */
  function pagedStore(records: CaseRecord[]): { store: CaseStore; calls: string[] } {
    const calls: string[] = [];
    const sorted = [...records].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const store = {
      casesCreatedBetween: async (from: string, to: string, limit: number) => {
        calls.push(from);
        return sorted.filter((r) => r.createdAt >= from && r.createdAt < to).slice(0, limit);
      },
    } as unknown as CaseStore;
    return { store, calls };
  }

  test('pages past the store limit without losing or repeating cases that share an instant', async () => {
    const records = Array.from({ length: MAX_WINDOW_LIMIT + 10 }, (_, i) =>
      record(
        `c${String(i).padStart(5, '0')}`,
        `2026-10-01T00:00:${String(Math.floor(i / 1000)).padStart(2, '0')}.000Z`,
      ),
    );
    const { store, calls } = pagedStore(records);
    const found = await allCasesCreatedBetween(store, '2026-10-01T00:00:00.000Z', '2026-10-02T00:00:00.000Z');
    expect(found.map((r) => r.id)).toEqual(records.map((r) => r.id));
    expect(calls).toEqual(['2026-10-01T00:00:00.000Z', '2026-10-01T00:00:04.000Z']);
  });

  test('refuses a window with more cases at one instant than a page holds', async () => {
    const records = Array.from({ length: MAX_WINDOW_LIMIT + 1 }, (_, i) => record(`c${i}`, '2026-10-01T00:00:00.000Z'));
    await expect(
      allCasesCreatedBetween(pagedStore(records).store, '2026-10-01T00:00:00.000Z', '2026-10-02T00:00:00.000Z'),
    ).rejects.toThrow(/same instant/);
  });
});
