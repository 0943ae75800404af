// The case lifecycle beyond the ladder under the time-skipping server: reassign, reprioritise, cancel, teams, tasks
// and their reminders, subscribers and periodic status updates, follow-up (feedback, reopen, close), the
// post-escalation review with its action items, and continue-as-new carrying the case across runs.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { OutgoingMessage } from '../../src/channels/channel';
import { FEEDBACK_BY_REPLY } from '../../src/activities';
import type { CaseInput, EscalationState, Recipient, TimelineEvent } from '../../src/shared/escalation';
import {
  acknowledgeUpdate,
  addActionItemUpdate,
  addTaskUpdate,
  addTeamUpdate,
  cancelUpdate,
  commentSignal,
  feedbackUpdate,
  openedUpdate,
  reassignUpdate,
  reopenUpdate,
  reprioritiseUpdate,
  resolveUpdate,
  stateQuery,
  submitReviewUpdate,
  subscribeUpdate,
  unsubscribeUpdate,
  updateActionItemUpdate,
  updateTaskUpdate,
} from '../../src/shared/messages';
import type { Plan } from '../../src/shared/plan';
import type { escalationWorkflow } from '../../src/workflows/escalation.workflow';
import { FEEDBACK_URL_PLACEHOLDER } from '../../src/shared/notifications';
import { caseFactory, eventsOf, plus } from '../support/cases';
import { HOUR, MINUTE, TEST_LEVELS, testPlan } from '../support/plan';
import { waitFor } from '../support/wait';
import { useHarness } from '../support/workflow-harness';

type Handle = WorkflowHandle<typeof escalationWorkflow>;

const DAY = 24 * HOUR;

const harness = useHarness('time-skipping');

// ---------------------------------------------------------------- the matrix's directory

const contact = (name: string, address: string): Recipient => ({ name, channel: 'log', address });
const FRONTLINE = contact('Frontline support queue', 'frontline@example.com');
const LEADS = contact('Team lead queue', 'leads@example.com');
const GRACE = contact('Grace Hopper', 'grace@example.com');
const LINUS = contact('Linus Torvalds', 'linus@example.com');
const MARGARET = contact('Margaret Hamilton', 'margaret@example.com');
const PAYMENTS = contact('Payments', 'payments@example.com');

const person = (id: string, r: Recipient) => ({
  id,
  name: r.name,
  contacts: [{ channel: r.channel, address: r.address }],
});

const people: Plan['people'] = {
  grace: person('grace', GRACE),
  linus: person('linus', LINUS),
  margaret: person('margaret', MARGARET),
};
const teams: Plan['teams'] = {
  // Shared contacts: the team's queue is notified, not its members.
  payments: {
    id: 'payments',
    name: 'Payments',
    members: ['linus'],
    contacts: [{ channel: 'log', address: 'payments@example.com' }],
  },
  // No shared contacts: every member is notified.
  sre: { id: 'sre', name: 'SRE', members: ['margaret', 'linus'], contacts: [] },
};

const lifecyclePlan = (overrides: Parameters<typeof testPlan>[0] = {}) => testPlan({ people, teams, ...overrides });
const FOLLOW_UP = { windowMs: 5 * DAY, satisfiedAtLeast: 4 };

// ---------------------------------------------------------------- helpers

const newCase = caseFactory('LC', {
  description: 'Card payments are declined with error 502 since 09:00.',
  attemptedSteps: ['Restarted the payment pod'],
});

const lastOf = (state: EscalationState, type: TimelineEvent['type']): TimelineEvent => {
  const event = eventsOf(state, type).at(-1);
  if (!event) throw new Error(`no ${type} event on ${state.id}: ${state.timeline.map((e) => e.type).join(', ')}`);
  return event;
};
const types = (events: TimelineEvent[]) => events.map((e) => e.type);

const byKey = (a: OutgoingMessage, b: OutgoingMessage) =>
  a.idempotencyKey.localeCompare(b.idempotencyKey, undefined, { numeric: true });

/** The case's notifications in the order the workflow sent them, once at least `count` were delivered. */
async function messages(caseId: string, count: number): Promise<OutgoingMessage[]> {
  const sent = await waitFor(
    () => harness.channel.sent.filter((m) => m.caseId === caseId),
    (found) => found.length >= count,
  );
  return [...sent].sort(byKey);
}

/** Notifications as `[requestedAt, audience, address]`. */
const rows = (sent: OutgoingMessage[]) => sent.map((m) => [m.requestedAt, m.audience, m.recipient.address]);

async function started(
  input: CaseInput,
  plan: Plan = lifecyclePlan(),
  extra: { historyLimit?: number } = {},
): Promise<{ handle: Handle; opened: EscalationState }> {
  const handle = await harness.start(input, plan, extra);
  return { handle, opened: await handle.executeUpdate(openedUpdate) };
}

/** The run's result once it completed on its own (never lets `result()` skip time while activities run). */
async function completed(handle: Handle): Promise<EscalationState> {
  await waitFor(
    () => handle.describe(),
    (d) => d.status.name !== 'RUNNING',
  );
  return handle.result();
}

async function running(handle: Handle): Promise<boolean> {
  await harness.sleep(0);
  return (await handle.describe()).status.name === 'RUNNING';
}

/** The update's refusal: ApplicationFailure type and the 409 reason in its details. */
async function refusal(promise: Promise<unknown>): Promise<{ type?: string; reason?: string; message: string }> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause as { type?: string; details?: unknown[]; message: string };
  return { type: cause.type, reason: (cause.details?.[0] as { reason?: string }).reason, message: cause.message };
}

const refused = (reason: string, message?: string) => ({
  type: 'IllegalTransition',
  reason,
  message: message === undefined ? expect.any(String) : expect.stringContaining(message),
});

// ---------------------------------------------------------------- ownership

