// Rule 4 against a running case: ack windows are half-open, [entry, entry + target). An acknowledgement that reaches the
// case at the instant its ack target runs out meets the escalation first (the next level is paged), then applies at
// the next level; one that reaches it before that instant counts where the case is. On Temporal's time-skipping test
// server and on a real dev server.
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { EscalationState } from '../../src/shared/escalation';
import { acknowledgeUpdate, openedUpdate, stateQuery } from '../../src/shared/messages';
import type { PlanLevel } from '../../src/shared/plan';
import { caseProgress } from '../../src/simulator/settle';
import { COMMAND_CLEARANCE_MS } from '../../src/simulator/virtual-time';
import { caseFactory, eventsOf } from '../support/cases';
import { HOUR, TEST_LEVELS, testPlan } from '../support/plan';
import { waitFor } from '../support/wait';
import { useHarness } from '../support/workflow-harness';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const newCase = caseFactory('HO');
const FRONTLINE = { index: 0, id: 'frontline', name: 'Frontline support' };
const TEAM_LEAD = { index: 1, id: 'team-lead', name: 'Team lead' };

/** What a case's timeline says about rule 4: `[type, at, level id, by]` from the first escalation or acknowledgement. */
function afterOpening(state: EscalationState): [string, string, string | undefined, string | undefined][] {
  return state.timeline
    .filter((e) => ['escalated', 'handed_off', 'acknowledged'].includes(e.type))
    .slice(1) // the opening handoff
    .map((e) => [e.type, e.at, e.level?.id, e.by]);
}

/** The attribute kind of each history event (`timerFired`, `workflowTaskStarted`...), in order. */
function kinds(events: HistoryEvent[]): string[] {
  return events.map(
    (e) => Object.keys(e).find((key) => key.endsWith('EventAttributes') && e[key as keyof HistoryEvent]) ?? '?',
  );
}

async function historyOf(handle: WorkflowHandle): Promise<HistoryEvent[]> {
  return (await handle.fetchHistory()).events ?? [];
}

describe('the end of an ack window on the time-skipping test server', () => {
  const harness = useHarness('time-skipping');

  /** `[requestedAt, audience, address]` of the case's notifications, once `count` have been sent. */
  const sentFor = async (caseId: string, count: number) =>
    (
      await waitFor(
        () => harness.channel.sent.filter((m) => m.caseId === caseId),
        (sent) => sent.length >= count,
      )
    )
      .sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey, undefined, { numeric: true }))
      .map((m) => [m.requestedAt, m.audience, m.recipient.address]);

  it('escalates first when the acknowledgement comes at the exact millisecond: the team lead is paged, then acknowledges', async () => {
    const input = newCase();
    const handle = await harness.start(input, testPlan());
    const opened = await handle.executeUpdate(openedUpdate);
    const ackDueAt = opened.sla.ackDueAt as string;

    // The clock lands on the instant the window ends; the case's timer for it fires before the acknowledgement goes
    // out. Sent while that timer fires, the acknowledgement's workflow task would cancel it and the test server would
    // leave the case hanging (see advanceTo).
    await harness.advanceTo(handle, Date.parse(ackDueAt), COMMAND_CLEARANCE_MS);
    const acked = await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Linus' }] });

    expect(acked).toMatchObject({ status: 'acknowledged', level: TEAM_LEAD, owner: 'Linus' });
    const [escalated, handoff, acknowledgement] = afterOpening(acked);
    expect(escalated).toEqual(['escalated', ackDueAt, 'team-lead', undefined]);
    expect(handoff?.[0]).toBe('handed_off');
    expect(acknowledgement).toEqual(['acknowledged', acked.acknowledgedAt, 'team-lead', 'Linus']);
    expect(Date.parse(handoff?.[1] as string)).toBeGreaterThanOrEqual(Date.parse(ackDueAt));
    expect(Date.parse(acked.acknowledgedAt as string)).toBeGreaterThanOrEqual(Date.parse(handoff?.[1] as string));
    // Paged once at frontline (the opening), then the team lead at its handoff.
    expect(await sentFor(input.id, 3)).toEqual([
      [opened.createdAt, 'assignee', 'frontline@example.com'],
      [opened.createdAt, 'reporter', 'ada@example.com'],
      [handoff?.[1], 'assignee', 'leads@example.com'],
    ]);
  });

  it('applies an acknowledgement one second before the end at frontline, and nothing escalates at the end', async () => {
    const input = newCase();
    const handle = await harness.start(input, testPlan());
    const opened = await handle.executeUpdate(openedUpdate);
    const ackDue = Date.parse(opened.sla.ackDueAt as string);

    await harness.advanceTo(handle, ackDue - 1_000, COMMAND_CLEARANCE_MS);
    const acked = await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Grace' }] });
    expect(acked).toMatchObject({ status: 'acknowledged', level: FRONTLINE, owner: 'Grace' });
    expect(Date.parse(acked.acknowledgedAt as string)).toBeLessThan(ackDue);

    await harness.advanceTo(handle, ackDue + 1_000);
    const state = await handle.query(stateQuery);
    expect(eventsOf(state, 'escalated')).toEqual([]);
    expect(state).toMatchObject({ status: 'acknowledged', level: FRONTLINE, next: { reason: 'resolve' } });
  });

  // The test server's own bug, kept in view: a command and a timer in one workflow task are fine; a timer that fires
  // while a command's task runs is not (the task cancels it; the server refuses that completion and never times the
  // task out: temporalio/sdk-java#2606, #3088). So the case meets both here in one task, with its worker away.
  it('puts the escalation first when the acknowledgement and the deadline timer reach the case in one workflow task', async () => {
    const queue = 'half-open-one-task';
    let worker = await harness.startWorker(queue);
    const input = newCase();
    const handle = await harness.start(input, testPlan(), {}, { taskQueue: queue });
    const opened = await handle.executeUpdate(openedUpdate);
    const ackDueAt = opened.sla.ackDueAt as string;
    await harness.advanceTo(handle, Date.parse(ackDueAt) - 500);
    const [timer] = caseProgress(await historyOf(handle)).timers;
    expect(timer?.firesAtMs).toBeGreaterThanOrEqual(Date.parse(ackDueAt));

    await worker.stop();
    const tasksBefore = kinds(await historyOf(handle)).filter((k) => k === 'workflowTaskScheduledEventAttributes');
    const acknowledged = handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Linus' }] });
    // With nobody polling, the acknowledgement schedules a task that waits; the deadline's timer fires into it.
    await waitFor(
      async () => kinds(await historyOf(handle)).filter((k) => k === 'workflowTaskScheduledEventAttributes'),
      (scheduled) => scheduled.length > tasksBefore.length,
    );
    await harness.env.sleep((timer?.firesAtMs as number) + 1 - (await harness.env.currentTimeMs()));
    await waitFor(
      async () => kinds(await historyOf(handle)),
      (events) => events.includes('timerFiredEventAttributes'),
    );
    worker = await harness.startWorker(queue);
    try {
      const acked = await acknowledged;

      const events = kinds(await historyOf(handle));
      const fired = events.lastIndexOf('timerFiredEventAttributes');
      const accepted = events.lastIndexOf('workflowExecutionUpdateAcceptedEventAttributes');
      // One task took both: started after the timer fired, completed right before the acknowledgement was accepted.
      expect(events.slice(fired, accepted)).toEqual([
        'timerFiredEventAttributes',
        'workflowTaskStartedEventAttributes',
        'workflowTaskCompletedEventAttributes',
      ]);
      expect(acked).toMatchObject({ status: 'acknowledged', level: TEAM_LEAD, owner: 'Linus' });
      const [escalated, handoff, acknowledgement] = afterOpening(acked);
      expect(escalated).toEqual(['escalated', ackDueAt, 'team-lead', undefined]);
      expect(handoff?.[0]).toBe('handed_off');
      expect(acknowledgement).toEqual(['acknowledged', handoff?.[1], 'team-lead', 'Linus']);
      expect(await sentFor(input.id, 3)).toContainEqual([handoff?.[1], 'assignee', 'leads@example.com']);
    } finally {
      await worker.stop();
    }
  });
});

