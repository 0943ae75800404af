// GET /worklist over a fake store: the query is checked at the edge, the store's order is kept, and each row says
// how much time is left on the target the case is racing (no Temporal needed).
import type { CaseSnapshot } from '../../src/shared/snapshot';
import type { CaseRecord, CaseStore, WorklistFilter } from '../../src/store/case-store';
import { caseRecord } from '../support/case-records';
import { useOfflineApi } from '../support/offline-api';

const NOW = new Date('2026-03-02T10:00:00.000Z');

const task = (id: string, state: 'open' | 'done' | 'cancelled', blocking: boolean) => ({
  id,
  title: `Task ${id}`,
  owner: { kind: 'person' as const, id: 'grace', name: 'Grace Hopper' },
  recipients: [],
  dueAt: '2026-03-02T12:00:00.000Z',
  blocking,
  state,
  createdAt: '2026-03-02T09:00:00.000Z',
  createdBy: 'Grace',
  remindAt: null,
  remindersSent: 0,
});

/** In the order the store's SQL would return them: the route must not reorder. */
const ROWS: CaseRecord[] = [
  caseRecord('CRIT-BREACHED', {
    priority: 'critical',
    status: 'acknowledged',
    owner: 'grace',
    ackDueAt: '2026-03-02T09:15:00.000Z',
    resolveDueAt: '2026-03-02T09:45:00.000Z',
    slaDueAt: '2026-03-02T09:45:00.000Z',
    snapshot: {
      tasks: [task('T1', 'open', true), task('T2', 'open', false), task('T3', 'done', true)],
    } as unknown as CaseSnapshot,
  }),
  caseRecord('HIGH-SOON', { ackDueAt: '2026-03-02T10:30:00.000Z' }),
  caseRecord('HIGH-PAUSED', { paused: true, slaDueAt: null }),
];

let calls: WorklistFilter[] = [];
const fakeStore = {
  worklist: (filter: WorklistFilter) => {
    calls.push(filter);
    return Promise.resolve(ROWS);
  },
} as unknown as CaseStore;

// Temporal is never dialled: the worklist reads the store only.
const api = useOfflineApi({ store: fakeStore, now: () => NOW });

beforeEach(() => {
  calls = [];
});

/** A reply's JSON: a problem (with field errors) or the worklist. */
type Body = Record<string, unknown> & { errors?: { field: string; message: string }[] };

async function get(query: string): Promise<{ status: number; type: string | null; body: Body }> {
  const response = await fetch(`${api.base}/worklist${query}`);
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Body };
}

describe('GET /worklist', () => {
  it('answers 400 problem+json naming owner when neither owner nor team is given', async () => {
    const reply = await get('');

    expect(reply.status).toBe(400);
    expect(reply.type).toContain('application/problem+json');
    expect(reply.body).toMatchObject({
      type: 'urn:escalations:problem:validation-error',
      status: 400,
      errors: [{ field: 'owner', message: 'give owner or team (or both)' }],
    });
    expect(calls).toEqual([]);
  });

  it('refuses unknown parameters, empty names and limits outside 1..1000', async () => {
    expect((await get('?owner=grace&status=open')).body.errors).toEqual([
      { field: 'status', message: 'is not a known field' },
    ]);
    expect((await get('?owner=')).body.errors).toEqual([{ field: 'owner', message: 'must not be empty' }]);
    expect((await get('?team=ops&limit=0')).status).toBe(400);
    expect((await get('?team=ops&limit=1001')).status).toBe(400);
    expect((await get('?team=ops&limit=two')).status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('passes owner, team and limit to the store as given', async () => {
    await get('?owner=grace');
    await get('?team=support-leads&limit=20');
    await get('?owner=grace&team=support-leads');

    expect(calls).toEqual([
      { owner: 'grace' },
      { team: 'support-leads', limit: 20 },
      { owner: 'grace', team: 'support-leads' },
    ]);
  });

  it("keeps the store's order and says per case what is due, how long is left and what is open", async () => {
    const reply = await get('?owner=grace');

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      count: 3,
      items: [
        {
          id: 'CRIT-BREACHED',
          title: 'Case CRIT-BREACHED',
          priority: 'critical',
          status: 'acknowledged',
          category: 'payments',
          level: { index: 0, name: 'Frontline support' },
          owner: 'grace',
          assignees: ['support-frontline', 'Frontline support'],
          paused: false,
          openTasks: 2,
          blockingTasks: 1,
          // Acknowledged: the resolve target, 15 minutes past.
          nearest: { target: 'resolve', dueAt: '2026-03-02T09:45:00.000Z', msLeft: -900_000, breached: true },
          url: '/escalations/CRIT-BREACHED',
        },
        {
          id: 'HIGH-SOON',
          title: 'Case HIGH-SOON',
          priority: 'high',
          status: 'open',
          category: 'payments',
          level: { index: 0, name: 'Frontline support' },
          owner: 'Frontline support',
          assignees: ['support-frontline', 'Frontline support'],
          paused: false,
          openTasks: 0,
          blockingTasks: 0,
          // Open: the earlier of ack and resolve, 30 minutes ahead.
          nearest: { target: 'ack', dueAt: '2026-03-02T10:30:00.000Z', msLeft: 1_800_000, breached: false },
          url: '/escalations/HIGH-SOON',
        },
        {
          id: 'HIGH-PAUSED',
          title: 'Case HIGH-PAUSED',
          priority: 'high',
          status: 'open',
          category: 'payments',
          level: { index: 0, name: 'Frontline support' },
          owner: 'Frontline support',
          assignees: ['support-frontline', 'Frontline support'],
          paused: true,
          openTasks: 0,
          blockingTasks: 0,
          nearest: null,
          url: '/escalations/HIGH-PAUSED',
        },
      ],
    });
  });
});
