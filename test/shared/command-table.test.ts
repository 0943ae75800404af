// The command table (src/shared/messages.ts) kept true: every command kind is tried against case states built with the
// pure transitions (open, acknowledged, paused, at the last level, resolved with and without follow-up, closed,
// cancelled, with tasks, subscribers, a team, an assignee, a review pending, submitted or complete), and the 409
// reasons `illegalReason` gives are exactly the table's `refusals` (besides the status refusals). The table's routes
// and update names are checked for clashes. Pure: no Temporal, no store.
import type { EscalationState, IllegalTransitionReason } from '../../src/shared/escalation';
import { COMMAND_KINDS, COMMANDS, type CommandKind, type CommandOf } from '../../src/shared/messages';
import type { Plan } from '../../src/shared/plan';
import { recordReopen, reopenLevel, type LifecycleCommand } from '../../src/workflows/lifecycle';
import { applyLifecycle } from '../../src/workflows/lifecycle-steps';
import { calendarSlaTimes, contactRecipients, type LevelFacts } from '../../src/workflows/level-facts';
import {
  Transition,
  applyCommand,
  endingPause,
  enterLevel,
  escalationTarget,
  illegalReason,
  isLifecycle,
  levelAt,
  notifyReporter,
  openCase,
  recordEscalation,
  resume,
  startReason,
  type Command,
} from '../../src/workflows/transitions';
import { HOUR, MINUTE, TEST_LEVELS, testPlan } from '../support/plan';

const T0 = Date.parse('2026-03-02T09:00:00.000Z'); // a Monday
const DUE = '2026-03-04T17:00:00.000Z';

/** What applies to most commands: the case is closed or cancelled (CaseClosed), or already resolved (CaseResolved). */
const STATUS_REFUSALS: readonly IllegalTransitionReason[] = ['CaseClosed', 'CaseResolved'];

// ---------------------------------------------------------------- the matrix the cases run on

const people: Plan['people'] = {
  grace: { id: 'grace', name: 'Grace Hopper', contacts: [{ channel: 'log', address: 'grace@example.com' }] },
  linus: { id: 'linus', name: 'Linus Torvalds', contacts: [{ channel: 'log', address: 'linus@example.com' }] },
  'nobody-home': { id: 'nobody-home', name: 'Nobody Home', contacts: [] },
};
const teams: Plan['teams'] = {
  dba: { id: 'dba', name: 'Database team', members: ['linus'], contacts: [{ channel: 'log', address: 'dba@ex.com' }] },
  silent: { id: 'silent', name: 'Silent team', members: ['nobody-home'], contacts: [] },
};

/** Four calendar-time levels, people and teams, a pause reason, a jump rule for critical cases, reviews for high. */
const lifecyclePlan = (overrides: Parameters<typeof testPlan>[0] = {}): Plan =>
  testPlan({
    people,
    teams,
    pauseReasons: ['waiting-on-customer'],
    jumps: [{ id: 'critical-to-leadership', to: 'senior-leadership', priorities: ['critical'] }],
    followUp: { windowMs: 72 * HOUR, satisfiedAtLeast: 4 },
    review: { when: { priorities: ['high'] }, dueWithinMs: 5 * 24 * HOUR, remindEveryMs: 24 * HOUR },
    reminders: { everyMs: 24 * HOUR },
    ...overrides,
  });

const plan = lifecyclePlan();
/** Resolving settles the case at once (no follow-up); its review opens then. */
const noFollowUp = lifecyclePlan({ version: 'test-plan-no-follow-up', followUp: null });
/** The same matrix without reviews. */
const noReview = lifecyclePlan({ version: 'test-plan-no-review', review: null });

/** Matrices a case may be migrated onto (or not): the same levels under a new version, and one without frontline. */
const nextVersion = lifecyclePlan({ version: 'test-plan-2' });
const withoutFrontline = lifecyclePlan({ version: 'test-plan-3', levels: TEST_LEVELS.slice(1) });

// ---------------------------------------------------------------- the shell: what the workflow does around the steps

/** A level's facts as the workflow fetches them; the test levels are contacts with calendar targets. */
function facts(t: Transition, index: number, startMs = t.now): LevelFacts {
  const level = levelAt(t.path, index);
  const pauses = t.state.pauses.map((p) => ({ start: Date.parse(p.start), end: Date.parse(p.end) }));
  const ending = endingPause(t.state, t.now);
  const sla = calendarSlaTimes(
    startMs,
    level.sla[t.state.priority],
    level.warning,
    ending ? [...pauses, ending] : pauses,
  );
  const recipients = contactRecipients(level);
  if (!sla || !recipients) throw new Error(`level ${level.id} is not calendar-timed contacts`);
  return { sla, recipients, nobody: [] };
}

