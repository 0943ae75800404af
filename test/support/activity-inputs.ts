// What the activity tests hand the activities: numbered case ids, a case opened the way the workflow opens it (on
// the test plan at 2026-03-02 09:00 UTC, calendar targets and contacts only) and notifications of it.
import type { NotifyInput } from '../../src/activities/index';
import type { TimelineEvent } from '../../src/shared/escalation';
import { notificationKey, workflowIdFor } from '../../src/shared/ids';
import type { Plan } from '../../src/shared/plan';
import { toCaseSnapshot, type CaseSnapshot } from '../../src/shared/snapshot';
import { calendarSlaTimes, contactRecipients } from '../../src/workflows/level-facts';
import { enterLevel, levelAt, openCase, startReason } from '../../src/workflows/transitions';
import { testPlan } from './plan';

export const T0 = Date.parse('2026-03-02T09:00:00.000Z');

/** Case ids of one test file, fresh for every test: `caseIds('ACT')` makes ACT-1, ACT-2 and so on. */
export function caseIds(prefix: string): () => string {
  let counter = 0;
  return () => `${prefix}-${++counter}`;
}

/** The handoff notice of a case opened at T0, to the frontline queue, as notification `seq` of the case. */
export function notifyInput(caseId: string, seq: number, overrides: Partial<NotifyInput> = {}): NotifyInput {
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

/** A case opened at T0 and handed to its start level: its snapshot and the events the opening recorded. */
export function openedCase(
  caseId: string,
  title = 'Checkout fails',
  plan: Plan = testPlan(),
): { snapshot: CaseSnapshot; events: TimelineEvent[] } {
  const { transition: t, startIndex } = openCase(
    {
      id: caseId,
      title,
      category: 'payments',
      priority: 'high',
      reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
      attemptedSteps: [],
    },
    plan,
    T0,
  );
  const level = levelAt(t.path, startIndex);
  const sla = calendarSlaTimes(T0, level.sla[t.state.priority], level.warning, []);
  const recipients = contactRecipients(level);
  if (!sla || !recipients) throw new Error('the test plan has calendar targets and contacts only');
  enterLevel(t, startIndex, startReason(t.state, plan, startIndex), { sla, recipients, nobody: [] });
  const decision = t.decision();
  return { snapshot: toCaseSnapshot(decision.state, workflowIdFor(caseId)), events: decision.events };
}