describe('reassign', () => {
  it('hands the case to a person of the matrix, then to a team, each with a full ack window from the handover', async () => {
    const input = newCase();
    const { handle, opened } = await started(input);
    await harness.sleep(5 * MINUTE);

    const toGrace = await handle.executeUpdate(reassignUpdate, {
      args: [{ by: 'Dana', to: 'grace', reason: 'she knows the gateway' }],
    });
    const first = lastOf(toGrace, 'reassigned');
    // Ack 30m: Grace, assigned at +5m, has until +35m; the resolve target keeps counting from the level's entry.
    const graceDue = plus(first.at, 30 * MINUTE);
    expect(first).toMatchObject({
      by: 'Dana',
      level: { index: 0, id: 'frontline', name: 'Frontline support' },
      note: `Frontline support -> Grace Hopper: she knows the gateway; ack due ${opened.sla.ackDueAt} -> ${graceDue}`,
      details: {
        from: 'Frontline support',
        to: 'Grace Hopper',
        reason: 'she knows the gateway',
        due: { ack: { from: opened.sla.ackDueAt, to: graceDue } },
      },
    });
    expect(toGrace).toMatchObject({
      status: 'open',
      owner: 'Grace Hopper',
      assignee: { kind: 'person', id: 'grace', name: 'Grace Hopper' },
      assignees: ['grace', 'Grace Hopper'],
      levelRecipients: [GRACE],
      handedTo: [FRONTLINE, GRACE],
      level: opened.level,
      ackWindowFrom: first.at,
      sla: { ...opened.sla, ackDueAt: graceDue },
      next: { action: 'escalate', at: graceDue, level: { index: 1 }, reason: 'ack' },
    });
    const [, , handoff] = await messages(input.id, 3);
    expect(rows([handoff as OutgoingMessage])).toEqual([[first.at, 'assignee', 'grace@example.com']]);
    expect(handoff?.subject).toBe(`[${input.id}][high] Assigned to you: ${input.title}`);
    expect(handoff?.body).toContain(`Case ${input.id} is now assigned to Grace Hopper at Frontline support, by Dana.`);
    expect(handoff?.body).toContain('Why: she knows the gateway');
    expect(handoff?.body).toContain(`Acknowledge by ${graceDue}.`);

    await harness.sleep(10 * MINUTE);
    const toTeam = await handle.executeUpdate(reassignUpdate, {
      args: [{ by: 'Grace Hopper', to: 'payments', reason: 'card processor errors' }],
    });
    const second = lastOf(toTeam, 'reassigned');
    const paymentsDue = plus(second.at, 30 * MINUTE);
    expect(second).toMatchObject({
      by: 'Grace Hopper',
      note: `Grace Hopper -> Payments: card processor errors; ack due ${graceDue} -> ${paymentsDue}`,
    });
    expect(toTeam).toMatchObject({
      owner: 'Payments',
      assignee: { kind: 'team', id: 'payments', name: 'Payments' },
      assignees: ['payments', 'Payments'],
      levelRecipients: [PAYMENTS],
      handedTo: [FRONTLINE, GRACE, PAYMENTS],
      sla: { ...opened.sla, ackDueAt: paymentsDue },
      next: { action: 'escalate', at: paymentsDue },
    });
    expect(rows((await messages(input.id, 4)).slice(3))).toEqual([[second.at, 'assignee', 'payments@example.com']]);

    // Nothing happens at the level's original ack instant; the ladder goes on from the last assignee's window.
    await harness.skipTo(plus(opened.sla.ackDueAt, MINUTE));
    expect(eventsOf(await handle.query(stateQuery), 'escalated')).toHaveLength(0);
    await harness.skipTo(plus(paymentsDue, MINUTE));
    const escalated = await handle.query(stateQuery);
    expect(lastOf(escalated, 'escalated')).toMatchObject({ at: paymentsDue, level: { id: 'team-lead' } });
    expect(escalated.assignee).toBeUndefined();
    expect(escalated.ackWindowFrom).toBeUndefined();
    expect(escalated).toMatchObject({
      owner: 'Team lead',
      levelRecipients: [LEADS],
      sla: { ackDueAt: plus(escalated.levelEnteredAt, 30 * MINUTE) },
    });
  });

  it('gives an acknowledged case a new assignee without reopening its ack window', async () => {
    const { handle, opened } = await started(newCase());
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Frontline support' }] });
    await harness.sleep(5 * MINUTE);
    const toGrace = await handle.executeUpdate(reassignUpdate, {
      args: [{ by: 'Dana', to: 'grace', reason: 'she knows the gateway' }],
    });
    expect(toGrace).toMatchObject({ status: 'acknowledged', owner: 'Grace Hopper', sla: opened.sla });
    expect(toGrace.ackWindowFrom).toBeUndefined();
    expect(lastOf(toGrace, 'reassigned').details).not.toHaveProperty('due');
  });

  it('refuses an unknown person and the assignee it already has', async () => {
    const { handle } = await started(newCase());
    expect(
      await refusal(handle.executeUpdate(reassignUpdate, { args: [{ by: 'Dana', to: 'nobody', reason: 'x' }] })),
    ).toEqual(refused('UnknownAssignee', 'has no person or team "nobody"'));
    await handle.executeUpdate(reassignUpdate, { args: [{ by: 'Dana', to: 'grace', reason: 'gateway' }] });
    expect(
      await refusal(handle.executeUpdate(reassignUpdate, { args: [{ by: 'Dana', to: 'grace', reason: 'again' }] })),
    ).toEqual(refused('AlreadyAssigned', 'already assigned to Grace Hopper'));
    expect(eventsOf(await handle.query(stateQuery), 'reassigned')).toHaveLength(1);
  });
});

describe('reassigning an unowned case', () => {
  it('gives an unowned case at the last level to its assignee with a full ack window, then reminders afresh', async () => {
    const input = newCase();
    const { handle, opened } = await started(input, lifecyclePlan({ levels: TEST_LEVELS.slice(0, 2) }));
    const t0 = opened.createdAt;
    // Team lead (the last level) at +30m; reminders at +60m, +75m, +90m; unowned at +105m.
    await harness.skipTo(plus(t0, 106 * MINUTE));
    const unowned = await handle.query(stateQuery);
    expect(unowned).toMatchObject({ unowned: true, owner: null, repeatsSent: 3, next: null });

    const reassigned = await handle.executeUpdate(reassignUpdate, {
      args: [{ by: 'Dana', to: 'grace', reason: 'she is around' }],
    });
    const at = lastOf(reassigned, 'reassigned').at;
    expect(reassigned).toMatchObject({
      unowned: false,
      owner: 'Grace Hopper',
      repeatsSent: 0,
      sla: { ackDueAt: plus(at, 30 * MINUTE) },
      next: { action: 'repeat', at: plus(at, 30 * MINUTE), reason: 'ack' },
    });
    expect(reassigned.repeatAt).toBeUndefined();
    await harness.sleep(MINUTE);
    expect(eventsOf(await handle.query(stateQuery), 'repeat_notified')).toHaveLength(3);

    await harness.skipTo(plus(at, 31 * MINUTE));
    const reminded = await handle.query(stateQuery);
    expect(lastOf(reminded, 'repeat_notified')).toMatchObject({
      at: plus(at, 30 * MINUTE),
      note: 'reminder 1 of 3: not acknowledged at the last level',
    });
    expect(reminded).toMatchObject({ unowned: false, owner: 'Grace Hopper', repeatsSent: 1 });
    const reminder = (await messages(input.id, 9)).at(-1) as OutgoingMessage;
    expect(rows([reminder])).toEqual([[plus(at, 30 * MINUTE), 'assignee', 'grace@example.com']]);
  });
});

describe('reprioritise', () => {
  it("re-runs the level's targets from its entry for the new priority and records the moved due times", async () => {
    const input = newCase();
    const { handle, opened } = await started(input);
    const t0 = opened.createdAt;
    await harness.sleep(5 * MINUTE);

    const critical = await handle.executeUpdate(reprioritiseUpdate, {
      args: [{ by: 'Dana', priority: 'critical', reason: 'all EU customers affected' }],
    });
    expect(critical).toMatchObject({
      priority: 'critical',
      level: { index: 0, id: 'frontline' },
      sla: {
        ackDueAt: plus(t0, 15 * MINUTE),
        resolveDueAt: plus(t0, 4 * HOUR),
        ackBasis: 'calendar',
        resolveBasis: 'calendar',
      },
      next: { action: 'escalate', at: plus(t0, 15 * MINUTE), level: { index: 1 }, reason: 'ack' },
    });
    const event = lastOf(critical, 'reprioritised');
    expect(event).toMatchObject({
      by: 'Dana',
      level: { index: 0, name: 'Frontline support' },
      note:
        `high -> critical: all EU customers affected; ack due ${opened.sla.ackDueAt} -> ${plus(t0, 15 * MINUTE)}; ` +
        `resolve due ${opened.sla.resolveDueAt} -> ${plus(t0, 4 * HOUR)}`,
    });
    const notice = (await messages(input.id, 3))[2] as OutgoingMessage;
    expect(rows([notice])).toEqual([[event.at, 'assignee', 'frontline@example.com']]);
    expect(notice.subject).toBe(`[${input.id}][critical] Priority high -> critical: ${input.title}`);

    expect(
      await refusal(
        handle.executeUpdate(reprioritiseUpdate, { args: [{ by: 'Dana', priority: 'critical', reason: 'again' }] }),
      ),
    ).toEqual(refused('SamePriority', 'already critical'));

    await harness.skipTo(plus(t0, 16 * MINUTE));
    const state = await handle.query(stateQuery);
    expect(lastOf(state, 'escalated')).toMatchObject({
      at: plus(t0, 15 * MINUTE),
      level: { id: 'team-lead' },
      note: 'not acknowledged by Frontline support within 15m (ack target)',
    });
  });
});

