// Waits until a workflow has no activity in flight. Time-skipping jumps virtual time at once, so an activity still
// running in real time when time jumps would overrun its timeout in virtual time and be retried for nothing.
import type { WorkflowHandle } from '@temporalio/client';

export async function settle(handle: WorkflowHandle, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const description = await handle.describe();
    const pending = description.raw.pendingActivities?.length ?? 0;
    if (pending === 0 || description.status.name !== 'RUNNING') return;
    if (Date.now() > deadline)
      throw new Error(`${handle.workflowId} still has ${pending} activities running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
