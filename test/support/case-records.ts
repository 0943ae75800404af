// Store rows for tests that read cases back from a store (a real one or a fake): one open high case at frontline,
// created 2026-03-02 09:00 UTC with a 30-minute ack target, varied per test by `overrides`.
import type { CaseRecord } from '../../src/store/case-store';

export const CREATED = '2026-03-02T09:00:00.000Z';

export function caseRecord(id: string, overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id,
    workflowId: `escalation/${id}`,
    title: `Case ${id}`,
    description: null,
    category: 'payments',
    priority: 'high',
    status: 'open',
    levelIndex: 0,
    levelName: 'Frontline support',
    owner: 'Frontline support',
    unowned: false,
    reporterName: 'Ada Lovelace',
    reporterEmail: 'ada@example.com',
    attemptedSteps: [],
    matrixVersion: 'sha256:abc123',
    ackDueAt: '2026-03-02T09:30:00.000Z',
    resolveDueAt: '2026-03-03T09:00:00.000Z',
    nextAction: 'escalate',
    nextAt: '2026-03-02T09:30:00.000Z',
    createdAt: CREATED,
    updatedAt: CREATED,
    resolvedAt: null,
    resolution: null,
    revision: 1,
    assignees: ['support-frontline', 'Frontline support'],
    slaDueAt: '2026-03-02T09:30:00.000Z',
    paused: false,
    snapshot: null,
    ...overrides,
  };
}
