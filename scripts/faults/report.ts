// The printed result of a fault run: one table row per round, then what went wrong, case by case.
import type { RoundResult } from './round';

const COLUMNS: [string, (result: RoundResult) => string][] = [
  ['round', (r) => String(r.round)],
  ['fault', (r) => r.fault],
  ['cases', (r) => String(r.cases)],
  ['expected', (r) => String(r.expected)],
  ['seen', (r) => String(r.seen)],
  ['duplicates', (r) => String(r.duplicates)],
  ['lost', (r) => String(r.lost)],
  ['stalled', (r) => String(r.stalled)],
  [
    'max late after recovery (s)',
    (r) => (r.maxLatenessAfterRecovery === undefined ? '-' : String(r.maxLatenessAfterRecovery)),
  ],
  ['max late after SLA (s)', (r) => (r.maxLatenessAfterSla === undefined ? '-' : String(r.maxLatenessAfterSla))],
  ['crashes restarted', (r) => String(r.crashes.length)],
  ['problems', (r) => String(r.problems.length)],
];

export function formatTable(results: RoundResult[]): string {
  const rows = [COLUMNS.map(([title]) => title), ...results.map((result) => COLUMNS.map(([, cell]) => cell(result)))];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(rows[0] as string[]), rule, ...rows.slice(1).map(line)].join('\n');
}

/** At most `perRound` problems per round are listed; the count in the table is the full one. */
export function formatProblems(results: RoundResult[], perRound = 100): string {
  const lines: string[] = [];
  for (const result of results) {
    for (const crash of result.crashes) lines.push(`round ${result.round} ${result.fault}: ${crash}, restarted`);
    if (result.problems.length === 0) continue;
    lines.push(`round ${result.round} ${result.fault}: ${result.problems.length} problem(s)`);
    for (const problem of result.problems.slice(0, perRound)) lines.push(`  - ${problem}`);
    if (result.problems.length > perRound) lines.push(`  ... ${result.problems.length - perRound} more`);
  }
  return lines.join('\n');
}

/** Loss, duplicates, stalls, or any other problem (a poison request answered wrongly) fail the run. */
export function isFailure(result: RoundResult): boolean {
  return result.lost > 0 || result.duplicates > 0 || result.stalled > 0 || result.problems.length > 0;
}
