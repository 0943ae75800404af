// A case run by the real workflow with the shipped templates (templates/): what the reporter and the owners receive
// and what the store records are the rendered texts, with times in the reporter's zone.
import path from 'node:path';
import type { CaseInput } from '../../src/shared/escalation';
import { openedUpdate } from '../../src/shared/messages';
import { formatInstant, TemplateLibrary } from '../../src/templates/library';
import { MINUTE, testPlan } from '../support/plan';
import { waitFor } from '../support/wait';
import { createHarness, type Harness } from '../support/workflow-harness';

let harness: Harness;

beforeAll(async () => {
  const templates = TemplateLibrary.load(path.resolve(__dirname, '../../templates'), {
    publicUrl: 'https://escalations.example.com',
  });
  harness = await createHarness('time-skipping', { templates });
});
afterAll(async () => {
  await harness?.close();
});

const input: CaseInput = {
  id: 'TPL-1',
  title: 'Checkout fails for EU customers',
  description: 'Card payments are declined with error 502 since 09:00.',
  category: 'technical',
  priority: 'high',
  reporter: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/Berlin' },
  attemptedSteps: ['Restarted the payment pod'],
};

async function sent(count: number) {
  const messages = await waitFor(
    () => harness.channel.sent.filter((m) => m.caseId === input.id),
    (found) => found.length >= count,
  );
  return messages.sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey, undefined, { numeric: true }));
}

it('sends the rendered templates: the receipt in the reporter’s zone, handoffs with previous owners', async () => {
  const handle = await harness.start(input, testPlan());
  const opened = await handle.executeUpdate(openedUpdate);
  const ackDueAt = opened.sla.ackDueAt ?? '';

  const [handoff, receipt] = await sent(2);
  expect(receipt).toMatchObject({ audience: 'reporter', template: 'reporter/receipt' });
  expect(receipt?.subject).toBe('[TPL-1] We have your case: Checkout fails for EU customers');
  expect(receipt?.body).toContain(`you can expect a first response by ${formatInstant(ackDueAt, 'Europe/Berlin')}.`);
  expect(formatInstant(ackDueAt, 'Europe/Berlin')).toMatch(/ CES?T$/);
  expect(receipt?.body).not.toContain('Frontline support');
  expect(handoff?.subject).toBe('[TPL-1][high] Handoff to Frontline support: Checkout fails for EU customers');
  expect(handoff?.body).toContain('Previous owners:\n(none: Frontline support is the first to have it)');
  expect(handoff?.body).toContain('Open the case: https://escalations.example.com/escalations/TPL-1');

  // Nobody acknowledges: the team lead is told who had it before.
  await harness.sleep(31 * MINUTE);
  const [, , next] = await sent(3);
  expect(next?.subject).toBe('[TPL-1][high] Handoff to Team lead: Checkout fails for EU customers');
  expect(next?.body).toContain(`Why: not acknowledged by Frontline support within 30m (ack target)`);
  expect(next?.body).toContain(`Previous owners:\n- Frontline support, from ${formatInstant(opened.createdAt)}\n`);

  const stored = await harness.store.notifications(input.id);
  expect(stored.map((n) => [n.subject, n.body])).toEqual([handoff, receipt, next].map((m) => [m?.subject, m?.body]));
});
