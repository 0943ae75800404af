// A case store that stays down: the case's SLA timers fire on time all the same, a record failing for 5 minutes is
// flagged on the case (record_delayed), and everything is written once the store is back.
import { StoreUnavailable } from '../../src/store/errors';
import type { CaseStore } from '../../src/store/case-store';
import { stateQuery } from '../../src/shared/messages';
import { MINUTE, testPlan } from '../support/plan';
import { waitFor } from '../support/wait';
import { createHarness, type Harness } from '../support/workflow-harness';

let harness: Harness;
let storeDown = false;

/** The real store, except that writes fail as a lost connection does while `storeDown`. */
function outage(store: CaseStore): CaseStore {
  return new Proxy(store, {
    get(target, key: keyof CaseStore) {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (storeDown && (key === 'recordTransition' || key === 'claimNotification' || key === 'claimNotifications')) {
          return Promise.reject(new StoreUnavailable('cannot reach the case store: connection refused'));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

beforeAll(async () => {
  harness = await createHarness('time-skipping', { wrapStore: outage });
});
afterAll(async () => {
  storeDown = false;
  await harness?.close();
});

it('escalates on time while the store is down, flags a record failing past its bound, and writes it all once it is back', async () => {
  storeDown = true;
  const input = {
    id: 'OUT-1',
    title: 'Payments down',
    category: 'technical',
    priority: 'high' as const,
    reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
    attemptedSteps: [],
  };
  // The bound in real seconds: the time-skipping server does not skip time while an activity keeps retrying.
  const handle = await harness.start(input, testPlan(), { recordPatienceMs: 3_000 });
  const flagged = await waitFor(
    () => handle.query(stateQuery),
    (state) => state.timeline.some((e) => e.type === 'record_delayed'),
    30_000,
  );
  const delayed = flagged.timeline.filter((e) => e.type === 'record_delayed');
  expect(delayed).toHaveLength(1);
  expect(delayed[0]?.note).toMatch(
    /has failed for 3s: .*cannot reach the case store: connection refused.*still retrying$/,
  );
  expect(flagged.timeline.filter((e) => e.type === 'documentation_failed')).toEqual([]);

  // Not harness.sleep: it waits for activities to settle, and these keep failing.
  await harness.env.sleep(31 * MINUTE);
  const escalated = await handle.query(stateQuery);
  expect(escalated.timeline.find((e) => e.type === 'escalated')?.at).toBe(flagged.sla.ackDueAt);
  expect(escalated.level.name).toBe('Team lead');

  storeDown = false;
  await harness.env.sleep(2 * MINUTE);
  const stored = await waitFor(
    () => harness.store.timeline(input.id),
    (timeline) => timeline.length >= escalated.timeline.length,
    30_000,
  );
  expect(stored.slice(0, escalated.timeline.length).map((e) => [e.seq, e.type])).toEqual(
    escalated.timeline.map((e) => [e.seq, e.type]),
  );
  // A long outage costs no history: a flagged record is scheduled once more, and its retries add no events (before,
  // rescheduling with the bound every time ran this case past 4,000 events). Each record is scheduled at most twice.
  const history = await handle.fetchHistory();
  const scheduled = (history.events ?? []).filter((event) => Number(event.eventType) === 10).length;
  const records = new Set(escalated.timeline.map((e) => e.seq)).size;
  expect(scheduled).toBeLessThanOrEqual(2 * records);
  expect((history.events ?? []).length).toBeLessThan(200);
}, 120_000);
