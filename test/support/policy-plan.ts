// A matrix-v2 plan that exercises the policy language in workflow tests: a Berlin business-hours calendar with a
// holiday, after-hours targets, breach warnings, an on-call rotation, a legal path chosen by triage, a jump rule
// and a pause reason.
import type { CalendarSpec, LevelTargets, Plan, PlanLevel, Priority, Rotation } from '../../src/shared/plan';
import { HOUR, MINUTE } from './plan';

export const ZONE = 'Europe/Berlin';

const weekdays = [{ start: '09:00', end: '17:00' }];
export const EU_SUPPORT: CalendarSpec = {
  id: 'eu-support',
  name: 'EU support hours',
  zone: ZONE,
  week: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays, sat: [], sun: [] },
  holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
};

/** Team leads take weekly turns from Monday 2026-01-05 09:00 Berlin time: Ana first, then Ben. */
export const LEADS_ROTATION: Rotation = {
  id: 'support-leads',
  name: 'Support leads on call',
  zone: ZONE,
  handoff: { every: 'weekly', day: 'mon', time: '09:00' },
  start: '2026-01-05',
  layers: [{ participants: ['ana', 'ben'] }],
  overrides: [],
};

const business = (ms: number, afterHoursMs?: number) =>
  ({ kind: 'business', ms, calendar: 'eu-support', ...(afterHoursMs ? { afterHoursMs } : {}) }) as const;

const targets = (high: LevelTargets): Record<Priority, LevelTargets> => ({
  critical: { ack: { kind: 'calendar', ms: 15 * MINUTE }, resolve: { kind: 'calendar', ms: 4 * HOUR } },
  high,
  medium: { ack: business(2 * HOUR), resolve: business(3 * 8 * HOUR) },
  low: { ack: business(8 * HOUR), resolve: business(5 * 8 * HOUR) },
});

const standard = targets({ ack: business(30 * MINUTE, 12 * HOUR), resolve: business(8 * HOUR) });

const level = (id: string, name: string, target: PlanLevel['targets'][number], warn = false): PlanLevel => ({
  id,
  name,
  targets: [target],
  sla: standard,
  warning: warn ? { atFraction: 0.75, notifyNextLevel: true } : null,
});

const contact = (name: string, address: string) => ({ kind: 'contact', name, channel: 'log', address }) as const;

export function policyPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    schema: 2,
    version: 'policy-plan-1',
    versionName: 'test',
    name: 'Policy test matrix',
    people: {
      ana: { id: 'ana', name: 'Ana Ruiz', contacts: [{ channel: 'log', address: 'ana@example.com' }] },
      ben: { id: 'ben', name: 'Ben Okafor', contacts: [{ channel: 'log', address: 'ben@example.com' }] },
    },
    teams: {},
    rotations: { 'support-leads': LEADS_ROTATION },
    calendars: { 'eu-support': EU_SUPPORT },
    triage: [
      {
        id: 'legal-threat',
        when: { legalThreat: true },
        priority: 'critical',
        path: 'legal',
        startLevel: 'senior-leadership',
      },
      { id: 'default', when: {} },
    ],
    paths: {
      general: {
        id: 'general',
        name: 'General support',
        categories: ['technical'],
        levels: [
          level('frontline', 'Frontline support', contact('Support queue', 'frontline@example.com'), true),
          level('team-lead', 'Team lead', { kind: 'oncall', rotation: 'support-leads' }),
          level('manager', 'Manager', contact('Support managers', 'managers@example.com')),
          level('senior-leadership', 'Senior leadership', contact('Leadership', 'leadership@example.com')),
        ],
      },
      legal: {
        id: 'legal',
        name: 'Legal',
        categories: ['legal'],
        levels: [
          level('legal-counsel', 'Legal counsel', contact('Legal', 'legal@example.com')),
          level('senior-leadership', 'Senior leadership', contact('Leadership', 'leadership@example.com')),
        ],
      },
    },
    defaultPath: 'general',
    startLevel: {
      general: { critical: 1, high: 0, medium: 0, low: 0 },
      legal: { critical: 0, high: 0, medium: 0, low: 0 },
    },
    jumps: [{ id: 'critical-to-leadership', to: 'senior-leadership', priorities: ['critical'] }],
    repeat: { everyMs: 30 * MINUTE, times: 2 },
    pauseReasons: ['waiting-on-customer'],
    reporterChannel: 'log',
    ...overrides,
  };
}