describe('cancel', () => {
  it('cancels a duplicate: everyone handed the case and the reporter are told, open tasks cancelled, the run ends', async () => {
    const input = newCase();
    const { handle, opened } = await started(input);
    const t0 = opened.createdAt;
    await harness.skipTo(plus(t0, 31 * MINUTE)); // -> team lead
    await handle.executeUpdate(addTeamUpdate, { args: [{ by: 'Dana', team: 'payments' }] });
    await handle.executeUpdate(addTaskUpdate, {
      args: [{ by: 'Dana', title: 'Check the gateway logs', owner: 'grace', dueAt: plus(t0, 2 * HOUR) }],
    });

    const cancelled = await handle.executeUpdate(cancelUpdate, {
      args: [{ by: 'Dana', reason: 'duplicate', note: 'same outage as the checkout case', duplicateOf: 'LC-0' }],
    });
    const event = lastOf(cancelled, 'cancelled');
    expect(event).toMatchObject({
      by: 'Dana',
      level: { id: 'team-lead' },
      note: 'duplicate of LC-0: same outage as the checkout case',
    });
    const at = event.at;
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancellation: {
        by: 'Dana',
        reason: 'duplicate',
        note: 'same outage as the checkout case',
        duplicateOf: 'LC-0',
        at,
      },
      closedAt: at,
      paused: null,
      next: null,
    });
    expect(cancelled.tasks).toEqual([
      expect.objectContaining({ id: 'T1', state: 'cancelled', closedAt: at, closedBy: 'Dana', remindAt: null }),
    ]);

    const sent = await messages(input.id, 10);
    expect(rows(sent.slice(5))).toEqual([
      [at, 'stakeholder', 'frontline@example.com'],
      [at, 'stakeholder', 'leads@example.com'],
      [at, 'stakeholder', 'payments@example.com'],
      [at, 'stakeholder', 'grace@example.com'],
      [at, 'reporter', 'ada@example.com'],
    ]);
    expect(sent[5]?.subject).toBe(`[${input.id}][high] Cancelled (duplicate of LC-0): ${input.title}`);
    const toReporter = sent[9] as OutgoingMessage;
    expect(toReporter.body).toContain(`your case ${input.id} duplicates case LC-0`);
    expect(toReporter.body).not.toMatch(/Team lead|Frontline|Payments|Grace/);

    const final = await completed(handle);
    expect(final).toEqual(cancelled);
    // The run is over: no command reaches the case any more (the API answers 409 from the store's record).
    await expect(handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Grace' }] })).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });
});

// ---------------------------------------------------------------- coordination

describe('teams and tasks', () => {
  it('adds a team, reminds the owner of an overdue task at its due instant and on cadence until it is done', async () => {
    const input = newCase();
    const { handle, opened } = await started(input, lifecyclePlan({ reminders: { everyMs: 2 * HOUR } }));
    const t0 = opened.createdAt;
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Grace Hopper' }] });

    const withTeam = await handle.executeUpdate(addTeamUpdate, {
      args: [{ by: 'Grace Hopper', team: 'payments', note: 'card processor errors' }],
    });
    const added = lastOf(withTeam, 'team_added');
    expect(added).toMatchObject({ by: 'Grace Hopper', note: 'Payments: card processor errors' });
    expect(withTeam.teams).toEqual([
      {
        id: 'payments',
        name: 'Payments',
        addedBy: 'Grace Hopper',
        addedAt: added.at,
        note: 'card processor errors',
        recipients: [PAYMENTS],
      },
    ]);
    expect(withTeam.handedTo).toEqual([FRONTLINE, PAYMENTS]);
    const teamNotice = (await messages(input.id, 3))[2] as OutgoingMessage;
    expect(rows([teamNotice])).toEqual([[added.at, 'assignee', 'payments@example.com']]);
    expect(teamNotice.subject).toBe(`[${input.id}][high] Your team is needed on: ${input.title}`);
    expect(
      await refusal(handle.executeUpdate(addTeamUpdate, { args: [{ by: 'Grace Hopper', team: 'payments' }] })),
    ).toEqual(refused('TeamAlreadyAdded'));

    const dueAt = plus(t0, HOUR);
    const withTask = await handle.executeUpdate(addTaskUpdate, {
      args: [{ by: 'Grace Hopper', title: 'Check the SRE dashboards', owner: 'sre', dueAt, blocking: true }],
    });
    const created = lastOf(withTask, 'task_created');
    expect(created).toMatchObject({
      by: 'Grace Hopper',
      note: `T1 "Check the SRE dashboards" for SRE, due ${dueAt}, blocking`,
    });
    expect(withTask.tasks).toEqual([
      {
        id: 'T1',
        title: 'Check the SRE dashboards',
        owner: { kind: 'team', id: 'sre', name: 'SRE' },
        recipients: [MARGARET, LINUS],
        dueAt,
        blocking: true,
        state: 'open',
        createdAt: created.at,
        createdBy: 'Grace Hopper',
        remindAt: dueAt,
        remindersSent: 0,
      },
    ]);
    expect(withTask.next).toEqual({ action: 'task_reminder', at: dueAt, reason: 'task', item: 'T1' });
    const assigned = (await messages(input.id, 5)).slice(3);
    expect(rows(assigned)).toEqual([
      [created.at, 'assignee', 'margaret@example.com'],
      [created.at, 'assignee', 'linus@example.com'],
    ]);
    expect(assigned[0]?.subject).toBe(`[${input.id}][high] Task T1 for you: Check the SRE dashboards`);

    // Overdue: reminded at the due instant, then every 2h.
    await harness.skipTo(plus(t0, 5 * HOUR + MINUTE));
    const reminded = await handle.query(stateQuery);
    const reminders = [dueAt, plus(dueAt, 2 * HOUR), plus(dueAt, 4 * HOUR)];
    expect(eventsOf(reminded, 'task_reminder').map((e) => [e.at, e.note])).toEqual(
      reminders.map((at, i) => [at, `T1 "Check the SRE dashboards" for SRE due ${dueAt}: reminder ${i + 1}`]),
    );
    expect(reminded.tasks[0]).toMatchObject({ remindersSent: 3, remindAt: plus(dueAt, 6 * HOUR) });
    const reminderMessages = (await messages(input.id, 11)).slice(5);
    expect(rows(reminderMessages)).toEqual(
      reminders.flatMap((at) => [
        [at, 'assignee', 'margaret@example.com'],
        [at, 'assignee', 'linus@example.com'],
      ]),
    );
    expect(reminderMessages[0]?.subject).toBe(`[${input.id}][high] Task T1 overdue: Check the SRE dashboards`);

    // A blocking open task stops a resolve.
    expect(
      await refusal(handle.executeUpdate(resolveUpdate, { args: [{ by: 'Grace Hopper', resolution: 'Fixed' }] })),
    ).toEqual(refused('BlockingTasksOpen', 'T1 Check the SRE dashboards (SRE)'));

    const done = await handle.executeUpdate(updateTaskUpdate, {
      args: [{ by: 'Margaret Hamilton', id: 'T1', state: 'done', note: 'dashboards are clean' }],
    });
    const updated = lastOf(done, 'task_updated');
    expect(updated).toMatchObject({
      by: 'Margaret Hamilton',
      note: 'T1 "Check the SRE dashboards" done: dashboards are clean',
    });
    expect(done.tasks[0]).toMatchObject({
      state: 'done',
      closedAt: updated.at,
      closedBy: 'Margaret Hamilton',
      remindAt: null,
      note: 'dashboards are clean',
    });
    expect(done.next).toMatchObject({ action: 'escalate', at: opened.sla.resolveDueAt, reason: 'resolve' });
    expect(
      await refusal(handle.executeUpdate(updateTaskUpdate, { args: [{ by: 'Margaret', id: 'T1', state: 'done' }] })),
    ).toEqual(refused('TaskClosed'));
    expect(
      await refusal(handle.executeUpdate(updateTaskUpdate, { args: [{ by: 'Margaret', id: 'T7', state: 'done' }] })),
    ).toEqual(refused('UnknownTask', 'no task "T7"'));

    await harness.sleep(4 * HOUR);
    const quiet = await handle.query(stateQuery);
    expect(eventsOf(quiet, 'task_reminder')).toHaveLength(3);
    expect(harness.channel.sent.filter((m) => m.caseId === input.id)).toHaveLength(11);

    // A second blocking task: resolving needs force, and the reason is recorded.
    await handle.executeUpdate(addTaskUpdate, {
      args: [
        {
          by: 'Grace Hopper',
          title: 'Confirm with the card processor',
          owner: 'payments',
          dueAt: plus(t0, 12 * HOUR),
          blocking: true,
        },
      ],
    });
    expect(
      await refusal(handle.executeUpdate(resolveUpdate, { args: [{ by: 'Grace Hopper', resolution: 'Fixed' }] })),
    ).toEqual(refused('BlockingTasksOpen', 'T2 Confirm with the card processor (Payments)'));
    const resolved = await handle.executeUpdate(resolveUpdate, {
      args: [
        {
          by: 'Grace Hopper',
          resolution: 'Rolled back the gateway config',
          force: { reason: 'the processor confirmed by phone' },
        },
      ],
    });
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolution: { by: 'Grace Hopper', forced: 'the processor confirmed by phone' },
    });
    expect(lastOf(resolved, 'resolved').note).toBe(
      'Rolled back the gateway config; forced with open blocking tasks: the processor confirmed by phone',
    );
    expect(resolved.tasks[1]).toMatchObject({ id: 'T2', state: 'open' });
    expect((await completed(handle)).status).toBe('resolved');
  });
});

