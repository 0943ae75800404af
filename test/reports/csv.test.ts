// The CSV of a small report, byte for byte: RFC 4180 quoting, CRLF, one row per group and week plus window rows.
import { csvField, toCsv } from '../../src/reports/csv';
import { summarize } from '../../src/reports/summary';
import type { CaseRecord, TimelineRecord } from '../../src/store/case-store';
import { baselineCases, windowCases } from './fixture';

function withCategory(index: number, id: string, category: string, createdAt: string) {
  const base = windowCases()[index]!;
  const shift = Date.parse(createdAt) - Date.parse(base.record.createdAt);
  const record: CaseRecord = { ...base.record, id, category, createdAt };
  const timeline: TimelineRecord[] = base.timeline.map((e) => ({
    ...e,
    caseId: id,
    at: new Date(Date.parse(e.at) + shift).toISOString(),
  }));
  return { record, timeline };
}

describe('toCsv', () => {
  test('a one-week report with a quoted category and a formula-like one', () => {
    // A: fixture P2 (ack 30m, resolved 4h, ack breach, depth 1); B: fixture L3 (open, nothing else); C: L3 again.
    const cases = [
      withCategory(1, 'A', 'Billing, "EU"', '2026-10-05T09:00:00.000Z'),
      withCategory(6, 'B', 'Billing, "EU"', '2026-10-06T10:00:00.000Z'),
      withCategory(6, 'C', '=SUM(A1)', '2026-10-07T10:00:00.000Z'),
    ];
    const summary = summarize({
      cases: cases.map((c) => c.record),
      timelines: new Map(cases.map((c) => [c.record.id, c.timeline])),
      baseline: baselineCases().map((c) => c.record),
      from: '2026-10-05T00:00:00Z',
      to: '2026-10-12T00:00:00Z',
      groupBy: 'category',
      now: '2026-10-20T00:00:00Z',
    });
    const header =
      'group_by,group,week,start,end,cases,open,acknowledged,mtta_p50_ms,mtta_p90_ms,resolved,mttr_p50_ms,mttr_p90_ms,' +
      'ack_breached,ack_breach_rate,resolve_breached,resolve_breach_rate,depth_mean,depth_max,reopened,reopen_rate,rated,satisfaction';
    const w = '2026-10-05T00:00:00.000Z,2026-10-12T00:00:00.000Z';
    const all = '3,2,1,1800000,1800000,1,14400000,14400000,1,0.3333,0,0,0.3333,1,0,0,0,';
    const billing = '2,1,1,1800000,1800000,1,14400000,14400000,1,0.5,0,0,0.5,1,0,0,0,';
    const formula = '1,1,0,,,0,,,0,0,0,0,0,0,0,0,0,';
    expect(toCsv(summary)).toBe(
      [
        header,
        `category,(all),(window),${w},${all}`,
        `category,(all),2026-10-05,${w},${all}`,
        `category,"Billing, ""EU""",(window),${w},${billing}`,
        `category,"Billing, ""EU""",2026-10-05,${w},${billing}`,
        `category,'=SUM(A1),(window),${w},${formula}`,
        `category,'=SUM(A1),2026-10-05,${w},${formula}`,
        '',
      ].join('\r\n'),
    );
  });

  test('fields are quoted only when they hold a comma, a quote or a line break', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
  });
});
