// What the worker's activities record, against a real embedded store and a capturing channel, with a fixed clock:
// deliveries and failures by channel and audience, SLA lateness from the instant a step reports, missed targets
// counted once per step, retries by activity type.
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, type NotifyInput, type RecordInput } from '../../src/activities/index';
import { ChannelRegistry, type NotificationChannel } from '../../src/channels/channel';
import { PermanentDeliveryError, TransientDeliveryError } from '../../src/channels/delivery-errors';
import { CapturingChannel } from '../../src/channels/memory-channel';
import { activityMetrics, slaInstantOf } from '../../src/metrics/activity-metrics';
import { createMetrics, type EscalationMetrics } from '../../src/metrics/registry';
import type { TimelineEvent } from '../../src/shared/escalation';
import type { CaseStore } from '../../src/store/case-store';
import { openCaseStore } from '../../src/store/open-store';
import { caseIds, notifyInput, openedCase } from '../support/activity-inputs';
import { histogramOf, valueOf } from './support';

/** The instant an SLA target of the test steps ran out. */
const DUE = '2026-03-02T09:30:00.000Z';
/** The fixed clock of the metrics: 1.5 s after DUE. */
const NOW = Date.parse(DUE) + 1500;

/** A channel named `webhook` that fails every send with `error`. */
class FailingChannel implements NotificationChannel {
  readonly name = 'webhook';
  constructor(private readonly error: () => Error) {}
  send(): Promise<void> {
    return Promise.reject(this.error());
  }
}

let store: CaseStore;
let metrics: EscalationMetrics;
const channel = new CapturingChannel();
let activities: ReturnType<typeof createActivities>;
const nextCaseId = caseIds('MET');

/** Activities whose `webhook` channel fails with `error`, recording into the shared metrics. */
const failingWith = (error: () => Error) =>
  createActivities({
    store,
    channels: new ChannelRegistry([channel, new FailingChannel(error)]),
    metrics: activityMetrics(metrics, () => NOW),
  });

beforeAll(async () => {
  store = await openCaseStore({ inMemory: true });
});
afterAll(async () => {
  await store?.close();
});
beforeEach(() => {
  channel.clear();
  metrics = createMetrics({ processMetrics: false });
  activities = createActivities({
    store,
    channels: new ChannelRegistry([channel]),
    metrics: activityMetrics(metrics, () => NOW),
  });
});

/** A later step of an opened case: `events` numbered after the opening's, with these notifications. */
function step(
  caseId: string,
  events: Omit<TimelineEvent, 'seq'>[],
  notifications: Partial<NotifyInput>[] = [],
): RecordInput {
  const { snapshot, events: openingEvents } = openedCase(caseId);
  const first = openingEvents.length + 1;
  return {
    snapshot,
    events: events.map((event, index) => ({ ...event, seq: first + index })),
    notifications: notifications.map((overrides, index) => notifyInput(caseId, 10 + index, overrides)),
  };
}

const automaticEscalation = (caseId: string, notifications: Partial<NotifyInput>[]) =>
  step(
    caseId,
    [
      { at: DUE, type: 'escalated', level: { index: 1, name: 'Team lead' }, note: 'ack target missed' },
      { at: '2026-03-02T09:30:00.200Z', type: 'handed_off', level: { index: 1, name: 'Team lead' } },
    ],
    notifications.map((n) => ({ requestedAt: '2026-03-02T09:30:00.200Z', ...n })),
  );