describe('due instants given with an offset', () => {
  it('reads them as instants: SLA timers and reminders stay exact; a due time that is no instant is refused', async () => {
    const input = newCase();
    const { handle, opened } = await started(input);
    const t0 = opened.createdAt;
    // t0 + 1h written in New York time: as text it sorts before the ack target (t0 + 30m in UTC).
    const inNewYork = new Date(Date.parse(t0) + HOUR - 5 * HOUR).toISOString().replace('Z', '-05:00');
    const withTask = await handle.executeUpdate(addTaskUpdate, {
      args: [{ by: 'Dana', title: 'Call the processor', owner: 'grace', dueAt: inNewYork }],
    });
    expect(withTask.tasks[0]).toMatchObject({ dueAt: plus(t0, HOUR), remindAt: plus(t0, HOUR) });
    expect(withTask.next).toEqual(opened.next);

    await harness.skipTo(plus(t0, 31 * MINUTE));
    expect(lastOf(await handle.query(stateQuery), 'escalated').at).toBe(opened.sla.ackDueAt);
    await harness.skipTo(plus(t0, 61 * MINUTE));
    expect(lastOf(await handle.query(stateQuery), 'task_reminder').at).toBe(plus(t0, HOUR));

    expect(
      await refusal(
        handle.executeUpdate(addTaskUpdate, {
          args: [{ by: 'Dana', title: 'Call back', owner: 'grace', dueAt: 'next tuesday' }],
        }),
      ),
    ).toEqual(refused('InvalidDueTime', '"next tuesday"'));
  });
});

describe('periodic status updates', () => {
  it('sends status updates every 4h to subscribers, reporter and owner in their own wording until resolution', async () => {
    const input = newCase();
    const plan = lifecyclePlan({
      followUp: FOLLOW_UP,
      statusUpdates: { high: { everyMs: 4 * HOUR, to: ['subscribers', 'reporter', 'owner'] } },
    });
    const { handle, opened } = await started(input, plan);
    const t0 = opened.createdAt;
    expect(opened.statusUpdateAt).toBe(plus(t0, 4 * HOUR));
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Grace Hopper' }] });
    await handle.executeUpdate(subscribeUpdate, {
      args: [{ by: 'Dana', name: 'SRE lead', channel: 'log', address: 'sre-lead@example.com', audience: 'internal' }],
    });
    const subscribed = await handle.executeUpdate(subscribeUpdate, {
      args: [
        {
          by: 'Ada Lovelace',
          name: 'Ada’s manager',
          channel: 'log',
          address: 'boss@customer.example',
          audience: 'reporter',
        },
      ],
    });
    expect(subscribed.subscribers.map((s) => [s.address, s.audience, s.addedBy])).toEqual([
      ['sre-lead@example.com', 'internal', 'Dana'],
      ['boss@customer.example', 'reporter', 'Ada Lovelace'],
    ]);
    expect(subscribed.next).toEqual({ action: 'status_update', at: plus(t0, 4 * HOUR), reason: 'status' });
    expect(
      await refusal(
        handle.executeUpdate(subscribeUpdate, {
          args: [{ by: 'Dana', name: 'SRE', channel: 'log', address: 'sre-lead@example.com', audience: 'internal' }],
        }),
      ),
    ).toEqual(refused('AlreadySubscribed'));
    expect(
      await refusal(handle.executeUpdate(unsubscribeUpdate, { args: [{ by: 'Dana', address: 'cfo@example.com' }] })),
    ).toEqual(refused('NotSubscribed'));
    const welcome = (await messages(input.id, 4)).slice(2);
    expect(welcome.map((m) => [m.audience, m.recipient.address])).toEqual([
      ['stakeholder', 'sre-lead@example.com'],
      ['reporter', 'boss@customer.example'],
    ]);

    await harness.skipTo(plus(t0, 8 * HOUR + MINUTE));
    const updated = await handle.query(stateQuery);
    const instants = [plus(t0, 4 * HOUR), plus(t0, 8 * HOUR)];
    expect(eventsOf(updated, 'status_update').map((e) => [e.at, e.note])).toEqual(
      instants.map((at) => [at, 'sent to subscribers, reporter, owner']),
    );
    expect(updated.statusUpdateAt).toBe(plus(t0, 12 * HOUR));
    const sent = (await messages(input.id, 12)).slice(4);
    expect(rows(sent)).toEqual(
      instants.flatMap((at) => [
        [at, 'stakeholder', 'frontline@example.com'],
        [at, 'stakeholder', 'sre-lead@example.com'],
        [at, 'reporter', 'ada@example.com'],
        [at, 'reporter', 'boss@customer.example'],
      ]),
    );
    const [internal, , reporter] = sent;
    expect(internal?.subject).toBe(`[${input.id}][high] Status: acknowledged at Frontline support: ${input.title}`);
    expect(internal?.body).toContain(
      `Case ${input.id} is acknowledged at Frontline support, owner Grace Hopper, acknowledged at`,
    );
    expect(internal?.body).toContain(`Resolve by ${opened.sla.resolveDueAt}.`);
    expect(reporter?.subject).toBe(`[${input.id}][high] Update on your case: ${input.title}`);
    expect(reporter?.body).toContain(`your case ${input.id} is being worked on.`);
    for (const message of sent.filter((m) => m.audience === 'reporter')) {
      expect(message.body).not.toMatch(/Frontline|Team lead|Grace|SRE/);
    }

    const resolved = await handle.executeUpdate(resolveUpdate, {
      args: [{ by: 'Grace Hopper', resolution: 'Rolled back the gateway config' }],
    });
    expect(resolved.statusUpdateAt).toBeUndefined();
    expect(resolved.next).toMatchObject({ action: 'close', reason: 'follow_up' });
    await harness.sleep(9 * HOUR);
    const later = await handle.query(stateQuery);
    expect(eventsOf(later, 'status_update')).toHaveLength(2);
    expect(later.status).toBe('resolved');
    // Resolution: frontline and the internal subscriber, the reporter-side subscriber in reporter wording, then the
    // reporter's feedback request; no more updates.
    const afterResolve = (await messages(input.id, 16)).slice(12);
    expect(rows(afterResolve)).toEqual([
      [resolved.resolvedAt, 'stakeholder', 'frontline@example.com'],
      [resolved.resolvedAt, 'stakeholder', 'sre-lead@example.com'],
      [resolved.resolvedAt, 'reporter', 'boss@customer.example'],
      [resolved.resolvedAt, 'reporter', 'ada@example.com'],
    ]);
    expect(harness.channel.sent.filter((m) => m.caseId === input.id)).toHaveLength(16);

    // A resolved case takes no new subscriptions (nor cancellations of them): nothing more is sent to them.
    expect(
      await refusal(
        handle.executeUpdate(unsubscribeUpdate, { args: [{ by: 'Dana', address: 'sre-lead@example.com' }] }),
      ),
    ).toEqual(refused('CaseResolved'));
  });
});

