// The escalation workflow under the time-skipping test server: exact SLA instants, every notification, every record.
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { CaseInput, EscalationState } from '../../src/shared/escalation';
import {
  acknowledgeUpdate,
  commentSignal,
  escalateUpdate,
  migratePlanUpdate,
  openedUpdate,
  resolveUpdate,
  stateQuery,
} from '../../src/shared/messages';
import type { escalationWorkflow } from '../../src/workflows/escalation.workflow';
import { caseFactory, eventsOf, plus } from '../support/cases';
import { everyPriority, HOUR, MINUTE, TEST_LEVELS, testLevel, testPlan } from '../support/plan';
import { waitFor } from '../support/wait';
import { useHarness } from '../support/workflow-harness';

type Handle = WorkflowHandle<typeof escalationWorkflow>;

const harness = useHarness('time-skipping');

const newCase = caseFactory('WF', {
  description: 'Card payments are declined with error 502 since 09:00.',
  attemptedSteps: ['Restarted the payment pod', 'Checked the status page'],
});
const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1);
  return items[0] as T;
};

/** Notifications of one case as `[requestedAt, audience, address]`, once `count` of them have been sent. */
async function sentFor(caseId: string, count: number): Promise<[string, string, string][]> {
  const sent = await waitFor(
    () => harness.channel.sent.filter((m) => m.caseId === caseId),
    (messages) => messages.length >= count,
  );
  return sent
    .sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey, undefined, { numeric: true }))
    .map((m) => [m.requestedAt, m.audience, m.recipient.address]);
}

async function started(input: CaseInput, plan = testPlan()): Promise<{ handle: Handle; opened: EscalationState }> {
  const handle = await harness.start(input, plan);
  return { handle, opened: await handle.executeUpdate(openedUpdate) };
}

describe('opening a case', () => {
  it('tells the reporter the case number and first response time, and hands off to frontline with a full summary', async () => {
    const input = newCase();
    const { opened } = await started(input);
    const t0 = opened.createdAt;

    expect(opened).toMatchObject({
      id: input.id,
      status: 'open',
      level: { index: 0, name: 'Frontline support' },
      owner: 'Frontline support',
      unowned: false,
      sla: { ackDueAt: plus(t0, 30 * MINUTE), resolveDueAt: plus(t0, 24 * HOUR) },
      next: { action: 'escalate', at: plus(t0, 30 * MINUTE), level: { index: 1, name: 'Team lead' }, reason: 'ack' },
      matrixVersion: 'test-plan-1',
    });
    expect(opened.timeline.map((e) => [e.type, e.at])).toEqual([
      ['created', t0],
      ['triaged', t0],
      ['handed_off', t0],
      ['reporter_notified', t0],
    ]);
    expect(await sentFor(input.id, 2)).toEqual([
      [t0, 'assignee', 'frontline@example.com'],
      [t0, 'reporter', 'ada@example.com'],
    ]);
    const [handoff, receipt] = harness.channel.sent
      .filter((m) => m.caseId === input.id)
      .sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey, undefined, { numeric: true }));
    expect(receipt?.body).toContain(`your case number is ${input.id}`);
    expect(receipt?.body).toContain(`first response by ${plus(t0, 30 * MINUTE)}`);
    for (const expected of [
      input.title,
      input.description ?? '',
      'Ada Lovelace <ada@example.com>',
      '- Restarted the payment pod',
      '- Checked the status page',
      'Priority:    high',
      `Acknowledge by: ${plus(t0, 30 * MINUTE)}`,
      `Resolve by:     ${plus(t0, 24 * HOUR)}`,
    ]) {
      expect(handoff?.body).toContain(expected);
    }
  });

  it('starts a critical case at the team lead with the critical targets', async () => {
    const input = newCase({ priority: 'critical' });
    const { opened } = await started(input);
    const t0 = opened.createdAt;

    expect(opened.level).toEqual({ index: 1, id: 'team-lead', name: 'Team lead' });
    expect(opened.sla).toEqual({
      ackDueAt: plus(t0, 15 * MINUTE),
      resolveDueAt: plus(t0, 4 * HOUR),
      ackBasis: 'calendar',
      resolveBasis: 'calendar',
    });
    expect(await sentFor(input.id, 2)).toEqual([
      [t0, 'assignee', 'leads@example.com'],
      [t0, 'reporter', 'ada@example.com'],
    ]);
  });
});

