// The case store's behaviour, checked identically on embedded PGlite and on a real PostgreSQL server.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CaseRecord, CaseStore, NotificationClaim, TimelineRecord } from '../../src/store/case-store';
import { isRejectedData } from '../../src/store/errors';
import { openCaseStore } from '../../src/store/open-store';
import { openPgliteClient } from '../../src/store/pglite-client';
import { SqlCaseStore } from '../../src/store/sql-store';
import { createTestSchema } from '../support/postgres-schema';

/** A store plus raw SQL on the same database, to reset it between tests and to look behind the interface. */
interface Harness {
  store: CaseStore;
  sql<T>(text: string): Promise<T[]>;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  open: () => Promise<Harness>;
}

async function openPgliteHarness(): Promise<Harness> {
  const client = await openPgliteClient();
  const store = new SqlCaseStore(client);
  await store.migrate();
  return {
    store,
    sql: async <T>(text: string) => (await client.query<T>(text)).rows,
    close: () => store.close(),
  };
}

async function openPostgresHarness(): Promise<Harness> {
  const schema = await createTestSchema('store_test');
  const store = await openCaseStore({ databaseUrl: schema.url });
  await schema.admin.query(`SET search_path TO ${schema.name}`);
  return {
    store,
    sql: async <T>(text: string) => (await schema.admin.query(text)).rows as T[],
    close: async () => {
      await store.close();
      await schema.drop();
    },
  };
}

const BACKENDS: Backend[] = [
  { name: 'PGlite in memory', open: openPgliteHarness },
  { name: 'PostgreSQL', open: openPostgresHarness },
];

function makeCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: 'case-1',
    workflowId: 'escalation-case-1',
    title: 'Checkout returns 500',
    description: 'Every card payment fails since 09:00.',
    category: 'payments',
    priority: 'high',
    status: 'open',
    levelIndex: 0,
    levelName: 'First line',
    owner: null,
    unowned: false,
    reporterName: 'Ada Lovelace',
    reporterEmail: 'ada@example.com',
    attemptedSteps: ['restarted the browser', 'tried another card'],
    matrixVersion: 'sha256:abc123',
    ackDueAt: '2025-03-01T09:15:00.000Z',
    resolveDueAt: '2025-03-01T13:00:00.000Z',
    nextAction: 'escalate',
    nextAt: '2025-03-01T09:15:00.000Z',
    createdAt: '2025-03-01T09:00:00.000Z',
    updatedAt: '2025-03-01T09:00:00.000Z',
    resolvedAt: null,
    resolution: null,
    revision: 1,
    assignees: [],
    slaDueAt: '2025-03-01T09:15:00.000Z',
    paused: false,
    snapshot: null,
    ...overrides,
  };
}

function makeEvent(seq: number, overrides: Partial<TimelineRecord> = {}): TimelineRecord {
  return {
    caseId: 'case-1',
    seq,
    at: `2025-03-01T09:0${seq}:00.000Z`,
    type: 'opened',
    levelIndex: 0,
    levelName: 'First line',
    by: null,
    note: null,
    details: null,
    ...overrides,
  };
}

function makeNotification(overrides: Partial<NotificationClaim> = {}): NotificationClaim {
  return {
    idempotencyKey: 'case-1:1:reporter',
    caseId: 'case-1',
    channel: 'email',
    recipient: 'ada@example.com',
    audience: 'reporter',
    subject: '[case-1] We received your report',
    body: 'We are on it.',
    requestedAt: '2025-03-01T09:00:01.000Z',
    ...overrides,
  };
}

