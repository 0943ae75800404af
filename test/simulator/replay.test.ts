// The what-if replay re-runs recorded cases against a candidate matrix: three cases recorded under the test matrix
// (ack 30m, critical starts at the team lead), replayed against one with a 2h ack target for high cases, a breach
// warning at the frontline, no pause reasons and every priority starting at the frontline.
import { formatReplayReport } from '../../src/simulator/replay-report';
import {
  loadRecordedCases,
  recordedActions,
  replayCases,
  shiftPlanDates,
  shiftWeeksFor,
  type RecordedCase,
  type ReplayResult,
} from '../../src/simulator/replay';
import type { PlanLevel } from '../../src/shared/plan';
import type { Audience } from '../../src/shared/notifications';
import type { CaseRecord, CaseStore, TimelineRecord } from '../../src/store/case-store';
import { holdSimulator } from '../../src/simulator/virtual-time';
import { openCaseStore } from '../../src/store/open-store';
import { HOUR, testPlan, TEST_LEVELS } from '../support/plan';
import { policyPlan } from '../support/policy-plan';

const FRONTLINE = 'frontline@example.com';
const LEADS = 'leads@example.com';
const MANAGERS = 'managers@example.com';
const LEVELS = TEST_LEVELS.map((level) => ({ index: TEST_LEVELS.indexOf(level), name: level.name }));
const [FRONT, LEAD, MANAGER] = LEVELS as [(typeof LEVELS)[number], (typeof LEVELS)[number], (typeof LEVELS)[number]];

type Level = { index: number; name: string };
type Event = [at: string, type: string, level?: Level | null, by?: string | null, note?: string | null];
type Notice = [at: string, audience: Audience, address: string, subject: string];

/** One recorded case, written as the workflow's activities write it: snapshot, timeline, claimed+sent notifications. */
async function record(
  store: CaseStore,
  base: Omit<
    CaseRecord,
    | 'workflowId'
    | 'revision'
    | 'updatedAt'
    | 'description'
    | 'attemptedSteps'
    | 'unowned'
    | 'assignees'
    | 'slaDueAt'
    | 'paused'
    | 'snapshot'
  >,
  events: Event[],
  notices: Notice[],
): Promise<void> {
  const timeline: TimelineRecord[] = events.map(([at, type, level, by, note], i) => ({
    caseId: base.id,
    seq: i + 1,
    at,
    type,
    levelIndex: level?.index ?? null,
    levelName: level?.name ?? null,
    by: by ?? null,
    note: note ?? null,
  }));
  await store.recordTransition(
    {
      ...base,
      workflowId: `escalation/${base.id}`,
      description: null,
      attemptedSteps: [],
      unowned: false,
      assignees: [],
      slaDueAt: null,
      paused: false,
      snapshot: null,
      updatedAt: timeline.at(-1)?.at ?? base.createdAt,
      revision: timeline.length,
    },
    timeline,
  );
  for (const [i, [at, audience, address, subject]] of notices.entries()) {
    const idempotencyKey = `escalation/${base.id}/notification/${i + 1}`;
    await store.claimNotification({
      idempotencyKey,
      caseId: base.id,
      channel: 'log',
      recipient: address,
      audience,
      subject: `[${base.id}][${base.priority}] ${subject}`,
      body: subject,
      requestedAt: at,
    });
    await store.markNotificationSent(idempotencyKey, at);
  }
}

const done = (at: string, by: string, resolution: string) => ({
  status: 'resolved' as const,
  owner: by,
  ackDueAt: null,
  resolveDueAt: null,
  nextAction: null,
  nextAt: null,
  resolvedAt: at,
  resolution,
});

