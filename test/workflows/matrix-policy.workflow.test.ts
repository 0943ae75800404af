// The matrix as policy, under the time-skipping server: business hours in Berlin (weekends, a holiday, a DST
// change), after-hours targets, breach warnings, pauses, triage to the legal path, jump rules and on-call.
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { CaseInput, EscalationState } from '../../src/shared/escalation';
import {
  acknowledgeUpdate,
  escalateUpdate,
  openedUpdate,
  pauseUpdate,
  resumeUpdate,
  stateQuery,
} from '../../src/shared/messages';
import type { escalationWorkflow } from '../../src/workflows/escalation.workflow';
import { caseFactory, eventsOf, plus } from '../support/cases';
import { MINUTE } from '../support/plan';
import { LEADS_ROTATION, policyPlan, ZONE } from '../support/policy-plan';
import { waitFor } from '../support/wait';
import { useHarness } from '../support/workflow-harness';

type Handle = WorkflowHandle<typeof escalationWorkflow>;

const harness = useHarness('time-skipping');

const newCase = caseFactory('POLICY', { title: 'Invoices show the wrong VAT rate' });

/** An instant given as Berlin wall time, e.g. `2026-12-04T16:45`, as an ISO string in UTC. */
const berlin = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toUTC().toISO() as string;

/** The next Berlin date at or after the server's current time that falls on `weekday` (1 = Monday). */
async function nextBerlinDate(weekday: number): Promise<string> {
  let day = DateTime.fromMillis(await harness.env.currentTimeMs(), { zone: ZONE })
    .plus({ days: 1 })
    .startOf('day');
  while (day.weekday !== weekday) day = day.plus({ days: 1 });
  return day.toISODate() as string;
}

/**
 * Starts a case at a Berlin wall time. The server's clock keeps running while the case starts, so it opens a few
 * milliseconds later; `at(local)` gives a wall time shifted by that same offset, for exact assertions.
 */
async function startAt(
  local: string,
  input: CaseInput,
  plan = policyPlan(),
): Promise<{ handle: Handle; opened: EscalationState; at: (local: string) => string }> {
  await harness.skipTo(berlin(local));
  const handle = await harness.start(input, plan);
  const opened = await handle.executeUpdate(openedUpdate);
  const offset = Date.parse(opened.createdAt) - Date.parse(berlin(local));
  expect(offset).toBeGreaterThanOrEqual(0);
  expect(offset).toBeLessThan(1000);
  return { handle, opened, at: (wall: string) => plus(berlin(wall), offset) };
}

async function sentTo(caseId: string, address: string, count = 1) {
  return waitFor(
    () => harness.channel.sent.filter((m) => m.caseId === caseId && m.recipient.address === address),
    (messages) => messages.length >= count,
  );
}

/** Who the test rotation has on call at an instant: Ana and Ben alternate weekly from Mon 2026-01-05 09:00. */
function expectedLead(iso: string): string {
  const weeks = Math.floor(DateTime.fromISO(iso).diff(DateTime.fromISO(berlin('2026-01-05T09:00')), 'weeks').weeks);
  return LEADS_ROTATION.layers[0]?.participants[weeks % 2] === 'ana' ? 'ana@example.com' : 'ben@example.com';
}

