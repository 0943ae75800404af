// The activities against a real embedded store and a capturing channel: each one idempotent under retries.
import { ApplicationFailure } from '@temporalio/common';
import { createActivities, type NotifyInput } from '../../src/activities/index';
import { ChannelRegistry } from '../../src/channels/channel';
import type { CaseInput } from '../../src/shared/escalation';
import { notificationKey, workflowIdFor } from '../../src/shared/ids';
import { toCaseSnapshot } from '../../src/shared/snapshot';
import type { CaseStore } from '../../src/store/case-store';
import { openCaseStore } from '../../src/store/open-store';
import { applyCommand, openCase } from '../../src/workflows/transitions';
import { CapturingChannel } from '../../src/channels/memory-channel';
import { MINUTE, testPlan } from '../support/plan';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');

let store: CaseStore;
const channel = new CapturingChannel();
let activities: ReturnType<typeof createActivities>;
let counter = 0;

beforeAll(async () => {
  store = await openCaseStore({ inMemory: true });
  activities = createActivities({ store, channels: new ChannelRegistry([channel]) });
});
afterAll(async () => {
  await store?.close();
});
beforeEach(() => {
  channel.clear();
});

/** A fresh case id per test, so tests sharing the store never see each other's rows. */
function nextCaseId(): string {
  counter += 1;
  return `ACT-${counter}`;
}

function notifyInput(caseId: string, seq: number, overrides: Partial<NotifyInput> = {}): NotifyInput {
  return {
    idempotencyKey: notificationKey(workflowIdFor(caseId), seq),
    caseId,
    channel: 'log',
    recipient: { name: 'Frontline support queue', address: 'frontline@example.com' },
    audience: 'assignee',
    subject: `[${caseId}][high] Handoff to Frontline support: Checkout fails`,
    body: 'Case is now with Frontline support.',
    requestedAt: '2026-03-02T09:00:00.000Z',
    ...overrides,
  };
}

describe('notify', () => {
  it('sends a notification once when called twice with the same idempotency key', async () => {
    const caseId = nextCaseId();
    const input = notifyInput(caseId, 1);

    await expect(activities.notify(input)).resolves.toBe('sent');
    await expect(activities.notify(input)).resolves.toBe('already-sent');

    expect(channel.sent).toEqual([input]);
    const stored = await store.notifications(caseId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      idempotencyKey: `escalation/${caseId}/notification/1`,
      caseId,
      channel: 'log',
      recipient: 'frontline@example.com',
      audience: 'assignee',
      subject: input.subject,
      body: input.body,
      requestedAt: '2026-03-02T09:00:00.000Z',
      status: 'sent',
    });
    expect(stored[0]?.sentAt).toEqual(expect.any(String));
  });

  it('sends distinct keys of the same case separately', async () => {
    const caseId = nextCaseId();

    await activities.notify(notifyInput(caseId, 1));
    await activities.notify(
      notifyInput(caseId, 2, { audience: 'reporter', recipient: { name: 'Ada', address: 'ada@x' } }),
    );

    expect(channel.sent.map((m) => [m.idempotencyKey, m.recipient.address])).toEqual([
      [`escalation/${caseId}/notification/1`, 'frontline@example.com'],
      [`escalation/${caseId}/notification/2`, 'ada@x'],
    ]);
    expect((await store.notifications(caseId)).map((n) => n.status)).toEqual(['sent', 'sent']);
  });

  it('sends on the retry a notification that was claimed but never marked sent', async () => {
    const caseId = nextCaseId();
    const input = notifyInput(caseId, 1);
    // An earlier attempt claimed the key and then died before (or while) sending.
    await expect(
      store.claimNotification({
        idempotencyKey: input.idempotencyKey,
        caseId,
        channel: input.channel,
        recipient: input.recipient.address,
        audience: input.audience,
        subject: input.subject,
        body: input.body,
        requestedAt: input.requestedAt,
      }),
    ).resolves.toBe('new');
    expect((await store.notifications(caseId)).map((n) => n.status)).toEqual(['pending']);

    await expect(activities.notify(input)).resolves.toBe('sent');

    expect(channel.sent).toEqual([input]);
    const stored = await store.notifications(caseId);
    expect(stored.map((n) => [n.idempotencyKey, n.status])).toEqual([[input.idempotencyKey, 'sent']]);
    await expect(activities.notify(input)).resolves.toBe('already-sent');
    expect(channel.sent).toHaveLength(1);
  });

  it('fails without retry on an unknown channel and neither sends nor stores anything', async () => {
    const caseId = nextCaseId();
    const error: unknown = await activities.notify(notifyInput(caseId, 1, { channel: 'pager' })).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ApplicationFailure);
    const failure = error as ApplicationFailure;
    expect(failure.type).toBe('UnknownChannel');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('no notification channel "pager" (configured: log)');
    expect(channel.sent).toEqual([]);
    expect(await store.notifications(caseId)).toEqual([]);
  });
});

