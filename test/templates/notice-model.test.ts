// Which template the workflow names for each notice, and the model it sends with it: the case's facts in a small,
// JSON-safe shape, with the previous owners from the timeline.
import type { CaseInput } from '../../src/shared/escalation';
import { subscribedNotice } from '../../src/workflows/lifecycle-notices';
import { calendarSlaTimes, contactRecipients } from '../../src/workflows/level-facts';
import {
  enterLevel,
  levelAt,
  notifyReporter,
  openCase,
  recordEscalation,
  startReason,
  Transition,
} from '../../src/workflows/transitions';
import { testPlan } from '../support/plan';
import { OPEN } from './models';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const MINUTE = 60_000;
const plan = testPlan();

const input: CaseInput = {
  id: 'ESC-2026-000007',
  title: 'Checkout fails',
  description: 'Declined with 502',
  category: 'payments',
  priority: 'high',
  reporter: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/Berlin' },
  attemptedSteps: ['Restarted the pod'],
};

function enter(t: Transition, index: number, why: string) {
  const level = levelAt(t.path, index);
  const sla = calendarSlaTimes(t.now, level.sla[t.state.priority], level.warning, []);
  const recipients = contactRecipients(level);
  if (!sla || !recipients) throw new Error('the test plan has calendar targets and contacts only');
  enterLevel(t, index, why, { sla, recipients, nobody: [] });
}

function opened() {
  const { transition: t, startIndex } = openCase(input, plan, T0);
  enter(t, startIndex, startReason(t.state, plan, startIndex));
  notifyReporter(t);
  return t.decision();
}

describe('notice models', () => {
  it('names the handoff and receipt templates when a case opens, with the case’s facts', () => {
    const [handoff, receipt] = opened().notifications;

    expect(handoff).toMatchObject({ audience: 'assignee', template: 'assignee/handoff' });
    expect(handoff?.model).toEqual({
      event: 'handoff',
      why: 'new case',
      lastLevel: false,
      id: 'ESC-2026-000007',
      title: 'Checkout fails',
      priority: 'high',
      category: 'payments',
      status: 'open',
      description: 'Declined with 502',
      reporter: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/Berlin' },
      createdAt: '2026-03-02T09:00:00.000Z',
      attemptedSteps: ['Restarted the pod'],
      evidence: [],
      level: { name: 'Frontline support' },
      owner: 'Frontline support',
      awaitingAck: true,
      sla: { ackDueAt: '2026-03-02T09:30:00.000Z', resolveDueAt: '2026-03-03T09:00:00.000Z' },
      previousOwners: [],
      openTasks: [],
      breaches: 0,
      reopenCount: 0,
      caseUrlPath: '/escalations/ESC-2026-000007',
    });
    expect(receipt).toMatchObject({
      audience: 'reporter',
      template: 'reporter/receipt',
      model: { event: 'receipt', reporter: { timeZone: 'Europe/Berlin' } },
    });
  });

  it('sends a JSON-safe model without the timeline or the plan', () => {
    for (const { model } of opened().notifications) {
      expect(JSON.parse(JSON.stringify(model))).toEqual(model);
      expect(Object.keys(model ?? {})).not.toEqual(expect.arrayContaining(['timeline']));
      expect(JSON.stringify(model)).not.toContain('test-plan-1');
    }
  });

  it('names the leadership template for a handoff to the last level, with the levels that had the case', () => {
    const first = opened();
    const t = new Transition(first.state, plan, T0 + 30 * MINUTE);
    recordEscalation(t, 3, 'jumped by Grace: outage', { trigger: 'manual', by: 'Grace', reason: 'outage' });
    enter(t, 3, 'jumped by Grace: outage');
    const [handoff] = t.decision().notifications;

    expect(handoff).toMatchObject({
      template: 'leadership/handoff',
      model: {
        event: 'handoff',
        why: 'jumped by Grace: outage',
        lastLevel: true,
        level: { name: 'Senior leadership' },
        previousOwners: [{ level: 'Frontline support', at: '2026-03-02T09:00:00.000Z' }],
      },
    });
    // The fallback text is unchanged: the same handoff as to any level.
    expect(handoff?.subject).toBe('[ESC-2026-000007][high] Handoff to Senior leadership: Checkout fails');
  });

  it('gives a subscriber outside the organisation the reporter’s template', () => {
    expect(subscribedNotice(OPEN, 'Grace Hopper', 'reporter').template).toBe('reporter/subscribed');
    expect(subscribedNotice(OPEN, 'Grace Hopper', 'internal').template).toBe('stakeholder/subscribed');
    expect(subscribedNotice(OPEN, 'Grace Hopper').template).toBe('stakeholder/subscribed');
  });
});