describe('the end of an ack window on a real dev server', () => {
  const harness = useHarness('dev-server');
  // Real time: a few seconds to acknowledge at the levels of this plan.
  const ACK_MS = 4_000;
  const quick = (level: PlanLevel): PlanLevel => ({
    ...level,
    sla: { ...level.sla, high: { ack: { kind: 'calendar', ms: ACK_MS }, resolve: { kind: 'calendar', ms: HOUR } } },
  });
  const plan = () => testPlan({ levels: TEST_LEVELS.map(quick) });
  const until = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now())));

  it('escalates first when the acknowledgement is sent as the wall clock reaches the end: it applies at the team lead', async () => {
    const input = newCase();
    const handle = await harness.start(input, plan());
    const opened = await handle.executeUpdate(openedUpdate);
    const ackDueAt = opened.sla.ackDueAt as string;

    // Whichever reaches the case first, the deadline's timer or the acknowledgement (or both in one task), the
    // escalation goes first: the acknowledgement cannot reach it before the instant it was sent at.
    await until(Date.parse(ackDueAt));
    const acked = await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Linus' }] });

    expect(acked).toMatchObject({ status: 'acknowledged', level: TEAM_LEAD, owner: 'Linus' });
    const [escalated, handoff, acknowledgement] = afterOpening(acked);
    expect(escalated).toEqual(['escalated', ackDueAt, 'team-lead', undefined]);
    expect(handoff?.[0]).toBe('handed_off');
    expect(acknowledgement).toEqual(['acknowledged', acked.acknowledgedAt, 'team-lead', 'Linus']);
    expect(Date.parse(acked.acknowledgedAt as string)).toBeGreaterThanOrEqual(Date.parse(ackDueAt));
    const paged = await waitFor(
      () => harness.channel.sent.filter((m) => m.caseId === input.id && m.audience === 'assignee'),
      (sent) => sent.length >= 2,
    );
    expect(paged.map((m) => m.recipient.address).sort()).toEqual(['frontline@example.com', 'leads@example.com']);
  });

  it('applies an acknowledgement sent two seconds before the end at frontline', async () => {
    const input = newCase();
    const handle = await harness.start(input, plan());
    const opened = await handle.executeUpdate(openedUpdate);
    const ackDue = Date.parse(opened.sla.ackDueAt as string);

    await until(ackDue - 2_000);
    const acked = await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Grace' }] });
    expect(acked).toMatchObject({ status: 'acknowledged', level: FRONTLINE, owner: 'Grace' });
    expect(Date.parse(acked.acknowledgedAt as string)).toBeLessThan(ackDue);

    await until(ackDue + 1_000);
    const state = await handle.query(stateQuery);
    expect(eventsOf(state, 'escalated')).toEqual([]);
    expect(state.level).toEqual(FRONTLINE);
  });
});
