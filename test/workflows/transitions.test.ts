// The pure escalation state machine, triage, plan upgrades, level facts, notices, durations and ids, at fixed
// instants: no Temporal, no store. A small in-test shell plays the workflow's part (facts per level, skipping,
// firing due actions, applying commands) the way src/workflows/escalation.workflow.ts composes these functions.
import fc from 'fast-check';
import { levelTimes } from '../../src/activities/index';
import { resolveTargets } from '../../src/oncall/resolve-targets';
import { addCalendarTime } from '../../src/sla/clock';
import { formatDuration, parseDuration } from '../../src/shared/duration';
import type { CaseInput, EscalationState, IllegalTransitionReason, TimelineEvent } from '../../src/shared/escalation';
import { CASE_ID_PATTERN, caseIdFromWorkflowId, caseNumber, workflowIdFor } from '../../src/shared/ids';
import type { CalendarSpec, Person, Plan, PlanLevel, PlanPath, Rotation, TargetRef } from '../../src/shared/plan';
import {
  addCalendarTimeSkippingPauses,
  calendarSlaTimes,
  contactRecipients,
  type LevelFacts,
  type PauseInterval,
} from '../../src/workflows/level-facts';
import { handoffNotice } from '../../src/workflows/notices';
import { upgradePlan } from '../../src/workflows/plan-upgrade';
import {
  IllegalTransitionError,
  Transition,
  applyCommand,
  automaticEscalationReason,
  computeNext,
  endingPause,
  enterLevel,
  escalationTarget,
  fireInPlace,
  illegalReason,
  isDue,
  levelAt,
  notifyReporter,
  openCase,
  projectForCommand,
  recordEscalation,
  resume,
  startReason,
  type Command,
  type Decision,
} from '../../src/workflows/transitions';
import { triage } from '../../src/shared/triage';
import { HOUR, MINUTE, TEST_LEVELS, everyPriority, testLevel, testPlan } from '../support/plan';

const T0 = Date.parse('2026-03-02T09:00:00.000Z'); // a Monday

const FRONTLINE = { index: 0, id: 'frontline', name: 'Frontline support' };
const TEAM_LEAD = { index: 1, id: 'team-lead', name: 'Team lead' };
const MANAGER = { index: 2, id: 'manager', name: 'Manager' };
const LEADERSHIP = { index: 3, id: 'senior-leadership', name: 'Senior leadership' };

const frontlineQueue = { name: 'Frontline support queue', channel: 'log', address: 'frontline@example.com' };
const leadsQueue = { name: 'Team lead queue', channel: 'log', address: 'leads@example.com' };
const managersQueue = { name: 'Manager queue', channel: 'log', address: 'managers@example.com' };
const leadershipQueue = { name: 'Senior leadership queue', channel: 'log', address: 'leadership@example.com' };

const DESCRIPTION = 'Card payments are declined with error 502 since 08:45.';
const TITLE = 'Checkout fails for EU customers';

function caseInput(overrides: Partial<CaseInput> = {}): CaseInput {
  return {
    id: 'ESC-2026-000001',
    title: TITLE,
    description: DESCRIPTION,
    category: 'payments',
    priority: 'high',
    reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
    attemptedSteps: ['Restarted the payment pod', 'Checked the status page'],
    ...overrides,
  };
}

type PlanOverrides = Parameters<typeof testPlan>[0];

/** The plan with every priority starting at the last level (Senior leadership). */
const startAtTop = (overrides: PlanOverrides = {}) =>
  testPlan({ startLevel: { critical: 3, high: 3, medium: 3, low: 3 }, ...overrides });

/** The four test levels with level `index` changed. */
const levelsWith = (index: number, patch: Partial<PlanLevel>): PlanLevel[] =>
  TEST_LEVELS.map((level, i) => (i === index ? { ...level, ...patch } : level));

// ---------------------------------------------------------------------------------------------------------------
// The shell: what the workflow does around the pure transitions, with its activities' answers computed inline.

/** A level's SLA instants and recipients: calendar targets and bare contacts inline, anything else as the
 * workflow's local activities would compute it (business hours on the SLA clock, on-call at the instant). */
function facts(t: Transition, index: number, startMs = t.now, pauses: PauseInterval[] = []): LevelFacts {
  const level = levelAt(t.path, index);
  const targets = level.sla[t.state.priority];
  const sla =
    calendarSlaTimes(startMs, targets, level.warning, pauses) ??
    levelTimes({ startMs, targets, warning: level.warning, calendars: t.plan.calendars, pauses });
  const contacts = contactRecipients(level);
  if (contacts) return { sla, recipients: contacts, nobody: [] };
  const reached = resolveTargets(level.targets, t.plan, startMs);
  return {
    sla,
    recipients: reached.recipients.map(({ name, channel, address }) => ({ name, channel, address })),
    nobody: reached.nobody,
  };
}

/** Hands the case to `index`, moving on past levels that reach nobody. */
function handTo(t: Transition, index: number, why: string): void {
  for (let at = index; ; at++) {
    if (enterLevel(t, at, why, facts(t, at)) === 'entered') return;
  }
}

/** Opens a case: triage, the start level (or the first that reaches somebody), the reporter's receipt. */
function open(plan: Plan = testPlan(), input: CaseInput = caseInput(), at = T0): Decision {
  const { transition: t, startIndex } = openCase(input, plan, at);
  handTo(t, startIndex, startReason(t.state, plan, startIndex));
  notifyReporter(t);
  return t.decision();
}

const opened = (plan: Plan = testPlan(), input: CaseInput = caseInput(), at = T0) => open(plan, input, at).state;

/** Performs the due automatic action at `now` (the timer may fire late). */
function fire(state: EscalationState, plan: Plan, now: number): Decision {
  const t = new Transition(state, plan, now);
  const next = state.next;
  const to = escalationTarget(state, plan);
  if (next && to !== undefined) {
    const why = automaticEscalationReason(state, plan);
    recordEscalation(t, to, why, {
      trigger: next.reason === 'resolve' ? 'resolve_target' : 'ack_target',
      dueAt: next.at,
    });
    handTo(t, to, why);
  } else {
    const index = state.level.index;
    const level = levelAt(t.path, index);
    const upcoming =
      next?.action === 'warn' && level.warning?.notifyNextLevel && t.path.levels[index + 1]
        ? facts(t, index + 1).recipients
        : [];
    fireInPlace(t, upcoming);
  }
  return t.decision();
}

/** Fires everything due by `now`, one action at a time, as the workflow's loop does before any command. */
function catchUp(state: EscalationState, plan: Plan, now: number): EscalationState {
  let current = state;
  for (let step = 0; step < 20 && isDue(current, now); step++) current = fire(current, plan, now).state;
  return current;
}

/** Applies a command at `now` the way the workflow's apply() does. */
function act(state: EscalationState, plan: Plan, command: Command, now: number): Decision {
  const illegal = illegalReason(state, plan, command);
  if (illegal) throw illegal;
  const t = new Transition(state, plan, now);
  if (command.kind === 'escalate') {
    const to = escalationTarget(state, plan, command) as number;
    const why = `escalated by ${command.by} from ${state.level.name}: ${command.reason}`;
    recordEscalation(t, to, why, { trigger: 'manual', by: command.by, reason: command.reason });
    handTo(t, to, why);
  } else if (command.kind === 'resume') {
    const pauses = state.pauses.map((p) => ({ start: Date.parse(p.start), end: Date.parse(p.end) }));
    const ending = endingPause(state, now);
    if (ending) pauses.push(ending);
    resume(t, command, facts(t, state.level.index, Date.parse(state.levelEnteredAt), pauses).sla);
  } else {
    applyCommand(t, command);
  }
  return t.decision();
}

const acknowledge = (state: EscalationState, plan: Plan, now: number, by = 'Grace') =>
  act(state, plan, { kind: 'acknowledge', by }, now).state;

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
/** The notifications without their text: the fallback body, and the template and model (pinned in test/templates). */
const withoutBodies = (decision: Decision) =>
  decision.notifications.map(({ body: _body, template: _template, model: _model, ...rest }) => rest);

// ---------------------------------------------------------------------------------------------------------------

describe('opening a case', () => {
  it('opens a high case at frontline with both windows counted from creation', () => {
    const { state } = open();

    expect(state).toEqual({
      id: 'ESC-2026-000001',
      title: TITLE,
      description: DESCRIPTION,
      status: 'open',
      priority: 'high',
      category: 'payments',
      tags: [],
      triage: { rule: 'default', path: 'general', priority: 'high' },
      level: FRONTLINE,
      owner: 'Frontline support',
      unowned: false,
      sla: {
        ackDueAt: '2026-03-02T09:30:00.000Z',
        resolveDueAt: '2026-03-03T09:00:00.000Z',
        ackBasis: 'calendar',
        resolveBasis: 'calendar',
      },
      warned: { ack: false, resolve: false },
      paused: null,
      pauses: [],
      next: { action: 'escalate', at: '2026-03-02T09:30:00.000Z', level: TEAM_LEAD, reason: 'ack' },
      matrixVersion: 'test-plan-1',
      reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
      attemptedSteps: ['Restarted the payment pod', 'Checked the status page'],
      createdAt: '2026-03-02T09:00:00.000Z',
      levelEnteredAt: '2026-03-02T09:00:00.000Z',
      repeatsSent: 0,
      levelRecipients: [frontlineQueue],
      handedTo: [frontlineQueue],
      notificationsSent: 2,
      assignees: ['Frontline support queue'],
      teams: [],
      tasks: [],
      subscribers: [],
      breaches: 0,
      feedback: [],
      reopenCount: 0,
      eventsRecorded: 4,
      runs: 1,
      evidence: [],
      timeline: [
        {
          seq: 1,
          at: '2026-03-02T09:00:00.000Z',
          type: 'created',
          by: 'Ada Lovelace',
          note: TITLE,
          details: { title: TITLE, reporter: 'Ada Lovelace' },
        },
        {
          seq: 2,
          at: '2026-03-02T09:00:00.000Z',
          type: 'triaged',
          note: 'rule default: high (given high), path General, starts at Frontline support',
          details: { rule: 'default', priority: 'high', given: 'high', path: 'general', startLevel: FRONTLINE },
        },
        {
          seq: 3,
          at: '2026-03-02T09:00:00.000Z',
          type: 'handed_off',
          level: FRONTLINE,
          note: 'Frontline support queue: new case',
          details: { recipients: ['Frontline support queue'], reason: 'new case' },
        },
        {
          seq: 4,
          at: '2026-03-02T09:00:00.000Z',
          type: 'reporter_notified',
          note: 'case number ESC-2026-000001; first response by 2026-03-02T09:30:00.000Z',
          details: { caseNumber: 'ESC-2026-000001', firstResponseBy: '2026-03-02T09:30:00.000Z' },
        },
      ],
    });
    expect(state.acknowledgedAt).toBeUndefined();
    expect(state.repeatAt).toBeUndefined();
  });

  it('keeps the matrix version name and the case tags', () => {
    const { state } = open(testPlan({ versionName: '2026.03' }), caseInput({ tags: ['eu', 'checkout'] }));

    expect(state).toMatchObject({
      matrixVersion: 'test-plan-1',
      matrixVersionName: '2026.03',
      tags: ['eu', 'checkout'],
    });
  });

  it('returns the timeline events it created and notifies frontline then the reporter, numbered 1..n', () => {
    const decision = open(testPlan({ reporterChannel: 'email' }));

    expect(decision.events).toEqual(decision.state.timeline);
    expect(withoutBodies(decision)).toEqual([
      {
        seq: 1,
        at: '2026-03-02T09:00:00.000Z',
        recipient: frontlineQueue,
        audience: 'assignee',
        subject: `[ESC-2026-000001][high] Handoff to Frontline support: ${TITLE}`,
      },
      {
        seq: 2,
        at: '2026-03-02T09:00:00.000Z',
        recipient: { name: 'Ada Lovelace', channel: 'email', address: 'ada@example.com' },
        audience: 'reporter',
        subject: `[ESC-2026-000001][high] We have your case: ${TITLE}`,
      },
    ]);
  });

  it('tells the reporter the case number and the first response time, without internal names', () => {
    const receipt = open().notifications[1];

    expect(receipt?.body).toBe(
      [
        'Hello Ada Lovelace,',
        '',
        'your case number is ESC-2026-000001. Please quote it in any follow-up.',
        'Our team has it now; you can expect a first response by 2026-03-02T09:30:00.000Z.',
      ].join('\n'),
    );
  });

  it('starts a critical case at the team lead with the critical windows and says why', () => {
    const decision = open(testPlan(), caseInput({ priority: 'critical' }));

    expect(decision.state).toMatchObject({
      level: TEAM_LEAD,
      owner: 'Team lead',
      sla: { ackDueAt: '2026-03-02T09:15:00.000Z', resolveDueAt: '2026-03-02T13:00:00.000Z' },
      next: { action: 'escalate', at: '2026-03-02T09:15:00.000Z', level: MANAGER, reason: 'ack' },
      handedTo: [leadsQueue],
    });
    expect(decision.state.timeline.slice(1, 3)).toEqual([
      {
        seq: 2,
        at: '2026-03-02T09:00:00.000Z',
        type: 'triaged',
        note: 'rule default: critical (given critical), path General, starts at Team lead',
        details: { rule: 'default', priority: 'critical', given: 'critical', path: 'general', startLevel: TEAM_LEAD },
      },
      {
        seq: 3,
        at: '2026-03-02T09:00:00.000Z',
        type: 'handed_off',
        level: TEAM_LEAD,
        note: 'Team lead queue: new critical case (triage rule default); the matrix starts it at Team lead',
        details: {
          recipients: ['Team lead queue'],
          reason: 'new critical case (triage rule default); the matrix starts it at Team lead',
        },
      },
    ]);
    expect(addresses(decision)).toEqual([
      ['assignee', 'leads@example.com'],
      ['reporter', 'ada@example.com'],
    ]);
  });

  it('numbers notifications 1..n across a level with several targets', () => {
    const grace: TargetRef = { kind: 'contact', name: 'Grace', channel: 'log', address: 'grace@example.com' };
    const plan = testPlan({ levels: levelsWith(0, { targets: [{ kind: 'contact', ...frontlineQueue }, grace] }) });
    const decision = open(plan);

    expect(decision.notifications.map((n) => [n.seq, n.audience, n.recipient.address])).toEqual([
      [1, 'assignee', 'frontline@example.com'],
      [2, 'assignee', 'grace@example.com'],
      [3, 'reporter', 'ada@example.com'],
    ]);
    expect(decision.state.notificationsSent).toBe(3);
    expect(decision.state.levelRecipients).toEqual([
      frontlineQueue,
      { name: 'Grace', channel: 'log', address: 'grace@example.com' },
    ]);
  });
});

