// Reminds the matrix's owner that its review date has passed (escalation procedures should be reviewed yearly).
// Started once a day by the `matrix-review-reminder` Temporal Schedule; one reminder per matrix version and day.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { EscalationActivities } from '../activities';

const { notify } = proxyActivities<EscalationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface MatrixReviewInput {
  name: string;
  version: string;
  versionName?: string;
  owner: { name: string; email: string };
  /** `YYYY-MM-DD`. */
  reviewBy: string;
  channel: string;
}

export type MatrixReviewOutcome = 'not-due' | 'reminded';

export async function matrixReviewWorkflow(input: MatrixReviewInput): Promise<MatrixReviewOutcome> {
  const today = new Date(Date.now()).toISOString().slice(0, 10);
  if (today <= input.reviewBy) return 'not-due';
  const label = input.versionName ? `${input.versionName} (${input.version})` : input.version;
  await notify({
    idempotencyKey: `matrix-review/${input.version}/${today}`,
    caseId: `matrix:${input.version}`,
    channel: input.channel,
    recipient: { name: input.owner.name, address: input.owner.email },
    audience: 'stakeholder',
    subject: `Escalation matrix "${input.name}" is due for review (since ${input.reviewBy})`,
    body: [
      `Hello ${input.owner.name},`,
      '',
      `the escalation matrix "${input.name}", version ${label}, was due for review on ${input.reviewBy}.`,
      'Please review levels, targets, on-call rotations and contacts, then set a new reviewBy date.',
      `(Reminder from ${workflowInfo().workflowId}; one a day until the matrix is updated.)`,
    ].join('\n'),
    requestedAt: new Date(Date.now()).toISOString(),
  });
  return 'reminded';
}
