// A compiled plan for workflow tests: one path, frontline -> team lead -> manager -> senior leadership, with
// calendar-time targets in round numbers (high: ack 30m, resolve 24h; critical starts at the team lead).
import type { LevelTargets, Plan, PlanLevel, Priority } from '../../src/shared/plan';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

const calendarTargets = (ackMs: number, resolveMs: number): LevelTargets => ({
  ack: { kind: 'calendar', ms: ackMs },
  resolve: { kind: 'calendar', ms: resolveMs },
});

export const everyPriority = (high: LevelTargets): Record<Priority, LevelTargets> => ({
  critical: calendarTargets(15 * MINUTE, 4 * HOUR),
  high,
  medium: calendarTargets(2 * HOUR, 72 * HOUR),
  low: calendarTargets(8 * HOUR, 120 * HOUR),
});

export const testLevel = (id: string, name: string, address: string): PlanLevel => ({
  id,
  name,
  targets: [{ kind: 'contact', name: `${name} queue`, channel: 'log', address }],
  sla: everyPriority(calendarTargets(30 * MINUTE, 24 * HOUR)),
  warning: null,
});

export const TEST_LEVELS: PlanLevel[] = [
  testLevel('frontline', 'Frontline support', 'frontline@example.com'),
  testLevel('team-lead', 'Team lead', 'leads@example.com'),
  testLevel('manager', 'Manager', 'managers@example.com'),
  testLevel('senior-leadership', 'Senior leadership', 'leadership@example.com'),
];

/** The test plan; `levels` replaces the single path's levels, `startLevel` its per-priority start. */
export function testPlan(
  overrides: Partial<Omit<Plan, 'startLevel'>> & { levels?: PlanLevel[]; startLevel?: Record<Priority, number> } = {},
): Plan {
  const { levels = TEST_LEVELS, startLevel = { critical: 1, high: 0, medium: 0, low: 0 }, ...rest } = overrides;
  return {
    schema: 2,
    version: 'test-plan-1',
    name: 'Test matrix',
    people: {},
    teams: {},
    rotations: {},
    calendars: {},
    triage: [{ id: 'default', when: {} }],
    paths: { general: { id: 'general', name: 'General', categories: [], levels } },
    defaultPath: 'general',
    startLevel: { general: startLevel },
    jumps: [],
    repeat: { everyMs: 15 * MINUTE, times: 3 },
    pauseReasons: [],
    reporterChannel: 'log',
    ...rest,
  };
}
