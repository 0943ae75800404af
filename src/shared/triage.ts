// Triage: the matrix's ordered rules decide a case's priority, path and starting level; the first match wins.
import type { CaseInput } from './escalation';
import type { Plan, PlanPath, Priority, TriageCondition, TriageRule } from './plan';

export interface Triage {
  rule: TriageRule;
  priority: Priority;
  path: PlanPath;
  startIndex: number;
}

const DEFAULT_PRIORITY: Priority = 'medium';

export function matches(when: TriageCondition, input: CaseInput): boolean {
  const impact = input.impact ?? {};
  if (when.categories && !when.categories.includes(input.category)) return false;
  if (when.tags && !when.tags.some((tag) => input.tags?.includes(tag))) return false;
  if (when.priorities && (input.priority === undefined || !when.priorities.includes(input.priority))) return false;
  if (when.urgencies && (input.urgency === undefined || !when.urgencies.includes(input.urgency))) return false;
  if (when.legalThreat !== undefined && (impact.legalThreat ?? false) !== when.legalThreat) return false;
  if (when.minUsersAffected !== undefined && (impact.usersAffected ?? 0) < when.minUsersAffected) return false;
  if (when.minRevenueAtRisk !== undefined && (impact.revenueAtRisk ?? 0) < when.minRevenueAtRisk) return false;
  return true;
}

/** The path for a case: the rule's, else the path that lists its category, else the default path. */
function pathFor(plan: Plan, rule: TriageRule, input: CaseInput): PlanPath {
  const byCategory = Object.values(plan.paths).find((path) => path.categories.includes(input.category));
  const path = plan.paths[rule.path ?? byCategory?.id ?? plan.defaultPath];
  if (!path) throw new RangeError(`plan ${plan.version} has no path "${rule.path ?? plan.defaultPath}"`);
  return path;
}

export function triage(input: CaseInput, plan: Plan): Triage {
  const rule = plan.triage.find((candidate) => matches(candidate.when, input)) ?? { id: 'default', when: {} };
  const priority = rule.priority ?? input.priority ?? DEFAULT_PRIORITY;
  const path = pathFor(plan, rule, input);
  const byRule = rule.startLevel === undefined ? -1 : path.levels.findIndex((level) => level.id === rule.startLevel);
  const startIndex = byRule >= 0 ? byRule : (plan.startLevel[path.id]?.[priority] ?? 0);
  return { rule, priority, path, startIndex };
}