/** The three recorded cases, plus one created before the window that must not be replayed. */
async function recordHistory(store: CaseStore): Promise<void> {
  const opened = (id: string, at: string, level: Level, reporter: string, title: string): Event[] => [
    [at, 'created', null, reporter, title],
    [at, 'triaged', null, null, `rule default: starts at ${level.name}`],
    [at, 'handed_off', level, null, `${level.name} queue: new case`],
    [at, 'reporter_notified', null, null, `case number ${id}`],
  ];
  // Acknowledged late: escalated twice under the 30m ack target, taken by the manager, resolved.
  const a = 'ESC-2026-000123';
  await record(
    store,
    {
      id: a,
      title: 'Customer charged twice',
      category: 'billing',
      priority: 'high',
      levelIndex: 2,
      levelName: 'Manager',
      reporterName: 'Ada Lovelace',
      reporterEmail: 'ada@example.com',
      matrixVersion: 'test-plan-1',
      createdAt: '2026-10-01T09:00:00.000Z',
      ...done('2026-10-01T12:00:00.000Z', 'Maya Patel', 'refunded the second charge'),
    },
    [
      ...opened(a, '2026-10-01T09:00:00.000Z', FRONT, 'Ada Lovelace', 'Customer charged twice'),
      ['2026-10-01T09:30:00.000Z', 'escalated', LEAD, null, 'not acknowledged by Frontline support within 30m'],
      ['2026-10-01T09:30:00.004Z', 'handed_off', LEAD, null, 'Team lead queue: not acknowledged'],
      ['2026-10-01T10:00:00.004Z', 'escalated', MANAGER, null, 'not acknowledged by Team lead within 30m'],
      ['2026-10-01T10:00:00.009Z', 'handed_off', MANAGER, null, 'Manager queue: not acknowledged'],
      ['2026-10-01T10:20:00.000Z', 'acknowledged', MANAGER, 'Maya Patel'],
      ['2026-10-01T12:00:00.000Z', 'resolved', MANAGER, 'Maya Patel', 'refunded the second charge'],
    ],
    [
      ['2026-10-01T09:00:00.000Z', 'assignee', FRONTLINE, 'Handoff to Frontline support'],
      ['2026-10-01T09:00:00.000Z', 'reporter', 'ada@example.com', 'We have your case'],
      ['2026-10-01T09:30:00.004Z', 'assignee', LEADS, 'Handoff to Team lead'],
      ['2026-10-01T10:00:00.009Z', 'assignee', MANAGERS, 'Handoff to Manager'],
      ['2026-10-01T12:00:00.000Z', 'stakeholder', FRONTLINE, 'Resolved'],
      ['2026-10-01T12:00:00.000Z', 'stakeholder', LEADS, 'Resolved'],
      ['2026-10-01T12:00:00.000Z', 'stakeholder', MANAGERS, 'Resolved'],
      ['2026-10-01T12:00:00.000Z', 'reporter', 'ada@example.com', 'Resolved'],
    ],
  );
  // Resolved quickly, with a pause the candidate does not allow.
  const b = 'ESC-2026-000124';
  await record(
    store,
    {
      id: b,
      title: 'API key rejected',
      category: 'technical',
      priority: 'medium',
      levelIndex: 0,
      levelName: 'Frontline support',
      reporterName: 'Grace Hopper',
      reporterEmail: 'grace@example.com',
      matrixVersion: 'test-plan-1',
      createdAt: '2026-10-02T10:00:00.000Z',
      ...done('2026-10-02T11:00:00.000Z', 'Ana Ruiz', 'issued a new key'),
    },
    [
      ...opened(b, '2026-10-02T10:00:00.000Z', FRONT, 'Grace Hopper', 'API key rejected'),
      ['2026-10-02T10:10:00.000Z', 'acknowledged', FRONT, 'Ana Ruiz'],
      ['2026-10-02T10:20:00.000Z', 'paused', FRONT, 'Ana Ruiz', 'waiting-on-customer: SLA clocks stopped'],
      ['2026-10-02T10:40:00.000Z', 'resumed', FRONT, 'Ana Ruiz', 'paused 20m (waiting-on-customer)'],
      ['2026-10-02T11:00:00.000Z', 'resolved', FRONT, 'Ana Ruiz', 'issued a new key'],
    ],
    [
      ['2026-10-02T10:00:00.000Z', 'assignee', FRONTLINE, 'Handoff to Frontline support'],
      ['2026-10-02T10:00:00.000Z', 'reporter', 'grace@example.com', 'We have your case'],
      ['2026-10-02T11:00:00.000Z', 'stakeholder', FRONTLINE, 'Resolved'],
      ['2026-10-02T11:00:00.000Z', 'reporter', 'grace@example.com', 'Resolved'],
    ],
  );
  // Critical: started at the team lead, commented on, escalated by hand to the manager. The escalation falls on the
  // instant the candidate warns the frontline: the warning goes first, and the test server must not get stuck.
  const c = 'ESC-2026-000125';
  await record(
    store,
    {
      id: c,
      title: 'Nightly export missing',
      category: 'technical',
      priority: 'critical',
      levelIndex: 2,
      levelName: 'Manager',
      reporterName: 'Alan Turing',
      reporterEmail: 'alan@example.com',
      matrixVersion: 'test-plan-1',
      createdAt: '2026-10-05T08:00:00.000Z',
      ...done('2026-10-05T09:00:00.000Z', 'Maya Patel', 'restarted the export job'),
    },
    [
      ...opened(c, '2026-10-05T08:00:00.000Z', LEAD, 'Alan Turing', 'Nightly export missing'),
      ['2026-10-05T08:05:00.000Z', 'comment', LEAD, 'Ben Okafor', 'customer is on the phone'],
      [
        '2026-10-05T08:07:30.000Z',
        'escalated',
        MANAGER,
        'Ben Okafor',
        'escalated by Ben Okafor from Team lead: the CFO wants an answer',
      ],
      ['2026-10-05T08:07:30.000Z', 'handed_off', MANAGER, null, 'Manager queue: escalated by Ben Okafor'],
      ['2026-10-05T08:12:00.000Z', 'acknowledged', MANAGER, 'Maya Patel'],
      ['2026-10-05T09:00:00.000Z', 'resolved', MANAGER, 'Maya Patel', 'restarted the export job'],
    ],
    [
      ['2026-10-05T08:00:00.000Z', 'assignee', LEADS, 'Handoff to Team lead'],
      ['2026-10-05T08:00:00.000Z', 'reporter', 'alan@example.com', 'We have your case'],
      ['2026-10-05T08:07:30.000Z', 'assignee', MANAGERS, 'Handoff to Manager'],
      ['2026-10-05T09:00:00.000Z', 'stakeholder', LEADS, 'Resolved'],
      ['2026-10-05T09:00:00.000Z', 'stakeholder', MANAGERS, 'Resolved'],
      ['2026-10-05T09:00:00.000Z', 'reporter', 'alan@example.com', 'Resolved'],
    ],
  );
  // Before the window: must not be loaded.
  await record(
    store,
    {
      id: 'ESC-2026-000099',
      title: 'Old case',
      category: 'billing',
      priority: 'low',
      levelIndex: 0,
      levelName: 'Frontline support',
      reporterName: 'Old Reporter',
      reporterEmail: 'old@example.com',
      matrixVersion: 'test-plan-1',
      createdAt: '2026-09-30T23:59:59.000Z',
      ...done('2026-10-01T08:00:00.000Z', 'Ana Ruiz', 'done'),
    },
    opened('ESC-2026-000099', '2026-09-30T23:59:59.000Z', FRONT, 'Old Reporter', 'Old case'),
    [],
  );
}

