// A compiled plan for workflow tests: frontline -> team lead -> manager -> senior leadership, round numbers.
import type { LevelTargets, Plan, PlanLevel, Priority } from '../../src/shared/plan';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

const everyPriority = (targets: LevelTargets): Record<Priority, LevelTargets> => ({
  critical: { ackMs: 15 * MINUTE, resolveMs: 4 * HOUR },
  high: targets,
  medium: { ackMs: 2 * HOUR, resolveMs: 72 * HOUR },
  low: { ackMs: 8 * HOUR, resolveMs: 120 * HOUR },
});

const level = (id: string, name: string, address: string): PlanLevel => ({
  id,
  name,
  targets: [{ name: `${name} queue`, channel: 'log', address }],
  sla: everyPriority({ ackMs: 30 * MINUTE, resolveMs: 24 * HOUR }),
});

export function testPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    version: 'test-plan-1',
    name: 'Test matrix',
    levels: [
      level('frontline', 'Frontline support', 'frontline@example.com'),
      level('team-lead', 'Team lead', 'leads@example.com'),
      level('manager', 'Manager', 'managers@example.com'),
      level('senior-leadership', 'Senior leadership', 'leadership@example.com'),
    ],
    startLevel: { critical: 1, high: 0, medium: 0, low: 0 },
    repeat: { everyMs: 15 * MINUTE, times: 3 },
    reporterChannel: 'log',
    ...overrides,
  };
}
