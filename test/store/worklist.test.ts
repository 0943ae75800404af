// The lifecycle migration (3) and the worklist, checked identically on embedded PGlite and on a real PostgreSQL
// server: rows written before the migration survive it, and the worklist finds a person's or team's open cases,
// most urgent first.
import type { CaseSnapshot } from '../../src/shared/snapshot';
import type { CaseRecord, CaseStore } from '../../src/store/case-store';
import { StoreInvalidInput } from '../../src/store/errors';
import { MIGRATIONS, migrate } from '../../src/store/migrations';
import { openPgliteClient } from '../../src/store/pglite-client';
import { openPostgresClient } from '../../src/store/postgres-client';
import type { SqlClient } from '../../src/store/sql-client';
import { SqlCaseStore } from '../../src/store/sql-store';
import { caseRecord, CREATED } from '../support/case-records';
import { createTestSchema } from '../support/postgres-schema';

/** A database migrated only to `version`, with raw SQL on it and a store over it. */
interface Harness {
  client: SqlClient;
  store: CaseStore;
  sql<T>(text: string): Promise<T[]>;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  open: (version: number) => Promise<Harness>;
}

async function harnessOver(client: SqlClient, version: number, close: () => Promise<void>): Promise<Harness> {
  await migrate(client, MIGRATIONS.slice(0, version));
  return {
    client,
    store: new SqlCaseStore(client),
    sql: async <T>(text: string) => (await client.query<T>(text)).rows,
    close,
  };
}

async function openPglite(version: number): Promise<Harness> {
  const client = await openPgliteClient();
  return harnessOver(client, version, () => client.close());
}

async function openPostgres(version: number): Promise<Harness> {
  const schema = await createTestSchema('worklist_test');
  const client = await openPostgresClient(schema.url);
  return harnessOver(client, version, async () => {
    await client.close();
    await schema.drop();
  });
}

const BACKENDS: Backend[] = [
  { name: 'PGlite in memory', open: openPglite },
  { name: 'PostgreSQL', open: openPostgres },
];

/** A case as the workflow documents it, with every nested kind of value the row's jsonb has to keep. */
function makeSnapshot(id: string): CaseSnapshot {
  const level = { index: 1, id: 'team-lead', name: 'Team lead' };
  const grace = { kind: 'person' as const, id: 'grace', name: 'Grace Hopper' };
  const recipient = { name: 'Grace Hopper', channel: 'email', address: 'grace@example.com' };
  return {
    id,
    workflowId: `escalation/${id}`,
    revision: 9,
    title: 'Checkout fails for EU customers — "502" <again>',
    description: 'Card payments are declined with error 502 since 09:00.',
    status: 'acknowledged',
    priority: 'critical',
    category: 'payments',
    tags: ['eu', 'checkout'],
    triage: { rule: 'payments-outage', path: 'payments', priority: 'critical' },
    level,
    owner: 'Grace Hopper',
    unowned: false,
    sla: {
      ackDueAt: '2026-03-02T09:15:00.000Z',
      resolveDueAt: '2026-03-02T13:00:00.000Z',
      ackBasis: 'calendar',
      resolveBasis: 'business',
    },
    warned: { ack: true, resolve: false },
    paused: null,
    pauses: [{ start: '2026-03-02T09:20:00.000Z', end: '2026-03-02T09:25:00.000Z' }],
    next: { action: 'task_reminder', at: '2026-03-02T11:00:00.000Z', reason: 'task', item: 'T1' },
    matrixVersion: 'sha256:abc123',
    matrixVersionName: '2026.11',
    reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
    attemptedSteps: ['Restarted the payment pod'],
    createdAt: CREATED,
    levelEnteredAt: '2026-03-02T09:10:00.000Z',
    acknowledgedAt: '2026-03-02T09:12:00.000Z',
    repeatsSent: 0,
    assignee: grace,
    assignees: ['grace'],
    teams: [{ id: 'payments', name: 'Payments', addedBy: 'Grace', addedAt: CREATED, recipients: [recipient] }],
    tasks: [
      {
        id: 'T1',
        title: 'Roll back the gateway',
        owner: grace,
        recipients: [recipient],
        dueAt: '2026-03-02T12:00:00.000Z',
        blocking: true,
        state: 'open',
        createdAt: CREATED,
        createdBy: 'Grace',
        remindAt: '2026-03-02T11:00:00.000Z',
        remindersSent: 0,
      },
    ],
    subscribers: [],
    breaches: 1,
    feedback: [],
    reopenCount: 0,
    eventsRecorded: 9,
    runs: 1,
    levelRecipients: [recipient],
    notificationsSent: 4,
  };
}