describe('ack SLA', () => {
  it('escalates through every level at the exact end of each ack window when nobody acknowledges', async () => {
    const input = newCase();
    const { handle, opened } = await started(input);
    const levels = ['Team lead', 'Manager', 'Senior leadership'];
    const ids = ['team-lead', 'manager', 'senior-leadership'];
    let previous = opened;
    for (const [index, name] of levels.entries()) {
      await harness.sleep(31 * MINUTE);
      const state = await handle.query(stateQuery);
      const escalated = eventsOf(state, 'escalated')[index];
      const handedOff = eventsOf(state, 'handed_off')[index + 1];
      expect(escalated).toMatchObject({ at: previous.sla.ackDueAt, level: { index: index + 1, name } });
      expect(escalated?.note).toBe(`not acknowledged by ${previous.level.name} within 30m (ack target)`);
      expect(state.level).toEqual({ index: index + 1, id: ids[index], name });
      expect(state.sla).toEqual({
        ackDueAt: plus(handedOff?.at, 30 * MINUTE),
        resolveDueAt: plus(handedOff?.at, 24 * HOUR),
        ackBasis: 'calendar',
        resolveBasis: 'calendar',
      });
      previous = state;
    }
    const handoffs = eventsOf(previous, 'handed_off').map((e) => e.at);
    expect(await sentFor(input.id, 5)).toEqual([
      [handoffs[0], 'assignee', 'frontline@example.com'],
      [handoffs[0], 'reporter', 'ada@example.com'],
      [handoffs[1], 'assignee', 'leads@example.com'],
      [handoffs[2], 'assignee', 'managers@example.com'],
      [handoffs[3], 'assignee', 'leadership@example.com'],
    ]);
  });
});

describe('resolve SLA', () => {
  it('stays quiet while acknowledged, then escalates unacknowledged when the resolve target passes', async () => {
    const input = newCase();
    const { handle, opened } = await started(input);
    await harness.sleep(5 * MINUTE);
    const acknowledged = await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Grace Hopper' }] });
    expect(acknowledged).toMatchObject({
      status: 'acknowledged',
      owner: 'Grace Hopper',
      next: { action: 'escalate', at: opened.sla.resolveDueAt, level: { name: 'Team lead' }, reason: 'resolve' },
    });

    await harness.sleep(23 * HOUR);
    expect((await handle.query(stateQuery)).status).toBe('acknowledged');
    expect(await sentFor(input.id, 2)).toHaveLength(2); // no reminders, no re-page while acknowledged

    await harness.sleep(1 * HOUR + MINUTE);
    const state = await handle.query(stateQuery);
    const escalated = only(eventsOf(state, 'escalated'));
    expect(escalated).toMatchObject({ at: opened.sla.resolveDueAt, level: { index: 1, name: 'Team lead' } });
    expect(escalated.note).toBe('not resolved by Frontline support within 1d of handoff (resolve target)');
    expect(state).toMatchObject({ status: 'open', owner: 'Team lead', level: { index: 1 } });
    const handoff = eventsOf(state, 'handed_off')[1];
    expect(state.sla.ackDueAt).toBe(plus(handoff?.at, 30 * MINUTE));
    expect((await sentFor(input.id, 3))[2]).toEqual([handoff?.at, 'assignee', 'leads@example.com']);
  });
});

describe('manual escalation', () => {
  it('moves one level up with the reason and gives the new level a full ack window', async () => {
    const input = newCase();
    const { handle } = await started(input);
    await harness.sleep(10 * MINUTE);
    const state = await handle.executeUpdate(escalateUpdate, {
      args: [{ by: 'Grace Hopper', reason: 'Customer threatens to cancel the contract' }],
    });
    const escalated = only(eventsOf(state, 'escalated'));
    expect(escalated).toMatchObject({
      by: 'Grace Hopper',
      level: { index: 1, name: 'Team lead' },
      note: 'escalated by Grace Hopper from Frontline support: Customer threatens to cancel the contract',
    });
    expect(state.sla.ackDueAt).toBe(plus(escalated.at, 30 * MINUTE));
    expect(state.next).toEqual({
      action: 'escalate',
      at: plus(escalated.at, 30 * MINUTE),
      level: { index: 2, id: 'manager', name: 'Manager' },
      reason: 'ack',
    });
    await sentFor(input.id, 3);
    const handoff = harness.channel.sent.find(
      (m) => m.caseId === input.id && m.recipient.address === 'leads@example.com',
    );
    expect(handoff?.requestedAt).toBe(escalated.at);
    expect(handoff?.body).toContain(
      'Why: escalated by Grace Hopper from Frontline support: Customer threatens to cancel',
    );
  });
});

