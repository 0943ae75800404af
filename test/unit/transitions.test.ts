// The pure escalation state machine, notices, durations and ids, at fixed instants: no Temporal, no store.
import { formatDuration, parseDuration } from '../../src/shared/duration';
import type { CaseInput, EscalationState, IllegalTransitionReason, TimelineEvent } from '../../src/shared/escalation';
import { CASE_ID_PATTERN, caseIdFromWorkflowId, caseNumber, workflowIdFor } from '../../src/shared/ids';
import type { Plan, PlanLevel } from '../../src/shared/plan';
import {
  IllegalTransitionError,
  applyCommand,
  catchUp,
  fireNext,
  illegalReason,
  isDue,
  openCase,
  type Command,
  type Decision,
} from '../../src/workflows/transitions';
import { handoffNotice } from '../../src/workflows/notices';
import { HOUR, MINUTE, testPlan } from '../support/plan';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');

const FRONTLINE = { index: 0, name: 'Frontline support' };
const TEAM_LEAD = { index: 1, name: 'Team lead' };
const MANAGER = { index: 2, name: 'Manager' };
const LEADERSHIP = { index: 3, name: 'Senior leadership' };

const frontlineQueue = { name: 'Frontline support queue', channel: 'log', address: 'frontline@example.com' };
const leadsQueue = { name: 'Team lead queue', channel: 'log', address: 'leads@example.com' };
const managersQueue = { name: 'Manager queue', channel: 'log', address: 'managers@example.com' };
const leadershipQueue = { name: 'Senior leadership queue', channel: 'log', address: 'leadership@example.com' };

const DESCRIPTION = 'Card payments are declined with error 502 since 08:45.';

function caseInput(overrides: Partial<CaseInput> = {}): CaseInput {
  return {
    id: 'ESC-2026-000001',
    title: 'Checkout fails for EU customers',
    description: DESCRIPTION,
    category: 'payments',
    priority: 'high',
    reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
    attemptedSteps: ['Restarted the payment pod', 'Checked the status page'],
    ...overrides,
  };
}

/** The plan with high-priority cases starting at the last level (Senior leadership). */
const startAtTop = (overrides: Partial<Plan> = {}) =>
  testPlan({ startLevel: { critical: 3, high: 3, medium: 3, low: 3 }, ...overrides });