// ---------------------------------------------------------------- follow-up

describe('follow-up', () => {
  const followUpPlan = () => lifecyclePlan({ followUp: FOLLOW_UP });

  it('asks the reporter for feedback and closes exactly when the window ends without an answer', async () => {
    const input = newCase();
    const { handle } = await started(input, followUpPlan());
    await harness.sleep(10 * MINUTE);
    const resolved = await handle.executeUpdate(resolveUpdate, {
      args: [
        {
          by: 'Grace Hopper',
          resolution: 'Rolled back the gateway config',
          rootCause: 'configuration',
          fix: 'rollback of release 2026.3',
        },
      ],
    });
    const at = resolved.resolvedAt as string;
    expect(resolved).toMatchObject({
      status: 'resolved',
      owner: 'Grace Hopper',
      followUp: { round: 0, requestedAt: at, closesAt: plus(at, 5 * DAY) },
      next: { action: 'close', at: plus(at, 5 * DAY), reason: 'follow_up' },
      resolution: {
        by: 'Grace Hopper',
        summary: 'Rolled back the gateway config',
        rootCause: 'configuration',
        fix: 'rollback of release 2026.3',
        at,
        level: { id: 'frontline' },
      },
    });
    expect(resolved.timeline.slice(-2).map((e) => [e.type, e.at, e.note])).toEqual([
      ['resolved', at, 'Rolled back the gateway config; root cause: configuration; fix: rollback of release 2026.3'],
      [
        'feedback_requested',
        at,
        `the reporter may rate the resolution until ${plus(at, 5 * DAY)} (5d); below 4 of 5 reopens`,
      ],
    ]);

    const sent = await messages(input.id, 4);
    expect(rows(sent.slice(2))).toEqual([
      [at, 'stakeholder', 'frontline@example.com'],
      [at, 'reporter', 'ada@example.com'],
    ]);
    const request = sent[3] as OutgoingMessage;
    expect(request.feedbackRound).toBe(0);
    expect(request.subject).toBe(`[${input.id}][high] Resolved: ${input.title}. How did we do?`);
    expect(request.body).toContain('Rolled back the gateway config');
    // The workflow sends the placeholder; the notify activity fills it in (by reply: the harness signs no links).
    expect(request.body).not.toContain(FEEDBACK_URL_PLACEHOLDER);
    expect(request.body).toContain(FEEDBACK_BY_REPLY);
    const stored = (await harness.store.notifications(input.id)).find(
      (n) => n.recipient === 'ada@example.com' && n.subject === request.subject,
    );
    expect(stored?.body).toBe(request.body);

    await harness.sleep(5 * DAY - 10 * MINUTE);
    expect((await handle.query(stateQuery)).status).toBe('resolved');
    await harness.sleep(11 * MINUTE);
    const closed = await completed(handle);
    expect(closed).toMatchObject({ status: 'closed', closedAt: plus(at, 5 * DAY), next: null });
    expect(closed.followUp).toBeUndefined();
    expect(closed.review).toBeUndefined();
    expect(lastOf(closed, 'closed')).toMatchObject({
      at: plus(at, 5 * DAY),
      note: 'no feedback from the reporter within 5d',
    });
  });

  it('closes at once on a satisfied score', async () => {
    const input = newCase();
    const { handle } = await started(input, followUpPlan());
    await handle.executeUpdate(resolveUpdate, { args: [{ by: 'Grace Hopper', resolution: 'Fixed the config' }] });
    const closed = await handle.executeUpdate(feedbackUpdate, {
      args: [{ by: 'Ada Lovelace', score: 5, comment: 'works again' }],
    });
    const received = lastOf(closed, 'feedback_received');
    expect(received).toMatchObject({ by: 'Ada Lovelace', note: 'score 5/5 (satisfied): works again' });
    expect(lastOf(closed, 'closed')).toMatchObject({ at: received.at, note: 'the reporter is satisfied (score 5/5)' });
    expect(closed).toMatchObject({
      status: 'closed',
      closedAt: received.at,
      feedback: [{ score: 5, comment: 'works again', by: 'Ada Lovelace', at: received.at, round: 0, satisfied: true }],
      next: null,
    });
    expect(closed.followUp).toBeUndefined();
    expect(await completed(handle)).toEqual(closed);
  });

  it('reopens at the level that resolved it on an unsatisfied score, then closes after the second resolution', async () => {
    const input = newCase();
    const { handle, opened } = await started(input, followUpPlan());
    await harness.skipTo(plus(opened.createdAt, 31 * MINUTE)); // -> team lead
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Margaret Hamilton' }] });
    const resolved = await handle.executeUpdate(resolveUpdate, {
      args: [{ by: 'Margaret Hamilton', resolution: 'Restarted the gateway' }],
    });
    expect(resolved.resolution?.level).toEqual({ index: 1, id: 'team-lead', name: 'Team lead' });
    await harness.sleep(2 * HOUR);

    const reopened = await handle.executeUpdate(feedbackUpdate, {
      args: [{ by: 'Ada Lovelace', score: 2, comment: 'iDEAL payments still fail' }],
    });
    const received = lastOf(reopened, 'feedback_received');
    expect(received.note).toBe('score 2/5 (unsatisfied: below 4): iDEAL payments still fail');
    const at = received.at;
    expect(reopened.timeline.slice(-3).map((e) => [e.type, e.at, e.level?.id, e.by])).toEqual([
      ['feedback_received', at, 'team-lead', 'Ada Lovelace'],
      ['reopened', at, 'team-lead', 'Ada Lovelace'],
      ['handed_off', at, 'team-lead', undefined],
    ]);
    expect(lastOf(reopened, 'reopened').note).toBe(
      'the reporter is not satisfied (score 2/5): "iDEAL payments still fail"',
    );
    expect(reopened).toMatchObject({
      status: 'open',
      level: { index: 1, id: 'team-lead' },
      owner: 'Team lead',
      reopenCount: 1,
      levelEnteredAt: at,
      sla: { ackDueAt: plus(at, 30 * MINUTE), resolveDueAt: plus(at, 24 * HOUR) },
      next: { action: 'escalate', at: plus(at, 30 * MINUTE), level: { id: 'manager' }, reason: 'ack' },
      feedback: [{ score: 2, comment: 'iDEAL payments still fail', round: 0, satisfied: false }],
    });
    expect(reopened.followUp).toBeUndefined();
    expect(reopened.resolvedAt).toBeUndefined();

    const sent = await messages(input.id, 7);
    const handoff = sent.at(-1) as OutgoingMessage;
    expect(rows([handoff])).toEqual([[at, 'assignee', 'leads@example.com']]);
    expect(handoff.subject).toBe(`[${input.id}][high] Handoff to Team lead: ${input.title}`);
    expect(handoff.body).toContain(
      `Why: reopened: the reporter is not satisfied (score 2/5): "iDEAL payments still fail". ` +
        `Previous resolution by Margaret Hamilton at ${resolved.resolvedAt}: Restarted the gateway`,
    );

    await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Margaret Hamilton' }] });
    const second = await handle.executeUpdate(resolveUpdate, {
      args: [{ by: 'Margaret Hamilton', resolution: 'Fixed the iDEAL adapter' }],
    });
    expect(second.followUp).toEqual({
      round: 1,
      requestedAt: second.resolvedAt,
      closesAt: plus(second.resolvedAt, 5 * DAY),
    });
    const request = (await messages(input.id, 10)).at(-1) as OutgoingMessage;
    expect([request.audience, request.recipient.address, request.feedbackRound]).toEqual([
      'reporter',
      'ada@example.com',
      1,
    ]);
    const closed = await handle.executeUpdate(feedbackUpdate, { args: [{ by: 'Ada Lovelace', score: 4 }] });
    expect(closed.status).toBe('closed');
    expect(closed.feedback.map((f) => [f.score, f.round, f.satisfied])).toEqual([
      [2, 0, false],
      [4, 1, true],
    ]);
    expect((await completed(handle)).status).toBe('closed');
  });

  it('lets staff reopen within the window, and refuses feedback on an open case', async () => {
    const input = newCase();
    const { handle } = await started(input, followUpPlan());
    expect(await refusal(handle.executeUpdate(feedbackUpdate, { args: [{ by: 'Ada Lovelace', score: 5 }] }))).toEqual(
      refused('NotResolved', 'is open, not resolved'),
    );
    const resolved = await handle.executeUpdate(resolveUpdate, { args: [{ by: 'Grace Hopper', resolution: 'Fixed' }] });
    await harness.sleep(DAY);

    const reopened = await handle.executeUpdate(reopenUpdate, {
      args: [{ by: 'Dana', reason: 'the customer called back, still failing' }],
    });
    const event = lastOf(reopened, 'reopened');
    expect(event).toMatchObject({
      by: 'Dana',
      level: { id: 'frontline' },
      note: 'by Dana: the customer called back, still failing',
    });
    expect(Date.parse(event.at)).toBeGreaterThanOrEqual(Date.parse(plus(resolved.resolvedAt, DAY)));
    expect(reopened).toMatchObject({
      status: 'open',
      reopenCount: 1,
      level: { index: 0, id: 'frontline' },
      sla: { ackDueAt: plus(event.at, 30 * MINUTE) },
      next: { action: 'escalate', at: plus(event.at, 30 * MINUTE) },
    });
    expect(reopened.followUp).toBeUndefined();
    const handoff = (await messages(input.id, 5)).at(-1) as OutgoingMessage;
    expect(rows([handoff])).toEqual([[event.at, 'assignee', 'frontline@example.com']]);
    expect(handoff.body).toContain('Why: reopened: by Dana: the customer called back, still failing.');
    expect(await refusal(handle.executeUpdate(feedbackUpdate, { args: [{ by: 'Ada Lovelace', score: 1 }] }))).toEqual(
      refused('NotResolved'),
    );
    expect(await refusal(handle.executeUpdate(reopenUpdate, { args: [{ by: 'Dana', reason: 'again' }] }))).toEqual(
      refused('NotResolved'),
    );
  });

  it('refuses a score sent with the round of a resolution that was reopened since', async () => {
    const input = newCase();
    const { handle } = await started(input, followUpPlan());
    await handle.executeUpdate(resolveUpdate, { args: [{ by: 'Grace Hopper', resolution: 'Fixed' }] });
    await handle.executeUpdate(feedbackUpdate, { args: [{ by: 'Ada Lovelace', score: 1, round: 0 }] });
    const again = await handle.executeUpdate(resolveUpdate, {
      args: [{ by: 'Grace Hopper', resolution: 'Fixed again' }],
    });
    expect(again.followUp?.round).toBe(1);

    expect(
      await refusal(handle.executeUpdate(feedbackUpdate, { args: [{ by: 'Ada Lovelace', score: 5, round: 0 }] })),
    ).toEqual(refused('FeedbackNotRequested', 'for an earlier resolution'));
    const closed = await handle.executeUpdate(feedbackUpdate, { args: [{ by: 'Ada Lovelace', score: 5, round: 1 }] });
    expect(closed.status).toBe('closed');
    expect(closed.feedback.map((f) => [f.round, f.score, f.satisfied])).toEqual([
      [0, 1, false],
      [1, 5, true],
    ]);
  });
});

