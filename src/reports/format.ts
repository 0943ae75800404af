// How report figures read to people (the page and the CLI table); the JSON and CSV keep the raw numbers.
import { formatDuration } from '../shared/duration';

/** Milliseconds to the minute, e.g. `2h30m`; `<1m` under a minute, `-` when there is no value. */
export function duration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms > 0 && ms < 60_000) return '<1m';
  return formatDuration(Math.round(ms / 60_000) * 60_000);
}

/** A 0..1 rate as a percentage with one decimal, `-` when there is no value. */
export function percent(rate: number | null): string {
  return rate === null ? '-' : `${(rate * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

/** A mean to two decimals, `-` when there is no value. */
export function decimal(value: number | null): string {
  return value === null ? '-' : String(Number(value.toFixed(2)));
}

/** The window as people say it: the end day is excluded, so the last day shown is the one before `to`. */
export function windowLabel(fromIso: string, toIso: string): string {
  const from = new Date(fromIso);
  const last = new Date(Date.parse(toIso) - 1);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const midnight = (d: Date) => d.toISOString().endsWith('T00:00:00.000Z');
  if (midnight(from) && midnight(new Date(toIso))) return `${day(from)} to ${day(last)} (UTC, whole days)`;
  return `${fromIso} to ${toIso} (end excluded)`;
}