function opened(plan: Plan = testPlan(), input: CaseInput = caseInput(), at = T0): EscalationState {
  return openCase(input, plan, at).state;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

const typesOf = (events: TimelineEvent[]) => events.map((e) => [e.type, e.at]);
const addresses = (decision: Decision) => decision.notifications.map((n) => [n.audience, n.recipient.address]);

describe('openCase', () => {
  it('opens a high case at frontline with both windows counted from creation', () => {
    const { state } = openCase(caseInput(), testPlan(), T0);

    expect(state).toEqual({
      id: 'ESC-2026-000001',
      title: 'Checkout fails for EU customers',
      description: DESCRIPTION,
      status: 'open',
      priority: 'high',
      category: 'payments',
      level: FRONTLINE,
      owner: 'Frontline support',
      unowned: false,
      sla: { ackDueAt: '2026-03-02T09:30:00.000Z', resolveDueAt: '2026-03-03T09:00:00.000Z' },
      next: { action: 'escalate', at: '2026-03-02T09:30:00.000Z', level: TEAM_LEAD, reason: 'ack' },
      matrixVersion: 'test-plan-1',
      reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
      attemptedSteps: ['Restarted the payment pod', 'Checked the status page'],
      createdAt: '2026-03-02T09:00:00.000Z',
      levelEnteredAt: '2026-03-02T09:00:00.000Z',
      repeatsSent: 0,
      handedTo: [frontlineQueue],
      notificationsSent: 2,
      timeline: [
        {
          seq: 1,
          at: '2026-03-02T09:00:00.000Z',
          type: 'created',
          by: 'Ada Lovelace',
          note: 'Checkout fails for EU customers',
        },
        {
          seq: 2,
          at: '2026-03-02T09:00:00.000Z',
          type: 'handed_off',
          level: FRONTLINE,
          note: 'Frontline support queue: new case',
        },
        {
          seq: 3,
          at: '2026-03-02T09:00:00.000Z',
          type: 'reporter_notified',
          note: 'case number ESC-2026-000001; first response by 2026-03-02T09:30:00.000Z',
        },
      ],
    });
    expect(state.acknowledgedAt).toBeUndefined();
  });

  it('returns the timeline events it created and notifies frontline then the reporter, numbered 1..n', () => {
    const decision = openCase(caseInput(), testPlan({ reporterChannel: 'email' }), T0);

    expect(decision.events).toEqual(decision.state.timeline);
    expect(decision.notifications.map(({ body: _body, ...rest }) => rest)).toEqual([
      {
        seq: 1,
        at: '2026-03-02T09:00:00.000Z',
        recipient: frontlineQueue,
        audience: 'assignee',
        subject: '[ESC-2026-000001][high] Handoff to Frontline support: Checkout fails for EU customers',
      },
      {
        seq: 2,
        at: '2026-03-02T09:00:00.000Z',
        recipient: { name: 'Ada Lovelace', channel: 'email', address: 'ada@example.com' },
        audience: 'reporter',
        subject: '[ESC-2026-000001][high] We have your case: Checkout fails for EU customers',
      },
    ]);
  });

  it('tells the reporter the case number, the level and the first response time', () => {
    const receipt = openCase(caseInput(), testPlan(), T0).notifications[1];

    expect(receipt?.body).toBe(
      [
        'Hello Ada Lovelace,',
        '',
        'your case number is ESC-2026-000001. Please quote it in any follow-up.',
        'It is with Frontline support; you can expect a first response by 2026-03-02T09:30:00.000Z.',
      ].join('\n'),
    );
  });

  it('starts a critical case at the team lead with the critical windows and says why', () => {
    const decision = openCase(caseInput({ priority: 'critical' }), testPlan(), T0);

    expect(decision.state).toMatchObject({
      level: TEAM_LEAD,
      owner: 'Team lead',
      sla: { ackDueAt: '2026-03-02T09:15:00.000Z', resolveDueAt: '2026-03-02T13:00:00.000Z' },
      next: { action: 'escalate', at: '2026-03-02T09:15:00.000Z', level: MANAGER, reason: 'ack' },
      handedTo: [leadsQueue],
    });
    expect(decision.state.timeline[1]).toEqual({
      seq: 2,
      at: '2026-03-02T09:00:00.000Z',
      type: 'handed_off',
      level: TEAM_LEAD,
      note: 'Team lead queue: new critical case; the matrix starts critical cases at Team lead',
    });
    expect(addresses(decision)).toEqual([
      ['assignee', 'leads@example.com'],
      ['reporter', 'ada@example.com'],
    ]);
  });

  it('numbers notifications 1..n across a level with several targets', () => {
    const plan = testPlan();
    const frontline = plan.levels[0] as PlanLevel;
    frontline.targets = [frontlineQueue, { name: 'Grace', channel: 'log', address: 'grace@example.com' }];
    const decision = openCase(caseInput(), plan, T0);

    expect(decision.notifications.map((n) => [n.seq, n.audience, n.recipient.address])).toEqual([
      [1, 'assignee', 'frontline@example.com'],
      [2, 'assignee', 'grace@example.com'],
      [3, 'reporter', 'ada@example.com'],
    ]);
    expect(decision.state.notificationsSent).toBe(3);
  });
});

describe('half-open windows (rule 4)', () => {
  const plan = testPlan();
  const ackEnd = T0 + 30 * MINUTE;

  it('is not due one millisecond before the end of the ack window, so an acknowledgement lands at frontline', () => {
    const state = opened(plan);
    const now = ackEnd - 1;

    expect(isDue(state, now)).toBe(false);
    expect(catchUp(state, plan, now)).toEqual(state);
    const acked = applyCommand(catchUp(state, plan, now), plan, { kind: 'acknowledge', by: 'Grace' }, now);
    expect(acked.state).toMatchObject({
      status: 'acknowledged',
      level: FRONTLINE,
      owner: 'Grace',
      acknowledgedAt: '2026-03-02T09:29:59.999Z',
      next: { action: 'escalate', at: '2026-03-03T09:00:00.000Z', level: TEAM_LEAD, reason: 'resolve' },
    });
    expect(acked.events).toEqual([
      { seq: 4, at: '2026-03-02T09:29:59.999Z', type: 'acknowledged', level: FRONTLINE, by: 'Grace' },
    ]);
    expect(acked.notifications).toEqual([]);
  });

  it('escalates to the team lead at exactly the end of the ack window', () => {
    const state = opened(plan);

    expect(isDue(state, ackEnd)).toBe(true);
    const caught = catchUp(state, plan, ackEnd);
    expect(caught).toMatchObject({
      status: 'open',
      level: TEAM_LEAD,
      owner: 'Team lead',
      levelEnteredAt: '2026-03-02T09:30:00.000Z',
      sla: { ackDueAt: '2026-03-02T10:00:00.000Z', resolveDueAt: '2026-03-03T09:30:00.000Z' },
      next: { action: 'escalate', at: '2026-03-02T10:00:00.000Z', level: MANAGER, reason: 'ack' },
    });
    expect(isDue(caught, ackEnd)).toBe(false);
  });

  it('applies an acknowledgement at exactly the end of the ack window at the team lead, after the escalation', () => {
    const state = catchUp(opened(plan), plan, ackEnd);
    const acked = applyCommand(state, plan, { kind: 'acknowledge', by: 'Linus' }, ackEnd);

    expect(acked.state).toMatchObject({
      status: 'acknowledged',
      level: TEAM_LEAD,
      owner: 'Linus',
      acknowledgedAt: '2026-03-02T09:30:00.000Z',
      next: { action: 'escalate', at: '2026-03-03T09:30:00.000Z', level: MANAGER, reason: 'resolve' },
    });
    expect(typesOf(acked.state.timeline)).toEqual([
      ['created', '2026-03-02T09:00:00.000Z'],
      ['handed_off', '2026-03-02T09:00:00.000Z'],
      ['reporter_notified', '2026-03-02T09:00:00.000Z'],
      ['escalated', '2026-03-02T09:30:00.000Z'],
      ['handed_off', '2026-03-02T09:30:00.000Z'],
      ['acknowledged', '2026-03-02T09:30:00.000Z'],
    ]);
  });

  it('escalates before a resolve that arrives at exactly the end of an acknowledged resolve window', () => {
    const acked = applyCommand(opened(plan), plan, { kind: 'acknowledge', by: 'Grace' }, T0 + 5 * MINUTE).state;
    const resolveEnd = T0 + 24 * HOUR;

    const before = applyCommand(acked, plan, { kind: 'resolve', by: 'Grace', resolution: 'Fixed' }, resolveEnd - 1);
    expect(before.state.level).toEqual(FRONTLINE);
    expect(before.state.timeline.filter((e) => e.type === 'escalated')).toEqual([]);

    const caught = catchUp(acked, plan, resolveEnd);
    const atEnd = applyCommand(caught, plan, { kind: 'resolve', by: 'Grace', resolution: 'Fixed' }, resolveEnd);
    expect(atEnd.state.level).toEqual(TEAM_LEAD);
    expect(atEnd.state.timeline.map((e) => e.type).slice(-3)).toEqual(['escalated', 'handed_off', 'resolved']);
  });

  it('has nothing due once the case is resolved', () => {
    const resolved = applyCommand(opened(plan), plan, { kind: 'resolve', by: 'Grace', resolution: 'Fixed' }, T0);

    expect(isDue(resolved.state, T0 + 365 * 24 * HOUR)).toBe(false);
  });
});

describe('illegalReason and applyCommand refusals', () => {
  const plan = testPlan();
  const atLastLevel = () => opened(startAtTop());
  const resolvedCase = () =>
    applyCommand(opened(plan), plan, { kind: 'resolve', by: 'Grace', resolution: 'Fixed' }, T0 + 5 * MINUTE).state;

  function refusal(state: EscalationState, p: Plan, command: Command): IllegalTransitionReason | undefined {
    return illegalReason(state, p, command)?.reason;
  }

  it('allows every command on a fresh case at frontline', () => {
    const state = opened(plan);
    for (const command of [
      { kind: 'acknowledge', by: 'Grace' },
      { kind: 'escalate', by: 'Grace', reason: 'needs a lead' },
      { kind: 'resolve', by: 'Grace', resolution: 'Fixed' },
      { kind: 'comment', by: 'Grace', note: 'Looking' },
    ] satisfies Command[]) {
      expect(illegalReason(state, plan, command)).toBeUndefined();
    }
  });

  it('refuses a second acknowledgement as AlreadyAcknowledged, naming who acknowledged and when', () => {
    const acked = applyCommand(opened(plan), plan, { kind: 'acknowledge', by: 'Grace' }, T0 + 5 * MINUTE).state;
    const error = illegalReason(acked, plan, { kind: 'acknowledge', by: 'Linus' });

    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error?.reason).toBe('AlreadyAcknowledged');
    expect(error?.name).toBe('IllegalTransition');
    expect(error?.message).toBe('case ESC-2026-000001 was already acknowledged by Grace at 2026-03-02T09:05:00.000Z');
  });

  it('refuses a manual escalation at the last level as NoHigherLevel', () => {
    const state = atLastLevel();

    expect(refusal(state, startAtTop(), { kind: 'escalate', by: 'Grace', reason: 'help' })).toBe('NoHigherLevel');
    expect(refusal(state, startAtTop(), { kind: 'acknowledge', by: 'Grace' })).toBeUndefined();
  });

  it('refuses acknowledge, escalate and resolve on a resolved case as CaseResolved', () => {
    const state = resolvedCase();

    expect(refusal(state, plan, { kind: 'acknowledge', by: 'Linus' })).toBe('CaseResolved');
    expect(refusal(state, plan, { kind: 'escalate', by: 'Linus', reason: 'again' })).toBe('CaseResolved');
    expect(refusal(state, plan, { kind: 'resolve', by: 'Linus', resolution: 'Again' })).toBe('CaseResolved');
  });

  it('accepts a comment on a resolved case and records it without notifying anybody', () => {
    const state = resolvedCase();
    const commented = applyCommand(state, plan, { kind: 'comment', by: 'Linus', note: 'Root cause: DNS' }, T0 + HOUR);

    expect(illegalReason(state, plan, { kind: 'comment', by: 'Linus', note: 'x' })).toBeUndefined();
    expect(commented.events).toEqual([
      {
        seq: 5,
        at: '2026-03-02T10:00:00.000Z',
        type: 'comment',
        level: FRONTLINE,
        by: 'Linus',
        note: 'Root cause: DNS',
      },
    ]);
    expect(commented.notifications).toEqual([]);
    expect(commented.state.status).toBe('resolved');
  });

  it('throws the IllegalTransitionError with its reason from applyCommand and leaves the input state untouched', () => {
    const state = resolvedCase();
    const before = structuredClone(state);
    const error = thrown(() => applyCommand(state, plan, { kind: 'acknowledge', by: 'Linus' }, T0 + HOUR));

    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect((error as IllegalTransitionError).reason).toBe('CaseResolved');
    expect((error as IllegalTransitionError).message).toBe('case ESC-2026-000001 is already resolved');
    expect(state).toEqual(before);

    const top = atLastLevel();
    const noHigher = thrown(() => applyCommand(top, startAtTop(), { kind: 'escalate', by: 'G', reason: 'r' }, T0));
    expect((noHigher as IllegalTransitionError).reason).toBe('NoHigherLevel');
  });
});