/** The candidate: high cases get 2h to be acknowledged, the frontline is warned halfway, no pauses. */
function candidatePlan() {
  const longerAck = (level: PlanLevel): PlanLevel => ({
    ...level,
    sla: { ...level.sla, high: { ack: { kind: 'calendar', ms: 2 * HOUR }, resolve: level.sla.high.resolve } },
  });
  const [frontline, ...rest] = TEST_LEVELS.map(longerAck) as [PlanLevel, ...PlanLevel[]];
  return testPlan({
    name: 'Candidate matrix',
    version: 'candidate-1',
    versionName: '2026.11',
    levels: [{ ...frontline, warning: { atFraction: 0.5, notifyNextLevel: false } }, ...rest],
    startLevel: { critical: 0, high: 0, medium: 0, low: 0 },
  });
}

// The workflow bundle and the simulator's store are made ready first, within a time limit of their own (most of a
// minute on a busy machine), so that the replay's limit is spent on the replay.
let letGo: (() => Promise<void>) | undefined;
beforeAll(async () => {
  letGo = await holdSimulator();
}, 300_000);
afterAll(() => letGo?.());

describe('what-if replay', () => {
  let recorded: RecordedCase[];
  let result: ReplayResult;

  beforeAll(async () => {
    const store = await openCaseStore({ inMemory: true });
    try {
      await recordHistory(store);
      const loaded = await loadRecordedCases(store, '2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z');
      expect(loaded.truncated).toBe(false);
      recorded = loaded.cases;
    } finally {
      await store.close();
    }
    result = await replayCases(candidatePlan(), recorded, {
      window: { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' },
      observedAt: '2026-11-20T00:00:00.000Z',
    });
  }, 120_000);

  it('loads the window from the store and reads the people’s actions off each timeline', () => {
    expect(recorded.map((c) => c.record.id)).toEqual(['ESC-2026-000123', 'ESC-2026-000124', 'ESC-2026-000125']);
    expect(recorded[0]?.notifications).toHaveLength(8);
    expect(recorded.map((c) => recordedActions(c).map(({ at, action }) => [at.slice(11, 16), action]))).toEqual([
      [
        ['10:20', { kind: 'acknowledge', by: 'Maya Patel' }],
        ['12:00', { kind: 'resolve', by: 'Maya Patel', resolution: 'refunded the second charge' }],
      ],
      [
        ['10:10', { kind: 'acknowledge', by: 'Ana Ruiz' }],
        ['10:20', { kind: 'pause', by: 'Ana Ruiz', reason: 'waiting-on-customer' }],
        ['10:40', { kind: 'resume', by: 'Ana Ruiz' }],
        ['11:00', { kind: 'resolve', by: 'Ana Ruiz', resolution: 'issued a new key' }],
      ],
      [
        ['08:05', { kind: 'comment', by: 'Ben Okafor', note: 'customer is on the phone' }],
        ['08:07', { kind: 'escalate', by: 'Ben Okafor', reason: 'the CFO wants an answer' }],
        ['08:12', { kind: 'acknowledge', by: 'Maya Patel' }],
        ['09:00', { kind: 'resolve', by: 'Maya Patel', resolution: 'restarted the export job' }],
      ],
    ]);
  });

  it('compares each case: breaches, warnings, highest level, notifications and refused actions', () => {
    const [a, b, c] = result.cases;
    expect(a).toMatchObject({
      id: 'ESC-2026-000123',
      changed: true,
      refused: [],
      actual: { breaches: 2, breachWarnings: 0, handoffs: 3, notifications: 8, highestLevel: MANAGER, resolved: true },
      candidate: { breaches: 0, breachWarnings: 1, handoffs: 1, notifications: 5, highestLevel: FRONT, resolved: true },
    });
    expect(b).toMatchObject({
      changed: true,
      actual: { breaches: 0, notifications: 4, highestLevel: FRONT },
      candidate: { breaches: 0, notifications: 4, highestLevel: FRONT },
      refused: [
        {
          at: '2026-10-02T10:20:00.000Z',
          kind: 'pause',
          by: 'Ana Ruiz',
          outcome: expect.stringMatching(/^refused: PauseReasonNotAllowed: /),
        },
        {
          at: '2026-10-02T10:40:00.000Z',
          kind: 'resume',
          by: 'Ana Ruiz',
          outcome: expect.stringMatching(/^refused: NotPaused: /),
        },
      ],
    });
    expect(c).toMatchObject({
      changed: true,
      refused: [],
      actual: { breaches: 0, breachWarnings: 0, handoffs: 2, notifications: 6, highestLevel: MANAGER },
      candidate: { breaches: 0, breachWarnings: 1, handoffs: 2, notifications: 7, highestLevel: LEAD },
    });
  });

  it('totals, per level and per recipient, actual vs candidate', () => {
    expect(result.window).toEqual({ from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' });
    expect(result.horizon).toBe('2026-11-02T00:00:00.000Z');
    expect(result.shiftWeeks % 52).toBe(0);
    expect(result.shiftWeeks).toBeGreaterThan(0);
    expect(result.plan).toEqual({ name: 'Candidate matrix', version: 'candidate-1', versionName: '2026.11' });
    expect(result.totals).toEqual({
      cases: 3,
      changedCases: 3,
      refusedActions: 2,
      breaches: { actual: 2, candidate: 0 },
      breachWarnings: { actual: 0, candidate: 2 },
      reminders: { actual: 0, candidate: 0 },
      unowned: { actual: 0, candidate: 0 },
      resolveBreaches: { actual: 0, candidate: 0 },
      handoffs: { actual: 6, candidate: 4 },
      notifications: { actual: 18, candidate: 16 },
      resolved: { actual: 3, candidate: 3 },
    });
    expect(result.perLevel).toEqual([
      {
        level: 'Frontline support',
        actualHandoffs: 2,
        candidateHandoffs: 3,
        actualBreaches: 1,
        candidateBreaches: 0,
        actualNotifications: 2,
        candidateNotifications: 5,
      },
      {
        level: 'Team lead',
        actualHandoffs: 2,
        candidateHandoffs: 1,
        actualBreaches: 1,
        candidateBreaches: 0,
        actualNotifications: 2,
        candidateNotifications: 1,
      },
      {
        level: 'Manager',
        actualHandoffs: 2,
        candidateHandoffs: 0,
        actualBreaches: 0,
        candidateBreaches: 0,
        actualNotifications: 2,
        candidateNotifications: 0,
      },
    ]);
    expect(result.perRecipient).toEqual([
      { address: FRONTLINE, actual: 4, candidate: 8 },
      { address: LEADS, actual: 4, candidate: 2 },
      { address: MANAGERS, actual: 4, candidate: 0 },
      { address: '(reporters)', actual: 6, candidate: 6 },
    ]);
  });

  it('reports the totals and one line per changed case', () => {
    const report = formatReplayReport(result);
    expect(report).toContain('What-if replay: Candidate matrix (2026.11, candidate-1)');
    expect(report).toMatch(/automatic escalations \(breaches\)\s+2\s+0\s+-2/);
    expect(report).toMatch(/frontline@example\.com\s+4\s+8\s+\+4/);
    expect(report).toMatch(/Frontline support\s+2 -> 3\s+1 -> 0\s+2 -> 5/);
    expect(report).toContain(
      'ESC-2026-000123 high billing: 2 -> 0 breaches, highest level Manager -> Frontline support, warnings 0 -> 1, handoffs 3 -> 1, notifications 8 -> 5',
    );
    expect(report).toContain(
      'ESC-2026-000124 medium technical: 0 -> 0 breaches, highest level Frontline support; refused: pause by Ana Ruiz (PauseReasonNotAllowed), resume by Ana Ruiz (NotPaused)',
    );
    expect(report).toContain(
      'ESC-2026-000125 critical technical: 0 -> 0 breaches, highest level Manager -> Team lead, warnings 0 -> 1, notifications 6 -> 7',
    );
    expect(report).toContain('People act at their recorded times');
    // One recorded action lands exactly on a deadline of the candidate. Whether the worker has already handled that
    // timer when the replay looks is a race: either the guard moves the action just past it (and says so) or the
    // timer is already done; the outcome above is the same both ways.
    const guarded = /(\d+) action\(s\) fell within 250 ms of a deadline of the candidate/.exec(report);
    expect(guarded === null || guarded[1] === '1').toBe(true);
  });
});

describe('replay shift', () => {
  it('moves by whole 52-week blocks, just enough to start after the server clock', () => {
    const earliest = Date.parse('2026-10-01T09:00:00Z');
    expect(shiftWeeksFor(earliest, Date.parse('2026-11-23T16:00:00Z'))).toBe(52);
    expect(shiftWeeksFor(earliest, Date.parse('2027-10-01T09:00:00Z'))).toBe(104);
    expect(shiftWeeksFor(earliest, Date.parse('2026-01-01T00:00:00Z'))).toBe(0);
  });

  it('moves holidays and rotations with the cases, keeping their weekdays', () => {
    const plan = policyPlan();
    const rotation = plan.rotations['support-leads'];
    if (rotation) rotation.overrides = [{ person: 'ben', from: '2026-10-05T09:00', to: '2026-10-06T09:00' }];
    const shifted = shiftPlanDates(plan, 52);
    expect(shifted.calendars['eu-support']?.holidays).toEqual([{ date: '2027-12-24', name: 'Christmas Day' }]);
    expect(shifted.rotations['support-leads']).toMatchObject({
      start: '2027-01-04',
      overrides: [{ person: 'ben', from: '2027-10-04T09:00', to: '2027-10-05T09:00' }],
    });
    expect(plan.calendars['eu-support']?.holidays[0]?.date).toBe('2026-12-25');
  });
});

describe('recorded lifecycle actions', () => {
  it('replays reprioritise, feedback and staff reopens, but not the reopen a low score caused by itself', () => {
    const event = (seq: number, type: string, by: string, note: string): TimelineRecord => ({
      caseId: 'ESC-1',
      seq,
      at: `2026-10-01T1${seq}:00:00.000Z`,
      type,
      levelIndex: 0,
      levelName: 'Frontline support',
      by,
      note,
    });
    const recorded = {
      record: { id: 'ESC-1', resolution: null } as unknown as CaseRecord,
      timeline: [
        event(1, 'reprioritised', 'Ana', 'high -> critical: all EU customers; ack due 1 -> 2'),
        event(2, 'feedback_received', 'Ada', 'score 2/5 (unsatisfied: below 4): still broken'),
        event(3, 'reopened', 'Ada', 'the reporter is not satisfied (score 2/5): "still broken"'),
        event(4, 'feedback_received', 'Ada', 'score 5/5 (satisfied)'),
        event(5, 'reopened', 'Dana', 'by Dana: the customer called back'),
      ],
      notifications: [],
    };
    expect(recordedActions(recorded).map((a) => a.action)).toEqual([
      { kind: 'reprioritise', by: 'Ana', priority: 'critical', reason: 'all EU customers' },
      { kind: 'feedback', by: 'Ada', score: 2, comment: 'still broken' },
      { kind: 'feedback', by: 'Ada', score: 5 },
      { kind: 'reopen', by: 'Dana', reason: 'the customer called back' },
    ]);
  });
});