describe.each(BACKENDS)('case store on $name', ({ open }) => {
  let harness: Harness;
  let store: CaseStore;

  beforeAll(async () => {
    harness = await open();
    store = harness.store;
  });

  afterAll(async () => {
    await harness?.close();
  });

  beforeEach(async () => {
    await harness.sql('TRUNCATE timeline_events, notifications, cases, command_requests');
    await harness.sql('ALTER SEQUENCE case_number_seq RESTART WITH 1');
  });

  describe('data the store refuses', () => {
    it.each([
      ['a NUL in a text column', { title: 'a\u0000b' }],
      ['a NUL in the jsonb snapshot', { snapshot: { note: 'a\u0000b' } as unknown as CaseRecord['snapshot'] }],
      [
        'an unpaired surrogate in the jsonb snapshot',
        { snapshot: { note: 'a\ud800b' } as unknown as CaseRecord['snapshot'] },
      ],
    ])('is refused as data (never retried as it is): %s', async (_what, overrides) => {
      const error: unknown = await store.recordTransition(makeCase(overrides), []).then(
        () => undefined,
        (refused: unknown) => refused,
      );
      expect(error).toBeDefined();
      expect(isRejectedData(error)).toBe(true);
      expect(await store.getCase('case-1')).toBeUndefined();
    });
  });

  describe('command requests', () => {
    const request = {
      caseId: 'case-1',
      requestId: 'rid-1',
      command: 'POST /a',
      fingerprint: 'f1',
      createdAt: '2026-03-02T10:00:00.000Z',
    };

    it('records the first use of a Request-Id and answers it as first recorded on every later claim', async () => {
      const first = await store.claimCommand(request);
      expect(first).toEqual({ ...request, status: 'pending', reason: null, detail: null, finishedAt: null });
      const reused = await store.claimCommand({ ...request, command: 'POST /b', fingerprint: 'f2' });
      expect(reused).toEqual(first);
    });

    it('keeps the first outcome of a command', async () => {
      await store.claimCommand(request);
      await store.finishCommand('case-1', 'rid-1', {
        status: 'refused',
        reason: 'AlreadyAcknowledged',
        detail: 'case-1 is already acknowledged',
        finishedAt: '2026-03-02T10:00:01.000Z',
      });
      await store.finishCommand('case-1', 'rid-1', { status: 'applied', finishedAt: '2026-03-02T10:00:02.000Z' });
      expect(await store.getCommand('case-1', 'rid-1')).toEqual({
        ...request,
        status: 'refused',
        reason: 'AlreadyAcknowledged',
        detail: 'case-1 is already acknowledged',
        finishedAt: '2026-03-02T10:00:01.000Z',
      });
      expect(await store.getCommand('case-2', 'rid-1')).toBeUndefined();
    });
  });

  test('migrate is idempotent: running it again leaves each migration recorded once and a working store', async () => {
    await store.migrate();
    await store.migrate();

    expect(await harness.sql('SELECT version, name FROM schema_migrations ORDER BY version')).toEqual([
      { version: 1, name: 'init' },
      { version: 2, name: 'delivery-status' },
      { version: 3, name: 'lifecycle' },
      { version: 4, name: 'command-requests' },
      { version: 5, name: 'timeline-details' },
    ]);
    await store.recordTransition(makeCase(), []);
    expect(await store.getCase('case-1')).toEqual(makeCase());
  });

  test('recordTransition stores the case snapshot and its timeline events', async () => {
    const snapshot = makeCase({ revision: 2 });
    const events = [
      makeEvent(1),
      makeEvent(2, {
        type: 'handed_off',
        by: 'system',
        note: 'paged first line',
        details: { recipients: ['Grace Hopper', 'Ünïcode 🚨'], reason: 'new case', pauseEnded: 'waiting-on-customer' },
      }),
    ];

    await store.recordTransition(snapshot, events);

    expect(await store.getCase('case-1')).toEqual(snapshot);
    // The details come back as the same data (jsonb), not as text.
    expect(await store.timeline('case-1')).toEqual(events);
  });

  test('a replayed recordTransition writes no duplicate events and keeps the snapshot', async () => {
    const snapshot = makeCase({ revision: 2 });
    const events = [makeEvent(1), makeEvent(2, { type: 'notified' })];

    await store.recordTransition(snapshot, events);
    await store.recordTransition(snapshot, events);

    expect(await store.getCase('case-1')).toEqual(snapshot);
    expect(await store.timeline('case-1')).toEqual(events);
    expect(await harness.sql('SELECT count(*)::int AS n FROM timeline_events')).toEqual([{ n: 2 }]);
  });

  test('an older snapshot never overwrites a newer one, while a newer one replaces it', async () => {
    const acknowledged = makeCase({
      revision: 2,
      status: 'acknowledged',
      owner: 'grace',
      updatedAt: '2025-03-01T09:05:00.000Z',
    });
    const stale = makeCase({ revision: 1, title: 'stale title' });
    const resolved = makeCase({
      revision: 3,
      status: 'resolved',
      owner: 'grace',
      nextAction: null,
      nextAt: null,
      resolvedAt: '2025-03-01T10:00:00.000Z',
      resolution: 'Rolled back the payment gateway release.',
      updatedAt: '2025-03-01T10:00:00.000Z',
    });

    await store.recordTransition(acknowledged, [makeEvent(1), makeEvent(2, { type: 'acknowledged', by: 'grace' })]);
    await store.recordTransition(stale, [makeEvent(1)]);
    expect(await store.getCase('case-1')).toEqual(acknowledged);

    await store.recordTransition(resolved, [makeEvent(3, { type: 'resolved', by: 'grace' })]);
    expect(await store.getCase('case-1')).toEqual(resolved);
  });

  test('a failing recordTransition stores neither the snapshot nor any event', async () => {
    const badEvent = makeEvent(2, { at: 'not a timestamp' });

    await expect(store.recordTransition(makeCase(), [makeEvent(1), badEvent])).rejects.toThrow();

    expect(await store.getCase('case-1')).toBeUndefined();
    expect(await store.timeline('case-1')).toEqual([]);
  });

  test('recordTransition rejects events that belong to another case', async () => {
    await expect(store.recordTransition(makeCase(), [makeEvent(1, { caseId: 'case-2' })])).rejects.toMatchObject({
      name: 'StoreInvalidInput',
    });
    expect(await store.getCase('case-1')).toBeUndefined();
  });

  test('getCase of an unknown id is undefined', async () => {
    expect(await store.getCase('no-such-case')).toBeUndefined();
  });

  describe('listCases', () => {
    const cases: CaseRecord[] = [
      makeCase({ id: 'low-open', priority: 'low', nextAt: '2025-03-01T10:00:00.000Z' }),
      makeCase({ id: 'critical-resolved', priority: 'critical', status: 'resolved', nextAt: null }),
      makeCase({
        id: 'critical-open-later',
        priority: 'critical',
        nextAt: '2025-03-01T11:00:00.000Z',
        createdAt: '2025-03-01T06:00:00.000Z',
      }),
      makeCase({
        id: 'critical-open-sooner',
        priority: 'critical',
        nextAt: '2025-03-01T10:00:00.000Z',
        createdAt: '2025-03-01T08:30:00.000Z',
      }),
      makeCase({
        id: 'critical-acknowledged',
        priority: 'critical',
        status: 'acknowledged',
        nextAt: '2025-03-01T09:30:00.000Z',
        createdAt: '2025-03-01T05:00:00.000Z',
      }),
      makeCase({ id: 'high-open-no-next', priority: 'high', nextAt: null, createdAt: '2025-03-01T04:00:00.000Z' }),
      makeCase({ id: 'high-open-next', priority: 'high', nextAt: '2025-03-01T12:00:00.000Z' }),
      makeCase({ id: 'high-resolved', priority: 'high', status: 'resolved', nextAt: null }),
      makeCase({
        id: 'medium-open-newer',
        priority: 'medium',
        nextAt: '2025-03-01T10:00:00.000Z',
        createdAt: '2025-03-01T08:00:00.000Z',
      }),
      makeCase({
        id: 'medium-open-older',
        priority: 'medium',
        nextAt: '2025-03-01T10:00:00.000Z',
        createdAt: '2025-03-01T07:00:00.000Z',
      }),
    ];
    const byId = (id: string): CaseRecord => cases.find((record) => record.id === id)!;
    const ids = (records: CaseRecord[]): string[] => records.map((record) => record.id);

    beforeEach(async () => {
      for (const record of cases) await store.recordTransition(record, []);
    });

    test('orders by priority, then open before acknowledged before resolved, then earliest next action (none last), then oldest', async () => {
      expect(ids(await store.listCases({}))).toEqual([
        'critical-open-sooner',
        'critical-open-later',
        'critical-acknowledged',
        'critical-resolved',
        'high-open-next',
        'high-open-no-next',
        'high-resolved',
        'medium-open-older',
        'medium-open-newer',
        'low-open',
      ]);
    });

    test('returns whole records', async () => {
      expect(await store.listCases({ priority: 'medium' })).toEqual([
        byId('medium-open-older'),
        byId('medium-open-newer'),
      ]);
    });

    test('filters by status', async () => {
      expect(ids(await store.listCases({ status: 'resolved' }))).toEqual(['critical-resolved', 'high-resolved']);
      expect(ids(await store.listCases({ status: 'acknowledged' }))).toEqual(['critical-acknowledged']);
    });

    test('filters by priority', async () => {
      expect(ids(await store.listCases({ priority: 'critical' }))).toEqual([
        'critical-open-sooner',
        'critical-open-later',
        'critical-acknowledged',
        'critical-resolved',
      ]);
    });

    test('filters by status and priority together', async () => {
      expect(ids(await store.listCases({ status: 'open', priority: 'high' }))).toEqual([
        'high-open-next',
        'high-open-no-next',
      ]);
    });

    test('returns at most limit cases, the most urgent ones', async () => {
      expect(ids(await store.listCases({ limit: 3 }))).toEqual([
        'critical-open-sooner',
        'critical-open-later',
        'critical-acknowledged',
      ]);
      expect(await store.listCases({ limit: 5000 })).toHaveLength(cases.length);
    });

    test('rejects a limit that is not a positive integer', async () => {
      await expect(store.listCases({ limit: 0 })).rejects.toMatchObject({ name: 'StoreInvalidInput' });
      await expect(store.listCases({ limit: 2.5 })).rejects.toMatchObject({ name: 'StoreInvalidInput' });
    });
  });

  test('migrationCandidates selects running cases on another matrix, by version, status and priority, oldest first', async () => {
    const at = (minute: number) => `2025-03-01T09:${String(minute).padStart(2, '0')}:00.000Z`;
    const cases = [
      makeCase({ id: 'old-open', matrixVersion: 'v1', status: 'open', createdAt: at(5) }),
      makeCase({ id: 'old-acked', matrixVersion: 'v1', status: 'acknowledged', priority: 'low', createdAt: at(1) }),
      makeCase({ id: 'older-open', matrixVersion: 'v0', status: 'open', createdAt: at(3) }),
      makeCase({ id: 'current', matrixVersion: 'v2', status: 'open', createdAt: at(0) }),
      makeCase({ id: 'resolved', matrixVersion: 'v1', status: 'resolved', createdAt: at(2) }),
    ];
    for (const record of cases) {
      await store.recordTransition({ ...record, workflowId: `escalation-${record.id}` }, []);
    }
    const ids = async (filter: Parameters<CaseStore['migrationCandidates']>[0]) =>
      (await store.migrationCandidates(filter)).map((record) => record.id);

    expect(await ids({ toVersion: 'v2' })).toEqual(['old-acked', 'older-open', 'old-open']);
    expect(await ids({ toVersion: 'v2', fromVersion: 'v1' })).toEqual(['old-acked', 'old-open']);
    expect(await ids({ toVersion: 'v2', status: 'open' })).toEqual(['older-open', 'old-open']);
    expect(await ids({ toVersion: 'v2', priority: 'low' })).toEqual(['old-acked']);
    expect(await ids({ toVersion: 'v1', limit: 1 })).toEqual(['current']);
  });

  test('casesCreatedBetween returns whole records created in [from, to), oldest first, at most limit', async () => {
    const at = (id: string, createdAt: string) => makeCase({ id, createdAt });
    const records = [
      at('before', '2026-09-30T23:59:59.999Z'),
      at('at-from', '2026-10-01T00:00:00.000Z'),
      at('mid-b', '2026-10-15T12:00:00.000Z'),
      at('mid-a', '2026-10-15T12:00:00.000Z'),
      at('last', '2026-10-31T23:59:59.999Z'),
      at('at-to', '2026-11-01T00:00:00.000Z'),
    ];
    for (const record of records) await store.recordTransition(record, []);
    const ids = (found: CaseRecord[]) => found.map((record) => record.id);

    const window = await store.casesCreatedBetween('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', 5000);
    expect(ids(window)).toEqual(['at-from', 'mid-a', 'mid-b', 'last']);
    expect(window[0]).toEqual(records[1]);
    expect(ids(await store.casesCreatedBetween('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', 2))).toEqual([
      'at-from',
      'mid-a',
    ]);
    expect(await store.casesCreatedBetween('2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z', 10)).toEqual([]);

    for (const limit of [0, 5001, 2.5]) {
      await expect(
        store.casesCreatedBetween('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', limit),
      ).rejects.toMatchObject({
        name: 'StoreInvalidInput',
      });
    }
    await expect(store.casesCreatedBetween('last week', '2026-11-01T00:00:00Z', 10)).rejects.toMatchObject({
      name: 'StoreInvalidInput',
      message: expect.stringContaining('fromIso'),
    });
    await expect(store.casesCreatedBetween('2026-11-01T00:00:00Z', '2026-10-01T00:00:00Z', 10)).rejects.toMatchObject({
      name: 'StoreInvalidInput',
    });
  });

  test('timelinesFor returns every requested case with its events in seq order, across id chunks', async () => {
    const eventsOf = (id: string, seqs: number[]) =>
      seqs.map((seq) => makeEvent(seq, { caseId: id, type: seq === 1 ? 'created' : 'comment' }));
    // Written out of order: the store must sort by seq.
    await store.recordTransition(makeCase({ id: 'b' }), eventsOf('b', [3, 1, 2]));
    await store.recordTransition(makeCase({ id: 'a' }), eventsOf('a', [1]));
    await store.recordTransition(makeCase({ id: 'quiet' }), []);

    const found = await store.timelinesFor(['b', 'quiet', 'a', 'unknown', 'a']);
    expect([...found.keys()]).toEqual(['b', 'quiet', 'a', 'unknown']);
    expect(found.get('b')).toEqual(eventsOf('b', [1, 2, 3]));
    expect(found.get('a')).toEqual(eventsOf('a', [1]));
    expect(found.get('quiet')).toEqual([]);
    expect(found.get('unknown')).toEqual([]);
    expect(await store.timelinesFor([])).toEqual(new Map());

    // 2500 ids take three chunks of 1000; the cases found sit in different chunks.
    const many = Array.from({ length: 2500 }, (_, i) => `missing-${i}`);
    many[10] = 'a';
    many[1500] = 'b';
    many[2499] = 'quiet';
    const chunked = await store.timelinesFor(many);
    expect(chunked.size).toBe(2500);
    expect(chunked.get('a')).toEqual(eventsOf('a', [1]));
    expect(chunked.get('b')).toEqual(eventsOf('b', [1, 2, 3]));
    expect(chunked.get('missing-11')).toEqual([]);
  });

  test('claimNotification returns new, then pending (counting the attempt), then sent once markNotificationSent ran', async () => {
    const notification = makeNotification();

    expect(await store.claimNotification(notification)).toBe('new');
    expect(await store.claimNotification(notification)).toBe('pending');
    expect(await store.notifications('case-1')).toEqual([
      { ...notification, status: 'pending', sentAt: null, attempts: 2, failureReason: null, failedAt: null },
    ]);

    await store.markNotificationSent(notification.idempotencyKey, '2025-03-01T09:00:02.000Z');

    expect(await store.claimNotification(notification)).toBe('sent');
    expect(await store.notifications('case-1')).toEqual([
      {
        ...notification,
        status: 'sent',
        sentAt: '2025-03-01T09:00:02.000Z',
        attempts: 2,
        failureReason: null,
        failedAt: null,
      },
    ]);
  });

  test('claimNotifications claims many at once as claimNotification does each', async () => {
    const first = makeNotification();
    const second = makeNotification({ idempotencyKey: 'case-1:2:assignee', subject: 'Ünïcode 🧯 subject' });
    await store.claimNotification(first);
    await store.markNotificationSent(first.idempotencyKey, '2025-03-01T09:00:01.000Z');

    const claimed = await store.claimNotifications([first, second]);
    expect([...claimed.entries()].sort()).toEqual([
      ['case-1:1:reporter', 'sent'],
      ['case-1:2:assignee', 'new'],
    ]);
    expect(await store.claimNotifications([second])).toEqual(new Map([['case-1:2:assignee', 'pending']]));

    await store.markNotificationSent(second.idempotencyKey, '2025-03-01T09:00:03.000Z');
    expect(
      (await store.notifications('case-1')).map((n) => [n.idempotencyKey, n.status, n.sentAt, n.attempts, n.subject]),
    ).toEqual([
      ['case-1:1:reporter', 'sent', '2025-03-01T09:00:01.000Z', 1, first.subject],
      ['case-1:2:assignee', 'sent', '2025-03-01T09:00:03.000Z', 2, 'Ünïcode 🧯 subject'],
    ]);
    expect(await store.claimNotifications([])).toEqual(new Map());
  });

  test('markNotificationFailed records why delivery failed for good, and a later claim sees it failed', async () => {
    const notification = makeNotification();
    await store.claimNotification(notification);

    await store.markNotificationFailed(notification.idempotencyKey, 'HTTP 404: no_service', '2025-03-01T09:00:03.000Z');

    expect(await store.claimNotification(notification)).toBe('failed');
    expect(await store.notifications('case-1')).toEqual([
      {
        ...notification,
        status: 'failed',
        sentAt: null,
        attempts: 1,
        failureReason: 'HTTP 404: no_service',
        failedAt: '2025-03-01T09:00:03.000Z',
      },
    ]);
    await expect(store.markNotificationFailed('no-such-key', 'x', '2025-03-01T09:00:03.000Z')).rejects.toMatchObject({
      name: 'StoreInvalidInput',
    });
  });

  test('a sent notification stays sent when a late failure is reported', async () => {
    const notification = makeNotification();
    await store.claimNotification(notification);
    await store.markNotificationSent(notification.idempotencyKey, '2025-03-01T09:00:02.000Z');

    await store.markNotificationFailed(notification.idempotencyKey, 'timeout', '2025-03-01T09:00:40.000Z');

    expect((await store.notifications('case-1'))[0]).toMatchObject({
      status: 'sent',
      failureReason: null,
      failedAt: null,
    });
  });

  test('a repeated markNotificationSent keeps the first delivery time', async () => {
    const notification = makeNotification();
    await store.claimNotification(notification);

    await store.markNotificationSent(notification.idempotencyKey, '2025-03-01T09:00:02.000Z');
    await store.markNotificationSent(notification.idempotencyKey, '2025-03-01T09:30:00.000Z');

    expect(await store.notifications('case-1')).toEqual([
      {
        ...notification,
        status: 'sent',
        sentAt: '2025-03-01T09:00:02.000Z',
        attempts: 1,
        failureReason: null,
        failedAt: null,
      },
    ]);
  });

  test('markNotificationSent of a never claimed key fails with StoreInvalidInput', async () => {
    await expect(store.markNotificationSent('no-such-key', '2025-03-01T09:00:02.000Z')).rejects.toMatchObject({
      name: 'StoreInvalidInput',
    });
  });

  test('notifications lists only the given case, oldest request first', async () => {
    const later = makeNotification({ idempotencyKey: 'case-1:2:assignee', requestedAt: '2025-03-01T09:15:00.000Z' });
    const earlier = makeNotification();
    const otherCase = makeNotification({ idempotencyKey: 'case-2:1:reporter', caseId: 'case-2' });
    for (const record of [later, earlier, otherCase]) await store.claimNotification(record);

    expect(await store.notifications('case-1')).toEqual([
      { ...earlier, status: 'pending', sentAt: null, attempts: 1, failureReason: null, failedAt: null },
      { ...later, status: 'pending', sentAt: null, attempts: 1, failureReason: null, failedAt: null },
    ]);
  });

  test('nextCaseNumber counts up from 1 as a number', async () => {
    expect([await store.nextCaseNumber(), await store.nextCaseNumber(), await store.nextCaseNumber()]).toEqual([
      1, 2, 3,
    ]);
  });

  test('timeline returns events in seq order with exact field values, across transitions', async () => {
    const opened = makeEvent(1, { type: 'opened', levelIndex: 0, levelName: 'First line', by: null, note: null });
    const escalated = makeEvent(2, {
      at: '2025-03-01T09:15:00.123Z',
      type: 'escalated',
      levelIndex: 1,
      levelName: 'On-call engineer',
      by: 'system',
      note: 'no acknowledgement within 15m',
    });
    const commented = makeEvent(3, {
      type: 'comment',
      levelIndex: null,
      levelName: null,
      by: 'ada',
      note: 'still down',
    });

    await store.recordTransition(makeCase({ revision: 3 }), [commented, opened]);
    await store.recordTransition(makeCase({ revision: 3 }), [escalated]);

    expect(await store.timeline('case-1')).toEqual([opened, escalated, commented]);
    expect(await store.timeline('other-case')).toEqual([]);
  });

  test('ping resolves while the store is reachable', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe('openCaseStore', () => {
  test('the PGlite store on disk keeps its data after close and reopen from the same directory', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'escalations-store-test-'));
    try {
      const snapshot = makeCase();
      const first = await openCaseStore({ dataDir });
      await first.recordTransition(snapshot, [makeEvent(1)]);
      await first.claimNotification(makeNotification());
      expect(await first.nextCaseNumber()).toBe(1);
      await first.close();

      const reopened = await openCaseStore({ dataDir });
      try {
        expect(await reopened.getCase('case-1')).toEqual(snapshot);
        expect(await reopened.timeline('case-1')).toEqual([makeEvent(1)]);
        expect(await reopened.claimNotification(makeNotification())).toBe('pending');
        expect(await reopened.nextCaseNumber()).toBe(2);
      } finally {
        await reopened.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('an unreachable PostgreSQL fails with StoreUnavailable naming host and port but never the password', async () => {
    const error = await openCaseStore({ databaseUrl: 'postgres://app:s3cret-pw@127.0.0.1:1/escalations' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({ name: 'StoreUnavailable' });
    const message = (error as Error).message;
    expect(message).toContain('PostgreSQL at 127.0.0.1:1/escalations');
    expect(message).toContain('Check DATABASE_URL');
    expect(message).not.toContain('s3cret-pw');
  });

  test('a malformed DATABASE_URL fails with StoreInvalidInput without echoing it', async () => {
    const error = await openCaseStore({ databaseUrl: 'app:s3cret-pw at db-host' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({ name: 'StoreInvalidInput' });
    expect((error as Error).message).not.toContain('s3cret-pw');
  });
});
