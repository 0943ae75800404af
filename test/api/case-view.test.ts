// The case read from the store once its workflow run is gone: the documented snapshot when the row has one, a
// reconstruction from the row's columns otherwise; and the list row built from either.
import { caseSummary, stateFromRecord } from '../../src/api/case-view';
import type { CaseSnapshot } from '../../src/shared/snapshot';
import type { CaseRecord, TimelineRecord } from '../../src/store/case-store';

const CREATED = '2026-03-02T09:00:00.000Z';
const RESOLVED = '2026-03-02T11:00:00.000Z';

function makeRecord(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: 'ESC-1',
    workflowId: 'escalation/ESC-1',
    title: 'Checkout fails',
    description: null,
    category: 'payments',
    priority: 'high',
    status: 'resolved',
    levelIndex: 1,
    levelName: 'Team lead',
    owner: 'grace',
    unowned: false,
    reporterName: 'Ada Lovelace',
    reporterEmail: 'ada@example.com',
    attemptedSteps: ['Restarted the pod'],
    matrixVersion: 'sha256:abc123',
    ackDueAt: null,
    resolveDueAt: null,
    nextAction: null,
    nextAt: null,
    createdAt: CREATED,
    updatedAt: RESOLVED,
    resolvedAt: RESOLVED,
    resolution: 'Rolled back the gateway',
    revision: 3,
    assignees: ['grace'],
    slaDueAt: null,
    paused: false,
    snapshot: null,
    ...overrides,
  };
}

const TIMELINE: TimelineRecord[] = [
  {
    caseId: 'ESC-1',
    seq: 1,
    at: CREATED,
    type: 'created',
    levelIndex: 0,
    levelName: 'Frontline',
    by: 'Ada',
    note: null,
  },
  {
    caseId: 'ESC-1',
    seq: 2,
    at: '2026-03-02T09:05:00.000Z',
    type: 'acknowledged',
    levelIndex: null,
    levelName: null,
    by: 'grace',
    note: 'on it',
  },
  {
    caseId: 'ESC-1',
    seq: 3,
    at: RESOLVED,
    type: 'resolved',
    levelIndex: 1,
    levelName: 'Team lead',
    by: 'grace',
    note: null,
  },
];

const EVENTS = [
  { seq: 1, at: CREATED, type: 'created', level: { index: 0, name: 'Frontline' }, by: 'Ada' },
  { seq: 2, at: '2026-03-02T09:05:00.000Z', type: 'acknowledged', by: 'grace', note: 'on it' },
  { seq: 3, at: RESOLVED, type: 'resolved', level: { index: 1, name: 'Team lead' }, by: 'grace' },
];

/** A documented case as the row's jsonb returns it. */
function makeSnapshot(): CaseSnapshot {
  const level = { index: 1, id: 'team-lead', name: 'Team lead' };
  return {
    id: 'ESC-1',
    workflowId: 'escalation/ESC-1',
    revision: 3,
    title: 'Checkout fails',
    status: 'resolved',
    priority: 'high',
    category: 'payments',
    tags: ['eu'],
    level,
    owner: 'grace',
    unowned: false,
    sla: {},
    warned: { ack: false, resolve: false },
    paused: null,
    pauses: [],
    next: null,
    matrixVersion: 'sha256:abc123',
    reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
    attemptedSteps: ['Restarted the pod'],
    createdAt: CREATED,
    levelEnteredAt: CREATED,
    acknowledgedAt: '2026-03-02T09:05:00.000Z',
    repeatsSent: 0,
    resolvedAt: RESOLVED,
    resolution: { by: 'grace', summary: 'Rolled back the gateway', rootCause: 'configuration', at: RESOLVED, level },
    assignees: ['support-leads'],
    teams: [{ id: 'payments', name: 'Payments', addedBy: 'grace', addedAt: CREATED, recipients: [] }],
    tasks: [],
    subscribers: [],
    breaches: 1,
    feedback: [],
    reopenCount: 0,
    eventsRecorded: 3,
    runs: 1,
    levelRecipients: [],
    notificationsSent: 5,
  };
}

describe('stateFromRecord', () => {
  it("is the documented snapshot with the store's whole timeline, without workflowId, revision or handedTo", () => {
    const snapshot = makeSnapshot();
    const { workflowId: _w, revision: _r, ...documented } = snapshot;
    const withHandedTo = { ...snapshot, handedTo: [{ name: 'x', channel: 'log', address: 'x' }] } as CaseSnapshot;

    const state = stateFromRecord(makeRecord({ snapshot: withHandedTo }), TIMELINE);

    expect(state).toEqual({ ...documented, timeline: EVENTS });
    expect(state).not.toHaveProperty('handedTo');
    expect(state).not.toHaveProperty('workflowId');
  });

  it('fills what a snapshot of an older run lacks with empty values', () => {
    const { assignees: _a, teams: _t, tasks: _k, feedback: _f, eventsRecorded: _e, ...old } = makeSnapshot();

    const state = stateFromRecord(makeRecord({ snapshot: old as CaseSnapshot }), TIMELINE);

    expect(state).toMatchObject({ assignees: [], teams: [], tasks: [], feedback: [], eventsRecorded: 3, tags: ['eu'] });
  });

  it('rebuilds the case from the columns when the row has no snapshot', () => {
    expect(stateFromRecord(makeRecord(), TIMELINE)).toEqual({
      id: 'ESC-1',
      title: 'Checkout fails',
      status: 'resolved',
      priority: 'high',
      category: 'payments',
      tags: [],
      level: { index: 1, name: 'Team lead' },
      owner: 'grace',
      unowned: false,
      sla: {},
      warned: { ack: false, resolve: false },
      paused: null,
      pauses: [],
      next: null,
      matrixVersion: 'sha256:abc123',
      reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
      attemptedSteps: ['Restarted the pod'],
      createdAt: CREATED,
      levelEnteredAt: CREATED,
      acknowledgedAt: '2026-03-02T09:05:00.000Z',
      repeatsSent: 0,
      resolvedAt: RESOLVED,
      resolution: {
        by: 'grace',
        summary: 'Rolled back the gateway',
        at: RESOLVED,
        level: { index: 1, name: 'Team lead' },
      },
      assignees: ['grace'],
      teams: [],
      tasks: [],
      subscribers: [],
      breaches: 0,
      feedback: [],
      reopenCount: 0,
      eventsRecorded: 3,
      runs: 1,
      levelRecipients: [],
      notificationsSent: 0,
      timeline: EVENTS,
    });
  });
});

describe('caseSummary', () => {
  it('takes tags, assignees and the pause from the snapshot when the row has one', () => {
    const snapshot = { ...makeSnapshot(), paused: { since: CREATED, reason: 'waiting-for-customer', by: 'grace' } };

    expect(caseSummary(makeRecord({ snapshot }))).toMatchObject({
      tags: ['eu'],
      assignees: ['support-leads'],
      paused: true,
    });
  });

  it("takes them from the row's columns otherwise", () => {
    expect(caseSummary(makeRecord({ paused: true }))).toMatchObject({ tags: [], assignees: ['grace'], paused: true });
  });
});
