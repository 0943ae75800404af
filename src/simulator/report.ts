// The simulation as people read it: one chronological table in the scenario's time zone (what happened, at which
// level, who was told what), then each SLA target's fate. `--json` prints the SimulationResult instead.
import { formatDuration } from '../shared/duration';
import { formatLocal } from '../sla/clock';
import type { SimulationResult } from './simulate';

interface Row {
  at: string;
  order: number;
  what: string;
  level: string;
  detail: string;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** The simulated clock runs a few milliseconds ahead while the case starts; people read whole seconds. */
const local = (at: string | number, zone: string) =>
  formatLocal(Math.floor((typeof at === 'string' ? Date.parse(at) : at) / 1000) * 1000, zone);

export function formatReport(result: SimulationResult): string {
  const { state, zone } = result;
  const startMs = Date.parse(result.start);
  const offset = (at: string) => `+${formatDuration(Math.max(0, Date.parse(at) - startMs))}`;
  const rows: Row[] = [
    ...state.timeline.map((event) => ({
      at: event.at,
      order: 0,
      what: event.type.replace(/_/g, ' '),
      level: event.level?.name ?? '',
      detail: [event.by ? `by ${event.by}` : '', event.note ?? ''].filter(Boolean).join(': '),
    })),
    ...result.notifications.map((n) => ({
      at: n.at,
      order: 1,
      what: `  -> ${n.audience}`,
      level: '',
      detail: `${n.name} <${n.to}> via ${n.channel}: ${n.subject}`,
    })),
    ...result.commands
      .filter((c) => c.outcome !== 'applied')
      .map((c) => ({ at: c.at, order: 2, what: 'command refused', level: '', detail: `${c.line} (${c.outcome})` })),
  ].sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order);

  const version = result.plan.versionName ? `${result.plan.versionName}, ${result.plan.version}` : result.plan.version;
  const lines = [
    `Simulation: ${result.scenario}`,
    `Matrix:     ${result.plan.name} (${version})`,
    `Case:       ${state.id} "${state.title}": ${state.priority} ${state.category}` +
      (state.triage ? `, triage rule ${state.triage.rule}, path ${state.triage.path}` : ''),
    `Times in ${zone}, from ${local(startMs, zone)} to ${local(result.end, zone)}`,
    '',
    ...table([
      ['TIME', 'OFFSET', 'WHAT', 'LEVEL', 'DETAIL'],
      ...rows.map((row) => [local(row.at, zone), offset(row.at), row.what, row.level, row.detail]),
    ]),
    '',
    'SLA',
  ];
  const breaches = state.timeline.filter((event) => event.type === 'escalated' && !event.by);
  for (const breach of breaches) {
    lines.push(`  breached ${local(breach.at, zone)} (${offset(breach.at)}): ${breach.note}`);
  }
  if (breaches.length === 0) lines.push('  no target breached before the end of the simulation');
  const end = state.status === 'resolved' ? `resolved ${local(state.resolvedAt ?? result.end, zone)}` : state.status;
  lines.push(
    `  at the end: ${end} at ${state.level.name}, owner ${state.owner ?? 'nobody'}${state.unowned ? ' (UNOWNED)' : ''}`,
  );
  if (state.status !== 'resolved' && state.next) {
    lines.push(`  next: ${state.next.action.replace('_', ' ')} at ${local(state.next.at, zone)}`);
  }
  lines.push(`  ${result.notifications.length} notification(s), ${result.commands.length} scripted command(s)`);
  return lines.join('\n');
}
