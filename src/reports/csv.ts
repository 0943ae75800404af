// A report as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled) for a
// spreadsheet: one row per group and week, plus a whole-window row per group; group "(all)" is every case.
import type { Figures, ReportSummary } from './summary';

export const ALL_GROUPS = '(all)';
export const WHOLE_WINDOW = '(window)';

const FIGURE_COLUMNS: [string, (f: Figures) => number | null][] = [
  ['cases', (f) => f.cases],
  ['open', (f) => f.open],
  ['acknowledged', (f) => f.acknowledged],
  ['mtta_p50_ms', (f) => f.mttaP50Ms],
  ['mtta_p90_ms', (f) => f.mttaP90Ms],
  ['resolved', (f) => f.resolved],
  ['mttr_p50_ms', (f) => f.mttrP50Ms],
  ['mttr_p90_ms', (f) => f.mttrP90Ms],
  ['ack_breached', (f) => f.ackBreached],
  ['ack_breach_rate', (f) => f.ackBreachRate],
  ['resolve_breached', (f) => f.resolveBreached],
  ['resolve_breach_rate', (f) => f.resolveBreachRate],
  ['depth_mean', (f) => f.depthMean],
  ['depth_max', (f) => f.depthMax],
  ['reopened', (f) => f.reopened],
  ['reopen_rate', (f) => f.reopenRate],
  ['rated', (f) => f.rated],
  ['satisfaction', (f) => f.satisfaction],
];

export const CSV_HEADER = ['group_by', 'group', 'week', 'start', 'end', ...FIGURE_COLUMNS.map(([name]) => name)];

/** Integers as they are, fractions to 4 decimals (trailing zeros dropped), none as an empty field. */
function number(value: number | null): string {
  if (value === null) return '';
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A group name a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe. */
function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toCsv(summary: ReportSummary): string {
  const rows: string[][] = [CSV_HEADER];
  const push = (group: string, week: string, start: string, end: string, figures: Figures) =>
    rows.push([
      summary.groupBy,
      safeText(group),
      week,
      start,
      end,
      ...FIGURE_COLUMNS.map(([, read]) => number(read(figures))),
    ]);
  const section = (group: string, total: Figures, weeks: ReportSummary['weeks']) => {
    push(group, WHOLE_WINDOW, summary.from, summary.to, total);
    for (const week of weeks) push(group, week.week, week.start, week.end, week);
  };
  section(ALL_GROUPS, summary.total, summary.weeks);
  for (const group of summary.groups) section(group.key, group.total, group.weeks);
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