describe('resolve target passes while acknowledged (rule 3)', () => {
  const plan = testPlan();
  const resolveDue = T0 + 24 * HOUR;

  it('hands the case to the team lead, unacknowledged, with fresh windows from the instant the timer fired', () => {
    const acked = applyCommand(opened(plan), plan, { kind: 'acknowledge', by: 'Grace' }, T0 + 10 * MINUTE).state;
    expect(isDue(acked, resolveDue - 1)).toBe(false);
    expect(isDue(acked, resolveDue)).toBe(true);

    const firedAt = resolveDue + 2 * MINUTE;
    const decision = fireNext(acked, plan, firedAt);

    expect(decision.state).toMatchObject({
      status: 'open',
      level: TEAM_LEAD,
      owner: 'Team lead',
      unowned: false,
      levelEnteredAt: '2026-03-03T09:02:00.000Z',
      sla: { ackDueAt: '2026-03-03T09:32:00.000Z', resolveDueAt: '2026-03-04T09:02:00.000Z' },
      next: { action: 'escalate', at: '2026-03-03T09:32:00.000Z', level: MANAGER, reason: 'ack' },
      handedTo: [frontlineQueue, leadsQueue],
    });
    expect(decision.state.acknowledgedAt).toBeUndefined();
    const missed = 'not resolved by Frontline support within 1d of handoff (resolve target)';
    expect(decision.events).toEqual([
      { seq: 5, at: '2026-03-03T09:00:00.000Z', type: 'escalated', level: TEAM_LEAD, note: missed },
      {
        seq: 6,
        at: '2026-03-03T09:02:00.000Z',
        type: 'handed_off',
        level: TEAM_LEAD,
        note: `Team lead queue: ${missed}`,
      },
    ]);
    expect(decision.notifications.map(({ body: _body, ...rest }) => rest)).toEqual([
      {
        seq: 3,
        at: '2026-03-03T09:02:00.000Z',
        recipient: leadsQueue,
        audience: 'assignee',
        subject: '[ESC-2026-000001][high] Handoff to Team lead: Checkout fails for EU customers',
      },
    ]);
  });
});