describe('notifications', () => {
  it('counts a delivered notification once by channel and audience, however often it is retried', async () => {
    const input = notifyInput(nextCaseId(), 1, { audience: 'reporter' });

    await activities.notify(input);
    await activities.notify(input);

    expect(await valueOf(metrics.registry, 'escalations_notifications_sent_total', { channel: 'log' })).toBe(1);
    expect(
      await valueOf(metrics.registry, 'escalations_notifications_sent_total', { channel: 'log', audience: 'reporter' }),
    ).toBe(1);
    expect(await valueOf(metrics.registry, 'escalations_notifications_failed_total')).toBe(0);
  });

  it('counts a permanent failure once, by channel and audience', async () => {
    const failing = failingWith(
      () => new PermanentDeliveryError({ channel: 'webhook', recipient: 'https://hooks.example.com', reason: '404' }),
    );
    const input = notifyInput(nextCaseId(), 1, { channel: 'webhook', audience: 'stakeholder' });

    await expect(failing.notify(input)).rejects.toThrow('404');
    await expect(failing.notify(input)).resolves.toBe('already-failed');

    expect(
      await valueOf(metrics.registry, 'escalations_notifications_failed_total', {
        channel: 'webhook',
        audience: 'stakeholder',
        failure: 'permanent',
      }),
    ).toBe(1);
    expect(await valueOf(metrics.registry, 'escalations_notifications_sent_total')).toBe(0);
  });

  it('counts every transiently failed attempt', async () => {
    const failing = failingWith(
      () => new TransientDeliveryError({ channel: 'webhook', recipient: 'https://hooks.example.com', reason: '503' }),
    );
    const input = notifyInput(nextCaseId(), 1, { channel: 'webhook' });

    await expect(failing.notify(input)).rejects.toThrow('503');
    await expect(failing.notify(input)).rejects.toThrow('503');

    expect(
      await valueOf(metrics.registry, 'escalations_notifications_failed_total', {
        channel: 'webhook',
        audience: 'assignee',
        failure: 'transient',
      }),
    ).toBe(2);
  });

  it('counts a notification to a channel the worker does not have as a permanent failure', async () => {
    const input = notifyInput(nextCaseId(), 1, { channel: 'pager' });

    await expect(activities.notify(input)).rejects.toThrow('no notification channel "pager"');

    expect(
      await valueOf(metrics.registry, 'escalations_notifications_failed_total', {
        channel: 'pager',
        failure: 'permanent',
      }),
    ).toBe(1);
  });
});

describe('SLA lateness', () => {
  it('measures an automatic escalation from the missed target to the hand-over of its handoff', async () => {
    await activities.record(automaticEscalation(nextCaseId(), [{ audience: 'assignee' }]));

    const lateness = await histogramOf(metrics.registry, 'escalations_sla_lateness_seconds', { audience: 'assignee' });
    expect(lateness).toMatchObject({ count: 1, sum: 1.5 });
    expect(lateness.buckets).toMatchObject({ '1': 0, '2.5': 1, '60': 1, '+Inf': 1 });
  });

  it('measures breach warnings for every audience they reach', async () => {
    const warnAt = '2026-03-02T09:30:01.000Z';
    await activities.record(
      step(
        nextCaseId(),
        [{ at: warnAt, type: 'breach_warning', level: { index: 0, name: 'Frontline' }, note: 'ack target due' }],
        [
          { audience: 'assignee', requestedAt: warnAt },
          { audience: 'stakeholder', requestedAt: warnAt },
        ],
      ),
    );

    expect(
      await histogramOf(metrics.registry, 'escalations_sla_lateness_seconds', { audience: 'assignee' }),
    ).toMatchObject({ count: 1, sum: 0.5 });
    expect(
      await histogramOf(metrics.registry, 'escalations_sla_lateness_seconds', { audience: 'stakeholder' }),
    ).toMatchObject({ count: 1, sum: 0.5 });
  });

  it('measures nothing for a step without a missed target or warning (a manual escalation)', async () => {
    await activities.record(
      step(
        nextCaseId(),
        [{ at: DUE, type: 'escalated', by: 'Grace', level: { index: 1, name: 'Team lead' }, note: 'by hand' }],
        [{ audience: 'assignee' }],
      ),
    );

    expect(await histogramOf(metrics.registry, 'escalations_sla_lateness_seconds')).toMatchObject({ count: 0 });
    expect(await valueOf(metrics.registry, 'escalations_notifications_sent_total')).toBe(1);
  });

  it('takes the SLA instant from the missed target or warning of a step', () => {
    const at = (type: TimelineEvent['type'], when: string, by?: string): TimelineEvent => ({
      seq: 1,
      at: when,
      type,
      ...(by !== undefined ? { by } : {}),
    });
    expect(slaInstantOf([at('escalated', DUE), at('handed_off', '2026-03-02T10:00:00.000Z')])).toBe(DUE);
    expect(slaInstantOf([at('resolve_breached', DUE)])).toBe(DUE);
    expect(slaInstantOf([at('escalated', DUE, 'Grace'), at('handed_off', DUE)])).toBeUndefined();
    expect(slaInstantOf([at('acknowledged', DUE)])).toBeUndefined();
  });
});

