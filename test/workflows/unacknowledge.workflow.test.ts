// Withdrawing an acknowledgement (contract rule 9) under the time-skipping server: the level is told again, its ack
// window restarts from the withdrawal, the resolve target keeps counting from the level's entry, and a pause after
// the withdrawal moves the new window, not the old one.
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { CaseInput, EscalationState, TimelineEvent } from '../../src/shared/escalation';
import {
  acknowledgeUpdate,
  openedUpdate,
  pauseUpdate,
  resumeUpdate,
  stateQuery,
  unacknowledgeUpdate,
} from '../../src/shared/messages';
import type { Plan } from '../../src/shared/plan';
import type { escalationWorkflow } from '../../src/workflows/escalation.workflow';
import { caseFactory, eventsOf, plus } from '../support/cases';
import { HOUR, MINUTE, testPlan } from '../support/plan';
import { waitFor } from '../support/wait';
import { useHarness } from '../support/workflow-harness';

type Handle = WorkflowHandle<typeof escalationWorkflow>;

const harness = useHarness('time-skipping');

const newCase = caseFactory('UA', { description: 'Checkout answers 502 for every card payment.' });

async function started(input: CaseInput, plan: Plan = testPlan()): Promise<{ handle: Handle; t0: string }> {
  const handle = await harness.start(input, plan);
  const opened = await handle.executeUpdate(openedUpdate);
  return { handle, t0: opened.createdAt };
}

const last = (state: EscalationState, type: TimelineEvent['type']) => eventsOf(state, type).at(-1) as TimelineEvent;

/** The case's notifications as `[requestedAt, address, subject]`, once `count` of them were sent. */
async function sent(caseId: string, count: number): Promise<[string, string, string][]> {
  const messages = await waitFor(
    () => harness.channel.sent.filter((m) => m.caseId === caseId),
    (found) => found.length >= count,
  );
  return [...messages]
    .sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey, undefined, { numeric: true }))
    .map((m) => [m.requestedAt, m.recipient.address, m.subject]);
}

describe('unacknowledge', () => {
  it('tells the level again and escalates 30 minutes after the withdrawal, not after the level was entered', async () => {
    const input = newCase();
    const { handle, t0 } = await started(input);
    await harness.skipTo(plus(t0, 5 * MINUTE));
    const acknowledged = await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Ann Frontline' }] });
    await harness.skipTo(plus(t0, 10 * MINUTE));

    const withdrawn = await handle.executeUpdate(unacknowledgeUpdate, {
      args: [{ by: 'Ann Frontline', reason: 'my shift ends; not started on it' }],
    });
    // The test server's clock runs on between skips: the instants are the recorded ones.
    const at = last(withdrawn, 'unacknowledged').at;
    const newDue = plus(at, 30 * MINUTE);
    expect(withdrawn).toMatchObject({
      status: 'open',
      owner: 'Frontline support',
      unowned: false,
      ackWindowFrom: at,
      sla: { ackDueAt: newDue, resolveDueAt: plus(t0, 24 * HOUR) },
      next: { action: 'escalate', at: newDue, level: { index: 1, id: 'team-lead' }, reason: 'ack' },
    });
    expect(withdrawn.acknowledgedAt).toBeUndefined();
    expect(last(withdrawn, 'unacknowledged')).toMatchObject({
      by: 'Ann Frontline',
      level: { index: 0, id: 'frontline' },
      note: `Ann Frontline no longer owns it: my shift ends; not started on it; ack due ${newDue}`,
      details: {
        acknowledgedBy: 'Ann Frontline',
        acknowledgedAt: acknowledged.acknowledgedAt,
        reason: 'my shift ends; not started on it',
        due: { ack: { from: plus(t0, 30 * MINUTE), to: newDue } },
      },
    });
    // Reporter receipt and the first handoff, then the level told again at the withdrawal.
    const [, , again] = await sent(input.id, 3);
    expect(again?.slice(0, 2)).toEqual([at, 'frontline@example.com']);

    // The original ack instant passes quietly; the ladder moves at the restarted window's end, to the millisecond.
    await harness.skipTo(plus(t0, 31 * MINUTE));
    expect(eventsOf(await handle.query(stateQuery), 'escalated')).toHaveLength(0);
    await harness.skipTo(plus(newDue, MINUTE));
    const escalated = await handle.query(stateQuery);
    expect(last(escalated, 'escalated')).toMatchObject({
      at: newDue,
      level: { id: 'team-lead' },
      details: { trigger: 'ack_target', dueAt: newDue },
    });
    expect(escalated.ackWindowFrom).toBeUndefined();
    expect(escalated.sla.ackDueAt).toBe(plus(escalated.levelEnteredAt, 30 * MINUTE));
  });

  it('refuses when the case is not acknowledged (409 NotAcknowledged) and records nothing', async () => {
    const { handle } = await started(newCase());
    const error = await handle
      .executeUpdate(unacknowledgeUpdate, { args: [{ by: 'Ann Frontline', reason: 'oops' }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause as { details?: { reason?: string }[]; message: string };
    expect(cause.details?.[0]?.reason).toBe('NotAcknowledged');
    expect(cause.message).toContain('is not acknowledged (it is open)');
    expect(eventsOf(await handle.query(stateQuery), 'unacknowledged')).toHaveLength(0);
  });

  it('moves the restarted window by a pause taken after the withdrawal, counted from the withdrawal', async () => {
    const plan = testPlan({ pauseReasons: ['waiting for customer'] });
    const { handle, t0 } = await started(newCase(), plan);
    await harness.skipTo(plus(t0, 5 * MINUTE));
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Ann Frontline' }] });
    await harness.skipTo(plus(t0, 10 * MINUTE));
    const withdrawn = await handle.executeUpdate(unacknowledgeUpdate, {
      args: [{ by: 'Ann Frontline', reason: 'wrong team' }],
    });
    const from = last(withdrawn, 'unacknowledged').at;
    await harness.skipTo(plus(t0, 15 * MINUTE));
    const paused = await handle.executeUpdate(pauseUpdate, { args: [{ by: 'Bo', reason: 'waiting for customer' }] });
    await harness.skipTo(plus(t0, 25 * MINUTE));

    const resumed = await handle.executeUpdate(resumeUpdate, { args: [{ by: 'Bo' }] });
    const pausedMs = Date.parse(last(resumed, 'resumed').at) - Date.parse(last(paused, 'paused').at);
    // About ten minutes: the test server's skips land a few milliseconds either side of their targets.
    expect(Math.abs(pausedMs - 10 * MINUTE)).toBeLessThan(MINUTE);
    // The window runs 30 minutes from the withdrawal, the pause inside it added; resolve from the entry, likewise.
    expect(resumed.sla).toMatchObject({
      ackDueAt: plus(from, 30 * MINUTE + pausedMs),
      resolveDueAt: plus(t0, 24 * HOUR + pausedMs),
    });
    expect(last(resumed, 'resumed').details).toMatchObject({
      due: {
        ack: { from: plus(from, 30 * MINUTE), to: plus(from, 30 * MINUTE + pausedMs) },
        resolve: { from: plus(t0, 24 * HOUR), to: plus(t0, 24 * HOUR + pausedMs) },
      },
    });
  });
});