describe.each(BACKENDS)('migration 3 (lifecycle) on $name', ({ open }) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await open(2);
  });

  afterAll(async () => {
    await harness?.close();
  });

  test('applies on top of 2 with existing rows, filling the new columns from what the rows know', async () => {
    const insert = (id: string, status: string, owner: string | null, ack: string | null, resolve: string | null) =>
      harness.client.query(
        `INSERT INTO cases (id, workflow_id, title, category, priority, status, level_index, level_name, owner,
           unowned, reporter_name, reporter_email, attempted_steps, matrix_version, ack_due_at, resolve_due_at,
           created_at, updated_at, revision)
         VALUES ($1, 'escalation/' || $1, 'Old case', 'payments', 'high', $2, 0, 'Frontline support', $3, false,
           'Ada', 'ada@example.com', '[]', 'sha256:old', $4, $5, '${CREATED}', '${CREATED}', 3)`,
        [id, status, owner, ack, resolve],
      );
    await insert('OLD-1', 'open', 'Frontline support', '2026-03-02T09:30:00.000Z', '2026-03-02T09:20:00.000Z');
    await insert('OLD-2', 'acknowledged', 'grace', '2026-03-02T09:30:00.000Z', '2026-03-03T09:00:00.000Z');
    await insert('OLD-3', 'resolved', null, null, null);

    await harness.store.migrate();

    expect(await harness.sql('SELECT version, name FROM schema_migrations ORDER BY version')).toEqual([
      { version: 1, name: 'init' },
      { version: 2, name: 'delivery-status' },
      { version: 3, name: 'lifecycle' },
      { version: 4, name: 'command-requests' },
      { version: 5, name: 'timeline-details' },
    ]);
    expect(await harness.store.getCase('OLD-1')).toMatchObject({
      status: 'open',
      assignees: ['Frontline support'],
      slaDueAt: '2026-03-02T09:20:00.000Z', // the earlier of the two targets
      paused: false,
      snapshot: null,
      revision: 3,
    });
    expect(await harness.store.getCase('OLD-2')).toMatchObject({
      assignees: ['grace'],
      slaDueAt: '2026-03-03T09:00:00.000Z',
      paused: false,
      snapshot: null,
    });
    expect(await harness.store.getCase('OLD-3')).toMatchObject({ assignees: [], slaDueAt: null, snapshot: null });
    expect(await harness.sql('SELECT id, status_rank FROM cases ORDER BY id')).toEqual([
      { id: 'OLD-1', status_rank: 0 },
      { id: 'OLD-2', status_rank: 1 },
      { id: 'OLD-3', status_rank: 2 },
    ]);
    expect((await harness.store.worklist({ owner: 'grace' })).map((c) => c.id)).toEqual(['OLD-2']);
  });

  test('accepts the closed and cancelled statuses, ranking them after resolved, and still rejects others', async () => {
    await harness.store.recordTransition(caseRecord('NEW-1', { status: 'closed', revision: 5, slaDueAt: null }), []);
    await harness.store.recordTransition(caseRecord('NEW-2', { status: 'cancelled', revision: 5, slaDueAt: null }), []);

    expect(await harness.sql("SELECT id, status_rank FROM cases WHERE id LIKE 'NEW-%' ORDER BY id")).toEqual([
      { id: 'NEW-1', status_rank: 3 },
      { id: 'NEW-2', status_rank: 3 },
    ]);
    expect((await harness.store.listCases({})).map((c) => [c.id, c.status])).toEqual([
      ['OLD-1', 'open'],
      ['OLD-2', 'acknowledged'],
      ['OLD-3', 'resolved'],
      ['NEW-1', 'closed'],
      ['NEW-2', 'cancelled'],
    ]);
    expect((await harness.store.listCases({ status: 'cancelled' })).map((c) => c.id)).toEqual(['NEW-2']);
    await expect(
      harness.store.recordTransition(caseRecord('NEW-3', { status: 'archived' as CaseRecord['status'] }), []),
    ).rejects.toThrow(/cases_status_check/);
  });

  test('keeps the indexes that serve the list and the worklist', async () => {
    const indexes = await harness.sql<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'cases' ORDER BY indexname",
    );
    expect(indexes.map((index) => index.indexname)).toEqual([
      'cases_assignees_idx',
      'cases_created_idx',
      'cases_open_owner_idx',
      'cases_pkey',
      'cases_priority_urgency_idx',
      'cases_status_urgency_idx',
      'cases_urgency_idx',
      'cases_worklist_idx',
    ]);
  });
});