// ---------------------------------------------------------------- review

describe('post-escalation review', () => {
  const reviewPolicy = {
    when: { priorities: ['critical' as const], breached: true, reopened: true },
    owner: 'margaret',
    dueWithinMs: 2 * DAY,
    remindEveryMs: DAY,
  };
  const reviewPlan = () =>
    lifecyclePlan({ followUp: FOLLOW_UP, review: reviewPolicy, reminders: { everyMs: 12 * HOUR } });
  const fiveWhys = [
    'checkout failed',
    'the gateway rejected cards',
    'its config pointed at the old processor',
    'the release carried a stale config',
    'config changes are not reviewed',
  ];

  it('reviews a case that breached its ack: reminders, action items with their reminders, then completes', async () => {
    const input = newCase();
    const { handle, opened } = await started(input, reviewPlan());
    expect(
      await refusal(
        handle.executeUpdate(submitReviewUpdate, {
          args: [{ by: 'Margaret', whatHappened: 'x', rootCause: { method: 'free', analysis: 'y' } }],
        }),
      ),
    ).toEqual(refused('NoReview', 'has no review yet'));

    await harness.skipTo(plus(opened.createdAt, 31 * MINUTE)); // ack missed -> team lead
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Linus Torvalds' }] });
    const resolved = await handle.executeUpdate(resolveUpdate, {
      args: [{ by: 'Linus Torvalds', resolution: 'Rolled back the gateway config' }],
    });
    expect(resolved).toMatchObject({ status: 'resolved', breaches: 1 });
    expect(resolved.review).toBeUndefined();

    const closed = await handle.executeUpdate(feedbackUpdate, { args: [{ by: 'Ada Lovelace', score: 5 }] });
    const c = closed.closedAt as string;
    const due = plus(c, 2 * DAY);
    expect(closed.timeline.slice(-2).map((e) => [e.type, e.at, e.note])).toEqual([
      ['closed', c, 'the reporter is satisfied (score 5/5)'],
      ['review_opened', c, `owner Margaret Hamilton, due ${due}: 1 SLA target(s) missed`],
    ]);
    expect(closed.review).toEqual({
      reasons: ['1 SLA target(s) missed'],
      owner: { kind: 'person', id: 'margaret', name: 'Margaret Hamilton' },
      recipients: [MARGARET],
      openedAt: c,
      dueAt: due,
      status: 'pending',
      wentWell: [],
      wentBadly: [],
      actionItems: [],
      remindAt: due,
      remindersSent: 0,
    });
    expect(closed.next).toEqual({ action: 'review_reminder', at: due, reason: 'review' });
    const requested = (await messages(input.id, 7)).at(-1) as OutgoingMessage;
    expect(rows([requested])).toEqual([[c, 'assignee', 'margaret@example.com']]);
    expect(requested.subject).toBe(`[${input.id}][high] Post-escalation review due ${due}: ${input.title}`);
    expect(requested.body).toContain('(1 SLA target(s) missed)');
    expect(await running(handle)).toBe(true);

    // Overdue: the owner is reminded at the due instant and every day while it is pending.
    await harness.skipTo(plus(due, DAY + MINUTE));
    const overdue = await handle.query(stateQuery);
    expect(eventsOf(overdue, 'review_reminder').map((e) => [e.at, e.note])).toEqual([
      [due, `review due ${due}: reminder 1 to Margaret Hamilton`],
      [plus(due, DAY), `review due ${due}: reminder 2 to Margaret Hamilton`],
    ]);
    expect(rows((await messages(input.id, 9)).slice(7))).toEqual([
      [due, 'assignee', 'margaret@example.com'],
      [plus(due, DAY), 'assignee', 'margaret@example.com'],
    ]);

    const itemDue = [plus(c, 4 * DAY), plus(c, 5 * DAY)];
    const submitted = await handle.executeUpdate(submitReviewUpdate, {
      args: [
        {
          by: 'Margaret Hamilton',
          whatHappened: 'A stale gateway config shipped with release 2026.3',
          rootCause: { method: 'five-whys', whys: fiveWhys },
          rootCauseCategory: 'configuration',
          wentWell: ['rollback took 5 minutes'],
          wentBadly: ['frontline missed the ack target'],
          actionItems: [
            { title: 'Alert on gateway 502s', owner: 'grace', dueAt: itemDue[0] as string },
            { title: 'Review config changes', owner: 'payments', dueAt: itemDue[1] as string },
          ],
        },
      ],
    });
    const s = lastOf(submitted, 'review_submitted').at;
    expect(submitted.timeline.slice(-3).map((e) => [e.type, e.at, e.by, e.note])).toEqual([
      ['review_submitted', s, 'Margaret Hamilton', `five whys: ${fiveWhys.join(' -> ')}`],
      ['action_item_created', s, 'Margaret Hamilton', `A1 "Alert on gateway 502s" for Grace Hopper, due ${itemDue[0]}`],
      ['action_item_created', s, 'Margaret Hamilton', `A2 "Review config changes" for Payments, due ${itemDue[1]}`],
    ]);
    expect(submitted.review).toMatchObject({
      status: 'submitted',
      whatHappened: 'A stale gateway config shipped with release 2026.3',
      rootCause: { method: 'five-whys', whys: fiveWhys },
      rootCauseCategory: 'configuration',
      wentWell: ['rollback took 5 minutes'],
      wentBadly: ['frontline missed the ack target'],
      submittedAt: s,
      submittedBy: 'Margaret Hamilton',
      remindAt: null,
      remindersSent: 2,
      actionItems: [
        {
          id: 'A1',
          title: 'Alert on gateway 502s',
          owner: { kind: 'person', id: 'grace', name: 'Grace Hopper' },
          recipients: [GRACE],
          dueAt: itemDue[0],
          blocking: false,
          state: 'open',
          createdAt: s,
          createdBy: 'Margaret Hamilton',
          remindAt: itemDue[0],
          remindersSent: 0,
        },
        expect.objectContaining({ id: 'A2', owner: { kind: 'team', id: 'payments', name: 'Payments' } }),
      ],
    });
    expect(submitted.next).toEqual({
      action: 'action_item_reminder',
      at: itemDue[0],
      reason: 'action_item',
      item: 'A1',
    });
    const itemNotices = (await messages(input.id, 11)).slice(9);
    expect(rows(itemNotices)).toEqual([
      [s, 'assignee', 'grace@example.com'],
      [s, 'assignee', 'payments@example.com'],
    ]);
    expect(itemNotices[0]?.subject).toBe(`[${input.id}][high] Action item for you A1: Alert on gateway 502s`);

    expect(
      await refusal(
        handle.executeUpdate(submitReviewUpdate, {
          args: [{ by: 'Grace', whatHappened: 'x', rootCause: { method: 'free', analysis: 'y' } }],
        }),
      ),
    ).toEqual(refused('ReviewSubmitted', 'submitted by Margaret Hamilton'));
    expect(
      await refusal(handle.executeUpdate(updateActionItemUpdate, { args: [{ by: 'Grace', id: 'A9', state: 'done' }] })),
    ).toEqual(refused('UnknownActionItem', 'no action item "A9"'));

    // Action items: reminded at their due instants and every 12h (reminders.everyMs) while open.
    await harness.skipTo(plus(itemDue[1], MINUTE));
    const reminding = await handle.query(stateQuery);
    expect(eventsOf(reminding, 'action_item_reminder').map((e) => [e.at, e.note])).toEqual([
      [itemDue[0], `A1 "Alert on gateway 502s" for Grace Hopper due ${itemDue[0]}: reminder 1`],
      [plus(itemDue[0], 12 * HOUR), `A1 "Alert on gateway 502s" for Grace Hopper due ${itemDue[0]}: reminder 2`],
      [itemDue[1], `A1 "Alert on gateway 502s" for Grace Hopper due ${itemDue[0]}: reminder 3`],
      [itemDue[1], `A2 "Review config changes" for Payments due ${itemDue[1]}: reminder 1`],
    ]);
    const itemReminders = (await messages(input.id, 15)).slice(11);
    expect(rows(itemReminders)).toEqual([
      [itemDue[0], 'assignee', 'grace@example.com'],
      [plus(itemDue[0], 12 * HOUR), 'assignee', 'grace@example.com'],
      [itemDue[1], 'assignee', 'grace@example.com'],
      [itemDue[1], 'assignee', 'payments@example.com'],
    ]);
    expect(itemReminders[0]?.subject).toBe(`[${input.id}][high] Action item overdue A1: Alert on gateway 502s`);

    const oneDone = await handle.executeUpdate(updateActionItemUpdate, {
      args: [{ by: 'Grace Hopper', id: 'A1', state: 'done', note: 'alert live' }],
    });
    expect(lastOf(oneDone, 'action_item_updated')).toMatchObject({
      by: 'Grace Hopper',
      note: 'A1 "Alert on gateway 502s" done: alert live',
    });
    expect(oneDone.review?.status).toBe('submitted');
    expect(await running(handle)).toBe(true);
    const complete = await handle.executeUpdate(updateActionItemUpdate, {
      args: [{ by: 'Linus Torvalds', id: 'A2', state: 'done' }],
    });
    const completedEvent = lastOf(complete, 'review_completed');
    expect(completedEvent.note).toBe('2 of 2 action item(s) done, the rest cancelled');
    expect(complete.review).toMatchObject({ status: 'complete', completedAt: completedEvent.at });
    expect(complete.next).toBeNull();
    expect(await completed(handle)).toEqual(complete);
  });

  it('does not review a low case without a breach: the run completes at close', async () => {
    const { handle } = await started(newCase({ priority: 'low' }), reviewPlan());
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Grace Hopper' }] });
    await handle.executeUpdate(resolveUpdate, { args: [{ by: 'Grace Hopper', resolution: 'Fixed' }] });
    const closed = await handle.executeUpdate(feedbackUpdate, { args: [{ by: 'Ada Lovelace', score: 4 }] });
    expect(closed).toMatchObject({ status: 'closed', breaches: 0, next: null });
    expect(closed.review).toBeUndefined();
    expect(eventsOf(closed, 'review_opened')).toEqual([]);
    expect(await completed(handle)).toEqual(closed);
  });

  it('opens the review at resolution without follow-up, and refuses feedback the matrix does not ask for', async () => {
    const plan = lifecyclePlan({ review: { ...reviewPolicy, when: { priorities: ['high'] } } });
    const input = newCase();
    const { handle } = await started(input, plan);
    const resolved = await handle.executeUpdate(resolveUpdate, { args: [{ by: 'Grace Hopper', resolution: 'Fixed' }] });
    expect(resolved).toMatchObject({
      status: 'resolved',
      review: { reasons: ['priority high'], status: 'pending', openedAt: resolved.resolvedAt },
    });
    expect(types(resolved.timeline.slice(-2))).toEqual(['resolved', 'review_opened']);
    expect(await running(handle)).toBe(true);
    expect(await refusal(handle.executeUpdate(feedbackUpdate, { args: [{ by: 'Ada Lovelace', score: 1 }] }))).toEqual(
      refused('FeedbackNotRequested', 'without follow-up'),
    );
    expect(
      await refusal(handle.executeUpdate(reopenUpdate, { args: [{ by: 'Dana', reason: 'still broken' }] })),
    ).toEqual(refused('FeedbackNotRequested'));

    const submitted = await handle.executeUpdate(submitReviewUpdate, {
      args: [{ by: 'Margaret Hamilton', whatHappened: 'x', rootCause: { method: 'free', analysis: 'a bad deploy' } }],
    });
    expect(submitted.review).toMatchObject({
      status: 'complete',
      rootCause: { method: 'free', analysis: 'a bad deploy' },
    });
    expect(types(submitted.timeline.slice(-2))).toEqual(['review_submitted', 'review_completed']);
    expect(await completed(handle)).toEqual(submitted);
  });

  it('adds an action item to a submitted review', async () => {
    const plan = lifecyclePlan({ review: { ...reviewPolicy, when: { priorities: ['high'] } } });
    const { handle } = await started(newCase(), plan);
    const resolved = await handle.executeUpdate(resolveUpdate, { args: [{ by: 'Grace Hopper', resolution: 'Fixed' }] });
    const submitted = await handle.executeUpdate(submitReviewUpdate, {
      args: [
        {
          by: 'Margaret Hamilton',
          whatHappened: 'x',
          rootCause: { method: 'free', analysis: 'y' },
          actionItems: [{ title: 'Runbook', owner: 'grace', dueAt: plus(resolved.resolvedAt, DAY) }],
        },
      ],
    });
    expect(submitted.review?.status).toBe('submitted');
    const added = await handle.executeUpdate(addActionItemUpdate, {
      args: [{ by: 'Margaret Hamilton', title: 'Dashboard', owner: 'sre', dueAt: plus(resolved.resolvedAt, DAY) }],
    });
    expect(added.review?.actionItems.map((i) => [i.id, i.owner.id, i.recipients.map((r) => r.address)])).toEqual([
      ['A1', 'grace', ['grace@example.com']],
      ['A2', 'sre', ['margaret@example.com', 'linus@example.com']],
    ]);
    await handle.executeUpdate(updateActionItemUpdate, { args: [{ by: 'Grace', id: 'A1', state: 'done' }] });
    const complete = await handle.executeUpdate(updateActionItemUpdate, {
      args: [{ by: 'Margaret', id: 'A2', state: 'cancelled', note: 'covered by A1' }],
    });
    expect(lastOf(complete, 'review_completed').note).toBe('1 of 2 action item(s) done, the rest cancelled');
    expect(await completed(handle)).toEqual(complete);
  });
});