interface Case {
  name: string;
  state: EscalationState;
  plan: Plan;
}

function open(name: string, on: Plan = plan, priority: 'high' | 'critical' = 'high'): Case {
  const { transition: t, startIndex } = openCase(
    {
      id: 'ESC-2026-000001',
      title: 'Checkout fails for EU customers',
      category: 'payments',
      priority,
      reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
      attemptedSteps: [],
    },
    on,
    T0,
  );
  expect(enterLevel(t, startIndex, startReason(t.state, on, startIndex), facts(t, startIndex))).toBe('entered');
  notifyReporter(t);
  return { name, state: t.decision().state, plan: on };
}

/** Applies legal commands in turn, a minute apart, the way the workflow's apply() does. */
function then(from: Case, name: string, ...commands: Command[]): Case {
  let state = from.state;
  for (const command of commands) {
    const illegal = illegalReason(state, from.plan, command);
    if (illegal) throw new Error(`building "${name}": ${command.kind} refused: ${illegal.reason}: ${illegal.message}`);
    const t = new Transition(state, from.plan, Date.parse(state.timeline.at(-1)?.at ?? '') + MINUTE);
    if (command.kind === 'escalate') {
      const to = escalationTarget(state, from.plan, command) as number;
      recordEscalation(t, to, command.reason, { trigger: 'manual', by: command.by, reason: command.reason });
      expect(enterLevel(t, to, command.reason, facts(t, to))).toBe('entered');
    } else if (command.kind === 'resume') {
      resume(t, command, facts(t, state.level.index, Date.parse(state.levelEnteredAt)).sla);
    } else if (command.kind === 'reopen') {
      const why = recordReopen(t, command.by, command.reason, { cause: 'staff', reason: command.reason });
      const to = reopenLevel(t.state);
      expect(enterLevel(t, to, why, facts(t, to))).toBe('entered');
    } else if (isLifecycle(command)) {
      applyLifecycle(t, command);
    } else {
      applyCommand(t, command);
    }
    state = t.decision().state;
  }
  return { name, state, plan: from.plan };
}

const by = 'Grace';
const resolve: Command = { kind: 'resolve', by, resolution: 'Restarted the gateway' };
const satisfied: LifecycleCommand = { kind: 'feedback', by: 'Ada Lovelace', score: 5 };
const review = (actionItems: { title: string; owner: string; dueAt: string }[] = []): LifecycleCommand => ({
  kind: 'submitReview',
  by,
  whatHappened: 'The gateway certificate expired',
  rootCause: { method: 'free', analysis: 'No expiry alert' },
  actionItems,
});

function caseStates(): Case[] {
  const opened = open('open at frontline');
  const critical = open('critical, at the team lead', plan, 'critical');
  const acknowledged = then(opened, 'acknowledged', { kind: 'acknowledge', by });
  const resolved = then(acknowledged, 'resolved, awaiting feedback', resolve);
  const closed = then(resolved, 'closed, review pending', satisfied);
  const submitted = then(
    closed,
    'review submitted, an action item open, one done',
    review([
      { title: 'Alert on expiry', owner: 'linus', dueAt: DUE },
      { title: 'Rotate certificates', owner: 'grace', dueAt: DUE },
    ]),
    { kind: 'updateActionItem', by, id: 'A2', state: 'done' },
  );
  const settledNoFollowUp = then(open('', noFollowUp), 'resolved without follow-up, review pending', resolve);
  return [
    opened,
    acknowledged,
    then(opened, 'paused', { kind: 'pause', by, reason: 'waiting-on-customer' }),
    then(opened, 'resumed', { kind: 'pause', by, reason: 'waiting-on-customer' }, { kind: 'resume', by }),
    critical,
    then(critical, 'critical, jumped to the last level', {
      kind: 'escalate',
      by,
      reason: 'outage',
      to: 'senior-leadership',
    }),
    then(opened, 'at the team lead', { kind: 'escalate', by, reason: 'needs a lead' }),
    then(opened, 'assigned to a person', { kind: 'reassign', by, to: 'grace', reason: 'knows the gateway' }),
    then(opened, 'with a team', { kind: 'addTeam', by, team: 'dba' }),
    then(opened, 'subscribed', {
      kind: 'subscribe',
      by,
      name: 'Ops',
      channel: 'log',
      address: 'ops@example.com',
      audience: 'internal',
    }),
    then(acknowledged, 'a blocking task open', {
      kind: 'addTask',
      by,
      title: 'Check',
      owner: 'linus',
      dueAt: DUE,
      blocking: true,
    }),
    then(
      acknowledged,
      'a task done',
      { kind: 'addTask', by, title: 'Check', owner: 'linus', dueAt: DUE, blocking: true },
      { kind: 'updateTask', by, id: 'T1', state: 'done' },
    ),
    resolved,
    then(resolved, 'reopened', { kind: 'reopen', by: 'Ada Lovelace', reason: 'still failing' }),
    then(resolved, 'reopened and resolved again', { kind: 'reopen', by: 'Ada Lovelace', reason: 'again' }, resolve),
    settledNoFollowUp,
    then(settledNoFollowUp, 'resolved without follow-up, review complete', review()),
    closed,
    then(open('', noReview), 'closed without a review', { kind: 'acknowledge', by }, resolve, satisfied),
    then(opened, 'cancelled', { kind: 'cancel', by, reason: 'raised-in-error', note: 'not an outage' }),
    submitted,
    then(submitted, 'review complete', { kind: 'updateActionItem', by, id: 'A1', state: 'cancelled' }),
  ];
}

