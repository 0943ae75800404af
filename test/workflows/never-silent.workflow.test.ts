// No input stops a case: data the store refuses is recorded as a documentation failure while the SLA clock keeps
// running, and the clock starts when the case was raised, not when a busy worker first ran it.
import { commentSignal, openedUpdate, stateQuery } from '../../src/shared/messages';
import { caseFactory, plus } from '../support/cases';
import { MINUTE, testPlan } from '../support/plan';
import { waitFor } from '../support/wait';
import { useHarness } from '../support/workflow-harness';

const harness = useHarness('time-skipping');

const newCase = caseFactory('NS');

describe('data the store refuses', () => {
  it('records a comment with a NUL as documentation_failed, stores it with the character replaced, and escalates on time', async () => {
    const input = newCase();
    const handle = await harness.start(input, testPlan());
    const opened = await handle.executeUpdate(openedUpdate);
    // Straight to the workflow, as data that got past the API some other way would arrive.
    await handle.signal(commentSignal, { by: 'Mallory', note: 'a\u0000b' });
    await harness.sleep(31 * MINUTE);

    const state = await handle.query(stateQuery);
    const types = state.timeline.map((e) => e.type);
    expect(types).toEqual([
      'created',
      'triaged',
      'handed_off',
      'reporter_notified',
      'comment',
      'documentation_failed',
      'escalated',
      'handed_off',
    ]);
    const failed = state.timeline.find((e) => e.type === 'documentation_failed');
    expect(failed?.note).toMatch(/; stored with the refused characters replaced$/);
    expect(state.timeline.find((e) => e.type === 'escalated')?.at).toBe(opened.sla.ackDueAt);
    expect(state.level.name).toBe('Team lead');

    const stored = await waitFor(
      () => harness.store.timeline(input.id),
      (timeline) => timeline.length >= types.length,
    );
    expect(stored.map((e) => e.type)).toEqual(types);
    expect(stored.find((e) => e.type === 'comment')?.note).toBe('a\uFFFDb');
  });

  it('keeps taking commands and firing timers after a refused title reached the workflow', async () => {
    const input = newCase({ title: 'Checkout\u0000down' });
    const handle = await harness.start(input, testPlan());
    const opened = await handle.executeUpdate(openedUpdate);
    await harness.sleep(31 * MINUTE);
    const state = await handle.query(stateQuery);
    expect(state.timeline.find((e) => e.type === 'escalated')?.at).toBe(opened.sla.ackDueAt);
    // One refusal per step whose record was refused (the opening, the escalation), none for the refusals themselves.
    expect(state.timeline.map((e) => e.type)).toEqual([
      'created',
      'triaged',
      'handed_off',
      'reporter_notified',
      'documentation_failed',
      'escalated',
      'handed_off',
      'documentation_failed',
    ]);
    const record = await waitFor(
      () => harness.store.getCase(input.id),
      (found) => found?.levelName === 'Team lead',
    );
    expect(record?.title).toBe('Checkout\uFFFDdown');
    expect(harness.channel.sent.filter((m) => m.caseId === input.id).length).toBeGreaterThanOrEqual(3);
  });
});

describe('the SLA clock starts at the raise', () => {
  it('counts the ack window from raisedAt when the first workflow task runs 49 s later', async () => {
    const raisedAt = new Date((await harness.env.currentTimeMs()) - 49_000).toISOString();
    const handle = await harness.start(newCase(), testPlan(), { raisedAt });
    const opened = await handle.executeUpdate(openedUpdate);
    expect(opened.createdAt).toBe(raisedAt);
    expect(opened.sla.ackDueAt).toBe(plus(raisedAt, 30 * MINUTE));
    await harness.sleep(31 * MINUTE);
    const state = await handle.query(stateQuery);
    expect(state.timeline.find((e) => e.type === 'escalated')?.at).toBe(plus(raisedAt, 30 * MINUTE));
  });
});

describe('history per case', () => {
  it('costs at most 24 events, 4 workflow tasks, 2 activities and no patch markers from create to the first escalation', async () => {
    // Started as the API starts a case: no update waits for the opening.
    const handle = await harness.start(newCase(), testPlan());
    await harness.sleep(31 * MINUTE);
    await waitFor(
      async () => (await handle.describe()).raw.pendingActivities?.length ?? 0,
      (pending) => pending === 0,
    );
    const history = await handle.fetchHistory();
    const types = (history.events ?? []).map((event) => Number(event.eventType));
    const count = (type: number) => types.filter((t) => t === type).length;
    // EventType numbers from temporal.api.enums.v1: 7 workflow task completed, 10 activity scheduled,
    // 25 marker recorded (patches, local activities), 40 search attributes upserted, 41/43 update accepted/completed.
    const updates = count(41) + count(43);
    expect({
      events: types.length - updates,
      workflowTasks: count(7),
      activities: count(10),
      markers: count(25),
      upserts: count(40),
    }).toEqual({ events: expect.any(Number) as number, workflowTasks: 4, activities: 2, markers: 0, upserts: 0 });
    expect(types.length - updates).toBeLessThanOrEqual(24);
  });
});