// ---------------------------------------------------------------- continue-as-new

describe('continue-as-new', () => {
  it('carries the case into a new run once history is long, and its SLA timers still fire on time', async () => {
    const input = newCase();
    const handle = await harness.start(input, lifecyclePlan(), { historyLimit: 300 });
    const firstRun = handle.firstExecutionRunId;
    const opened = await handle.executeUpdate(openedUpdate);
    const t0 = opened.createdAt;
    await handle.executeUpdate(addTaskUpdate, {
      args: [{ by: 'Dana', title: 'Check the gateway logs', owner: 'grace', dueAt: plus(t0, 2 * HOUR) }],
    });
    await handle.executeUpdate(subscribeUpdate, {
      args: [{ by: 'Dana', name: 'SRE lead', channel: 'log', address: 'sre-lead@example.com', audience: 'internal' }],
    });
    await handle.executeUpdate(subscribeUpdate, {
      args: [{ by: 'Dana', name: 'Boss', channel: 'log', address: 'boss@customer.example', audience: 'reporter' }],
    });
    const before = await handle.executeUpdate(unsubscribeUpdate, {
      args: [{ by: 'Dana', address: 'boss@customer.example' }],
    });
    expect((await handle.describe()).runId).toBe(firstRun);

    // A burst of comments: history passes the limit, the run continues at the next quiet point.
    const comments = 60;
    await Promise.all(
      Array.from({ length: comments }, (_, i) => handle.signal(commentSignal, { by: 'Grace', note: `note ${i + 1}` })),
    );
    const description = await waitFor(
      () => handle.describe(),
      (d) => d.runId !== firstRun,
      30_000,
    );
    expect(description.status.name).toBe('RUNNING');
    const old = await harness.env.client.workflow.getHandle(handle.workflowId, firstRun).describe();
    expect(old.status.name).toBe('CONTINUED_AS_NEW');

    const latest = harness.env.client.workflow.getHandle<typeof escalationWorkflow>(handle.workflowId);
    const state = await latest.query(stateQuery);
    const total = before.eventsRecorded + comments + 1;
    expect(state).toMatchObject({
      id: input.id,
      status: 'open',
      level: opened.level,
      sla: opened.sla,
      next: opened.next,
      tasks: before.tasks,
      subscribers: before.subscribers,
      handedTo: before.handedTo,
      runs: 2,
      eventsRecorded: total,
    });
    expect(state.subscribers.map((s) => s.address)).toEqual(['sre-lead@example.com']);
    expect(state.timeline.length).toBe(Math.min(50, total));
    expect(state.timeline.map((e) => e.seq)).toEqual(
      Array.from({ length: state.timeline.length }, (_, i) => total - state.timeline.length + 1 + i),
    );
    const carriedOver = state.timeline.at(-1) as TimelineEvent;
    expect(carriedOver).toMatchObject({ seq: total, type: 'continued_as_new' });
    expect(carriedOver.note).toMatch(/^run 1 -> 2 after \d+ history events$/);

    const stored = await waitFor(
      () => harness.store.timeline(input.id),
      (timeline) => timeline.length >= total,
    );
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(stored.filter((e) => e.type === 'continued_as_new')).toHaveLength(1);
    expect(stored.filter((e) => e.type === 'comment')).toHaveLength(comments);
    expect(stored.slice(-state.timeline.length).map((e) => [e.seq, e.type, e.at])).toEqual(
      state.timeline.map((e) => [e.seq, e.type, e.at]),
    );

    // The SLA clock survived the continue: the ack target still ends at its original instant.
    await harness.skipTo(plus(opened.sla.ackDueAt, MINUTE));
    const escalated = await latest.query(stateQuery);
    expect(escalated.timeline.slice(-2).map((e) => [e.seq, e.type])).toEqual([
      [total + 1, 'escalated'],
      [total + 2, 'handed_off'],
    ]);
    // Stamped at the SLA instant; the handoff happens when the timer's activation runs (a moment later).
    expect(lastOf(escalated, 'escalated').at).toBe(opened.sla.ackDueAt);
    const handedOff = lastOf(escalated, 'handed_off');
    expect(escalated.level.id).toBe('team-lead');
    const all = await waitFor(
      () => harness.store.timeline(input.id),
      (timeline) => timeline.length >= total + 2,
    );
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: total + 2 }, (_, i) => i + 1));
    const handoff = (await messages(input.id, 6)).at(-1) as OutgoingMessage;
    expect(rows([handoff])).toEqual([[handedOff.at, 'assignee', 'leads@example.com']]);
    // Still accepts commands in the new run.
    const acknowledged = await latest.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Margaret' }] });
    expect(acknowledged).toMatchObject({ status: 'acknowledged', runs: 2 });
  });
});