describe.each(BACKENDS)('worklist on $name', ({ open }) => {
  let harness: Harness;
  let store: CaseStore;

  beforeAll(async () => {
    harness = await open(MIGRATIONS.length);
    store = harness.store;
  });

  afterAll(async () => {
    await harness?.close();
  });

  beforeEach(async () => {
    await harness.sql('TRUNCATE timeline_events, notifications, cases');
  });

  const record = (cases: CaseRecord[]) => Promise.all(cases.map((c) => store.recordTransition(c, [])));
  const ids = (cases: CaseRecord[]) => cases.map((c) => c.id);

  test('puts critical before high, the breached or nearest target first, paused cases last in their priority', async () => {
    await record([
      caseRecord('HIGH-LATER', { slaDueAt: '2026-03-02T12:00:00.000Z' }),
      caseRecord('HIGH-PAUSED', { paused: true, slaDueAt: null }),
      caseRecord('HIGH-BREACHED', { slaDueAt: '2026-03-02T08:00:00.000Z' }),
      caseRecord('HIGH-SOON', { slaDueAt: '2026-03-02T09:30:00.000Z' }),
      caseRecord('CRITICAL-LATER', { priority: 'critical', slaDueAt: '2026-03-03T09:00:00.000Z' }),
      caseRecord('CRITICAL-PAUSED', { priority: 'critical', paused: true, slaDueAt: null }),
      caseRecord('LOW-BREACHED', { priority: 'low', slaDueAt: '2026-03-01T09:00:00.000Z' }),
      caseRecord('HIGH-NO-TARGET', { slaDueAt: null }),
    ]);

    expect(ids(await store.worklist({ team: 'support-frontline' }))).toEqual([
      'CRITICAL-LATER',
      'CRITICAL-PAUSED',
      'HIGH-BREACHED',
      'HIGH-SOON',
      'HIGH-LATER',
      'HIGH-NO-TARGET',
      'HIGH-PAUSED',
      'LOW-BREACHED',
    ]);
  });

  test('breaks ties on the same due instant by creation time, then id', async () => {
    const due = { slaDueAt: '2026-03-02T10:00:00.000Z' };
    await record([
      caseRecord('B', { ...due, createdAt: '2026-03-02T08:00:00.000Z' }),
      caseRecord('A', { ...due, createdAt: '2026-03-02T08:30:00.000Z' }),
      caseRecord('C', { ...due, createdAt: '2026-03-02T08:00:00.000Z' }),
    ]);

    expect(ids(await store.worklist({ team: 'support-frontline' }))).toEqual(['B', 'C', 'A']);
  });

  test('finds an owner by the owner column or among the assignees; a team among the assignees only', async () => {
    await record([
      caseRecord('OWNED', { owner: 'grace', assignees: ['support-leads'] }),
      caseRecord('ASSIGNED', { owner: 'Team lead', assignees: ['support-leads', 'grace'] }),
      caseRecord('TEAM-ONLY', { owner: 'Team lead', assignees: ['support-leads'] }),
      caseRecord('OWNER-NAMED-LIKE-TEAM', { owner: 'support-leads', assignees: [] }),
      caseRecord('OTHER', { owner: 'linus', assignees: ['payments'] }),
    ]);

    expect(ids(await store.worklist({ owner: 'grace' })).sort()).toEqual(['ASSIGNED', 'OWNED']);
    expect(ids(await store.worklist({ team: 'support-leads' })).sort()).toEqual(['ASSIGNED', 'OWNED', 'TEAM-ONLY']);
    expect(ids(await store.worklist({ owner: 'support-leads' })).sort()).toEqual([
      'ASSIGNED',
      'OWNED',
      'OWNER-NAMED-LIKE-TEAM',
      'TEAM-ONLY',
    ]);
    // Both given: both must hold.
    expect(ids(await store.worklist({ owner: 'grace', team: 'support-leads' })).sort()).toEqual(['ASSIGNED', 'OWNED']);
    expect(ids(await store.worklist({ owner: 'grace', team: 'payments' }))).toEqual([]);
    expect(ids(await store.worklist({ owner: 'nobody' }))).toEqual([]);
  });

  test('lists open and acknowledged cases only', async () => {
    await record([
      caseRecord('OPEN'),
      caseRecord('ACKED', { status: 'acknowledged', owner: 'grace', slaDueAt: '2026-03-03T09:00:00.000Z' }),
      caseRecord('RESOLVED', { status: 'resolved', slaDueAt: null, resolvedAt: CREATED, resolution: 'fixed' }),
      caseRecord('CLOSED', { status: 'closed', slaDueAt: null }),
      caseRecord('CANCELLED', { status: 'cancelled', slaDueAt: null }),
    ]);

    expect(ids(await store.worklist({ team: 'support-frontline' }))).toEqual(['OPEN', 'ACKED']);
  });

  test('returns at most 100 cases unless asked for more, never more than 1000', async () => {
    await harness.sql(
      `INSERT INTO cases (id, workflow_id, title, category, priority, status, level_index, level_name, owner, unowned,
         reporter_name, reporter_email, attempted_steps, matrix_version, created_at, updated_at, revision, assignees)
       SELECT 'C-' || lpad(n::text, 4, '0'), 'escalation/C-' || n, 'Case', 'payments', 'high', 'open', 0,
         'Frontline support', NULL, false, 'Ada', 'ada@example.com', '[]', 'sha256:abc123', '${CREATED}', '${CREATED}',
         1, ARRAY['ops']
       FROM generate_series(1, 1001) AS n`,
    );

    expect(await store.worklist({ team: 'ops' })).toHaveLength(100);
    expect(ids(await store.worklist({ team: 'ops', limit: 3 }))).toEqual(['C-0001', 'C-0002', 'C-0003']);
    expect(await store.worklist({ team: 'ops', limit: 5000 })).toHaveLength(1000);
  });

  test('refuses a worklist without owner or team, and a bad limit', async () => {
    await expect(store.worklist({})).rejects.toThrow(StoreInvalidInput);
    await expect(store.worklist({})).rejects.toThrow('worklist needs an owner or a team (or both)');
    await expect(store.worklist({ team: 'ops', limit: 0 })).rejects.toThrow(
      'worklist limit must be a positive integer, got 0',
    );
  });

  test('keeps the whole snapshot, assignees, SLA instant and pause through a round trip', async () => {
    const snapshot = makeSnapshot('SNAP-1');
    const stored = caseRecord('SNAP-1', {
      status: 'acknowledged',
      priority: 'critical',
      owner: 'Grace Hopper',
      assignees: ['grace', 'Grace Hopper', 'payments'],
      slaDueAt: '2026-03-02T13:00:00.000Z',
      revision: 9,
      snapshot,
    });
    await store.recordTransition(stored, []);

    expect(await store.getCase('SNAP-1')).toEqual(stored);
    expect((await store.worklist({ team: 'payments' }))[0]?.snapshot).toEqual(snapshot);
    expect((await store.listCases({ status: 'acknowledged' }))[0]?.snapshot).toEqual(snapshot);

    const paused = {
      ...stored,
      revision: 10,
      paused: true,
      slaDueAt: null,
      snapshot: { ...snapshot, revision: 10, paused: { since: CREATED, reason: 'waiting-for-customer', by: 'Grace' } },
    };
    await store.recordTransition(paused, []);
    expect(await store.getCase('SNAP-1')).toEqual(paused);

    // An older snapshot never overwrites the newer one, its jsonb included.
    await store.recordTransition(stored, []);
    expect((await store.getCase('SNAP-1'))?.snapshot).toEqual(paused.snapshot);
  });

  test('stores a missing snapshot as SQL NULL', async () => {
    await record([caseRecord('NO-SNAP')]);

    expect(await harness.sql("SELECT snapshot IS NULL AS missing FROM cases WHERE id = 'NO-SNAP'")).toEqual([
      { missing: true },
    ]);
  });
});
