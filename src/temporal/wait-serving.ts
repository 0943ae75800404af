// Waits until a Temporal frontend answers (GetSystemInfo), bounded in time; used by the embedded dev server and by
// the bench's own server. A process that exits meanwhile ends the wait at once with its reason.
import { Connection } from '@temporalio/client';

const POLL_MS = 250;

/**
 * Resolves once `address` answers; rejects with the reason when `exited()` says the server is gone, or once
 * `timeoutMs` has passed without an answer.
 */
export async function waitUntilServing(
  address: string,
  exited: () => string | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const gone = exited();
    if (gone !== undefined) throw new Error(gone);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`the dev server did not answer on ${address} within ${timeoutMs / 1000} s: ${String(error)}`, {
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