// ---------------------------------------------------------------- the commands: variants that reach every refusal

const contact = { name: 'Outside Help', email: 'help@example.com' };

/** Every kind (the mapped type makes a new kind a compile error here until it has variants). */
const VARIANTS: { [K in CommandKind]: Omit<CommandOf<K>, 'kind'>[] } = {
  acknowledge: [{ by }],
  unacknowledge: [{ by, reason: 'off shift' }],
  resolve: [
    { by, resolution: 'Fixed' },
    { by, resolution: 'Fixed', force: { reason: 'the check is moot' } },
  ],
  escalate: [
    { by, reason: 'help' },
    { by, reason: 'help', to: 'team-lead' },
    { by, reason: 'help', to: 'senior-leadership' },
    { by, reason: 'help', to: 'frontline' },
    { by, reason: 'help', to: 'the-moon' },
  ],
  pause: [
    { by, reason: 'waiting-on-customer' },
    { by, reason: 'lunch' },
  ],
  resume: [{ by }],
  migrate: [
    { by, reason: 'new matrix', plan },
    { by, reason: 'new matrix', plan: nextVersion },
    { by, reason: 'new matrix', plan: withoutFrontline },
  ],
  reassign: [
    { by, to: 'grace', reason: 'r' },
    { by, to: 'linus', reason: 'r' },
    { by, to: 'dba', reason: 'r' },
    { by, to: contact, reason: 'r' },
    { by, to: 'nobody-home', reason: 'r' },
    { by, to: 'no-such-person', reason: 'r' },
  ],
  reprioritise: [
    { by, priority: 'high', reason: 'r' },
    { by, priority: 'critical', reason: 'r' },
  ],
  cancel: [
    { by, reason: 'raised-in-error', note: 'n' },
    { by, reason: 'duplicate', note: 'n', duplicateOf: 'ESC-2026-000002' },
  ],
  addTeam: [
    { by, team: 'dba' },
    { by, team: 'silent' },
    { by, team: 'no-such-team' },
  ],
  addTask: [
    { by, title: 't', owner: 'linus', dueAt: DUE },
    { by, title: 't', owner: contact, dueAt: DUE, blocking: true },
    { by, title: 't', owner: 'no-such-person', dueAt: DUE },
    { by, title: 't', owner: 'linus', dueAt: 'tomorrow-ish' },
  ],
  updateTask: [
    { by, id: 'T1', state: 'done' },
    { by, id: 'T1', state: 'open' },
    { by, id: 'T9', state: 'done' },
  ],
  subscribe: [
    { by, name: 'Ops', channel: 'log', address: 'ops@example.com', audience: 'internal' },
    { by, name: 'Ops', channel: 'log', address: 'other@example.com', audience: 'reporter' },
  ],
  unsubscribe: [
    { by, address: 'ops@example.com' },
    { by, address: 'other@example.com' },
  ],
  feedback: [
    { by: 'Ada Lovelace', score: 5 },
    { by: 'Ada Lovelace', score: 1, comment: 'still broken' },
    { by: 'Ada Lovelace', score: 5, round: 0 },
    { by: 'Ada Lovelace', score: 5, round: 7 },
  ],
  reopen: [{ by: 'Ada Lovelace', reason: 'still failing' }],
  submitReview: [
    { by, whatHappened: 'w', rootCause: { method: 'five-whys', whys: ['a', 'b'] } },
    {
      by,
      whatHappened: 'w',
      rootCause: { method: 'free', analysis: 'a' },
      actionItems: [{ title: 't', owner: 'linus', dueAt: DUE }],
    },
    {
      by,
      whatHappened: 'w',
      rootCause: { method: 'free', analysis: 'a' },
      actionItems: [{ title: 't', owner: 'no-such-person', dueAt: DUE }],
    },
    {
      by,
      whatHappened: 'w',
      rootCause: { method: 'free', analysis: 'a' },
      actionItems: [{ title: 't', owner: 'linus', dueAt: 'soon' }],
    },
  ],
  addActionItem: [
    { by, title: 't', owner: 'grace', dueAt: DUE },
    { by, title: 't', owner: 'no-such-person', dueAt: DUE },
    { by, title: 't', owner: 'grace', dueAt: 'soon' },
  ],
  updateActionItem: [
    { by, id: 'A1', state: 'done' },
    { by, id: 'A1', state: 'open' },
    { by, id: 'A9', state: 'done' },
  ],
  addEvidence: [{ by, type: 'link', title: 'Gateway logs', url: 'https://logs.example.com/gateway' }],
};