describe('breaches', () => {
  it('counts automatic escalations and missed resolve targets, not manual escalations', async () => {
    await activities.record(automaticEscalation(nextCaseId(), []));
    await activities.record(
      step(nextCaseId(), [{ at: DUE, type: 'resolve_breached', level: { index: 3, name: 'Leadership' } }]),
    );
    await activities.record(
      step(nextCaseId(), [{ at: DUE, type: 'escalated', by: 'Grace', level: { index: 1, name: 'Team lead' } }]),
    );

    expect(await valueOf(metrics.registry, 'escalations_breaches_total', { type: 'escalated' })).toBe(1);
    expect(await valueOf(metrics.registry, 'escalations_breaches_total', { type: 'resolve_breached' })).toBe(1);
    expect(await valueOf(metrics.registry, 'escalations_breaches_total')).toBe(2);
  });

  it('counts a step documented by the document activity as well', async () => {
    const { snapshot, events } = automaticEscalation(nextCaseId(), []);

    await activities.document({ snapshot, events });

    expect(await valueOf(metrics.registry, 'escalations_breaches_total', { type: 'escalated' })).toBe(1);
  });
});

describe('activity retries', () => {
  it('counts nothing for activities called outside a worker (first attempt)', async () => {
    await activities.record(automaticEscalation(nextCaseId(), [{}]));

    expect(await valueOf(metrics.registry, 'escalations_activity_retries_total')).toBe(0);
  });

  it('counts attempts after the first by activity type, and a retried step does not count its breach again', async () => {
    const input = automaticEscalation(nextCaseId(), [{}]);
    await new MockActivityEnvironment({ attempt: 1 }).run(
      (recorded: RecordInput) => activities.record(recorded),
      input,
    );
    await new MockActivityEnvironment({ attempt: 2 }).run(
      (recorded: RecordInput) => activities.record(recorded),
      input,
    );
    await new MockActivityEnvironment({ attempt: 3 }).run(
      (recorded: RecordInput) => activities.record(recorded),
      input,
    );
    await new MockActivityEnvironment({ attempt: 2 }).run(
      (n: NotifyInput) => activities.notify(n),
      notifyInput(nextCaseId(), 1),
    );

    expect(await valueOf(metrics.registry, 'escalations_activity_retries_total', { activity: 'record' })).toBe(2);
    expect(await valueOf(metrics.registry, 'escalations_activity_retries_total', { activity: 'notify' })).toBe(1);
    expect(await valueOf(metrics.registry, 'escalations_breaches_total')).toBe(1);
    expect(await valueOf(metrics.registry, 'escalations_notifications_sent_total')).toBe(2);
  });
});

describe('open cases', () => {
  it('reads open and acknowledged cases by level and priority from the store at scrape time', async () => {
    const { snapshot, events } = openedCase(nextCaseId());
    const labels = { level: snapshot.level.name, priority: 'high' };
    metrics.watchOpenCases(() => store.countOpenCases());
    const before = await valueOf(metrics.registry, 'escalations_open_cases', labels);

    await activities.document({ snapshot, events });

    expect(await valueOf(metrics.registry, 'escalations_open_cases', labels)).toBe(before + 1);
    expect(await store.countOpenCases()).toContainEqual({
      levelName: snapshot.level.name,
      priority: 'high',
      count: before + 1,
    });
  });

  it('leaves the gauge empty and reports why when the store cannot count', async () => {
    const errors: unknown[] = [];
    metrics.watchOpenCases(
      () => Promise.reject(new Error('store down')),
      (error) => errors.push(error),
    );

    expect(await metrics.registry.getSingleMetric('escalations_open_cases')?.get()).toMatchObject({ values: [] });
    expect(errors).toEqual([new Error('store down')]);
  });
});
