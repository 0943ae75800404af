// The what-if replay as people read it: totals, per level, per recipient (actual vs candidate, with the change),
// then one line per case whose outcome changed. `--json` prints the ReplayResult instead.
import { formatLocal } from '../sla/clock';
import { REPORTERS, type CaseComparison, type Counts, type ReplayResult } from './replay-compare';
import type { ActionOutcome } from './replay-run';

/** Beyond this many changed cases the report says how many more there are; `--json` has them all. */
const MAX_CASE_LINES = 100;

/** Columns padded to their widest cell; `right` marks the numeric columns, aligned on their last digit. */
function table(rows: string[][], right: boolean[] = []): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => (right[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

const delta = (actual: number, candidate: number) =>
  candidate === actual ? '' : `${candidate > actual ? '+' : ''}${candidate - actual}`;

/** A window bound as people wrote it: the UTC day when it is midnight, else the instant. */
function bound(iso: string): string {
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : formatLocal(Date.parse(iso), 'UTC');
}

/** `2 -> 3` cells of one column, padded so the arrows line up. */
function arrows(pairs: [number, number][]): string[] {
  const left = Math.max(...pairs.map(([a]) => String(a).length));
  return pairs.map(([a, c]) => `${String(a).padStart(left)} -> ${c}`);
}

function refusalReason(outcome: ActionOutcome): string {
  const reason = /^refused: ([A-Za-z]+):/.exec(outcome.outcome)?.[1];
  return reason ?? outcome.outcome.split(':')[0] ?? 'failed';
}

/** `ESC-2026-000123 high billing: 2 -> 0 breaches, highest level Manager -> Team lead, ...; refused: ...` */
export function changedCaseLine(row: CaseComparison): string {
  const { actual: a, candidate: c } = row;
  const highest =
    a.highestLevel?.name === c.highestLevel?.name
      ? `highest level ${c.highestLevel?.name ?? '-'}`
      : `highest level ${a.highestLevel?.name ?? '-'} -> ${c.highestLevel?.name ?? '-'}`;
  const parts = [`${a.breaches} -> ${c.breaches} breaches`, highest];
  const counts: [Exclude<keyof typeof a, 'highestLevel' | 'resolved' | 'breaches'>, string][] = [
    ['breachWarnings', 'warnings'],
    ['reminders', 'reminders'],
    ['unowned', 'unowned marks'],
    ['resolveBreaches', 'resolve breaches'],
    ['handoffs', 'handoffs'],
    ['notifications', 'notifications'],
  ];
  for (const [key, label] of counts) {
    if (a[key] !== c[key]) parts.push(`${label} ${a[key]} -> ${c[key]}`);
  }
  const refused = row.refused.map((r) => `${r.kind} by ${r.by} (${refusalReason(r)})`);
  return (
    `${row.id} ${row.priority} ${row.category}: ${parts.join(', ')}` +
    (refused.length > 0 ? `; refused: ${refused.join(', ')}` : '')
  );
}

export function formatReplayReport(result: ReplayResult): string {
  const { totals } = result;
  const version = result.plan.versionName ? `${result.plan.versionName}, ${result.plan.version}` : result.plan.version;
  const refused =
    totals.refusedActions === 1 ? '1 recorded action refused' : `${totals.refusedActions} recorded actions refused`;
  const lines = [
    `What-if replay: ${result.plan.name} (${version})`,
    `Cases:    ${totals.cases} created from ${bound(result.window.from)} to ${bound(result.window.to)} (UTC, end excluded)`,
    `Counted:  up to ${formatLocal(Date.parse(result.horizon), 'UTC')}, on both sides`,
    `Changed:  ${totals.changedCases} of ${totals.cases} case(s); ${refused}`,
    '',
  ];

  const total = (label: string, counts: Counts) => [
    label,
    String(counts.actual),
    String(counts.candidate),
    delta(counts.actual, counts.candidate),
  ];
  lines.push(
    ...table(
      [
        ['TOTALS', 'ACTUAL', 'CANDIDATE', 'DELTA'],
        total('automatic escalations (breaches)', totals.breaches),
        total('breach warnings', totals.breachWarnings),
        total('last-level reminders', totals.reminders),
        total('unowned marks', totals.unowned),
        total('resolve breaches at the top', totals.resolveBreaches),
        total('handoffs', totals.handoffs),
        total('notifications', totals.notifications),
        total('resolved', totals.resolved),
      ],
      [false, true, true, true],
    ),
    '',
  );

  const levels = result.perLevel;
  const handoffs = arrows(levels.map((l) => [l.actualHandoffs, l.candidateHandoffs]));
  const breaches = arrows(levels.map((l) => [l.actualBreaches, l.candidateBreaches]));
  const notices = arrows(levels.map((l) => [l.actualNotifications, l.candidateNotifications]));
  lines.push(
    ...table([
      ['PER LEVEL (actual -> candidate)', 'HANDOFFS', 'BREACHES', 'NOTICES TO THE LEVEL'],
      ...levels.map((l, i) => [l.level, handoffs[i] ?? '', breaches[i] ?? '', notices[i] ?? '']),
    ]),
    '',
  );

  lines.push(
    ...table(
      [
        ['PER RECIPIENT', 'ACTUAL', 'CANDIDATE', 'DELTA'],
        ...result.perRecipient.map((r) => [
          r.address,
          String(r.actual),
          String(r.candidate),
          delta(r.actual, r.candidate),
        ]),
      ],
      [false, true, true, true],
    ),
  );
  if (result.perRecipient.some((r) => r.address === REPORTERS)) {
    lines.push(`${REPORTERS}: every reporter's receipt and resolution notice together`);
  }
  lines.push('');

  const changed = result.cases.filter((row) => row.changed);
  lines.push(
    changed.length === 0 ? 'CHANGED CASES: none, every case ran as it did' : `CHANGED CASES (${changed.length})`,
  );
  lines.push(...changed.slice(0, MAX_CASE_LINES).map(changedCaseLine));
  if (changed.length > MAX_CASE_LINES) {
    lines.push(`... and ${changed.length - MAX_CASE_LINES} more (run with --json for every case)`);
  }

  lines.push('', 'NOTES', ...result.caveats.map((note) => `- ${note}`));
  return lines.join('\n');
}
