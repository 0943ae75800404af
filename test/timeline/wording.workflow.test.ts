// The timeline's sentences are for people: the export, the reports and the what-if replay read each event's typed
// details, so rewording every sentence the workflow wrote changes none of their figures. A whole case runs under the
// time-skipping server (automatic and manual escalation, pause and resume, reprioritise, resolve, an unsatisfied
// score that reopens, a staff reopen, a satisfied close) and is read back from the store.
import { caseDocument, type CaseDocument } from '../../src/documentation/case-record';
import type { CaseInput } from '../../src/shared/escalation';
import {
  acknowledgeUpdate,
  escalateUpdate,
  feedbackUpdate,
  openedUpdate,
  pauseUpdate,
  reopenUpdate,
  reprioritiseUpdate,
  resolveUpdate,
  resumeUpdate,
} from '../../src/shared/messages';
import { recordedActions } from '../../src/simulator/replay';
import { summarize } from '../../src/reports/summary';
import type { TimelineRecord } from '../../src/store/case-store';
import { HOUR, MINUTE, testPlan } from '../support/plan';
import { waitFor } from '../support/wait';
import { createHarness, type Harness } from '../support/workflow-harness';

let harness: Harness;

beforeAll(async () => {
  harness = await createHarness('time-skipping');
});
afterAll(async () => {
  await harness?.close();
});

const input: CaseInput = {
  id: 'WORDING-1',
  title: 'Checkout fails for EU customers',
  category: 'technical',
  priority: 'high',
  reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
  attemptedSteps: ['Restarted the payment pod'],
};

const plan = testPlan({
  pauseReasons: ['waiting-on-customer'],
  followUp: { windowMs: 5 * 24 * HOUR, satisfiedAtLeast: 4 },
});

/** The document without the sentences it shows as they were written (`note`, the triage line, the raw timeline). */
function figures(document: CaseDocument): unknown {
  const { timeline: _timeline, triage: _triage, ...rest } = document;
  return JSON.parse(JSON.stringify(rest, (key, value: unknown) => (key === 'note' ? undefined : value)));
}

const reworded = (timeline: TimelineRecord[]) =>
  timeline.map((event) => ({ ...event, note: `reworded sentence ${event.seq}: (ack target) score 1/5 by x: y` }));

it('reads the same figures from the details after every sentence is reworded', async () => {
  const handle = await harness.start(input, plan);
  await handle.executeUpdate(openedUpdate);
  await harness.sleep(31 * MINUTE); // frontline misses its ack target -> team lead
  await handle.executeUpdate(escalateUpdate, { args: [{ by: 'Grace Hopper', reason: 'needs a manager' }] });
  await handle.executeUpdate(pauseUpdate, { args: [{ by: 'Grace Hopper', reason: 'waiting-on-customer' }] });
  await harness.sleep(HOUR);
  await handle.executeUpdate(resumeUpdate, { args: [{ by: 'Grace Hopper', note: 'customer answered' }] });
  await handle.executeUpdate(reprioritiseUpdate, {
    args: [{ by: 'Grace Hopper', priority: 'critical', reason: 'all EU customers affected' }],
  });
  await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Margaret Hamilton', note: 'on it' }] });
  await handle.executeUpdate(resolveUpdate, {
    args: [{ by: 'Margaret Hamilton', resolution: 'Restarted the gateway', rootCause: 'configuration' }],
  });
  await handle.executeUpdate(feedbackUpdate, { args: [{ by: 'Ada Lovelace', score: 2, comment: 'still failing' }] });
  await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Margaret Hamilton' }] });
  await handle.executeUpdate(resolveUpdate, { args: [{ by: 'Margaret Hamilton', resolution: 'Fixed the adapter' }] });
  await handle.executeUpdate(reopenUpdate, { args: [{ by: 'Grace Hopper', reason: 'the adapter fix was reverted' }] });
  await handle.executeUpdate(acknowledgeUpdate, { args: [{ by: 'Margaret Hamilton' }] });
  await handle.executeUpdate(resolveUpdate, { args: [{ by: 'Margaret Hamilton', resolution: 'Fixed it for good' }] });
  await handle.executeUpdate(feedbackUpdate, { args: [{ by: 'Ada Lovelace', score: 5 }] });

  const store = harness.store;
  const record = await waitFor(
    () => store.getCase(input.id),
    (r) => r?.status === 'closed',
  );
  if (!record) throw new Error('the case was not stored');
  const timeline = await store.timeline(input.id);
  const notifications = await store.notifications(input.id);
  expect(timeline.every((event) => event.details !== null)).toBe(true);

  const document = caseDocument(record, timeline, notifications);
  // The figures are the case's, not empty ones that would trivially match.
  expect(document.escalations.map((e) => [e.kind, e.missedTarget, e.reason])).toEqual([
    ['automatic', 'ack', expect.stringMatching(/^not acknowledged by Frontline support within 30m/)],
    ['manual', null, 'needs a manager'],
  ]);
  // An hour of virtual time, plus the real milliseconds the updates around it took.
  expect(document.pauses.map((p) => [p.reason, (p.durationMs ?? 0) >= HOUR])).toEqual([['waiting-on-customer', true]]);
  const actions = recordedActions({ record, timeline, notifications }).map((a) => a.action);
  expect(actions.map((a) => a.kind)).toEqual([
    'escalate',
    'pause',
    'resume',
    'reprioritise',
    'acknowledge',
    'resolve',
    'feedback',
    'acknowledge',
    'resolve',
    'reopen',
    'acknowledge',
    'resolve',
    'feedback',
  ]);
  expect(actions).toContainEqual({
    kind: 'reprioritise',
    by: 'Grace Hopper',
    priority: 'critical',
    reason: 'all EU customers affected',
  });
  expect(actions).toContainEqual({ kind: 'reopen', by: 'Grace Hopper', reason: 'the adapter fix was reverted' });
  expect(actions).toContainEqual({ kind: 'feedback', by: 'Ada Lovelace', score: 2, comment: 'still failing' });
  const report = (events: TimelineRecord[]) =>
    summarize({
      cases: [record],
      timelines: new Map([[input.id, events]]),
      from: '2000-01-01T00:00:00.000Z',
      to: '2100-01-01T00:00:00.000Z',
      groupBy: 'category',
      now: record.updatedAt,
    });
  const summary = report(timeline);
  expect(summary.total).toMatchObject({ cases: 1, ackBreached: 1, reopened: 1 });

  const rewritten = reworded(timeline);
  expect(figures(caseDocument(record, rewritten, notifications))).toEqual(figures(document));
  expect(recordedActions({ record, timeline: rewritten, notifications })).toEqual(
    recordedActions({ record, timeline, notifications }),
  );
  expect(report(rewritten)).toEqual(summary);
});