describe('resolution', () => {
  it('tells everyone who was handed the case and the reporter, records the resolution, and completes', async () => {
    const input = newCase();
    const { handle } = await started(input);
    await harness.sleep(31 * MINUTE);
    const resolved = await handle.executeUpdate(resolveUpdate, {
      args: [{ by: 'Linus', resolution: 'Rolled back the payment gateway config' }],
    });
    const resolvedAt = resolved.resolvedAt as string;
    expect(resolved).toMatchObject({
      status: 'resolved',
      owner: 'Linus',
      next: null,
      resolution: { by: 'Linus', summary: 'Rolled back the payment gateway config' },
    });
    expect(await handle.result()).toEqual(resolved);
    const sent = await sentFor(input.id, 6);
    expect(sent.slice(3)).toEqual([
      [resolvedAt, 'stakeholder', 'frontline@example.com'],
      [resolvedAt, 'stakeholder', 'leads@example.com'],
      [resolvedAt, 'reporter', 'ada@example.com'],
    ]);
    const notice = harness.channel.sent.find((m) => m.caseId === input.id && m.subject.includes('Resolved'));
    expect(notice?.body).toContain('Rolled back the payment gateway config');
  });

  it('documents every transition in the case store, once', async () => {
    const input = newCase();
    const { handle } = await started(input);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Grace' }] });
    await handle.signal(commentSignal, { by: 'Grace', note: 'Looking at the gateway logs' });
    const final = await handle.executeUpdate(resolveUpdate, { args: [{ by: 'Grace', resolution: 'Fixed' }] });
    await handle.result();

    const record = await waitFor(
      () => harness.store.getCase(input.id),
      (r) => r?.status === 'resolved',
    );
    expect(record).toMatchObject({ id: input.id, status: 'resolved', owner: 'Grace', resolution: 'Fixed' });
    const timeline = await harness.store.timeline(input.id);
    expect(timeline.map((e) => [e.seq, e.type, e.at, e.by])).toEqual(
      final.timeline.map((e) => [e.seq, e.type, e.at, e.by ?? null]),
    );
    expect(final.timeline.map((e) => e.type)).toEqual([
      'created',
      'triaged',
      'handed_off',
      'reporter_notified',
      'acknowledged',
      'comment',
      'resolved',
    ]);
    const notifications = await harness.store.notifications(input.id);
    expect(notifications.map((n) => n.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(new Set(notifications.map((n) => n.idempotencyKey)).size).toBe(4);
  });
});

describe('last level', () => {
  const twoLevels = () => testPlan({ levels: TEST_LEVELS.slice(0, 2) });

  it('re-notifies every 15 minutes three times, then stays open marked unowned', async () => {
    const input = newCase();
    const { handle } = await started(input, twoLevels());
    await harness.sleep(31 * MINUTE); // -> Team lead, the last level
    const atTop = await handle.query(stateQuery);
    expect(atTop.next).toMatchObject({ action: 'repeat', at: atTop.sla.ackDueAt });

    await harness.sleep(30 * MINUTE + 3 * 15 * MINUTE + MINUTE);
    const state = await handle.query(stateQuery);
    const repeats = eventsOf(state, 'repeat_notified').map((e) => e.at);
    expect(repeats).toEqual([
      atTop.sla.ackDueAt,
      plus(atTop.sla.ackDueAt, 15 * MINUTE),
      plus(atTop.sla.ackDueAt, 30 * MINUTE),
    ]);
    expect(only(eventsOf(state, 'unowned')).at).toBe(plus(atTop.sla.ackDueAt, 45 * MINUTE));
    expect(state).toMatchObject({ status: 'open', owner: null, unowned: true, next: null });
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    const toLeads = (await sentFor(input.id, 7)).filter(([, , address]) => address === 'leads@example.com');
    expect(toLeads).toHaveLength(5); // handoff, 3 reminders, unowned notice

    const acknowledged = await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Margaret' }] });
    expect(acknowledged).toMatchObject({ status: 'acknowledged', owner: 'Margaret', unowned: false });
  });

  it('sends no reminders once acknowledged, and reports a missed resolve target without re-paging', async () => {
    const input = newCase();
    const { handle } = await started(input, twoLevels());
    await harness.sleep(31 * MINUTE);
    const acknowledged = await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Margaret' }] });
    expect(acknowledged.next).toMatchObject({ action: 'resolve_breach', at: acknowledged.sla.resolveDueAt });

    await harness.sleep(25 * HOUR);
    const state = await handle.query(stateQuery);
    expect(eventsOf(state, 'repeat_notified')).toEqual([]);
    expect(only(eventsOf(state, 'resolve_breached')).at).toBe(acknowledged.sla.resolveDueAt);
    expect(state).toMatchObject({ status: 'acknowledged', owner: 'Margaret', next: null });
    const sent = await sentFor(input.id, 4);
    expect(sent[3]).toEqual([state.timeline.at(-1)?.at, 'assignee', 'leads@example.com']);
  });
});

describe('illegal transitions', () => {
  const rejection = async (promise: Promise<unknown>) => {
    const error: unknown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause as { type?: string; details?: unknown[]; message: string };
    return { type: cause.type, reason: (cause.details?.[0] as { reason?: string }).reason, message: cause.message };
  };

  it('refuses to acknowledge a case twice', async () => {
    const { handle } = await started(newCase());
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Grace' }] });
    expect(await rejection(handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Linus' }] }))).toMatchObject({
      type: 'IllegalTransition',
      reason: 'AlreadyAcknowledged',
    });
    expect((await handle.query(stateQuery)).owner).toBe('Grace');
  });

  it('refuses to escalate beyond the last level', async () => {
    const { handle } = await started(
      newCase({ priority: 'critical' }),
      testPlan({ startLevel: { critical: 3, high: 0, medium: 0, low: 0 } }),
    );
    expect(await rejection(handle.executeUpdate(escalateUpdate, { args: [{ by: 'Grace', reason: 'help' }] }))).toEqual({
      type: 'IllegalTransition',
      reason: 'NoHigherLevel',
      message: expect.stringContaining('the last level of the matrix'),
    });
  });

  it('applies one of two concurrent resolves and refuses the other', async () => {
    const { handle } = await started(newCase());
    const attempts = [
      { by: 'Grace', resolution: 'Fixed' },
      { by: 'Linus', resolution: 'Also fixed' },
    ];
    // Which one the case receives first is up to the network; exactly one must win.
    const outcomes = attempts.map((args) => handle.executeUpdate(resolveUpdate, { args: [args] }));
    const settled = await Promise.allSettled(outcomes);
    const winner = settled.findIndex((outcome) => outcome.status === 'fulfilled');
    expect(settled.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await rejection(outcomes[1 - winner] as Promise<unknown>)).toMatchObject({
      type: 'IllegalTransition',
      reason: 'CaseResolved',
    });
    const { by, resolution } = attempts[winner] as { by: string; resolution: string };
    expect((await handle.result()).resolution).toMatchObject({ by, summary: resolution, level: { id: 'frontline' } });
  });
});

describe('comments', () => {
  it('appends a comment to the timeline with who wrote it', async () => {
    const { handle } = await started(newCase());
    await handle.signal(commentSignal, { by: 'Grace', note: 'Customer called again' });
    const state = await waitFor(
      () => handle.query(stateQuery),
      (s) => s.timeline.some((e) => e.type === 'comment'),
    );
    expect(only(eventsOf(state, 'comment'))).toMatchObject({
      by: 'Grace',
      note: 'Customer called again',
      level: { index: 0, name: 'Frontline support' },
    });
  });
});

describe('matrix versions', () => {
  const longerAck = () =>
    testPlan({
      version: 'test-plan-2',
      versionName: 'longer ack',
      levels: TEST_LEVELS.map((level) => ({
        ...level,
        sla: everyPriority({ ack: { kind: 'calendar', ms: HOUR }, resolve: { kind: 'calendar', ms: 24 * HOUR } }),
      })),
    });

  it('keeps a running case on its plan until it is migrated, then recomputes its due times from the level entry', async () => {
    const input = newCase();
    const { handle, opened } = await started(input);
    await harness.sleep(10 * MINUTE);
    const migrated = await handle.executeUpdate(migratePlanUpdate, {
      args: [{ by: 'Dana', reason: 'ack targets doubled', plan: longerAck() }],
    });
    expect(migrated).toMatchObject({
      matrixVersion: 'test-plan-2',
      matrixVersionName: 'longer ack',
      level: { index: 0, id: 'frontline' },
      sla: { ackDueAt: plus(opened.createdAt, HOUR), resolveDueAt: plus(opened.createdAt, 24 * HOUR) },
    });
    expect(only(eventsOf(migrated, 'plan_migrated'))).toMatchObject({
      by: 'Dana',
      note: `matrix test-plan-1 -> test-plan-2: ack targets doubled; ack due ${opened.sla.ackDueAt} -> ${plus(opened.createdAt, HOUR)}`,
    });

    await harness.sleep(25 * MINUTE); // past the old 30m target: nothing happens
    expect((await handle.query(stateQuery)).level.id).toBe('frontline');
    await harness.sleep(30 * MINUTE);
    const escalated = only(eventsOf(await handle.query(stateQuery), 'escalated'));
    expect(escalated).toMatchObject({
      at: plus(opened.createdAt, HOUR),
      note: 'not acknowledged by Frontline support within 1h (ack target)',
    });
  });

  it("refuses to migrate onto a plan that does not have the case's level", async () => {
    const { handle } = await started(newCase());
    const without = testPlan({ version: 'test-plan-3', levels: [testLevel('desk', 'Desk', 'desk@example.com')] });
    const error: unknown = await handle
      .executeUpdate(migratePlanUpdate, { args: [{ by: 'Dana', reason: 'new ladder', plan: without }] })
      .catch((e: unknown) => e);
    expect((error as WorkflowUpdateFailedError).cause).toMatchObject({
      details: [{ reason: 'PlanMismatch' }],
      message: expect.stringContaining('has no level "frontline" on path general'),
    });
  });
});

describe('undeliverable notifications', () => {
  it('records a notification that cannot be delivered and still escalates on time', async () => {
    const levels = TEST_LEVELS.map((level, index) =>
      index === 0
        ? { ...level, targets: [{ kind: 'contact' as const, name: 'Pager', channel: 'pager', address: '+49 30 1234' }] }
        : level,
    );
    const { handle, opened } = await started(newCase(), testPlan({ levels }));
    const failed = await waitFor(
      () => handle.query(stateQuery),
      (state) => state.timeline.some((e) => e.type === 'notification_failed'),
    );
    expect(only(eventsOf(failed, 'notification_failed'))).toMatchObject({
      level: { id: 'frontline' },
      note: expect.stringMatching(/^Pager <\+49 30 1234> via pager: UnknownChannel: no notification channel "pager"/),
    });
    await harness.sleep(31 * MINUTE);
    const state = await handle.query(stateQuery);
    expect(only(eventsOf(state, 'escalated'))).toMatchObject({ at: opened.sla.ackDueAt, level: { id: 'team-lead' } });
  });

  it("tells the level's owner on another channel, once, when a notification cannot be delivered", async () => {
    const levels = TEST_LEVELS.map((level, index) =>
      index === 0
        ? {
            ...level,
            targets: [
              { kind: 'contact' as const, name: 'Pager', channel: 'pager', address: '+49 30 1234' },
              { kind: 'contact' as const, name: 'Frontline queue', channel: 'log', address: 'frontline@example.com' },
            ],
          }
        : level,
    );
    const input = newCase();
    const { handle } = await started(input, testPlan({ levels }));
    const report = await waitFor(
      () =>
        Promise.resolve(
          harness.channel.sent.filter((m) => m.caseId === input.id && /Could not deliver/.test(m.subject)),
        ),
      (found) => found.length > 0,
    );
    expect(report.map((m) => [m.recipient.address, m.audience, m.subject])).toEqual([
      ['frontline@example.com', 'assignee', `[${input.id}][high] Could not deliver 1 notification(s): ${input.title}`],
    ]);
    expect(report[0]?.body).toContain('Pager <+49 30 1234> via pager: UnknownChannel');
    const state = await handle.query(stateQuery);
    expect(eventsOf(state, 'notification_failed')).toHaveLength(1);
  });
});