describe('business-hours ack target', () => {
  it('crosses the weekend: 30 business minutes from Friday 16:45 are due Monday 09:15, and the on-call lead gets it then', async () => {
    const friday = await nextBerlinDate(5);
    const { handle, opened, at } = await startAt(`${friday}T16:45`, newCase());
    const monday = DateTime.fromISO(friday).plus({ days: 3 }).toISODate() as string;
    const due = at(`${monday}T09:15`);
    expect(opened.sla).toMatchObject({ ackDueAt: due, ackBasis: 'business' });
    expect(opened.next).toMatchObject({ action: 'warn', at: at(`${monday}T09:07:30`), reason: 'ack' });

    await harness.skipTo(plus(due, MINUTE));
    const state = await handle.query(stateQuery);
    expect(eventsOf(state, 'escalated')[0]).toMatchObject({ at: due, level: { id: 'team-lead' } });
    const lead = expectedLead(due);
    const [headsUp, handoff] = await sentTo(opened.id, lead, 2);
    expect(headsUp?.subject).toContain('May come to Team lead');
    expect(handoff).toMatchObject({ audience: 'assignee', requestedAt: eventsOf(state, 'handed_off')[1]?.at });
    expect(handoff?.subject).toContain('Handoff to Team lead');
    expect(eventsOf(state, 'handed_off')[1]?.note).toMatch(
      /^(Ana Ruiz|Ben Okafor): not acknowledged by Frontline support/,
    );
  });

  it('skips a holiday: from Thursday 2026-12-24 16:45 the target is due Monday 2026-12-28 09:15', async () => {
    const { opened, at } = await startAt('2026-12-24T16:45', newCase());
    expect(opened.sla.ackDueAt).toBe(at('2026-12-28T09:15'));
  });

  it('counts real hours across the spring DST change: due Monday 2027-03-29 09:15 CEST (07:15 UTC)', async () => {
    const { opened, at } = await startAt('2027-03-26T16:45', newCase());
    expect(at('2027-03-29T09:15').slice(0, 16)).toBe('2027-03-29T07:15');
    expect(opened.sla.ackDueAt).toBe(at('2027-03-29T09:15'));
  });
});

describe('after-hours target', () => {
  it('gives a case raised at 17:00:00 exactly twelve calendar hours', async () => {
    const tuesday = await nextBerlinDate(2);
    const { opened } = await startAt(`${tuesday}T17:00`, newCase());
    expect(opened.sla).toMatchObject({
      ackDueAt: plus(opened.createdAt, 12 * 60 * MINUTE),
      ackBasis: 'after-hours',
    });
    expect(opened.sla.resolveBasis).toBe('business');
  });
});

describe('breach warning', () => {
  it('warns frontline at 75% of the ack target and tells the on-call lead the case may come their way', async () => {
    const tuesday = await nextBerlinDate(2);
    const { handle, opened, at } = await startAt(`${tuesday}T10:00`, newCase());
    const warnAt = at(`${tuesday}T10:22:30`);
    expect(opened.sla.ackWarnAt).toBe(warnAt);

    await harness.skipTo(plus(warnAt, MINUTE));
    const state = await handle.query(stateQuery);
    expect(eventsOf(state, 'breach_warning')).toEqual([
      expect.objectContaining({ at: warnAt, note: `ack target due ${at(`${tuesday}T10:30`)}` }),
    ]);
    expect(state.level.id).toBe('frontline');
    const warnings = await sentTo(opened.id, 'frontline@example.com', 2);
    expect(warnings[1]).toMatchObject({ requestedAt: warnAt, audience: 'assignee' });
    expect(warnings[1]?.subject).toContain('Due soon');
    const [heads] = await sentTo(opened.id, expectedLead(warnAt));
    expect(heads).toMatchObject({ requestedAt: warnAt, audience: 'stakeholder' });
    expect(heads?.subject).toContain('May come to Team lead');
  });
});

describe('pause and resume', () => {
  it('stops the clock while waiting on the customer and moves the due times by the paused working time', async () => {
    const tuesday = await nextBerlinDate(2);
    const { handle, opened } = await startAt(`${tuesday}T10:00`, newCase());
    await harness.skipTo(berlin(`${tuesday}T10:10`));
    const paused = await handle.executeUpdate(pauseUpdate, { args: [{ by: 'Grace', reason: 'waiting-on-customer' }] });
    expect(paused).toMatchObject({ paused: { reason: 'waiting-on-customer', by: 'Grace' }, next: null });

    await harness.skipTo(berlin(`${tuesday}T11:10`));
    const resumed = await handle.executeUpdate(resumeUpdate, { args: [{ by: 'Grace', note: 'customer replied' }] });
    const pausedAt = eventsOf(resumed, 'paused')[0]?.at as string;
    const resumedAt = eventsOf(resumed, 'resumed')[0]?.at as string;
    const pausedMs = Date.parse(resumedAt) - Date.parse(pausedAt);
    expect(resumed.paused).toBeNull();
    expect(resumed.pauses).toEqual([{ start: pausedAt, end: resumedAt }]);
    expect(resumed.sla.ackDueAt).toBe(plus(opened.sla.ackDueAt as string, pausedMs));
    expect(resumed.sla.resolveDueAt).toBe(plus(opened.sla.resolveDueAt as string, pausedMs));
    expect(eventsOf(resumed, 'resumed')[0]?.note).toContain(
      `ack due ${opened.sla.ackDueAt} -> ${resumed.sla.ackDueAt}; resolve due ${opened.sla.resolveDueAt} -> ${resumed.sla.resolveDueAt}; customer replied`,
    );
    expect(resumed.next).toMatchObject({ action: 'warn', reason: 'ack' });
  });

  it('refuses a pause reason the matrix does not allow', async () => {
    const { handle } = await startAt(`${await nextBerlinDate(3)}T10:00`, newCase());
    await expect(handle.executeUpdate(pauseUpdate, { args: [{ by: 'Grace', reason: 'lunch' }] })).rejects.toMatchObject(
      {
        cause: { type: 'IllegalTransition', details: [{ reason: 'PauseReasonNotAllowed' }] },
      },
    );
  });
});