describe('a timer that falls due during downtime fires once (rule 6)', () => {
  const plan = testPlan();
  const ackDue = T0 + 30 * MINUTE;
  const now = ackDue + 3 * HOUR;

  it('moves exactly one level up, counts the new ack window from now and stamps the escalation at the missed instant', () => {
    const decision = fireNext(opened(plan), plan, now);

    expect(decision.state).toMatchObject({
      level: TEAM_LEAD,
      owner: 'Team lead',
      levelEnteredAt: '2026-03-02T12:30:00.000Z',
      sla: { ackDueAt: '2026-03-02T13:00:00.000Z', resolveDueAt: '2026-03-03T12:30:00.000Z' },
      next: { action: 'escalate', at: '2026-03-02T13:00:00.000Z', level: MANAGER, reason: 'ack' },
    });
    expect(typesOf(decision.events)).toEqual([
      ['escalated', '2026-03-02T09:30:00.000Z'],
      ['handed_off', '2026-03-02T12:30:00.000Z'],
    ]);
    expect(decision.events[0]?.note).toBe('not acknowledged by Frontline support within 30m (ack target)');
    expect(decision.notifications.map((n) => [n.at, n.recipient.address])).toEqual([
      ['2026-03-02T12:30:00.000Z', 'leads@example.com'],
    ]);
  });

  it('does not replay the windows it missed when catching up', () => {
    const caught = catchUp(opened(plan), plan, now);

    expect(caught.level).toEqual(TEAM_LEAD);
    expect(caught.timeline.filter((e) => e.type === 'escalated')).toHaveLength(1);
    expect(isDue(caught, now)).toBe(false);
  });
});

