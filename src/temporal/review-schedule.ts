// Keeps the daily `matrix-review-reminder` Temporal Schedule in step with the matrix the API serves: created or
// updated on start when the matrix names an owner and a review date, removed when it no longer does.
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleOptionsAction,
} from '@temporalio/client';
import type { Plan } from '../shared/plan';
import { matrixReviewWorkflow } from '../workflows/matrix-review.workflow';

export const REVIEW_SCHEDULE_ID = 'matrix-review-reminder';

export async function syncReviewSchedule(
  client: Client,
  taskQueue: string,
  plan: Plan,
): Promise<'upserted' | 'removed' | 'none'> {
  const handle = client.schedule.getHandle(REVIEW_SCHEDULE_ID);
  if (!plan.owner || !plan.reviewBy) {
    try {
      await handle.delete();
      return 'removed';
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return 'none';
      throw error;
    }
  }
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: matrixReviewWorkflow,
    taskQueue,
    workflowId: 'matrix-review',
    args: [
      {
        name: plan.name,
        version: plan.version,
        ...(plan.versionName ? { versionName: plan.versionName } : {}),
        owner: plan.owner,
        reviewBy: plan.reviewBy,
        channel: plan.reporterChannel,
      },
    ],
  };
  const spec = { calendars: [{ hour: 9, minute: 0, comment: 'daily at 09:00 UTC' }] };
  try {
    await client.schedule.create({
      scheduleId: REVIEW_SCHEDULE_ID,
      spec,
      action,
      memo: { purpose: 'matrix review reminder' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await handle.update((previous) => ({ ...previous, spec, action }));
  }
  return 'upserted';
}