describe('triage', () => {
  it('sends a legal threat to the legal path, as critical, starting at senior leadership', async () => {
    const { opened } = await startAt(
      `${await nextBerlinDate(3)}T11:00`,
      newCase({ category: 'billing', impact: { legalThreat: true } }),
    );
    expect(opened).toMatchObject({
      priority: 'critical',
      triage: { rule: 'legal-threat', path: 'legal', priority: 'critical' },
      level: { index: 1, id: 'senior-leadership', name: 'Senior leadership' },
    });
    await sentTo(opened.id, 'leadership@example.com');
    expect(
      harness.channel.sent.some((m) => m.caseId === opened.id && m.recipient.address === 'legal@example.com'),
    ).toBe(false);
  });
});

describe('jumps', () => {
  it('refuses to let a high case skip to senior leadership, and lets a critical one skip the manager', async () => {
    const thursday = await nextBerlinDate(4);
    const high = await startAt(`${thursday}T10:00`, newCase());
    const refused: unknown = await high.handle
      .executeUpdate(escalateUpdate, { args: [{ by: 'Grace', reason: 'CEO asked', to: 'senior-leadership' }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ details: [{ reason: 'JumpNotAllowed' }] });

    const critical = await harness.start(newCase({ priority: 'critical' }), policyPlan());
    const jumped = await critical.executeUpdate(escalateUpdate, {
      args: [{ by: 'Grace', reason: 'Outage for all EU customers', to: 'senior-leadership' }],
    });
    expect(jumped.level).toEqual({ index: 3, id: 'senior-leadership', name: 'Senior leadership' });
    expect(eventsOf(jumped, 'escalated')[0]).toMatchObject({
      by: 'Grace',
      note: 'escalated by Grace from Team lead: Outage for all EU customers',
    });
  });
});

describe('on-call targets', () => {
  it('records a level where nobody is on call and hands the case to the next level at once', async () => {
    const future = { ...LEADS_ROTATION, start: '2030-01-07' };
    const plan = policyPlan({ rotations: { 'support-leads': future } });
    const { opened } = await startAt(`${await nextBerlinDate(5)}T10:00`, newCase({ priority: 'critical' }), plan);
    expect(opened.level).toMatchObject({ id: 'manager' });
    const skipped = eventsOf(opened, 'level_skipped')[0];
    expect(skipped?.level).toMatchObject({ id: 'team-lead' });
    expect(skipped?.note).toContain('nobody is on call in support-leads');
    await sentTo(opened.id, 'managers@example.com');
  });

  it('notifies whoever is on call at the moment of the handoff', async () => {
    const monday = await nextBerlinDate(1);
    const first = await startAt(`${monday}T10:00`, newCase({ priority: 'critical' }));
    const nextMonday = DateTime.fromISO(monday).plus({ weeks: 1 }).toISODate() as string;
    const second = await startAt(`${nextMonday}T10:00`, newCase({ priority: 'critical' }));
    const [a] = await sentTo(first.opened.id, expectedLead(first.opened.createdAt));
    const [b] = await sentTo(second.opened.id, expectedLead(second.opened.createdAt));
    expect(a?.recipient.address).not.toBe(b?.recipient.address);
    const acknowledged = await second.handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Ben' }] });
    expect(acknowledged.status).toBe('acknowledged');
  });
});