describe('continue-as-new under a stream of updates', () => {
  it('applies every update and continues once per full history, recording each continue once', async () => {
    const input = newCase();
    const handle = await harness.start(input, lifecyclePlan(), { historyLimit: 60 });
    await handle.executeUpdate(openedUpdate);
    const pairs = 12;
    for (let i = 1; i <= pairs; i++) {
      const address = `watcher-${i}@example.com`;
      const subscribed = await handle.executeUpdate(subscribeUpdate, {
        args: [{ by: 'Dana', name: `Watcher ${i}`, channel: 'log', address, audience: 'internal' }],
      });
      expect(subscribed.subscribers.map((s) => s.address)).toEqual([address]);
      const unsubscribed = await handle.executeUpdate(unsubscribeUpdate, { args: [{ by: 'Dana', address }] });
      expect(unsubscribed.subscribers).toEqual([]);
    }
    await harness.sleep(MINUTE); // the last continue, if due, happens once the notifications are out
    const state = await handle.query(stateQuery);
    expect(state.runs).toBeGreaterThan(2);
    const stored = await waitFor(
      () => harness.store.timeline(input.id),
      (timeline) => timeline.length >= state.eventsRecorded,
    );
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: state.eventsRecorded }, (_, i) => i + 1));
    expect(stored.filter((e) => e.type === 'subscribed')).toHaveLength(pairs);
    expect(stored.filter((e) => e.type === 'unsubscribed')).toHaveLength(pairs);
    const continues = stored.filter((e) => e.type === 'continued_as_new').map((e) => e.note?.split(' after ')[0]);
    expect(continues).toEqual(Array.from({ length: state.runs - 1 }, (_, i) => `run ${i + 1} -> ${i + 2}`));
  });
});

// ---------------------------------------------------------------- old behaviour

describe('plans without a lifecycle', () => {
  it('complete at resolution, as before', async () => {
    const { handle } = await started(newCase(), testPlan());
    const resolved = await handle.executeUpdate(resolveUpdate, { args: [{ by: 'Grace', resolution: 'Fixed' }] });
    expect(resolved).toMatchObject({ status: 'resolved', next: null });
    expect(eventsOf(resolved, 'feedback_requested')).toEqual([]);
    expect(await completed(handle)).toEqual(resolved);
  });
});