describe('document', () => {
  const plan = testPlan();

  function caseInput(id: string): CaseInput {
    return {
      id,
      title: 'Checkout fails',
      description: 'Declined with 502',
      category: 'payments',
      priority: 'high',
      reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
      attemptedSteps: ['Restarted the pod'],
    };
  }

  /** Opening, then an acknowledgement: two documentation steps of one case. */
  function twoSteps(caseId: string) {
    const workflowId = workflowIdFor(caseId);
    const opened = openCase(caseInput(caseId), plan, T0);
    const acked = applyCommand(opened.state, plan, { kind: 'acknowledge', by: 'Grace' }, T0 + 5 * MINUTE);
    return {
      first: { snapshot: toCaseSnapshot(opened.state, workflowId), events: opened.events },
      second: { snapshot: toCaseSnapshot(acked.state, workflowId), events: acked.events },
    };
  }

  it('writes each event and the case row once when the same step is documented twice', async () => {
    const caseId = nextCaseId();
    const { first } = twoSteps(caseId);

    await activities.document(first);
    await activities.document(first);

    expect((await store.timeline(caseId)).map((e) => [e.seq, e.type, e.at])).toEqual([
      [1, 'created', '2026-03-02T09:00:00.000Z'],
      [2, 'handed_off', '2026-03-02T09:00:00.000Z'],
      [3, 'reporter_notified', '2026-03-02T09:00:00.000Z'],
    ]);
    expect(await store.getCase(caseId)).toEqual({
      id: caseId,
      workflowId: workflowIdFor(caseId),
      title: 'Checkout fails',
      description: 'Declined with 502',
      category: 'payments',
      priority: 'high',
      status: 'open',
      levelIndex: 0,
      levelName: 'Frontline support',
      owner: 'Frontline support',
      unowned: false,
      reporterName: 'Ada Lovelace',
      reporterEmail: 'ada@example.com',
      attemptedSteps: ['Restarted the pod'],
      matrixVersion: 'test-plan-1',
      ackDueAt: '2026-03-02T09:30:00.000Z',
      resolveDueAt: '2026-03-03T09:00:00.000Z',
      nextAction: 'escalate',
      nextAt: '2026-03-02T09:30:00.000Z',
      createdAt: '2026-03-02T09:00:00.000Z',
      updatedAt: '2026-03-02T09:00:00.000Z',
      resolvedAt: null,
      resolution: null,
      revision: 3,
    });
    expect((await store.listCases({})).filter((c) => c.id === caseId)).toHaveLength(1);
  });

  it('does not rewrite the case row for a repeated revision, even if its content differs', async () => {
    const caseId = nextCaseId();
    const { first } = twoSteps(caseId);

    await activities.document(first);
    await activities.document({ ...first, snapshot: { ...first.snapshot, title: 'Changed on retry' } });

    expect(await store.getCase(caseId)).toMatchObject({ title: 'Checkout fails', revision: 3 });
  });

  it('keeps the newer snapshot when an older one arrives after it', async () => {
    const caseId = nextCaseId();
    const { first, second } = twoSteps(caseId);

    await activities.document(first);
    await activities.document(second);
    await activities.document(first);

    expect(await store.getCase(caseId)).toMatchObject({
      status: 'acknowledged',
      owner: 'Grace',
      revision: 4,
      updatedAt: '2026-03-02T09:05:00.000Z',
      nextAction: 'escalate',
      nextAt: '2026-03-03T09:00:00.000Z',
    });
    expect((await store.timeline(caseId)).map((e) => [e.seq, e.type, e.by])).toEqual([
      [1, 'created', 'Ada Lovelace'],
      [2, 'handed_off', null],
      [3, 'reporter_notified', null],
      [4, 'acknowledged', 'Grace'],
    ]);
  });
});