describe('the last level (rules 1 and 7)', () => {
  it('reaches senior leadership one ack window at a time', () => {
    const plan = testPlan();
    let state = opened(plan);
    for (const minutes of [30, 60, 90]) state = catchUp(state, plan, T0 + minutes * MINUTE);

    expect(state).toMatchObject({
      level: LEADERSHIP,
      owner: 'Senior leadership',
      sla: { ackDueAt: '2026-03-02T11:00:00.000Z', resolveDueAt: '2026-03-03T10:30:00.000Z' },
      next: { action: 'repeat', at: '2026-03-02T11:00:00.000Z', level: LEADERSHIP, reason: 'ack' },
      handedTo: [frontlineQueue, leadsQueue, managersQueue, leadershipQueue],
    });
  });

  it('repeats on a cadence anchored at the SLA instant, then marks the case unowned', () => {
    const plan = testPlan();
    let state = opened(plan);
    for (const minutes of [30, 60, 90]) state = catchUp(state, plan, T0 + minutes * MINUTE);
    const due = T0 + 2 * HOUR;

    const fired: Decision[] = [];
    const nexts: unknown[] = [];
    for (const offset of [0, 15, 30, 45]) {
      // Each timer fires a few seconds late; the cadence must not drift with it.
      const decision = fireNext(state, plan, due + offset * MINUTE + 3000);
      fired.push(decision);
      state = decision.state;
      nexts.push(state.next);
    }

    expect(nexts).toEqual([
      { action: 'repeat', at: '2026-03-02T11:15:00.000Z', level: LEADERSHIP, reason: 'repeat' },
      { action: 'repeat', at: '2026-03-02T11:30:00.000Z', level: LEADERSHIP, reason: 'repeat' },
      { action: 'mark_unowned', at: '2026-03-02T11:45:00.000Z', level: LEADERSHIP, reason: 'repeat' },
      null,
    ]);
    expect(fired.flatMap((d) => d.events.map((e) => [e.type, e.at, e.note]))).toEqual([
      ['repeat_notified', '2026-03-02T11:00:00.000Z', 'reminder 1 of 3: not acknowledged at the last level'],
      ['repeat_notified', '2026-03-02T11:15:00.000Z', 'reminder 2 of 3: not acknowledged at the last level'],
      ['repeat_notified', '2026-03-02T11:30:00.000Z', 'reminder 3 of 3: not acknowledged at the last level'],
      [
        'unowned',
        '2026-03-02T11:45:00.000Z',
        'nobody acknowledged after 3 reminder(s); the case stays open without an owner',
      ],
    ]);
    expect(fired.flatMap((d) => d.notifications.map((n) => [n.at, n.recipient.address, n.subject]))).toEqual([
      [
        '2026-03-02T11:00:00.000Z',
        'leadership@example.com',
        '[ESC-2026-000001][high] Still unacknowledged (reminder 1 of 3): Checkout fails for EU customers',
      ],
      [
        '2026-03-02T11:15:00.000Z',
        'leadership@example.com',
        '[ESC-2026-000001][high] Still unacknowledged (reminder 2 of 3): Checkout fails for EU customers',
      ],
      [
        '2026-03-02T11:30:00.000Z',
        'leadership@example.com',
        '[ESC-2026-000001][high] Still unacknowledged (reminder 3 of 3): Checkout fails for EU customers',
      ],
      [
        '2026-03-02T11:45:00.000Z',
        'leadership@example.com',
        '[ESC-2026-000001][high] UNOWNED: nobody acknowledged Checkout fails for EU customers',
      ],
    ]);
    expect(state).toMatchObject({
      status: 'open',
      level: LEADERSHIP,
      owner: null,
      unowned: true,
      next: null,
      repeatsSent: 3,
    });
  });

  it('waits a full interval after a reminder that fired late after downtime', () => {
    const plan = startAtTop();
    const state = opened(plan);
    const late = T0 + 30 * MINUTE + 2 * HOUR;
    const decision = fireNext(state, plan, late);

    expect(decision.events.map((e) => [e.type, e.at])).toEqual([['repeat_notified', '2026-03-02T09:30:00.000Z']]);
    expect(decision.state.next).toEqual({
      action: 'repeat',
      at: '2026-03-02T11:45:00.000Z',
      level: LEADERSHIP,
      reason: 'repeat',
    });
  });

  it('marks the case unowned at the ack deadline when the plan has no repeats', () => {
    const plan = startAtTop({ repeat: { everyMs: 15 * MINUTE, times: 0 } });
    const state = opened(plan);

    expect(state.next).toEqual({
      action: 'mark_unowned',
      at: '2026-03-02T09:30:00.000Z',
      level: LEADERSHIP,
      reason: 'ack',
    });
    const decision = fireNext(state, plan, T0 + 30 * MINUTE);
    expect(decision.state).toMatchObject({
      status: 'open',
      level: LEADERSHIP,
      owner: null,
      unowned: true,
      next: null,
      repeatsSent: 0,
    });
    expect(decision.events).toEqual([
      {
        seq: 4,
        at: '2026-03-02T09:30:00.000Z',
        type: 'unowned',
        level: LEADERSHIP,
        note: 'nobody acknowledged after 0 reminder(s); the case stays open without an owner',
      },
    ]);
    expect(addresses(decision)).toEqual([['assignee', 'leadership@example.com']]);
    expect(isDue(decision.state, T0 + 365 * 24 * HOUR)).toBe(false);
  });

  it('still accepts an acknowledgement on an unowned case, which gives it an owner again', () => {
    const plan = startAtTop({ repeat: { everyMs: 15 * MINUTE, times: 0 } });
    const unowned = fireNext(opened(plan), plan, T0 + 30 * MINUTE).state;
    const acked = applyCommand(unowned, plan, { kind: 'acknowledge', by: 'Grace' }, T0 + HOUR).state;

    expect(acked).toMatchObject({ status: 'acknowledged', owner: 'Grace', unowned: false });
    expect(acked.next).toEqual({
      action: 'resolve_breach',
      at: '2026-03-03T09:00:00.000Z',
      level: LEADERSHIP,
      reason: 'resolve',
    });
  });
});