const commandsOf = <K extends CommandKind>(kind: K): Command[] =>
  VARIANTS[kind].map((variant) => ({ ...variant, kind }) as unknown as Command);

/** Per kind: every refusal reason met (with where), and how many (state, command) pairs were accepted. */
function survey(states: Case[]) {
  const seen = new Map<CommandKind, Map<IllegalTransitionReason, string>>();
  const accepted = new Map<CommandKind, number>();
  for (const kind of COMMAND_KINDS) {
    seen.set(kind, new Map());
    accepted.set(kind, 0);
    for (const { name, state, plan: on } of states) {
      for (const command of commandsOf(kind)) {
        const refusal = illegalReason(state, on, command);
        if (!refusal) accepted.set(kind, (accepted.get(kind) ?? 0) + 1);
        else if (!seen.get(kind)?.has(refusal.reason))
          seen.get(kind)?.set(refusal.reason, `${name}: ${refusal.message}`);
      }
    }
  }
  return { seen, accepted };
}

describe('the command table\u2019s refusals', () => {
  const states = caseStates();
  const { seen, accepted } = survey(states);
  const reasons = (kind: CommandKind) => [...(seen.get(kind)?.keys() ?? [])];

  it('builds distinct case states with the pure transitions', () => {
    expect(states.map((c) => c.state.status)).toEqual(
      expect.arrayContaining(['open', 'acknowledged', 'resolved', 'closed', 'cancelled']),
    );
    expect(states.map((c) => c.state.review?.status ?? 'none')).toEqual(
      expect.arrayContaining(['none', 'pending', 'submitted', 'complete']),
    );
    expect(new Set(states.map((c) => c.name)).size).toBe(states.length);
  });

  it.each(COMMAND_KINDS)('%s: every refusal it meets is in its refusals (or is a status refusal)', (kind) => {
    const unlisted = reasons(kind).filter(
      (reason) => !COMMANDS[kind].refusals.includes(reason) && !STATUS_REFUSALS.includes(reason),
    );
    // The reason and the state that met it, so a failure says what to add to the table.
    expect(unlisted.map((reason) => `${reason} (${seen.get(kind)?.get(reason)})`)).toEqual([]);
  });

  it.each(COMMAND_KINDS)('%s: every listed refusal is met in some state (the list is not padded)', (kind) => {
    const unmet = COMMANDS[kind].refusals.filter((reason) => !seen.get(kind)?.has(reason));
    expect(unmet).toEqual([]);
  });

  it.each(COMMAND_KINDS)('%s: lists no status refusal and no reason twice', (kind) => {
    const { refusals } = COMMANDS[kind];
    expect(refusals.filter((reason) => STATUS_REFUSALS.includes(reason))).toEqual([]);
    expect(new Set(refusals).size).toBe(refusals.length);
  });

  it.each(COMMAND_KINDS)('%s: is accepted in some state (its variants are well-formed commands)', (kind) => {
    expect(accepted.get(kind)).toBeGreaterThan(0);
  });
});

describe('the command table\u2019s routes and updates', () => {
  const routes = COMMAND_KINDS.map((kind) => ({ kind, ...COMMANDS[kind].route }));

  it.each(routes)('$kind: $method $path is a route of one case', ({ path }) => {
    expect(path).toMatch(/^\/escalations\/:id(\/[^/]+)+$/);
  });

  it('gives every command its own method and path', () => {
    const keys = routes.map(({ method, path }) => `${method} ${path}`);
    const clashes = keys.filter((key, index) => keys.indexOf(key) !== index);
    expect(clashes).toEqual([]);
  });

  it('gives every command its own workflow update', () => {
    const names = COMMAND_KINDS.map((kind) => COMMANDS[kind].update.name);
    const clashes = names.filter((name, index) => names.indexOf(name) !== index);
    expect(clashes).toEqual([]);
    expect(names).not.toContain('opened');
  });
});
