// The report as a plain-text table for the terminal (`npm run report`): headline, one row per group, one per
// week, then the recurring issues. Columns are aligned like the simulator's report.
import { decimal, duration, percent, windowLabel } from './format';
import type { Figures, RecurringIssue, ReportSummary } from './summary';

function table(rows: string[][], rightFrom = 1): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) =>
        column >= rightFrom ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

const HEADER = [
  'CASES',
  'MTTA p50',
  'p90',
  'MTTR p50',
  'p90',
  'ACK BREACH',
  'RES BREACH',
  'DEPTH',
  'MAX',
  'REOPEN',
  'OPEN',
];

function cells(f: Figures): string[] {
  return [
    String(f.cases),
    duration(f.mttaP50Ms),
    duration(f.mttaP90Ms),
    duration(f.mttrP50Ms),
    duration(f.mttrP90Ms),
    percent(f.ackBreachRate),
    percent(f.resolveBreachRate),
    decimal(f.depthMean),
    f.depthMax === null ? '-' : String(f.depthMax),
    percent(f.reopenRate),
    String(f.open),
  ];
}

function recurring(title: string, issues: RecurringIssue[]): string[] {
  if (issues.length === 0) return [`${title}: nothing recurring`];
  return [
    `${title}:`,
    ...table([
      ['  KEY', 'CASES', 'BASELINE MEAN', 'BASELINE (LATEST FIRST)', 'RATIO'],
      ...issues.map((issue) => [
        `  ${issue.key}`,
        String(issue.count),
        decimal(issue.baselineMean),
        issue.baselineCounts.join(', '),
        issue.ratio === null ? 'new' : `${decimal(issue.ratio)}x`,
      ]),
    ]),
  ];
}

export function formatSummary(summary: ReportSummary): string {
  const t = summary.total;
  const lines = [
    `Escalation trends ${windowLabel(summary.from, summary.to)}, grouped by ${summary.groupBy}`,
    `${t.cases} case(s), ${t.open} open; MTTA p50 ${duration(t.mttaP50Ms)} (p90 ${duration(t.mttaP90Ms)}), ` +
      `MTTR p50 ${duration(t.mttrP50Ms)} (p90 ${duration(t.mttrP90Ms)}); breaches: ack ${percent(t.ackBreachRate)}, ` +
      `resolve ${percent(t.resolveBreachRate)}; depth mean ${decimal(t.depthMean)}, max ${t.depthMax ?? '-'}`,
    '',
    ...table([
      [summary.groupBy.toUpperCase(), ...HEADER],
      ...summary.groups.map((g) => [g.key, ...cells(g.total)]),
      ['(all)', ...cells(t)],
    ]),
    '',
    ...table([['WEEK', ...HEADER], ...summary.weeks.map((w) => [`${w.isoWeek} ${w.week}`, ...cells(w)])]),
    '',
    'Recurring issues',
    `  ${summary.recurring.rule}`,
    ...recurring('Categories', summary.recurring.categories),
    ...recurring('Reporters', summary.recurring.reporters),
  ];
  if (summary.notes.length > 0) lines.push('', 'Notes:', ...summary.notes.map((note) => `  - ${note}`));
  return lines.join('\n');
}
