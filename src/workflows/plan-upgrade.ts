// Cases keep the plan they started with, including plans compiled before paths, calendars and on-call existed
// (schema 1). This reads any of them as today's shape, so one workflow version serves every running case.
import { PRIORITIES, type LevelTargets, type Plan, type PlanLevel, type Priority } from '../shared/plan';

interface PlanV1 {
  version: string;
  name: string;
  levels: {
    id: string;
    name: string;
    targets: { name: string; channel: string; address: string }[];
    sla: Record<Priority, { ackMs: number; resolveMs: number }>;
  }[];
  startLevel: Record<Priority, number>;
  repeat: { everyMs: number; times: number };
  reporterChannel: string;
}

const V1_PATH = 'default';

function upgradeLevel(level: PlanV1['levels'][number]): PlanLevel {
  const sla = Object.fromEntries(
    PRIORITIES.map((priority): [Priority, LevelTargets] => [
      priority,
      {
        ack: { kind: 'calendar', ms: level.sla[priority].ackMs },
        resolve: { kind: 'calendar', ms: level.sla[priority].resolveMs },
      },
    ]),
  ) as Record<Priority, LevelTargets>;
  return {
    id: level.id,
    name: level.name,
    targets: level.targets.map((target) => ({ kind: 'contact', ...target })),
    sla,
    warning: null,
  };
}

export function upgradePlan(plan: Plan | PlanV1): Plan {
  if ('schema' in plan && plan.schema === 2) return plan;
  const v1 = plan as PlanV1;
  return {
    schema: 2,
    version: v1.version,
    name: v1.name,
    people: {},
    teams: {},
    rotations: {},
    calendars: {},
    triage: [{ id: 'default', when: {} }],
    paths: { [V1_PATH]: { id: V1_PATH, name: v1.name, categories: [], levels: v1.levels.map(upgradeLevel) } },
    defaultPath: V1_PATH,
    startLevel: { [V1_PATH]: v1.startLevel },
    jumps: [],
    repeat: v1.repeat,
    pauseReasons: [],
    reporterChannel: v1.reporterChannel,
  };
}

/** The plan as a case started before the lifecycle existed sees it: no status updates, follow-up or reviews. */
export function withoutLifecycle(plan: Plan): Plan {
  const { statusUpdates: _updates, reminders: _reminders, ...rest } = plan;
  return { ...rest, followUp: null, review: null };
}