describe('triage', () => {
  const billingLevels = [
    testLevel('billing-desk', 'Billing desk', 'billing@example.com'),
    testLevel('billing-lead', 'Billing lead', 'billing-leads@example.com'),
    testLevel('finance-director', 'Finance director', 'finance@example.com'),
  ];
  const legalLevels = [
    testLevel('legal-desk', 'Legal desk', 'legal@example.com'),
    testLevel('general-counsel', 'General counsel', 'counsel@example.com'),
  ];

  /** Three paths and ordered rules: legal threat, mass outage, key accounts, urgency, low billing, default. */
  function triagePlan(overrides: Partial<Plan> = {}): Plan {
    const base = testPlan();
    return {
      ...base,
      triage: [
        {
          id: 'legal-threat',
          when: { legalThreat: true },
          priority: 'critical',
          path: 'legal',
          startLevel: 'general-counsel',
        },
        { id: 'mass-outage', when: { minUsersAffected: 1000 }, priority: 'critical' },
        { id: 'key-account', when: { tags: ['vip', 'key-account'] }, priority: 'high', startLevel: 'team-lead' },
        { id: 'urgent', when: { urgencies: ['high'] }, priority: 'high' },
        { id: 'low-billing-to-general', when: { categories: ['billing'], priorities: ['low'] }, path: 'general' },
        { id: 'default', when: {} },
      ],
      paths: {
        general: base.paths.general as PlanPath,
        billing: { id: 'billing', name: 'Billing', categories: ['billing', 'invoices'], levels: billingLevels },
        legal: { id: 'legal', name: 'Legal', categories: [], levels: legalLevels },
      },
      startLevel: {
        general: { critical: 1, high: 0, medium: 0, low: 0 },
        billing: { critical: 2, high: 1, medium: 0, low: 0 },
        legal: { critical: 0, high: 0, medium: 0, low: 0 },
      },
      ...overrides,
    };
  }

  function triaged(input: Partial<CaseInput>, plan = triagePlan()) {
    const result = triage(caseInput(input), plan);
    return { rule: result.rule.id, priority: result.priority, path: result.path.id, startIndex: result.startIndex };
  }

  it('sends a legal threat to General counsel on the legal path as critical, ahead of every later rule', () => {
    expect(
      triaged({
        category: 'billing',
        priority: 'low',
        tags: ['vip'],
        urgency: 'high',
        impact: { legalThreat: true, usersAffected: 5000 },
      }),
    ).toEqual({ rule: 'legal-threat', priority: 'critical', path: 'legal', startIndex: 1 });
  });

  it('does not treat an absent or false legal threat as one', () => {
    expect(triaged({ impact: { legalThreat: false } }).rule).toBe('default');
    expect(triaged({ impact: {} }).rule).toBe('default');
  });

  it('matches minUsersAffected from that many users on, starting where the path starts critical cases', () => {
    expect(triaged({ impact: { usersAffected: 999 } })).toEqual({
      rule: 'default',
      priority: 'high',
      path: 'general',
      startIndex: 0,
    });
    expect(triaged({ impact: { usersAffected: 1000 } })).toEqual({
      rule: 'mass-outage',
      priority: 'critical',
      path: 'general',
      startIndex: 1,
    });
    expect(triaged({ category: 'invoices', impact: { usersAffected: 1000 } })).toEqual({
      rule: 'mass-outage',
      priority: 'critical',
      path: 'billing',
      startIndex: 2,
    });
  });

  it('matches tags when the case has any one of them', () => {
    expect(triaged({ tags: ['other', 'key-account'] })).toEqual({
      rule: 'key-account',
      priority: 'high',
      path: 'general',
      startIndex: 1,
    });
    expect(triaged({ tags: ['other'] }).rule).toBe('default');
    expect(triaged({ tags: [] }).rule).toBe('default');
    expect(triaged({ tags: undefined }).rule).toBe('default');
  });

  it('starts at the path\u2019s own start for the priority when the rule\u2019s start level is not on the chosen path', () => {
    expect(triaged({ category: 'billing', tags: ['vip'] })).toEqual({
      rule: 'key-account',
      priority: 'high',
      path: 'billing',
      startIndex: 1,
    });
  });

  it('matches urgencies only when the case gives one of them', () => {
    expect(triaged({ urgency: 'high', priority: 'low' })).toEqual({
      rule: 'urgent',
      priority: 'high',
      path: 'general',
      startIndex: 0,
    });
    expect(triaged({ urgency: 'medium' }).rule).toBe('default');
    expect(triaged({ urgency: undefined }).rule).toBe('default');
  });

  it('matches priorities on the caller\u2019s priority, and the rule\u2019s path beats the category\u2019s path', () => {
    expect(triaged({ category: 'billing', priority: 'low' })).toEqual({
      rule: 'low-billing-to-general',
      priority: 'low',
      path: 'general',
      startIndex: 0,
    });
    expect(triaged({ category: 'billing', priority: 'medium' })).toEqual({
      rule: 'default',
      priority: 'medium',
      path: 'billing',
      startIndex: 0,
    });
    expect(triaged({ category: 'billing', priority: undefined }).rule).toBe('default');
  });

  it('keeps the caller\u2019s priority when the rule sets none, and makes it medium when none was given', () => {
    expect(triaged({ priority: 'low' })).toEqual({ rule: 'default', priority: 'low', path: 'general', startIndex: 0 });
    expect(triaged({ priority: 'critical' })).toEqual({
      rule: 'default',
      priority: 'critical',
      path: 'general',
      startIndex: 1,
    });
    expect(triaged({ priority: undefined })).toEqual({
      rule: 'default',
      priority: 'medium',
      path: 'general',
      startIndex: 0,
    });
  });

  it('chooses the path that lists the category when the rule names no path, else the default path', () => {
    expect(triaged({ category: 'invoices', priority: 'high' }).path).toBe('billing');
    expect(triaged({ category: 'payments', priority: 'high' }).path).toBe('general');
  });

  it('falls back to a default rule when no rule of the matrix matches', () => {
    const plan = triagePlan({ triage: [{ id: 'legal-threat', when: { legalThreat: true }, priority: 'critical' }] });

    expect(triage(caseInput({ category: 'invoices' }), plan).rule).toEqual({ id: 'default', when: {} });
    expect(triaged({ category: 'invoices' }, plan)).toEqual({
      rule: 'default',
      priority: 'high',
      path: 'billing',
      startIndex: 1,
    });
  });

  it('records the triage on the case and says in the timeline which rule decided what', () => {
    const legal = open(triagePlan(), caseInput({ priority: 'low', impact: { legalThreat: true } })).state;
    const billing = open(triagePlan(), caseInput({ category: 'billing', priority: undefined })).state;

    expect(legal).toMatchObject({
      priority: 'critical',
      triage: { rule: 'legal-threat', path: 'legal', priority: 'critical' },
      level: { index: 1, id: 'general-counsel', name: 'General counsel' },
      owner: 'General counsel',
      sla: { ackDueAt: '2026-03-02T09:15:00.000Z', resolveDueAt: '2026-03-02T13:00:00.000Z' },
      next: { action: 'repeat', at: '2026-03-02T09:15:00.000Z', reason: 'ack' },
    });
    expect(legal.timeline.slice(1, 3).map((e) => [e.type, e.note])).toEqual([
      ['triaged', 'rule legal-threat: critical (given low), path Legal, starts at General counsel'],
      [
        'handed_off',
        'General counsel queue: new critical case (triage rule legal-threat); the matrix starts it at General counsel',
      ],
    ]);
    expect(billing.triage).toEqual({ rule: 'default', path: 'billing', priority: 'medium' });
    expect(billing.timeline[1]?.note).toBe('rule default: medium (none given), path Billing, starts at Billing desk');
  });

  it('moves a triaged case up its own path', () => {
    const plan = triagePlan();
    const state = opened(plan, caseInput({ category: 'billing', priority: 'medium' }));

    const escalated = fire(state, plan, T0 + 2 * HOUR).state;
    expect(escalated.level).toEqual({ index: 1, id: 'billing-lead', name: 'Billing lead' });
    expect(escalated.levelRecipients).toEqual([
      { name: 'Billing lead queue', channel: 'log', address: 'billing-leads@example.com' },
    ]);
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
    const acked = act(catchUp(state, plan, now), plan, { kind: 'acknowledge', by: 'Grace' }, now);
    expect(acked.state).toMatchObject({
      status: 'acknowledged',
      level: FRONTLINE,
      owner: 'Grace',
      acknowledgedAt: '2026-03-02T09:29:59.999Z',
      next: { action: 'escalate', at: '2026-03-03T09:00:00.000Z', level: TEAM_LEAD, reason: 'resolve' },
    });
    expect(acked.events).toEqual([
      {
        seq: 5,
        at: '2026-03-02T09:29:59.999Z',
        type: 'acknowledged',
        level: FRONTLINE,
        by: 'Grace',
        details: { ackDueAt: '2026-03-02T09:30:00.000Z' },
      },
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
    const acked = act(state, plan, { kind: 'acknowledge', by: 'Linus' }, ackEnd);

    expect(acked.state).toMatchObject({
      status: 'acknowledged',
      level: TEAM_LEAD,
      owner: 'Linus',
      acknowledgedAt: '2026-03-02T09:30:00.000Z',
      next: { action: 'escalate', at: '2026-03-03T09:30:00.000Z', level: MANAGER, reason: 'resolve' },
    });
    expect(typesOf(acked.state.timeline)).toEqual([
      ['created', '2026-03-02T09:00:00.000Z'],
      ['triaged', '2026-03-02T09:00:00.000Z'],
      ['handed_off', '2026-03-02T09:00:00.000Z'],
      ['reporter_notified', '2026-03-02T09:00:00.000Z'],
      ['escalated', '2026-03-02T09:30:00.000Z'],
      ['handed_off', '2026-03-02T09:30:00.000Z'],
      ['acknowledged', '2026-03-02T09:30:00.000Z'],
    ]);
  });

  it('escalates before a resolve that arrives at exactly the end of an acknowledged resolve window', () => {
    const acked = acknowledge(opened(plan), plan, T0 + 5 * MINUTE);
    const resolveEnd = T0 + 24 * HOUR;
    const resolveCommand: Command = { kind: 'resolve', by: 'Grace', resolution: 'Fixed' };

    const before = act(catchUp(acked, plan, resolveEnd - 1), plan, resolveCommand, resolveEnd - 1);
    expect(before.state.level).toEqual(FRONTLINE);
    expect(before.state.timeline.filter((e) => e.type === 'escalated')).toEqual([]);

    const atEnd = act(catchUp(acked, plan, resolveEnd), plan, resolveCommand, resolveEnd);
    expect(atEnd.state.level).toEqual(TEAM_LEAD);
    expect(atEnd.state.timeline.map((e) => e.type).slice(-3)).toEqual(['escalated', 'handed_off', 'resolved']);
  });

  it('has nothing due once the case is resolved', () => {
    const resolved = act(opened(plan), plan, { kind: 'resolve', by: 'Grace', resolution: 'Fixed' }, T0);

    expect(resolved.state.next).toBeNull();
    expect(isDue(resolved.state, T0 + 365 * 24 * HOUR)).toBe(false);
  });
});

describe('projectForCommand: the state a command meets', () => {
  const plan = testPlan();
  const ackEnd = T0 + 30 * MINUTE;

  it('is the state itself while nothing is due', () => {
    const state = opened(plan);

    expect(projectForCommand(state, plan, ackEnd - 1)).toBe(state);
  });

  it('judges an acknowledgement at the ack due instant after the escalation, at the next level', () => {
    const state = opened(plan);
    const projected = projectForCommand(state, plan, ackEnd);

    expect(projected).toMatchObject({ status: 'open', level: TEAM_LEAD, paused: null, next: null });
    expect(illegalReason(projected, plan, { kind: 'acknowledge', by: 'Linus' })).toBeUndefined();
    expect(state.level).toEqual(FRONTLINE);
  });

  it('lets a second acknowledgement through at the resolve due instant, where the case has moved up unacknowledged', () => {
    const acked = acknowledge(opened(plan), plan, T0 + 5 * MINUTE);
    const resolveEnd = T0 + 24 * HOUR;
    const command: Command = { kind: 'acknowledge', by: 'Linus' };

    expect(illegalReason(acked, plan, command)?.reason).toBe('AlreadyAcknowledged');
    expect(illegalReason(projectForCommand(acked, plan, resolveEnd - 1), plan, command)?.reason).toBe(
      'AlreadyAcknowledged',
    );
    const projected = projectForCommand(acked, plan, resolveEnd);
    expect(projected).toMatchObject({ status: 'open', level: TEAM_LEAD });
    expect(projected.acknowledgedAt).toBeUndefined();
    expect(illegalReason(projected, plan, command)).toBeUndefined();
  });

  it('refuses a manual escalation at the Manager\u2019s ack due instant, when the case reaches the last level first', () => {
    const atManager = catchUp(catchUp(opened(plan), plan, ackEnd), plan, ackEnd + 30 * MINUTE);
    const command: Command = { kind: 'escalate', by: 'Grace', reason: 'stuck' };
    expect(atManager.level).toEqual(MANAGER);
    const managerAckEnd = Date.parse(atManager.sla.ackDueAt ?? '');

    expect(illegalReason(projectForCommand(atManager, plan, managerAckEnd - 1), plan, command)).toBeUndefined();
    expect(illegalReason(projectForCommand(atManager, plan, managerAckEnd), plan, command)?.reason).toBe(
      'NoHigherLevel',
    );
  });

  it('applies the in-place actions due by then: a reminder at the last level', () => {
    const top = startAtTop();
    const reminded = fire(opened(top), top, T0 + 30 * MINUTE).state;

    const projected = projectForCommand(reminded, top, T0 + 45 * MINUTE);
    expect(projected).toMatchObject({ repeatsSent: 2, repeatAt: '2026-03-02T10:00:00.000Z', unowned: false });
    expect(typesOf(projected.timeline.slice(-2))).toEqual([
      ['repeat_notified', '2026-03-02T09:30:00.000Z'],
      ['repeat_notified', '2026-03-02T09:45:00.000Z'],
    ]);
    expect(reminded.repeatsSent).toBe(1);
  });

  it('applies the in-place actions due by then: the unowned mark, which an acknowledgement then lifts', () => {
    const noRepeats = startAtTop({ repeat: { everyMs: 15 * MINUTE, times: 0 } });
    const state = opened(noRepeats);

    const projected = projectForCommand(state, noRepeats, T0 + 30 * MINUTE);
    expect(projected).toMatchObject({ unowned: true, owner: null, next: null });
    expect(illegalReason(projected, noRepeats, { kind: 'acknowledge', by: 'Grace' })).toBeUndefined();
    expect(state.unowned).toBe(false);
  });
});

describe('illegalReason and applyCommand refusals', () => {
  const plan = testPlan();
  const atLastLevel = () => opened(startAtTop());
  const resolvedCase = () =>
    act(opened(plan), plan, { kind: 'resolve', by: 'Grace', resolution: 'Fixed' }, T0 + 5 * MINUTE).state;

  function refusal(state: EscalationState, p: Plan, command: Command): IllegalTransitionReason | undefined {
    return illegalReason(state, p, command)?.reason;
  }

  it('allows every command but pause and resume on a fresh case at frontline', () => {
    const state = opened(plan);
    for (const command of [
      { kind: 'acknowledge', by: 'Grace' },
      { kind: 'escalate', by: 'Grace', reason: 'needs a lead' },
      { kind: 'resolve', by: 'Grace', resolution: 'Fixed' },
      { kind: 'comment', by: 'Grace', note: 'Looking' },
    ] satisfies Command[]) {
      expect(illegalReason(state, plan, command)).toBeUndefined();
    }
    expect(refusal(state, plan, { kind: 'pause', by: 'Grace', reason: 'lunch' })).toBe('PauseReasonNotAllowed');
    expect(refusal(state, plan, { kind: 'resume', by: 'Grace' })).toBe('NotPaused');
  });

  it('refuses a second acknowledgement as AlreadyAcknowledged, naming who acknowledged and when', () => {
    const acked = acknowledge(opened(plan), plan, T0 + 5 * MINUTE);
    const error = illegalReason(acked, plan, { kind: 'acknowledge', by: 'Linus' });

    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error?.reason).toBe('AlreadyAcknowledged');
    expect(error?.name).toBe('IllegalTransition');
    expect(error?.message).toBe('case ESC-2026-000001 was already acknowledged by Grace at 2026-03-02T09:05:00.000Z');
  });

  it('refuses a manual escalation at the last level as NoHigherLevel', () => {
    const state = atLastLevel();
    const error = illegalReason(state, startAtTop(), { kind: 'escalate', by: 'Grace', reason: 'help' });

    expect(error?.reason).toBe('NoHigherLevel');
    expect(error?.message).toBe(
      'case ESC-2026-000001 is at Senior leadership, the last level of the matrix; there is nobody higher to escalate to',
    );
    expect(refusal(state, startAtTop(), { kind: 'acknowledge', by: 'Grace' })).toBeUndefined();
  });

  it('refuses acknowledge, escalate, resolve, pause and resume on a resolved case as CaseResolved', () => {
    const state = resolvedCase();
    const pausable = testPlan({ pauseReasons: ['waiting for customer'] });

    expect(refusal(state, plan, { kind: 'acknowledge', by: 'Linus' })).toBe('CaseResolved');
    expect(refusal(state, plan, { kind: 'escalate', by: 'Linus', reason: 'again' })).toBe('CaseResolved');
    expect(refusal(state, plan, { kind: 'resolve', by: 'Linus', resolution: 'Again' })).toBe('CaseResolved');
    expect(refusal(state, pausable, { kind: 'pause', by: 'Linus', reason: 'waiting for customer' })).toBe(
      'CaseResolved',
    );
    expect(refusal(state, plan, { kind: 'resume', by: 'Linus' })).toBe('CaseResolved');
  });

  it('accepts a comment on a resolved case and records it without notifying anybody', () => {
    const state = resolvedCase();
    const commented = act(state, plan, { kind: 'comment', by: 'Linus', note: 'Root cause: DNS' }, T0 + HOUR);

    expect(illegalReason(state, plan, { kind: 'comment', by: 'Linus', note: 'x' })).toBeUndefined();
    expect(commented.events).toEqual([
      {
        seq: 6,
        at: '2026-03-02T10:00:00.000Z',
        type: 'comment',
        level: FRONTLINE,
        by: 'Linus',
        note: 'Root cause: DNS',
        details: {},
      },
    ]);
    expect(commented.notifications).toEqual([]);
    expect(commented.state.status).toBe('resolved');
  });

  it('throws the IllegalTransitionError with its reason from applyCommand and leaves the input state untouched', () => {
    const state = resolvedCase();
    const before = structuredClone(state);
    const error = thrown(() =>
      applyCommand(new Transition(state, plan, T0 + HOUR), { kind: 'acknowledge', by: 'Linus' }),
    );

    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect((error as IllegalTransitionError).reason).toBe('CaseResolved');
    expect((error as IllegalTransitionError).message).toBe('case ESC-2026-000001 is already resolved');
    expect(state).toEqual(before);

    const top = startAtTop();
    const noHigher = thrown(() =>
      applyCommand(new Transition(atLastLevel(), top, T0), { kind: 'escalate', by: 'G', reason: 'r' }),
    );
    expect((noHigher as IllegalTransitionError).reason).toBe('NoHigherLevel');
  });

  it('leaves a legal escalation and a resume to the functions that take the level\u2019s facts', () => {
    const pausable = testPlan({ pauseReasons: ['waiting for customer'] });
    const paused = act(
      opened(pausable),
      pausable,
      { kind: 'pause', by: 'G', reason: 'waiting for customer' },
      T0,
    ).state;

    const escalating = thrown(() =>
      applyCommand(new Transition(opened(plan), plan, T0), { kind: 'escalate', by: 'G', reason: 'r' }),
    );
    const resuming = thrown(() => applyCommand(new Transition(paused, pausable, T0), { kind: 'resume', by: 'G' }));

    expect(escalating).toBeInstanceOf(RangeError);
    expect((escalating as RangeError).message).toMatch(/^escalate needs the level's facts: use .*enterLevel\(\)/);
    expect(resuming).toBeInstanceOf(RangeError);
    expect((resuming as RangeError).message).toMatch(/^resume needs the level's facts: use .*resume\(\)/);
  });
});

describe('resolve target passes while acknowledged (rule 3)', () => {
  const plan = testPlan();
  const resolveDue = T0 + 24 * HOUR;

  it('hands the case to the team lead, unacknowledged, with fresh windows from the instant the timer fired', () => {
    const acked = acknowledge(opened(plan), plan, T0 + 10 * MINUTE);
    expect(isDue(acked, resolveDue - 1)).toBe(false);
    expect(isDue(acked, resolveDue)).toBe(true);

    const firedAt = resolveDue + 2 * MINUTE;
    const decision = fire(acked, plan, firedAt);

    expect(decision.state).toMatchObject({
      status: 'open',
      level: TEAM_LEAD,
      owner: 'Team lead',
      unowned: false,
      levelEnteredAt: '2026-03-03T09:02:00.000Z',
      sla: { ackDueAt: '2026-03-03T09:32:00.000Z', resolveDueAt: '2026-03-04T09:02:00.000Z' },
      next: { action: 'escalate', at: '2026-03-03T09:32:00.000Z', level: MANAGER, reason: 'ack' },
      levelRecipients: [leadsQueue],
      handedTo: [frontlineQueue, leadsQueue],
    });
    expect(decision.state.acknowledgedAt).toBeUndefined();
    const missed = 'not resolved by Frontline support within 1d of handoff (resolve target)';
    expect(decision.events).toEqual([
      {
        seq: 6,
        at: '2026-03-03T09:00:00.000Z',
        type: 'escalated',
        level: TEAM_LEAD,
        note: missed,
        details: {
          trigger: 'resolve_target',
          from: FRONTLINE,
          to: TEAM_LEAD,
          dueAt: '2026-03-03T09:00:00.000Z',
          reason: missed,
        },
      },
      {
        seq: 7,
        at: '2026-03-03T09:02:00.000Z',
        type: 'handed_off',
        level: TEAM_LEAD,
        note: `Team lead queue: ${missed}`,
        details: { recipients: ['Team lead queue'], reason: missed },
      },
    ]);
    expect(withoutBodies(decision)).toEqual([
      {
        seq: 3,
        at: '2026-03-03T09:02:00.000Z',
        recipient: leadsQueue,
        audience: 'assignee',
        subject: `[ESC-2026-000001][high] Handoff to Team lead: ${TITLE}`,
      },
    ]);
  });
});

describe('a timer that falls due during downtime fires once (rule 6)', () => {
  const plan = testPlan();
  const ackDue = T0 + 30 * MINUTE;
  const now = ackDue + 3 * HOUR;

  it('moves exactly one level up, counts the new ack window from now and stamps the escalation at the missed instant', () => {
    const decision = fire(opened(plan), plan, now);

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

  it('never stamps an event before what is already on the timeline', () => {
    const acked = acknowledge(opened(plan), plan, T0 + 10 * MINUTE);
    const t = new Transition(acked, plan, T0 + 5 * MINUTE);
    recordEscalation(t, 1, 'late', { trigger: 'ack_target', dueAt: '2026-03-02T09:01:00.000Z' });

    expect(t.events).toEqual([
      {
        seq: 6,
        at: '2026-03-02T09:10:00.000Z',
        type: 'escalated',
        level: TEAM_LEAD,
        note: 'late',
        details: {
          trigger: 'ack_target',
          from: acked.level,
          to: TEAM_LEAD,
          dueAt: '2026-03-02T09:01:00.000Z',
          reason: 'late',
        },
      },
    ]);
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
      levelRecipients: [leadershipQueue],
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
      const decision = fire(state, plan, due + offset * MINUTE + 3000);
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
        `[ESC-2026-000001][high] Still unacknowledged (reminder 1 of 3): ${TITLE}`,
      ],
      [
        '2026-03-02T11:15:00.000Z',
        'leadership@example.com',
        `[ESC-2026-000001][high] Still unacknowledged (reminder 2 of 3): ${TITLE}`,
      ],
      [
        '2026-03-02T11:30:00.000Z',
        'leadership@example.com',
        `[ESC-2026-000001][high] Still unacknowledged (reminder 3 of 3): ${TITLE}`,
      ],
      [
        '2026-03-02T11:45:00.000Z',
        'leadership@example.com',
        `[ESC-2026-000001][high] UNOWNED: nobody acknowledged ${TITLE}`,
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
    const late = T0 + 30 * MINUTE + 2 * HOUR;
    const decision = fire(opened(plan), plan, late);

    expect(typesOf(decision.events)).toEqual([['repeat_notified', '2026-03-02T09:30:00.000Z']]);
    expect(decision.state.repeatAt).toBe('2026-03-02T11:45:00.000Z');
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
    const decision = fire(state, plan, T0 + 30 * MINUTE);
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
        seq: 5,
        at: '2026-03-02T09:30:00.000Z',
        type: 'unowned',
        level: LEADERSHIP,
        note: 'nobody acknowledged after 0 reminder(s); the case stays open without an owner',
        details: { cause: 'no_ack_after_reminders', reminders: 0 },
      },
    ]);
    expect(addresses(decision)).toEqual([['assignee', 'leadership@example.com']]);
    expect(decision.notifications[0]?.body.split('\n').slice(0, 2)).toEqual([
      'Case ESC-2026-000001 ran out of reminders at Senior leadership and is open without an owner.',
      'It stays open until somebody acknowledges or resolves it.',
    ]);
    expect(isDue(decision.state, T0 + 365 * 24 * HOUR)).toBe(false);
  });

  it('still accepts an acknowledgement on an unowned case, which gives it an owner again', () => {
    const plan = startAtTop({ repeat: { everyMs: 15 * MINUTE, times: 0 } });
    const unowned = fire(opened(plan), plan, T0 + 30 * MINUTE).state;
    const acked = acknowledge(unowned, plan, T0 + HOUR);

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
    const acked = acknowledge(opened(plan), plan, T0 + 10 * MINUTE);

    expect(acked.next).toEqual({
      action: 'resolve_breach',
      at: '2026-03-03T09:00:00.000Z',
      level: LEADERSHIP,
      reason: 'resolve',
    });
    expect(isDue(acked, T0 + 30 * MINUTE)).toBe(false);
    expect(catchUp(acked, plan, T0 + 23 * HOUR)).toEqual(acked);
  });

  it('stops reminders that were running when the case is acknowledged', () => {
    const reminded = fire(opened(plan), plan, T0 + 30 * MINUTE).state;
    expect(reminded.repeatAt).toBe('2026-03-02T09:45:00.000Z');

    const acked = acknowledge(reminded, plan, T0 + 40 * MINUTE);
    expect(acked.repeatAt).toBeUndefined();
    expect(acked.next?.action).toBe('resolve_breach');
  });

  it('tells the level once when the resolve target passes and leaves the case acknowledged with nothing pending', () => {
    const acked = acknowledge(opened(plan), plan, T0 + 10 * MINUTE);
    const decision = fire(acked, plan, T0 + 24 * HOUR);

    expect(decision.state).toMatchObject({
      status: 'acknowledged',
      level: LEADERSHIP,
      owner: 'Grace',
      unowned: false,
      sla: { resolveDueAt: '2026-03-03T09:00:00.000Z', resolveBreachedAt: '2026-03-03T09:00:00.000Z' },
      next: null,
    });
    expect(decision.events).toEqual([
      {
        seq: 6,
        at: '2026-03-03T09:00:00.000Z',
        type: 'resolve_breached',
        level: LEADERSHIP,
        note: 'not resolved within 1d at the last level; stays with Grace',
        details: { dueAt: '2026-03-03T09:00:00.000Z', owner: 'Grace' },
      },
    ]);
    expect(decision.notifications).toEqual([
      {
        seq: 3,
        at: '2026-03-03T09:00:00.000Z',
        recipient: leadershipQueue,
        audience: 'assignee',
        subject: `[ESC-2026-000001][high] Resolve target missed: ${TITLE}`,
        body:
          'Case ESC-2026-000001 was not resolved by its resolve target at Senior leadership' +
          ' (due 2026-03-03T09:00:00.000Z). It stays with Grace.',
        template: 'assignee/resolve-breach',
        model: expect.objectContaining({ event: 'resolve-breach', owner: 'Grace' }),
      },
    ]);
    expect(catchUp(decision.state, plan, T0 + 30 * 24 * HOUR)).toEqual(decision.state);
  });

  it('reports a resolve target that ran out before a late acknowledgement at the acknowledgement, in time order', () => {
    const noRepeats = startAtTop({ repeat: { everyMs: 15 * MINUTE, times: 0 } });
    const unowned = fire(opened(noRepeats), noRepeats, T0 + 30 * MINUTE).state;
    const lateAck = T0 + 25 * HOUR;
    const acked = acknowledge(unowned, noRepeats, lateAck);

    expect(acked.next).toEqual({
      action: 'resolve_breach',
      at: '2026-03-03T09:00:00.000Z',
      level: LEADERSHIP,
      reason: 'resolve',
    });
    expect(isDue(acked, lateAck)).toBe(true);
    const breached = catchUp(acked, noRepeats, lateAck);
    expect(typesOf(breached.timeline.slice(-2))).toEqual([
      ['acknowledged', '2026-03-03T10:00:00.000Z'],
      ['resolve_breached', '2026-03-03T10:00:00.000Z'],
    ]);
    expect(breached.sla.resolveBreachedAt).toBe('2026-03-03T10:00:00.000Z');
  });

  it('refuses to fire when nothing is pending', () => {
    const acked = acknowledge(opened(plan), plan, T0 + 10 * MINUTE);
    const breached = fire(acked, plan, T0 + 24 * HOUR).state;

    expect(() => fire(breached, plan, T0 + 25 * HOUR)).toThrow(
      new RangeError('case ESC-2026-000001 has no in-place action pending'),
    );
  });
});

describe('levels that reach nobody (rule 1)', () => {
  const ana: Person = { id: 'ana', name: 'Ana Ruiz', contacts: [{ channel: 'log', address: 'ana@example.com' }] };
  /** Nobody is on call before the rotation's first shift (April), so at T0 nobody is. */
  const futureRotation: Rotation = {
    id: 'night-desk',
    name: 'Night desk',
    zone: 'Europe/Berlin',
    handoff: { every: 'daily', time: '09:00' },
    start: '2026-04-01',
    layers: [{ participants: ['ana'] }],
    overrides: [],
  };
  const nobodyOnCall: TargetRef[] = [{ kind: 'oncall', rotation: 'night-desk' }];
  const reason =
    'nobody is on call in night-desk at 2026-03-02T09:00:00.000Z (before its start: the first shift begins 2026-04-01 09:00 Europe/Berlin)';

  function planWithNobodyAt(indexes: number[], overrides: PlanOverrides = {}): Plan {
    return testPlan({
      people: { ana },
      rotations: { 'night-desk': futureRotation },
      levels: TEST_LEVELS.map((level, i) => (indexes.includes(i) ? { ...level, targets: nobodyOnCall } : level)),
      ...overrides,
    });
  }

  it('records a level whose facts reach nobody as skipped and leaves the case where it was', () => {
    const plan = planWithNobodyAt([1]);
    const state = opened(plan);
    const t = new Transition(state, plan, T0 + 30 * MINUTE);

    expect(
      enterLevel(t, 1, 'why', { sla: {}, recipients: [], nobody: ['nobody is on call', 'team has no members'] }),
    ).toBe('skipped');
    expect(t.events).toEqual([
      {
        seq: 5,
        at: '2026-03-02T09:30:00.000Z',
        type: 'level_skipped',
        level: TEAM_LEAD,
        note: 'nobody reachable at Team lead: nobody is on call; team has no members',
        details: { nobody: ['nobody is on call', 'team has no members'] },
      },
    ]);
    expect(t.notifications).toEqual([]);
    expect(t.state).toMatchObject({ level: FRONTLINE, owner: 'Frontline support', levelRecipients: [frontlineQueue] });
  });

  it('opens at the next level that reaches somebody when the start level reaches nobody', () => {
    const decision = open(planWithNobodyAt([0]));

    expect(decision.state).toMatchObject({
      level: TEAM_LEAD,
      owner: 'Team lead',
      levelRecipients: [leadsQueue],
      handedTo: [leadsQueue],
      next: { action: 'escalate', at: '2026-03-02T09:30:00.000Z', level: MANAGER, reason: 'ack' },
    });
    expect(decision.state.timeline.slice(2)).toEqual([
      {
        seq: 3,
        at: '2026-03-02T09:00:00.000Z',
        type: 'level_skipped',
        level: FRONTLINE,
        note: `nobody reachable at Frontline support: ${reason}`,
        details: { nobody: [reason] },
      },
      {
        seq: 4,
        at: '2026-03-02T09:00:00.000Z',
        type: 'handed_off',
        level: TEAM_LEAD,
        note: 'Team lead queue: new case',
        details: { recipients: ['Team lead queue'], reason: 'new case' },
      },
      {
        seq: 5,
        at: '2026-03-02T09:00:00.000Z',
        type: 'reporter_notified',
        note: 'case number ESC-2026-000001; first response by 2026-03-02T09:30:00.000Z',
        details: { caseNumber: 'ESC-2026-000001', firstResponseBy: '2026-03-02T09:30:00.000Z' },
      },
    ]);
    expect(addresses(decision)).toEqual([
      ['assignee', 'leads@example.com'],
      ['reporter', 'ada@example.com'],
    ]);
  });

  it('enters the last level anyway when it reaches nobody, flagged unowned, with nothing left to do on its own', () => {
    const decision = open(planWithNobodyAt([3], { startLevel: { critical: 3, high: 3, medium: 3, low: 3 } }));

    expect(decision.state).toMatchObject({
      status: 'open',
      level: LEADERSHIP,
      owner: null,
      unowned: true,
      levelRecipients: [],
      handedTo: [],
      sla: { ackDueAt: '2026-03-02T09:30:00.000Z', resolveDueAt: '2026-03-03T09:00:00.000Z' },
      next: null,
    });
    expect(decision.state.timeline[2]).toEqual({
      seq: 3,
      at: '2026-03-02T09:00:00.000Z',
      type: 'unowned',
      level: LEADERSHIP,
      note: `nobody reachable at Senior leadership, the last level: ${reason}`,
      details: { cause: 'nobody_reachable', nobody: [reason] },
    });
    expect(addresses(decision)).toEqual([['reporter', 'ada@example.com']]);
  });

  it('moves past every level that reaches nobody when escalating, ending unowned at the last level', () => {
    const plan = planWithNobodyAt([2, 3]);
    const atLead = catchUp(opened(plan), plan, T0 + 30 * MINUTE);
    const decision = fire(atLead, plan, T0 + HOUR);
    const later =
      'nobody is on call in night-desk at 2026-03-02T10:00:00.000Z (before its start: the first shift begins 2026-04-01 09:00 Europe/Berlin)';

    expect(decision.events).toEqual([
      {
        seq: 7,
        at: '2026-03-02T10:00:00.000Z',
        type: 'escalated',
        level: MANAGER,
        note: 'not acknowledged by Team lead within 30m (ack target)',
        details: {
          trigger: 'ack_target',
          from: TEAM_LEAD,
          to: MANAGER,
          dueAt: '2026-03-02T10:00:00.000Z',
          reason: 'not acknowledged by Team lead within 30m (ack target)',
        },
      },
      {
        seq: 8,
        at: '2026-03-02T10:00:00.000Z',
        type: 'level_skipped',
        level: MANAGER,
        note: `nobody reachable at Manager: ${later}`,
        details: { nobody: [later] },
      },
      {
        seq: 9,
        at: '2026-03-02T10:00:00.000Z',
        type: 'unowned',
        level: LEADERSHIP,
        note: `nobody reachable at Senior leadership, the last level: ${later}`,
        details: { cause: 'nobody_reachable', nobody: [later] },
      },
    ]);
    expect(decision.notifications).toEqual([]);
    expect(decision.state).toMatchObject({ level: LEADERSHIP, unowned: true, owner: null, next: null });
  });

  it('reaches whoever is on call at the instant of the handoff', () => {
    const plan = planWithNobodyAt([1]);
    const april = Date.parse('2026-04-01T08:00:00.000Z'); // 10:00 in Berlin, the first shift
    const state = catchUp(opened(plan, caseInput(), april), plan, april + 30 * MINUTE);

    expect(state).toMatchObject({
      level: TEAM_LEAD,
      levelRecipients: [{ name: 'Ana Ruiz', channel: 'log', address: 'ana@example.com' }],
    });
    expect(state.timeline.at(-1)?.note).toBe('Ana Ruiz: not acknowledged by Frontline support within 30m (ack target)');
  });
});

describe('manual escalation', () => {
  const plan = testPlan();
  const at = T0 + 10 * MINUTE;
  const command: Command = { kind: 'escalate', by: 'Grace', reason: 'customer is a key account' };

  it('records who escalated and why, and restarts the ack window at the next level', () => {
    const decision = act(opened(plan), plan, command, at);
    const why = 'escalated by Grace from Frontline support: customer is a key account';

    expect(decision.events).toEqual([
      {
        seq: 5,
        at: '2026-03-02T09:10:00.000Z',
        type: 'escalated',
        level: TEAM_LEAD,
        by: 'Grace',
        note: why,
        details: {
          trigger: 'manual',
          from: FRONTLINE,
          to: TEAM_LEAD,
          reason: 'customer is a key account',
          jumped: false,
        },
      },
      {
        seq: 6,
        at: '2026-03-02T09:10:00.000Z',
        type: 'handed_off',
        level: TEAM_LEAD,
        note: `Team lead queue: ${why}`,
        details: { recipients: ['Team lead queue'], reason: why },
      },
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
    const acked = acknowledge(opened(plan), plan, T0 + 5 * MINUTE);
    const escalated = act(acked, plan, command, at).state;

    expect(escalated).toMatchObject({ status: 'open', owner: 'Team lead', level: TEAM_LEAD });
    expect(escalated.acknowledgedAt).toBeUndefined();
  });
});

describe('jumps', () => {
  const plan = testPlan({
    startLevel: { critical: 0, high: 0, medium: 0, low: 0 },
    jumps: [
      {
        id: 'legal-to-top',
        to: 'senior-leadership',
        from: ['frontline'],
        categories: ['legal'],
        priorities: ['high', 'critical'],
      },
      { id: 'anyone-to-manager', to: 'manager' },
    ],
  });
  const legal = () => opened(plan, caseInput({ category: 'legal' }));
  const escalateTo = (to: string): Command => ({ kind: 'escalate', by: 'Grace', reason: 'lawyer called', to });

  it('refuses an escalation two levels up as JumpNotAllowed when no jump rule allows it', () => {
    const error = illegalReason(opened(testPlan()), testPlan(), escalateTo('manager'));

    expect(error?.reason).toBe('JumpNotAllowed');
    expect(error?.message).toBe(
      'the matrix does not allow a high payments case to jump from Frontline support to Manager; ' +
        'escalate one level at a time or ask the matrix owner for a jump rule',
    );
  });

  it('jumps when a rule names the level, and hands the case straight to it', () => {
    const state = legal();
    const command = escalateTo('senior-leadership');

    expect(illegalReason(state, plan, command)).toBeUndefined();
    expect(escalationTarget(state, plan, command)).toBe(3);
    const decision = act(state, plan, command, T0 + 5 * MINUTE);
    const why = 'escalated by Grace from Frontline support: lawyer called';
    expect(decision.events).toEqual([
      {
        seq: 5,
        at: '2026-03-02T09:05:00.000Z',
        type: 'escalated',
        level: LEADERSHIP,
        by: 'Grace',
        note: why,
        details: { trigger: 'manual', from: FRONTLINE, to: LEADERSHIP, reason: 'lawyer called', jumped: true },
      },
      {
        seq: 6,
        at: '2026-03-02T09:05:00.000Z',
        type: 'handed_off',
        level: LEADERSHIP,
        note: `Senior leadership queue: ${why}`,
        details: { recipients: ['Senior leadership queue'], reason: why },
      },
    ]);
    expect(decision.state).toMatchObject({ level: LEADERSHIP, handedTo: [frontlineQueue, leadershipQueue] });
  });

  it('applies a jump rule only from its levels, for its categories and its priorities', () => {
    const command = escalateTo('senior-leadership');
    const atLead = act(legal(), plan, escalateTo('team-lead'), T0 + MINUTE).state;

    expect(illegalReason(atLead, plan, command)?.reason).toBe('JumpNotAllowed');
    expect(illegalReason(opened(plan), plan, command)?.reason).toBe('JumpNotAllowed');
    expect(
      illegalReason(opened(plan, caseInput({ category: 'legal', priority: 'medium' })), plan, command)?.reason,
    ).toBe('JumpNotAllowed');
    expect(
      illegalReason(opened(plan, caseInput({ category: 'legal', priority: 'critical' })), plan, command),
    ).toBeUndefined();
  });

  it('applies a jump rule without conditions to every case', () => {
    expect(illegalReason(opened(plan), plan, escalateTo('manager'))).toBeUndefined();
    expect(escalationTarget(opened(plan), plan, escalateTo('manager'))).toBe(2);
  });

  it('lets an escalation name the next level without a jump rule', () => {
    const state = opened(testPlan());

    expect(illegalReason(state, testPlan(), escalateTo('team-lead'))).toBeUndefined();
    expect(escalationTarget(state, testPlan(), escalateTo('team-lead'))).toBe(1);
  });

  it('refuses a level the path does not have as UnknownLevel, listing the levels it has', () => {
    const error = illegalReason(opened(plan), plan, escalateTo('cto'));

    expect(error?.reason).toBe('UnknownLevel');
    expect(error?.message).toBe(
      'path general has no level "cto" (levels: frontline, team-lead, manager, senior-leadership)',
    );
  });

  it('refuses the current or a lower level as JumpNotAllowed: escalation only goes up', () => {
    const atManager = act(opened(plan), plan, escalateTo('manager'), T0 + MINUTE).state;

    const same = illegalReason(atManager, plan, escalateTo('manager'));
    expect(same?.reason).toBe('JumpNotAllowed');
    expect(same?.message).toBe('level manager is not above Manager; escalation only goes up');
    expect(illegalReason(atManager, plan, escalateTo('frontline'))?.message).toBe(
      'level frontline is not above Manager; escalation only goes up',
    );
  });

  it('names where the due action or a command moves the case, or undefined when it stays', () => {
    const state = opened(plan);

    expect(escalationTarget(state, plan)).toBe(1);
    expect(escalationTarget(state, plan, { kind: 'escalate', by: 'G', reason: 'r' })).toBe(1);
    expect(escalationTarget(state, plan, { kind: 'acknowledge', by: 'G' })).toBeUndefined();
    expect(escalationTarget(opened(startAtTop()), startAtTop())).toBeUndefined();
  });
});

describe('pause and resume', () => {
  const plan = testPlan({ pauseReasons: ['waiting for customer', 'vendor fix'] });
  const pause = (reason = 'waiting for customer'): Command => ({ kind: 'pause', by: 'Grace', reason });
  const pausedAt = T0 + 10 * MINUTE;
  const paused = () => act(opened(plan), plan, pause(), pausedAt).state;

  it('stops the clocks: nothing is due while paused', () => {
    const decision = act(opened(plan), plan, pause(), pausedAt);

    expect(decision.events).toEqual([
      {
        seq: 5,
        at: '2026-03-02T09:10:00.000Z',
        type: 'paused',
        level: FRONTLINE,
        by: 'Grace',
        note: 'waiting for customer: SLA clocks stopped',
        details: { reason: 'waiting for customer' },
      },
    ]);
    expect(decision.notifications).toEqual([]);
    expect(decision.state).toMatchObject({
      status: 'open',
      paused: { since: '2026-03-02T09:10:00.000Z', reason: 'waiting for customer', by: 'Grace' },
      pauses: [],
      next: null,
    });
    expect(computeNext(decision.state, plan)).toBeNull();
    expect(isDue(decision.state, T0 + 365 * 24 * HOUR)).toBe(false);
  });

  it('refuses a pause reason the matrix does not list as PauseReasonNotAllowed, naming the allowed ones', () => {
    const error = illegalReason(opened(plan), plan, pause('lunch'));

    expect(error?.reason).toBe('PauseReasonNotAllowed');
    expect(error?.message).toBe(
      '"lunch" is not a pause reason of this matrix (allowed: waiting for customer, vendor fix)',
    );
    expect(illegalReason(opened(), testPlan(), pause())?.message).toBe(
      '"waiting for customer" is not a pause reason of this matrix (allowed: none: this matrix allows no pauses)',
    );
  });

  it('refuses a second pause as AlreadyPaused and a resume without a pause as NotPaused', () => {
    const again = illegalReason(paused(), plan, pause('vendor fix'));

    expect(again?.reason).toBe('AlreadyPaused');
    expect(again?.message).toBe(
      'case ESC-2026-000001 is already paused since 2026-03-02T09:10:00.000Z (waiting for customer)',
    );
    const notPaused = illegalReason(opened(plan), plan, { kind: 'resume', by: 'Grace' });
    expect(notPaused?.reason).toBe('NotPaused');
    expect(notPaused?.message).toBe('case ESC-2026-000001 is not paused');
  });

  it('resumes with due times moved by the pause, records the interval and says how the due times moved', () => {
    const decision = act(paused(), plan, { kind: 'resume', by: 'Linus', note: 'customer replied' }, T0 + 40 * MINUTE);

    expect(decision.events).toEqual([
      {
        seq: 6,
        at: '2026-03-02T09:40:00.000Z',
        type: 'resumed',
        level: FRONTLINE,
        by: 'Linus',
        note:
          'paused 30m (waiting for customer); ack due 2026-03-02T09:30:00.000Z -> 2026-03-02T10:00:00.000Z; ' +
          'resolve due 2026-03-03T09:00:00.000Z -> 2026-03-03T09:30:00.000Z; customer replied',
        details: {
          reason: 'waiting for customer',
          pausedMs: 30 * MINUTE,
          due: {
            ack: { from: '2026-03-02T09:30:00.000Z', to: '2026-03-02T10:00:00.000Z' },
            resolve: { from: '2026-03-03T09:00:00.000Z', to: '2026-03-03T09:30:00.000Z' },
          },
          note: 'customer replied',
        },
      },
    ]);
    expect(decision.notifications).toEqual([]);
    expect(decision.state).toMatchObject({
      paused: null,
      pauses: [{ start: '2026-03-02T09:10:00.000Z', end: '2026-03-02T09:40:00.000Z' }],
      levelEnteredAt: '2026-03-02T09:00:00.000Z',
      sla: {
        ackDueAt: '2026-03-02T10:00:00.000Z',
        resolveDueAt: '2026-03-03T09:30:00.000Z',
        ackBasis: 'calendar',
        resolveBasis: 'calendar',
      },
      next: { action: 'escalate', at: '2026-03-02T10:00:00.000Z', level: TEAM_LEAD, reason: 'ack' },
    });
  });

  it('counts every pause at the level when a later pause ends', () => {
    let state = act(opened(plan), plan, pause(), T0 + 10 * MINUTE).state;
    state = act(state, plan, { kind: 'resume', by: 'Grace' }, T0 + 20 * MINUTE).state;
    state = act(state, plan, pause('vendor fix'), T0 + 25 * MINUTE).state;
    const decision = act(state, plan, { kind: 'resume', by: 'Grace' }, T0 + 35 * MINUTE);

    expect(decision.events[0]?.note).toBe(
      'paused 10m (vendor fix); ack due 2026-03-02T09:40:00.000Z -> 2026-03-02T09:50:00.000Z; ' +
        'resolve due 2026-03-03T09:10:00.000Z -> 2026-03-03T09:20:00.000Z',
    );
    expect(decision.state.pauses).toEqual([
      { start: '2026-03-02T09:10:00.000Z', end: '2026-03-02T09:20:00.000Z' },
      { start: '2026-03-02T09:25:00.000Z', end: '2026-03-02T09:35:00.000Z' },
    ]);
    expect(decision.state.next).toEqual({
      action: 'escalate',
      at: '2026-03-02T09:50:00.000Z',
      level: TEAM_LEAD,
      reason: 'ack',
    });
  });

  it('takes the due times it is given rather than computing its own', () => {
    const t = new Transition(paused(), plan, T0 + 40 * MINUTE);
    const sla = {
      ackDueAt: '2026-03-02T11:11:00.000Z',
      resolveDueAt: '2026-03-04T00:00:00.000Z',
      ackBasis: 'business',
    };
    resume(t, { kind: 'resume', by: 'Linus' }, sla);

    expect(t.state.sla).toEqual(sla);
    expect(t.events[0]?.note).toBe(
      'paused 30m (waiting for customer); ack due 2026-03-02T09:30:00.000Z -> 2026-03-02T11:11:00.000Z; ' +
        'resolve due 2026-03-03T09:00:00.000Z -> 2026-03-04T00:00:00.000Z',
    );
  });

  it('gives the interval a resume ends, and none when the case is not paused', () => {
    expect(endingPause(paused(), T0 + 40 * MINUTE)).toEqual({ start: pausedAt, end: T0 + 40 * MINUTE });
    expect(endingPause(opened(plan), T0 + 40 * MINUTE)).toBeUndefined();
  });

  it('shifts the next last-level reminder by the paused time', () => {
    const top = startAtTop({ pauseReasons: ['waiting for customer'] });
    const reminded = fire(opened(top), top, T0 + 30 * MINUTE).state;
    expect(reminded.repeatAt).toBe('2026-03-02T09:45:00.000Z');

    const held = act(reminded, top, pause(), T0 + 35 * MINUTE).state;
    const resumed = act(held, top, { kind: 'resume', by: 'Grace' }, T0 + 65 * MINUTE);

    expect(resumed.state.repeatAt).toBe('2026-03-02T10:15:00.000Z');
    expect(resumed.state.next).toEqual({
      action: 'repeat',
      at: '2026-03-02T10:15:00.000Z',
      level: LEADERSHIP,
      reason: 'repeat',
    });
    expect(resumed.events[0]?.note).toBe(
      'paused 30m (waiting for customer); resolve due 2026-03-03T09:00:00.000Z -> 2026-03-03T09:30:00.000Z',
    );
  });

  it('ends the pause when the case is escalated by hand, and the new level starts with full windows', () => {
    const decision = act(paused(), plan, { kind: 'escalate', by: 'Grace', reason: 'vendor is down' }, T0 + HOUR);

    expect(decision.events[1]).toEqual({
      seq: 7,
      at: '2026-03-02T10:00:00.000Z',
      type: 'handed_off',
      level: TEAM_LEAD,
      note: 'Team lead queue: escalated by Grace from Frontline support: vendor is down (pause "waiting for customer" ends)',
      details: {
        recipients: ['Team lead queue'],
        reason: 'escalated by Grace from Frontline support: vendor is down',
        pauseEnded: 'waiting for customer',
      },
    });
    expect(decision.state).toMatchObject({
      level: TEAM_LEAD,
      paused: null,
      pauses: [],
      sla: { ackDueAt: '2026-03-02T10:30:00.000Z' },
      next: { action: 'escalate', at: '2026-03-02T10:30:00.000Z', level: MANAGER, reason: 'ack' },
    });
  });

  it('ends the pause when the case is resolved', () => {
    const resolved = act(paused(), plan, { kind: 'resolve', by: 'Grace', resolution: 'Fixed' }, T0 + HOUR).state;

    expect(resolved).toMatchObject({ status: 'resolved', paused: null, next: null });
  });
});

describe('breach warnings', () => {
  const warning = { atFraction: 0.75, notifyNextLevel: true };
  const warningLevels = TEST_LEVELS.map((level) => ({ ...level, warning }));
  const plan = testPlan({ levels: warningLevels });

  it('computes warning instants at 75% of each calendar target', () => {
    const targets = TEST_LEVELS[0]?.sla.high as PlanLevel['sla']['high'];

    expect(calendarSlaTimes(T0, targets, warning, [])).toEqual({
      ackDueAt: '2026-03-02T09:30:00.000Z',
      resolveDueAt: '2026-03-03T09:00:00.000Z',
      ackWarnAt: '2026-03-02T09:22:30.000Z',
      resolveWarnAt: '2026-03-03T03:00:00.000Z',
      ackBasis: 'calendar',
      resolveBasis: 'calendar',
    });
    expect(calendarSlaTimes(T0, targets, null, [])).toEqual({
      ackDueAt: '2026-03-02T09:30:00.000Z',
      resolveDueAt: '2026-03-03T09:00:00.000Z',
      ackBasis: 'calendar',
      resolveBasis: 'calendar',
    });
  });

  it('warns before it escalates', () => {
    expect(opened(plan).next).toEqual({
      action: 'warn',
      at: '2026-03-02T09:22:30.000Z',
      level: FRONTLINE,
      reason: 'ack',
    });
  });

  it('warns the owner and tells the next level the case may come its way', () => {
    const decision = fire(opened(plan), plan, T0 + 22 * MINUTE + 30_000);

    expect(decision.events).toEqual([
      {
        seq: 5,
        at: '2026-03-02T09:22:30.000Z',
        type: 'breach_warning',
        level: FRONTLINE,
        note: 'ack target due 2026-03-02T09:30:00.000Z',
        details: { target: 'ack', dueAt: '2026-03-02T09:30:00.000Z', warnAt: '2026-03-02T09:22:30.000Z', late: false },
      },
    ]);
    expect(withoutBodies(decision)).toEqual([
      {
        seq: 3,
        at: '2026-03-02T09:22:30.000Z',
        recipient: frontlineQueue,
        audience: 'assignee',
        subject: `[ESC-2026-000001][high] Due soon: ${TITLE}`,
      },
      {
        seq: 4,
        at: '2026-03-02T09:22:30.000Z',
        recipient: leadsQueue,
        audience: 'stakeholder',
        subject: `[ESC-2026-000001][high] May come to Team lead: ${TITLE}`,
      },
    ]);
    expect(decision.notifications.map((n) => n.body.split('\n')[0])).toEqual([
      'Case ESC-2026-000001 must be acknowledged by 2026-03-02T09:30:00.000Z, or it is escalated from Frontline support.',
      'Case ESC-2026-000001 is with Frontline support and moves to Team lead at 2026-03-02T09:30:00.000Z unless it is acknowledged by then.',
    ]);
    expect(decision.state).toMatchObject({
      level: FRONTLINE,
      warned: { ack: true, resolve: false },
      next: { action: 'escalate', at: '2026-03-02T09:30:00.000Z', level: TEAM_LEAD, reason: 'ack' },
    });
  });

  it('warns only the owner when the level does not notify the next one', () => {
    const quiet = testPlan({ levels: levelsWith(0, { warning: { atFraction: 0.75, notifyNextLevel: false } }) });
    const decision = fire(opened(quiet), quiet, T0 + 23 * MINUTE);

    expect(addresses(decision)).toEqual([['assignee', 'frontline@example.com']]);
  });

  it('sends a warning whose instant passed while the case could not run once on recovery, marked late', () => {
    // Due 09:22:30, the target at 09:30: the worker is back at 09:25.
    const decision = fire(opened(plan), plan, T0 + 25 * MINUTE);

    expect(decision.events.map((e) => [e.type, e.at, e.note])).toEqual([
      [
        'breach_warning',
        '2026-03-02T09:22:30.000Z',
        'ack target due 2026-03-02T09:30:00.000Z (late: due 2026-03-02T09:22:30.000Z, sent 2026-03-02T09:25:00.000Z after the case could not run)',
      ],
    ]);
    expect(decision.notifications.map((n) => n.subject)).toEqual([
      `(late) [ESC-2026-000001][high] Due soon: ${TITLE}`,
      `(late) [ESC-2026-000001][high] May come to Team lead: ${TITLE}`,
    ]);
  });

  it('records a warning it skips because its target passed while the case could not run, and escalates next', () => {
    const decision = fire(opened(plan), plan, T0 + 32 * MINUTE);

    expect(decision.events.map((e) => [e.type, e.at, e.note])).toEqual([
      [
        'warning_skipped',
        '2026-03-02T09:22:30.000Z',
        'ack warning due 2026-03-02T09:22:30.000Z not sent: the ack target itself passed at 2026-03-02T09:30:00.000Z while the case could not run',
      ],
    ]);
    expect(decision.notifications).toEqual([]);
    expect(decision.state.next).toMatchObject({ action: 'escalate', at: '2026-03-02T09:30:00.000Z' });
  });

  it('notifies the upcoming recipients it is given as stakeholders', () => {
    const t = new Transition(opened(plan), plan, T0 + 23 * MINUTE);
    const deputy = { name: 'Deputy lead', channel: 'email', address: 'deputy@example.com' };
    fireInPlace(t, [deputy]);

    expect(t.notifications.map((n) => [n.audience, n.recipient])).toEqual([
      ['assignee', frontlineQueue],
      ['stakeholder', deputy],
    ]);
  });

  it('does not warn twice about the same target, though after a pause its warning instant is in the past', () => {
    const pausable = testPlan({ pauseReasons: ['vendor fix'], levels: warningLevels });
    const warned = fire(opened(pausable), pausable, T0 + 23 * MINUTE).state;
    const held = act(warned, pausable, { kind: 'pause', by: 'Grace', reason: 'vendor fix' }, T0 + 25 * MINUTE).state;
    const resumed = act(held, pausable, { kind: 'resume', by: 'Grace' }, T0 + 35 * MINUTE).state;

    expect(resumed.sla).toMatchObject({ ackWarnAt: '2026-03-02T09:22:30.000Z', ackDueAt: '2026-03-02T09:40:00.000Z' });
    expect(resumed.warned).toEqual({ ack: true, resolve: false });
    expect(resumed.next).toEqual({
      action: 'escalate',
      at: '2026-03-02T09:40:00.000Z',
      level: TEAM_LEAD,
      reason: 'ack',
    });
  });

  it('warns about the resolve target once acknowledged, and a new level brings fresh warnings', () => {
    const acked = acknowledge(opened(plan), plan, T0 + 5 * MINUTE);
    expect(acked.next).toEqual({ action: 'warn', at: '2026-03-03T03:00:00.000Z', level: FRONTLINE, reason: 'resolve' });

    const warned = fire(acked, plan, T0 + 18 * HOUR);
    expect(warned.events.map((e) => [e.type, e.at, e.note])).toEqual([
      ['breach_warning', '2026-03-03T03:00:00.000Z', 'resolve target due 2026-03-03T09:00:00.000Z'],
    ]);
    expect(warned.notifications.map((n) => n.body.split('\n')[0])).toEqual([
      'Case ESC-2026-000001 must be resolved by 2026-03-03T09:00:00.000Z, or it is escalated from Frontline support.',
      'Case ESC-2026-000001 is with Frontline support and moves to Team lead at 2026-03-03T09:00:00.000Z unless it is resolved by then.',
    ]);
    expect(warned.state.next).toEqual({
      action: 'escalate',
      at: '2026-03-03T09:00:00.000Z',
      level: TEAM_LEAD,
      reason: 'resolve',
    });

    const atLead = fire(warned.state, plan, T0 + 24 * HOUR).state;
    expect(atLead).toMatchObject({
      level: TEAM_LEAD,
      warned: { ack: false, resolve: false },
      next: { action: 'warn', at: '2026-03-03T09:22:30.000Z', level: TEAM_LEAD, reason: 'ack' },
    });
  });

  it('does not warn about the resolve target while nobody has acknowledged', () => {
    const warnedAck = fire(opened(plan), plan, T0 + 23 * MINUTE).state;
    // With the ack target moved past the resolve target, a resolve warning would come first if it counted.
    const lateAck = { ...warnedAck, sla: { ...warnedAck.sla, ackDueAt: '2026-03-04T00:00:00.000Z' } };

    expect(computeNext(lateAck, plan)).toEqual({
      action: 'escalate',
      at: '2026-03-03T09:00:00.000Z',
      level: TEAM_LEAD,
      reason: 'resolve',
    });
  });

  it('does not threaten an escalation in a warning at the last level, where there is nobody higher', () => {
    const top = testPlan({
      levels: levelsWith(3, { warning }),
      startLevel: { critical: 3, high: 3, medium: 3, low: 3 },
    });
    const decision = fire(opened(top), top, T0 + 23 * MINUTE);

    expect(addresses(decision)).toEqual([['assignee', 'leadership@example.com']]);
    expect(decision.notifications[0]?.body).not.toContain('escalated');
  });
});

describe('computeNext', () => {
  const plan = testPlan();

  it('puts the more severe action first when two fall due at the same instant', () => {
    // Ack warnings at 75% of 40 minutes fall due with a 30-minute resolve target.
    const level = {
      ...testLevel('frontline', 'Frontline support', 'frontline@example.com'),
      sla: everyPriority({
        ack: { kind: 'calendar', ms: 40 * MINUTE },
        resolve: { kind: 'calendar', ms: 30 * MINUTE },
      }),
      warning: { atFraction: 0.75, notifyNextLevel: false },
    } satisfies PlanLevel;
    const odd = testPlan({ levels: [level, ...TEST_LEVELS.slice(1)] });
    const state = opened(odd);

    expect(state.sla).toMatchObject({
      ackWarnAt: '2026-03-02T09:30:00.000Z',
      resolveDueAt: '2026-03-02T09:30:00.000Z',
    });
    expect(state.next).toEqual({
      action: 'escalate',
      at: '2026-03-02T09:30:00.000Z',
      level: TEAM_LEAD,
      reason: 'resolve',
    });
  });

  it('breaches a resolve target at the last level before warning about it at the same instant', () => {
    const top = startAtTop();
    const acked = acknowledge(opened(top), top, T0 + 5 * MINUTE);
    const same = { ...acked, sla: { ...acked.sla, resolveWarnAt: acked.sla.resolveDueAt } };

    expect(computeNext(same, top)).toEqual({
      action: 'resolve_breach',
      at: '2026-03-03T09:00:00.000Z',
      level: LEADERSHIP,
      reason: 'resolve',
    });
  });

  it('takes the earliest action when they fall due at different instants', () => {
    const state = opened(plan);
    const resolveFirst = { ...state, sla: { ...state.sla, resolveDueAt: '2026-03-02T09:20:00.000Z' } };

    expect(computeNext(resolveFirst, plan)).toEqual({
      action: 'escalate',
      at: '2026-03-02T09:20:00.000Z',
      level: TEAM_LEAD,
      reason: 'resolve',
    });
  });
});

describe('business-hours targets in the escalation reasons', () => {
  const berlinOffice: CalendarSpec = {
    id: 'berlin-office',
    name: 'Berlin office',
    zone: 'Europe/Berlin',
    week: {
      mon: [{ start: '09:00', end: '17:00' }],
      tue: [{ start: '09:00', end: '17:00' }],
      wed: [{ start: '09:00', end: '17:00' }],
      thu: [{ start: '09:00', end: '17:00' }],
      fri: [{ start: '09:00', end: '17:00' }],
      sat: [],
      sun: [],
    },
    holidays: [],
  };
  const business = {
    ack: { kind: 'business', ms: 30 * MINUTE, calendar: 'berlin-office', afterHoursMs: 12 * HOUR },
    resolve: { kind: 'business', ms: 8 * HOUR, calendar: 'berlin-office' },
  } as const;
  const plan = testPlan({
    calendars: { 'berlin-office': berlinOffice },
    levels: levelsWith(0, { sla: everyPriority(business) }),
    startLevel: { critical: 0, high: 0, medium: 0, low: 0 },
  });
  const fridayAfternoon = Date.parse('2026-03-06T15:45:00.000Z'); // Fri 16:45 in Berlin

  it('escalates 30 business minutes after a Friday 16:45 handoff, on Monday at 09:15 in Berlin', () => {
    const state = opened(plan, caseInput(), fridayAfternoon);
    expect(state.sla).toEqual({
      ackDueAt: '2026-03-09T08:15:00.000Z',
      resolveDueAt: '2026-03-09T15:45:00.000Z',
      ackBasis: 'business',
      resolveBasis: 'business',
    });

    const decision = fire(state, plan, Date.parse('2026-03-09T08:15:00.000Z'));
    expect(decision.events[0]).toEqual({
      seq: 5,
      at: '2026-03-09T08:15:00.000Z',
      type: 'escalated',
      level: TEAM_LEAD,
      note: 'not acknowledged by Frontline support within 30m of berlin-office business time (ack target)',
      details: {
        trigger: 'ack_target',
        from: FRONTLINE,
        to: TEAM_LEAD,
        dueAt: '2026-03-09T08:15:00.000Z',
        reason: 'not acknowledged by Frontline support within 30m of berlin-office business time (ack target)',
      },
    });
  });

  it('says the after-hours target applied to a case raised at closing time', () => {
    const state = opened(plan, caseInput(), Date.parse('2026-03-06T16:00:00.000Z'));
    expect(state.sla).toMatchObject({ ackDueAt: '2026-03-07T04:00:00.000Z', ackBasis: 'after-hours' });

    expect(fire(state, plan, Date.parse('2026-03-07T04:00:00.000Z')).events[0]?.note).toBe(
      'not acknowledged by Frontline support within 12h (raised after hours) (ack target)',
    );
  });

  it('names the business resolve target when it escalates an acknowledged case', () => {
    const acked = acknowledge(opened(plan, caseInput(), fridayAfternoon), plan, fridayAfternoon + 5 * MINUTE);

    expect(automaticEscalationReason(acked, plan)).toBe(
      'not resolved by Frontline support within 8h of berlin-office business time of handoff (resolve target)',
    );
  });
});

describe('purity', () => {
  it('never changes the state it is given, so a replay sees the same inputs', () => {
    const plan = testPlan({ pauseReasons: ['vendor fix'] });
    const state = opened(plan);
    const frozen = structuredClone(state);

    fire(state, plan, T0 + 30 * MINUTE);
    catchUp(state, plan, T0 + 30 * MINUTE);
    projectForCommand(state, plan, T0 + 2 * HOUR);
    act(state, plan, { kind: 'acknowledge', by: 'Grace' }, T0 + MINUTE);
    act(state, plan, { kind: 'escalate', by: 'Grace', reason: 'r' }, T0 + MINUTE);
    act(state, plan, { kind: 'resolve', by: 'Grace', resolution: 'r' }, T0 + MINUTE);
    act(state, plan, { kind: 'comment', by: 'Grace', note: 'n' }, T0 + MINUTE);
    const paused = act(state, plan, { kind: 'pause', by: 'Grace', reason: 'vendor fix' }, T0 + MINUTE).state;
    const pausedFrozen = structuredClone(paused);
    act(paused, plan, { kind: 'resume', by: 'Grace' }, T0 + HOUR);

    expect(state).toEqual(frozen);
    expect(paused).toEqual(pausedFrozen);
  });

  it('decides the same way twice from the same inputs', () => {
    const plan = testPlan();

    expect(open(plan)).toEqual(open(plan));
    expect(fire(opened(plan), plan, T0 + HOUR)).toEqual(fire(opened(plan), plan, T0 + HOUR));
  });
});

describe('resolve', () => {
  /** Team lead and Manager share one address on `log`; Manager also has the same address on `email`. */
  function sharedAddressPlan(): Plan {
    return testPlan({
      reporterChannel: 'email',
      levels: TEST_LEVELS.map((level, i): PlanLevel => {
        if (i === 1)
          return {
            ...level,
            targets: [{ kind: 'contact', name: 'Leads rota', channel: 'log', address: 'leads@example.com' }],
          };
        if (i !== 2) return level;
        return {
          ...level,
          targets: [
            { kind: 'contact', name: 'Leads rota (managers)', channel: 'log', address: 'leads@example.com' },
            { kind: 'contact', name: 'Leads mailbox', channel: 'email', address: 'leads@example.com' },
          ],
        };
      }),
    });
  }

  it('tells everybody handed the case once per channel and address, then the reporter', () => {
    const plan = sharedAddressPlan();
    let state = opened(plan);
    state = act(state, plan, { kind: 'escalate', by: 'Grace', reason: 'stuck' }, T0 + 5 * MINUTE).state;
    state = act(state, plan, { kind: 'escalate', by: 'Linus', reason: 'stuck' }, T0 + 10 * MINUTE).state;
    expect(state.handedTo).toEqual([
      frontlineQueue,
      { name: 'Leads rota', channel: 'log', address: 'leads@example.com' },
      { name: 'Leads mailbox', channel: 'email', address: 'leads@example.com' },
    ]);

    const decision = act(state, plan, { kind: 'resolve', by: 'Linus', resolution: 'Rolled back' }, T0 + HOUR);

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
    expect(subjects).toEqual(new Set([`[ESC-2026-000001][high] Resolved: ${TITLE}`]));
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
    const acked = acknowledge(opened(plan), plan, T0 + 5 * MINUTE);
    const decision = act(acked, plan, { kind: 'resolve', by: 'Linus', resolution: 'Rolled back' }, T0 + HOUR);

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
      {
        seq: 6,
        at: '2026-03-02T10:00:00.000Z',
        type: 'resolved',
        level: FRONTLINE,
        by: 'Linus',
        note: 'Rolled back',
        details: { resolution: 'Rolled back' },
      },
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
    const body = handoffNotice(state, TEST_LEVELS[1] as PlanLevel, 'not acknowledged in time').body;

    expect(body).toBe(
      [
        'Case ESC-2026-000001 is now with Team lead.',
        'Why: not acknowledged in time',
        '',
        'Case:        ESC-2026-000001',
        `Title:       ${TITLE}`,
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
    const decision = fire(opened(plan), plan, T0 + 30 * MINUTE);
    const body = decision.notifications[0]?.body ?? '';

    expect(body).toContain('Why: not acknowledged by Frontline support within 30m (ack target)');
    expect(body).toContain(
      'Path so far: Frontline support (2026-03-02T09:00:00.000Z) -> Team lead (2026-03-02T09:30:00.000Z)',
    );
  });

  it('says "(none given)" without a description and "(none recorded)" without attempted steps', () => {
    const input = caseInput({ attemptedSteps: [] });
    delete input.description;
    const body = open(testPlan(), input).notifications[0]?.body ?? '';
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
    const acked = acknowledge(opened(plan), plan, T0 + 5 * MINUTE);
    const body = handoffNotice(acked, TEST_LEVELS[0] as PlanLevel, 'why').body;

    expect(body).not.toContain('Acknowledge by:');
    expect(body).toContain('Resolve by:     2026-03-03T09:00:00.000Z');
  });
});

describe('plan upgrade', () => {
  type PlanV1 = Exclude<Parameters<typeof upgradePlan>[0], Plan>;
  const v1Level = (id: string, name: string, address: string): PlanV1['levels'][number] => ({
    id,
    name,
    targets: [{ name: `${name} queue`, channel: 'log', address }],
    sla: {
      critical: { ackMs: 15 * MINUTE, resolveMs: 4 * HOUR },
      high: { ackMs: 30 * MINUTE, resolveMs: 24 * HOUR },
      medium: { ackMs: 2 * HOUR, resolveMs: 72 * HOUR },
      low: { ackMs: 8 * HOUR, resolveMs: 120 * HOUR },
    },
  });
  const v1: PlanV1 = {
    version: 'legacy-hash-1',
    name: 'Legacy matrix',
    levels: [
      v1Level('frontline', 'Frontline support', 'frontline@example.com'),
      v1Level('team-lead', 'Team lead', 'leads@example.com'),
    ],
    startLevel: { critical: 1, high: 0, medium: 0, low: 0 },
    repeat: { everyMs: 15 * MINUTE, times: 3 },
    reporterChannel: 'email',
  };

  it('reads a schema-1 plan as one default path of contacts with calendar targets and no warnings', () => {
    expect(upgradePlan(v1)).toEqual({
      schema: 2,
      version: 'legacy-hash-1',
      name: 'Legacy matrix',
      people: {},
      teams: {},
      rotations: {},
      calendars: {},
      triage: [{ id: 'default', when: {} }],
      paths: {
        default: {
          id: 'default',
          name: 'Legacy matrix',
          categories: [],
          levels: [
            testLevel('frontline', 'Frontline support', 'frontline@example.com'),
            testLevel('team-lead', 'Team lead', 'leads@example.com'),
          ],
        },
      },
      defaultPath: 'default',
      startLevel: { default: { critical: 1, high: 0, medium: 0, low: 0 } },
      jumps: [],
      repeat: { everyMs: 15 * MINUTE, times: 3 },
      pauseReasons: [],
      reporterChannel: 'email',
    });
  });

  it('runs a case on an upgraded plan as it ran before', () => {
    const plan = upgradePlan(v1);
    const critical = open(plan, caseInput({ priority: 'critical' }));

    expect(critical.state).toMatchObject({
      triage: { rule: 'default', path: 'default', priority: 'critical' },
      level: { index: 1, id: 'team-lead', name: 'Team lead' },
      sla: { ackDueAt: '2026-03-02T09:15:00.000Z', resolveDueAt: '2026-03-02T13:00:00.000Z' },
      next: { action: 'repeat', at: '2026-03-02T09:15:00.000Z', reason: 'ack' },
    });
    expect(opened(plan).next).toEqual({
      action: 'escalate',
      at: '2026-03-02T09:30:00.000Z',
      level: { index: 1, id: 'team-lead', name: 'Team lead' },
      reason: 'ack',
    });
    expect(critical.notifications.map((n) => [n.audience, n.recipient.channel, n.recipient.address])).toEqual([
      ['assignee', 'log', 'leads@example.com'],
      ['reporter', 'email', 'ada@example.com'],
    ]);
  });

  it('returns a schema-2 plan unchanged', () => {
    const plan = testPlan();

    expect(upgradePlan(plan)).toBe(plan);
  });
});

describe('level facts', () => {
  const start = T0;
  /** `minutes` after T0 (09:00), as epoch ms. */
  const m = (minutes: number) => T0 + minutes * MINUTE;
  /** When 30 minutes of calendar time counted from 09:00 run out around these pauses. */
  const dueAfter30m = (pauses: PauseInterval[]) =>
    new Date(addCalendarTimeSkippingPauses(start, 30 * MINUTE, pauses)).toISOString();

  it('adds calendar time when there are no pauses', () => {
    expect(dueAfter30m([])).toBe('2026-03-02T09:30:00.000Z');
  });

  it('skips a pause inside the window', () => {
    expect(dueAfter30m([{ start: m(10), end: m(20) }])).toBe('2026-03-02T09:40:00.000Z');
  });

  it('counts only the part of a pause after the start', () => {
    expect(dueAfter30m([{ start: m(-10), end: m(5) }])).toBe('2026-03-02T09:35:00.000Z');
  });

  it('ignores pauses before the start or from the due instant on, including ones that touch either end', () => {
    const outside = [
      { start: m(-20), end: m(-10) },
      { start: m(-10), end: m(0) },
      { start: m(30), end: m(40) },
      { start: m(50), end: m(60) },
    ];

    expect(dueAfter30m(outside)).toBe('2026-03-02T09:30:00.000Z');
  });

  it('skips a pause the window only reaches because an earlier pause extended it, in any order given', () => {
    const pauses = [
      { start: m(35), end: m(45) },
      { start: m(10), end: m(20) },
    ];

    expect(dueAfter30m(pauses)).toBe('2026-03-02T09:50:00.000Z');
  });

  it('counts time covered by overlapping pauses once', () => {
    // 09:10-09:20 and 09:15-09:30 stop the clock from 09:10 to 09:30: 20 minutes, as the SLA clock counts them.
    const overlapping = [
      { start: m(10), end: m(20) },
      { start: m(15), end: m(30) },
    ];
    // 09:15-09:20 lies inside 09:10-09:40: 30 minutes in all.
    const nested = [
      { start: m(10), end: m(40) },
      { start: m(15), end: m(20) },
    ];

    expect(new Date(addCalendarTime(start, 30 * MINUTE, overlapping)).toISOString()).toBe('2026-03-02T09:50:00.000Z');
    expect(dueAfter30m(overlapping)).toBe('2026-03-02T09:50:00.000Z');
    expect(dueAfter30m(nested)).toBe('2026-03-02T10:00:00.000Z');
  });

  it('agrees with the SLA clock for the one-after-another pauses a case accumulates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 48 * HOUR }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 * HOUR }), fc.integer({ min: 0, max: 4 * HOUR })), {
          maxLength: 5,
        }),
        (ms, gapsAndLengths) => {
          let cursor = start - HOUR;
          const pauses: PauseInterval[] = gapsAndLengths.map(([gap, length]) => {
            const pause = { start: cursor + gap, end: cursor + gap + length };
            cursor = pause.end;
            return pause;
          });
          expect(addCalendarTimeSkippingPauses(start, ms, pauses)).toBe(addCalendarTime(start, ms, pauses));
        },
      ),
    );
  });

  it('skips pauses in calendar due and warning instants', () => {
    const targets = TEST_LEVELS[0]?.sla.high as PlanLevel['sla']['high'];

    expect(
      calendarSlaTimes(start, targets, { atFraction: 0.5, notifyNextLevel: false }, [{ start: m(10), end: m(20) }]),
    ).toEqual({
      ackDueAt: '2026-03-02T09:40:00.000Z',
      resolveDueAt: '2026-03-03T09:10:00.000Z',
      ackWarnAt: '2026-03-02T09:25:00.000Z',
      resolveWarnAt: '2026-03-02T21:10:00.000Z',
      ackBasis: 'calendar',
      resolveBasis: 'calendar',
    });
  });

  it('leaves business-time targets to the SLA clock', () => {
    const mixed = {
      ack: { kind: 'calendar', ms: 30 * MINUTE },
      resolve: { kind: 'business', ms: 8 * HOUR, calendar: 'berlin-office' },
    } as const;

    expect(calendarSlaTimes(start, mixed, null, [])).toBeUndefined();
  });

  it('lists a level\u2019s bare contacts as its recipients', () => {
    const level = {
      ...(TEST_LEVELS[0] as PlanLevel),
      targets: [
        { kind: 'contact', name: 'Queue', channel: 'log', address: 'queue@example.com' },
        { kind: 'contact', name: 'Pager', channel: 'sms', address: '+4930123' },
      ],
    } satisfies PlanLevel;

    expect(contactRecipients(level)).toEqual([
      { name: 'Queue', channel: 'log', address: 'queue@example.com' },
      { name: 'Pager', channel: 'sms', address: '+4930123' },
    ]);
  });

  it.each<[string, TargetRef]>([
    ['a person', { kind: 'person', person: 'ana' }],
    ['a team', { kind: 'team', team: 'billing-leads' }],
    ['an on-call rotation', { kind: 'oncall', rotation: 'night-desk', channels: ['log'] }],
  ])('needs a look-up (no inline recipients) when a level has %s among its targets', (_what, target) => {
    const level: PlanLevel = {
      ...(TEST_LEVELS[0] as PlanLevel),
      targets: [{ kind: 'contact', ...frontlineQueue }, target],
    };

    expect(contactRecipients(level)).toBeUndefined();
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
