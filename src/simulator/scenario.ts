// A simulation scenario: one case, a start time in a zone, and a script of what people do when
// (`+45m acknowledge by ana`, `+3h pause by ana: waiting-on-customer`), validated at the edge.
import { DateTime, IANAZone } from 'luxon';
import YAML from 'yaml';
import { z } from 'zod';
import { createEscalationBody } from '../api/schemas';
import { parseDuration } from '../shared/duration';
import { PRIORITIES, WEEKDAYS } from '../shared/plan';
import type { CaseCommand } from './send-command';

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(
    readonly source: string,
    readonly errors: string[],
  ) {
    super(`${source}: invalid scenario\n${errors.map((e) => `  ${e}`).join('\n')}`);
  }
}

export interface ScriptedCommand {
  /** Milliseconds after the case opens. */
  offsetMs: number;
  line: string;
  command: CaseCommand;
}

export interface Scenario {
  name: string;
  zone: string;
  /** `YYYY-MM-DDTHH:MM` local, or `next fri 16:45` (the next such wall time after the simulator's clock). */
  start: string;
  case: z.infer<typeof createEscalationBody>;
  events: ScriptedCommand[];
  /** How long after opening the simulation runs. */
  untilMs: number;
}

const scenarioSchema = z.strictObject({
  name: z.string().min(1).optional(),
  zone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'is not an IANA time zone (e.g. Europe/Berlin)'),
  start: z
    .string()
    .refine(
      (start) => parseStart(start) !== undefined,
      'must be a local date-time YYYY-MM-DDTHH:MM or "next <mon..sun> HH:MM"',
    ),
  case: createEscalationBody,
  // `- +1h pause by ana: waiting-on-customer` is a one-key map in YAML; read it back as the line it was written as.
  events: z
    .array(
      z.union([
        z.string(),
        z
          .record(z.string(), z.union([z.string(), z.number()]))
          .refine((entry) => Object.keys(entry).length === 1, 'must be one line such as "+45m acknowledge by ana"')
          .transform((entry) => Object.entries(entry).map(([head, text]) => `${head}: ${text}`)[0] as string),
      ]),
    )
    .default([]),
  until: z.string().optional(),
});

type StartSpec = { kind: 'absolute'; local: string } | { kind: 'next'; weekday: number; time: string };

function parseStart(start: string): StartSpec | undefined {
  const next = /^next\s+(mon|tue|wed|thu|fri|sat|sun)\s+(\d{2}:\d{2})$/i.exec(start.trim());
  if (next)
    return { kind: 'next', weekday: WEEKDAYS.indexOf(next[1]?.toLowerCase() as never) + 1, time: next[2] as string };
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(start.trim())
    ? { kind: 'absolute', local: start.trim() }
    : undefined;
}

/** The start instant: an absolute local time, or the next such weekday/time after `nowMs` (in the zone). */
export function resolveStart(scenario: Pick<Scenario, 'start' | 'zone'>, nowMs: number): number {
  const spec = parseStart(scenario.start);
  if (!spec) throw new RangeError(`bad start "${scenario.start}"`);
  if (spec.kind === 'absolute') return DateTime.fromISO(spec.local, { zone: scenario.zone }).toMillis();
  const [hour, minute] = spec.time.split(':').map(Number);
  let day = DateTime.fromMillis(nowMs, { zone: scenario.zone }).startOf('day');
  for (let i = 0; i < 15; i++, day = day.plus({ days: 1 })) {
    const candidate = day.set({ hour, minute });
    if (candidate.weekday === spec.weekday && candidate.toMillis() > nowMs) return candidate.toMillis();
  }
  throw new RangeError(`no ${scenario.start} within two weeks`);
}

const VERBS =
  'acknowledge|ack|unacknowledge|unack|resolve|escalate|reassign|comment|pause|resume|reprioritise|feedback|reopen';
/** Short forms people write in scenarios. */
const ALIASES: Record<string, string> = { ack: 'acknowledge', unack: 'unacknowledge' };
const LINE = new RegExp(`^\\+(\\S+)\\s+(${VERBS})\\b(.*)$`, 'i');

