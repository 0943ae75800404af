// The matrix review reminder: the owner hears once a day that the review date has passed, and not before.
import { waitFor } from '../support/wait';
import { useHarness } from '../support/workflow-harness';
import { matrixReviewWorkflow, type MatrixReviewInput } from '../../src/workflows/matrix-review.workflow';

const harness = useHarness('time-skipping');

const input = (reviewBy: string): MatrixReviewInput => ({
  name: 'Customer support escalation matrix',
  version: 'abc123def456',
  versionName: '2026.11',
  owner: { name: 'Dana Whitfield', email: 'dana@example.com' },
  reviewBy,
  channel: 'log',
});

/**
 * Runs the workflow to completion without the client's automatic time skipping, which would skip virtual time
 * while the notify activity runs in real time (and so time out its attempts).
 */
async function run(reviewBy: string, id: string) {
  const handle = await harness.env.client.workflow.start(matrixReviewWorkflow, {
    workflowId: id,
    taskQueue: harness.taskQueue,
    args: [input(reviewBy)],
  });
  await waitFor(
    () => handle.describe(),
    (description) => description.status.name !== 'RUNNING',
  );
  return handle.result();
}

describe('matrix review reminder', () => {
  it('reminds the owner once the review date has passed, once a day', async () => {
    // Two runs on the same day (a retried schedule action, an overlap) send one reminder.
    expect(await Promise.all([run('2020-01-01', 'review-1'), run('2020-01-01', 'review-2')])).toEqual([
      'reminded',
      'reminded',
    ]);
    const sent = harness.channel.sent.filter((m) => m.caseId === 'matrix:abc123def456');
    expect(sent).toHaveLength(1);
    const day = sent[0]?.requestedAt.slice(0, 10);
    expect(sent[0]).toMatchObject({
      idempotencyKey: `matrix-review/abc123def456/${day}`,
      recipient: { name: 'Dana Whitfield', address: 'dana@example.com' },
      subject: 'Escalation matrix "Customer support escalation matrix" is due for review (since 2020-01-01)',
    });
    expect(sent[0]?.body).toContain('version 2026.11 (abc123def456)');
  });

  it('stays quiet until the review date has passed', async () => {
    expect(await run('2999-12-31', 'review-4')).toBe('not-due');
  });
});