describe('no re-page after acknowledgement at the last level (rule 2)', () => {
  const plan = startAtTop();

  it('schedules only a resolve breach notice, not reminders', () => {
    const acked = applyCommand(opened(plan), plan, { kind: 'acknowledge', by: 'Grace' }, T0 + 10 * MINUTE).state;

    expect(acked.next).toEqual({
      action: 'resolve_breach',
      at: '2026-03-03T09:00:00.000Z',
      level: LEADERSHIP,
      reason: 'resolve',
    });
    expect(isDue(acked, T0 + 30 * MINUTE)).toBe(false);
    expect(catchUp(acked, plan, T0 + 23 * HOUR)).toEqual(acked);
  });

  it('tells the level once when the resolve target passes and leaves the case acknowledged with nothing pending', () => {
    const acked = applyCommand(opened(plan), plan, { kind: 'acknowledge', by: 'Grace' }, T0 + 10 * MINUTE).state;
    const decision = fireNext(acked, plan, T0 + 24 * HOUR);

    expect(decision.state).toMatchObject({
      status: 'acknowledged',
      level: LEADERSHIP,
      owner: 'Grace',
      unowned: false,
      next: null,
    });
    expect(decision.events).toEqual([
      {
        seq: 5,
        at: '2026-03-03T09:00:00.000Z',
        type: 'resolve_breached',
        level: LEADERSHIP,
        note: 'not resolved within 1d at the last level; stays with Grace',
      },
    ]);
    expect(decision.notifications).toEqual([
      {
        seq: 3,
        at: '2026-03-03T09:00:00.000Z',
        recipient: leadershipQueue,
        audience: 'assignee',
        subject: '[ESC-2026-000001][high] Resolve target missed: Checkout fails for EU customers',
        body:
          'Case ESC-2026-000001 was not resolved within 1d of reaching Senior leadership' +
          ' (due 2026-03-03T09:00:00.000Z). It stays with Grace.',
      },
    ]);
    expect(catchUp(decision.state, plan, T0 + 30 * 24 * HOUR)).toEqual(decision.state);
  });

  it('reports a resolve target that ran out before a late acknowledgement at the acknowledgement, in time order', () => {
    const noRepeats = startAtTop({ repeat: { everyMs: 15 * MINUTE, times: 0 } });
    const unowned = fireNext(opened(noRepeats), noRepeats, T0 + 30 * MINUTE).state;
    const lateAck = T0 + 25 * HOUR;
    const acked = applyCommand(unowned, noRepeats, { kind: 'acknowledge', by: 'Grace' }, lateAck).state;

    expect(acked.next).toEqual({
      action: 'resolve_breach',
      at: '2026-03-03T10:00:00.000Z',
      level: LEADERSHIP,
      reason: 'resolve',
    });
    const breached = catchUp(acked, noRepeats, lateAck);
    expect(breached.timeline.slice(-2).map((e) => [e.type, e.at])).toEqual([
      ['acknowledged', '2026-03-03T10:00:00.000Z'],
      ['resolve_breached', '2026-03-03T10:00:00.000Z'],
    ]);
  });

  it('refuses to fire when nothing is pending', () => {
    const acked = applyCommand(opened(plan), plan, { kind: 'acknowledge', by: 'Grace' }, T0 + 10 * MINUTE).state;
    const breached = fireNext(acked, plan, T0 + 24 * HOUR).state;

    expect(() => fireNext(breached, plan, T0 + 25 * HOUR)).toThrow(RangeError);
  });
});

describe('manual escalation', () => {
  const plan = testPlan();
  const at = T0 + 10 * MINUTE;
  const command: Command = { kind: 'escalate', by: 'Grace', reason: 'customer is a key account' };

  it('records who escalated and why, and restarts the ack window at the next level', () => {
    const decision = applyCommand(opened(plan), plan, command, at);
    const why = 'escalated by Grace from Frontline support: customer is a key account';

    expect(decision.events).toEqual([
      { seq: 4, at: '2026-03-02T09:10:00.000Z', type: 'escalated', level: TEAM_LEAD, by: 'Grace', note: why },
      { seq: 5, at: '2026-03-02T09:10:00.000Z', type: 'handed_off', level: TEAM_LEAD, note: `Team lead queue: ${why}` },
    ]);
    expect(decision.state).toMatchObject({
      status: 'open',
      level: TEAM_LEAD,
      owner: 'Team lead',
      levelEnteredAt: '2026-03-02T09:10:00.000Z',
      sla: { ackDueAt: '2026-03-02T09:40:00.000Z', resolveDueAt: '2026-03-03T09:10:00.000Z' },
      next: { action: 'escalate', at: '2026-03-02T09:40:00.000Z', level: MANAGER, reason: 'ack' },
    });
    expect(decision.notifications).toHaveLength(1);
    expect(decision.notifications[0]).toMatchObject({ seq: 3, audience: 'assignee', recipient: leadsQueue });
    expect(decision.notifications[0]?.body).toContain(`Why: ${why}`);
    expect(decision.notifications[0]?.body).toContain('customer is a key account');
  });

  it('drops a standing acknowledgement when escalating by hand', () => {
    const acked = applyCommand(opened(plan), plan, { kind: 'acknowledge', by: 'Grace' }, T0 + 5 * MINUTE).state;
    const escalated = applyCommand(acked, plan, command, at).state;

    expect(escalated).toMatchObject({ status: 'open', owner: 'Team lead', level: TEAM_LEAD });
    expect(escalated.acknowledgedAt).toBeUndefined();
  });
});