/** `+2h escalate by ana to senior-leadership: customer threatens to sue` -> offset and command. */
export function parseEventLine(line: string): ScriptedCommand | string {
  const match = LINE.exec(line.trim());
  if (!match) {
    const verbs = VERBS.split('|')
      .filter((verb) => !(verb in ALIASES))
      .join('|');
    return `"${line}": expected "+<duration> <${verbs}> [by <who>] [to <level, priority or assignee>] [: <text>]"`;
  }
  const [, offset = '', verb = '', rest = ''] = match;
  const offsetMs = parseDuration(offset);
  if (offsetMs === undefined) return `"${line}": "${offset}" is not a duration (use e.g. 45m, 3h, 1d2h)`;
  const [head = '', ...textParts] = rest.split(':');
  const text = textParts.join(':').trim();
  const by = /\bby\s+(.+?)(?=\s+to\s+|$)/i.exec(head)?.[1]?.trim() ?? 'simulator';
  const to = /\bto\s+([a-z0-9-]+)/i.exec(head)?.[1];
  const bare = head
    .replace(/\bby\s+.+?(?=\s+to\s+|$)/i, '')
    .replace(/\bto\s+[a-z0-9-]+/i, '')
    .trim();
  const kind = ALIASES[verb.toLowerCase()] ?? verb.toLowerCase();
  const need = (what: string) => `"${line}": ${kind} needs ${what} after a colon, e.g. "+1h ${kind} by ana: ..."`;
  let command: CaseCommand;
  switch (kind) {
    case 'acknowledge':
      command = { kind, by, ...(text ? { note: text } : {}) };
      break;
    case 'unacknowledge':
      if (!text) return need('a reason');
      command = { kind, by, reason: text };
      break;
    case 'reassign':
      if (!to) return `"${line}": reassign needs "to <person or team id>", e.g. "+10m reassign by ana to grace: ..."`;
      if (!text) return need('a reason');
      command = { kind, by, to, reason: text };
      break;
    case 'resolve':
      if (!text) return need('a resolution');
      command = { kind, by, resolution: text };
      break;
    case 'escalate':
      if (!text) return need('a reason');
      command = { kind, by, reason: text, ...(to ? { to } : {}) };
      break;
    case 'comment':
      if (!text) return need('the comment');
      command = { kind, by, note: text };
      break;
    case 'pause': {
      const reason = text || bare;
      if (!reason) return need('a pause reason');
      command = { kind, by, reason };
      break;
    }
    case 'reprioritise': {
      const priority = PRIORITIES.find((p) => p === to?.toLowerCase());
      if (!priority)
        return `"${line}": reprioritise needs "to <${PRIORITIES.join('|')}>", e.g. "+1h reprioritise by ana to critical: ..."`;
      if (!text) return need('a reason');
      command = { kind, by, priority, reason: text };
      break;
    }
    case 'feedback': {
      // `+3h feedback by ada: 2 still charged twice`: the score, then an optional comment.
      const feedback = /^([1-5])\b\s*(.*)$/.exec(text);
      if (!feedback)
        return `"${line}": feedback needs a score 1-5 after the colon, e.g. "+1d feedback by ada: 2 still broken"`;
      command = { kind, by, score: Number(feedback[1]), ...(feedback[2] ? { comment: feedback[2] } : {}) };
      break;
    }
    case 'reopen':
      if (!text) return need('a reason');
      command = { kind, by, reason: text };
      break;
    default:
      command = { kind: 'resume', by, ...(text ? { note: text } : {}) };
  }
  return { offsetMs, line: line.trim(), command };
}

export function parseScenario(yamlText: string, source = '<scenario>'): Scenario {
  let data: unknown;
  try {
    data = YAML.parse(yamlText);
  } catch (error) {
    throw new ScenarioError(source, [(error as Error).message.split('\n')[0] ?? 'not YAML']);
  }
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) {
    throw new ScenarioError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`),
    );
  }
  const { name, zone, start, case: input, events, until } = parsed.data;
  const errors: string[] = [];
  const commands: ScriptedCommand[] = [];
  events.forEach((line, index) => {
    const result = parseEventLine(line);
    if (typeof result === 'string') errors.push(`events.${index}: ${result}`);
    else commands.push(result);
  });
  const untilMs = until === undefined ? undefined : parseDuration(until.replace(/^\+/, ''));
  if (until !== undefined && untilMs === undefined) errors.push(`until: "${until}" is not a duration (e.g. +3d)`);
  if (errors.length > 0) throw new ScenarioError(source, errors);
  commands.sort((a, b) => a.offsetMs - b.offsetMs);
  const lastMs = commands.at(-1)?.offsetMs ?? 0;
  return {
    name: name ?? source,
    zone,
    start,
    case: input,
    events: commands,
    untilMs: untilMs ?? lastMs + 86_400_000,
  };
}
