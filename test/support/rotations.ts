// The on-call rotation the rotation and target tests share.
import type { Rotation } from '../../src/shared/plan';

/** Weekly, Monday 09:00 Berlin, from Monday 2026-03-02: ana, ben, chloe. */
export function weeklyRotation(overrides: Partial<Rotation> = {}): Rotation {
  return {
    id: 'billing-oncall',
    name: 'Billing on call',
    zone: 'Europe/Berlin',
    handoff: { every: 'weekly', day: 'mon', time: '09:00' },
    start: '2026-03-02',
    layers: [{ participants: ['ana', 'ben', 'chloe'] }],
    overrides: [],
    ...overrides,
  };
}
