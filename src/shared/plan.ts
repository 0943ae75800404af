// The compiled escalation matrix ("plan"): plain JSON the workflow receives at start and keeps for the case's life.
// Produced by src/matrix/compile.ts from the YAML the escalation manager writes.

export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Someone to notify at a level: a person or a team's shared address on one channel. */
export interface PlanTarget {
  name: string;
  channel: string;
  address: string;
}

/** SLA targets of one level for one priority, counted in calendar time from entering the level. */
export interface LevelTargets {
  ackMs: number;
  resolveMs: number;
}

export interface PlanLevel {
  id: string;
  name: string;
  targets: PlanTarget[];
  sla: Record<Priority, LevelTargets>;
}

export interface Plan {
  /** Content hash of the compiled plan: which matrix a case runs on. */
  version: string;
  name: string;
  levels: PlanLevel[];
  /** Index into `levels` where a case of each priority starts. */
  startLevel: Record<Priority, number>;
  /** At the last level: re-notify every `everyMs`, at most `times`, then mark the case unowned. */
  repeat: { everyMs: number; times: number };
  /** Channel on which reporters hear about their case (their address is their email). */
  reporterChannel: string;
}
