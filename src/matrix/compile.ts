// Turns a validated matrix document into the Plan the workflow runs on, stamped with a content-hash version.
import { createHash } from 'node:crypto';
import type { LevelTargets, Plan, PlanLevel, Priority } from '../shared/plan';
import type { MatrixDocument } from './schema';

type Level = MatrixDocument['levels'][number];

/** Expects a document that passed `matrixSchema`; throws a plain Error if it did not (a programming mistake). */
export function compileMatrix(doc: MatrixDocument): Plan {
  const levels: PlanLevel[] = doc.levels.map((level) => ({
    id: level.id,
    name: level.name,
    targets: level.notify.map(({ name, channel, address }) => ({ name, channel, address })),
    sla: perPriority((priority) => levelTargets(doc, level, priority)),
  }));
  const withoutVersion: Omit<Plan, 'version'> = {
    name: doc.name,
    levels,
    startLevel: perPriority((priority) => startIndex(doc, priority)),
    repeat: { everyMs: doc.repeat.every, times: doc.repeat.times },
    reporterChannel: doc.reporter.channel,
  };
  return { version: planVersion(withoutVersion), ...withoutVersion };
}

/**
 * First 12 hex chars of the sha256 of the plan's canonical JSON (keys sorted at every depth), so the same matrix
 * always gets the same version however its YAML is laid out, and any change to what cases run on gets a new one.
 */
export function planVersion(plan: Omit<Plan, 'version'>): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex').slice(0, 12);
}

/** JSON with object keys sorted, so equal values always serialise to the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A level's own target wins over the matrix default, field by field (so `high: { ack: 10m }` keeps the default resolve). */
function levelTargets(doc: MatrixDocument, level: Level, priority: Priority): LevelTargets {
  const ackMs = level.sla?.[priority]?.ack ?? doc.sla[priority]?.ack;
  const resolveMs = level.sla?.[priority]?.resolve ?? doc.sla[priority]?.resolve;
  if (ackMs === undefined || resolveMs === undefined) {
    throw new Error(`level "${level.id}" has no ${priority} targets: compile only documents that passed matrixSchema`);
  }
  return { ackMs, resolveMs };
}

function startIndex(doc: MatrixDocument, priority: Priority): number {
  const id = doc.start[priority];
  if (id === undefined) return 0;
  const index = doc.levels.findIndex((level) => level.id === id);
  if (index < 0) throw new Error(`start.${priority} names no level ("${id}"): compile only validated documents`);
  return index;
}

function perPriority<T>(make: (priority: Priority) => T): Record<Priority, T> {
  return { critical: make('critical'), high: make('high'), medium: make('medium'), low: make('low') };
}