describe('purity', () => {
  it('never changes the state it is given, so a replay sees the same inputs', () => {
    const plan = testPlan();
    const state = opened(plan);
    const frozen = structuredClone(state);

    fireNext(state, plan, T0 + 30 * MINUTE);
    catchUp(state, plan, T0 + 30 * MINUTE);
    applyCommand(state, plan, { kind: 'acknowledge', by: 'Grace' }, T0 + MINUTE);
    applyCommand(state, plan, { kind: 'escalate', by: 'Grace', reason: 'r' }, T0 + MINUTE);
    applyCommand(state, plan, { kind: 'resolve', by: 'Grace', resolution: 'r' }, T0 + MINUTE);
    applyCommand(state, plan, { kind: 'comment', by: 'Grace', note: 'n' }, T0 + MINUTE);

    expect(state).toEqual(frozen);
  });

  it('decides the same way twice from the same inputs', () => {
    const plan = testPlan();

    expect(openCase(caseInput(), plan, T0)).toEqual(openCase(caseInput(), plan, T0));
    expect(fireNext(opened(plan), plan, T0 + HOUR)).toEqual(fireNext(opened(plan), plan, T0 + HOUR));
  });
});

describe('resolve', () => {
  /** Team lead and Manager share one address on `log`; Manager also has the same address on `email`. */
  function sharedAddressPlan(): Plan {
    const plan = testPlan({ reporterChannel: 'email' });
    const [, teamLead, manager] = plan.levels as [PlanLevel, PlanLevel, PlanLevel, PlanLevel];
    teamLead.targets = [{ name: 'Leads rota', channel: 'log', address: 'leads@example.com' }];
    manager.targets = [
      { name: 'Leads rota (managers)', channel: 'log', address: 'leads@example.com' },
      { name: 'Leads mailbox', channel: 'email', address: 'leads@example.com' },
    ];
    return plan;
  }

  it('tells everybody handed the case once per channel and address, then the reporter', () => {
    const plan = sharedAddressPlan();
    let state = opened(plan);
    state = applyCommand(state, plan, { kind: 'escalate', by: 'Grace', reason: 'stuck' }, T0 + 5 * MINUTE).state;
    state = applyCommand(state, plan, { kind: 'escalate', by: 'Linus', reason: 'stuck' }, T0 + 10 * MINUTE).state;
    expect(state.handedTo).toEqual([
      frontlineQueue,
      { name: 'Leads rota', channel: 'log', address: 'leads@example.com' },
      { name: 'Leads mailbox', channel: 'email', address: 'leads@example.com' },
    ]);

    const decision = applyCommand(state, plan, { kind: 'resolve', by: 'Linus', resolution: 'Rolled back' }, T0 + HOUR);

    expect(decision.notifications.map((n) => [n.seq, n.at, n.audience, n.recipient])).toEqual([
      [6, '2026-03-02T10:00:00.000Z', 'stakeholder', frontlineQueue],
      [
        7,
        '2026-03-02T10:00:00.000Z',
        'stakeholder',
        { name: 'Leads rota', channel: 'log', address: 'leads@example.com' },
      ],
      [
        8,
        '2026-03-02T10:00:00.000Z',
        'stakeholder',
        { name: 'Leads mailbox', channel: 'email', address: 'leads@example.com' },
      ],
      [
        9,
        '2026-03-02T10:00:00.000Z',
        'reporter',
        { name: 'Ada Lovelace', channel: 'email', address: 'ada@example.com' },
      ],
    ]);
    const subjects = new Set(decision.notifications.map((n) => n.subject));
    expect(subjects).toEqual(new Set(['[ESC-2026-000001][high] Resolved: Checkout fails for EU customers']));
    expect(decision.notifications[0]?.body).toBe(
      [
        'Case ESC-2026-000001 was resolved by Linus at 2026-03-02T10:00:00.000Z.',
        '',
        'Resolution:',
        'Rolled back',
      ].join('\n'),
    );
  });

  it('records the resolution and leaves nothing pending', () => {
    const plan = testPlan();
    const acked = applyCommand(opened(plan), plan, { kind: 'acknowledge', by: 'Grace' }, T0 + 5 * MINUTE).state;
    const decision = applyCommand(acked, plan, { kind: 'resolve', by: 'Linus', resolution: 'Rolled back' }, T0 + HOUR);

    expect(decision.state).toMatchObject({
      status: 'resolved',
      owner: 'Linus',
      unowned: false,
      next: null,
      resolvedAt: '2026-03-02T10:00:00.000Z',
      resolution: { by: 'Linus', summary: 'Rolled back' },
      level: FRONTLINE,
    });
    expect(decision.events).toEqual([
      { seq: 5, at: '2026-03-02T10:00:00.000Z', type: 'resolved', level: FRONTLINE, by: 'Linus', note: 'Rolled back' },
    ]);
    expect(addresses(decision)).toEqual([
      ['stakeholder', 'frontline@example.com'],
      ['reporter', 'ada@example.com'],
    ]);
  });
});

