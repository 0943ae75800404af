// The escalation workflow under the time-skipping test server: exact SLA instants, every notification.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { CaseInput, EscalationState } from '../../src/shared/escalation';
import { acknowledgeUpdate, stateQuery } from '../../src/shared/messages';
import { createHarness, type Harness } from '../support/workflow-harness';
import { HOUR, MINUTE, testPlan } from '../support/plan';

let harness: Harness;
let counter = 0;

beforeAll(async () => {
  harness = await createHarness('time-skipping');
});
afterAll(async () => {
  await harness?.close();
});
beforeEach(() => harness.channel.clear());

function newCase(overrides: Partial<CaseInput> = {}): CaseInput {
  counter += 1;
  return {
    id: `ESC-2026-${String(counter).padStart(6, '0')}`,
    title: 'Checkout fails for EU customers',
    description: 'Card payments are declined with error 502 since 09:00.',
    category: 'technical',
    priority: 'high',
    reporter: { name: 'Ada Lovelace', email: 'ada@example.com' },
    attemptedSteps: ['Restarted the payment pod', 'Checked the status page'],
    ...overrides,
  };
}

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

describe('ack SLA', () => {
  it('escalates to the team lead 30 minutes after handoff when nobody acknowledges', async () => {
    const handle = await harness.start(newCase(), testPlan());
    const opened = await handle.query(stateQuery);
    await harness.env.sleep(31 * MINUTE);
    const state: EscalationState = await handle.query(stateQuery);
    console.log(JSON.stringify(state, null, 1));
    console.log(harness.channel.summary());
    expect(state.level.name).toBe('Team lead');
    expect(state.timeline.find((e) => e.type === 'escalated')?.at).toBe(plus(opened.createdAt, 30 * MINUTE));
  });
});