describe('handoff notice', () => {
  it('lists the case, the attempted steps, the due times and the path so far', () => {
    const plan = testPlan();
    const state = catchUp(opened(plan), plan, T0 + 30 * MINUTE);
    const body = handoffNotice(state, plan.levels[1] as PlanLevel, 'not acknowledged in time').body;

    expect(body).toBe(
      [
        'Case ESC-2026-000001 is now with Team lead.',
        'Why: not acknowledged in time',
        '',
        'Case:        ESC-2026-000001',
        'Title:       Checkout fails for EU customers',
        'Priority:    high',
        'Category:    payments',
        'Reported by: Ada Lovelace <ada@example.com> at 2026-03-02T09:00:00.000Z',
        '',
        'Description:',
        DESCRIPTION,
        '',
        'Steps already attempted:',
        '- Restarted the payment pod',
        '- Checked the status page',
        '',
        'Acknowledge by: 2026-03-02T10:00:00.000Z',
        'Resolve by:     2026-03-03T09:30:00.000Z',
        'Path so far: Frontline support (2026-03-02T09:00:00.000Z) -> Team lead (2026-03-02T09:30:00.000Z)',
      ].join('\n'),
    );
  });

  it('is the body sent to the new level when the ack window runs out', () => {
    const plan = testPlan();
    const decision = fireNext(opened(plan), plan, T0 + 30 * MINUTE);
    const body = decision.notifications[0]?.body ?? '';

    expect(body).toContain('Why: not acknowledged by Frontline support within 30m (ack target)');
    expect(body).toContain(
      'Path so far: Frontline support (2026-03-02T09:00:00.000Z) -> Team lead (2026-03-02T09:30:00.000Z)',
    );
  });

  it('says "(none given)" without a description and "(none recorded)" without attempted steps', () => {
    const input = caseInput({ attemptedSteps: [] });
    delete input.description;
    const body = openCase(input, testPlan(), T0).notifications[0]?.body ?? '';
    const lines = body.split('\n');

    expect(lines.slice(lines.indexOf('Description:'), lines.indexOf('Description:') + 6)).toEqual([
      'Description:',
      '(none given)',
      '',
      'Steps already attempted:',
      '(none recorded)',
      '',
    ]);
  });

  it('omits the acknowledge-by line once the case is acknowledged', () => {
    const plan = testPlan();
    const acked = applyCommand(opened(plan), plan, { kind: 'acknowledge', by: 'Grace' }, T0 + 5 * MINUTE).state;
    const body = handoffNotice(acked, plan.levels[0] as PlanLevel, 'why').body;

    expect(body).not.toContain('Acknowledge by:');
    expect(body).toContain('Resolve by:     2026-03-03T09:00:00.000Z');
  });
});

describe('durations', () => {
  it.each([
    ['30m', 30 * MINUTE],
    ['1h30m', 90 * MINUTE],
    ['2d', 48 * HOUR],
    ['45s', 45_000],
    ['24h', 24 * HOUR],
    ['1d2h3m4s', 24 * HOUR + 2 * HOUR + 3 * MINUTE + 4000],
    ['0m', 0],
  ])('parses %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '   ', '30x', '30', 'm', '1m1h', '-5m', '1.5h'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    [5_400_000, '1h30m'],
    [0, '0m'],
    [86_400_000, '1d'],
    [30 * MINUTE, '30m'],
    [45_000, '45s'],
    [90_061_000, '1d1h1m1s'],
    [999, '0m'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips what it formats', () => {
    for (const ms of [1000, 59_000, 60_000, 3_600_000, 5_400_000, 86_400_000, 2 * 86_400_000 + 61_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});

describe('ids', () => {
  it('derives the workflow id from the case id and back', () => {
    expect(workflowIdFor('ESC-2026-000123')).toBe('escalation/ESC-2026-000123');
    expect(caseIdFromWorkflowId(workflowIdFor('ticket:42'))).toBe('ticket:42');
    expect(caseIdFromWorkflowId('other/ticket:42')).toBeUndefined();
  });

  it('pads the case number sequence to six digits', () => {
    expect(caseNumber(2026, 123)).toBe('ESC-2026-000123');
    expect(caseNumber(2027, 1)).toBe('ESC-2027-000001');
  });

  it.each(['ESC-2026-000123', 'ticket:42', 'a', 'A.b_c-d:e', 'x'.repeat(64)])('accepts the case id %j', (id) => {
    expect(CASE_ID_PATTERN.test(id)).toBe(true);
  });

  it.each(['', '-x', 'a b', 'x'.repeat(65), '.hidden', 'a/b'])('rejects the case id %j', (id) => {
    expect(CASE_ID_PATTERN.test(id)).toBe(false);
  });
});
