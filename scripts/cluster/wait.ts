// Waiting for a part of the cluster to come up, bounded in time: the wait ends at once when the part exits (with the
// end of its log, which says why) or when the cluster is being stopped (Ctrl-C during start-up).
import { existsSync, readFileSync } from 'node:fs';
import type { ManagedProcess } from '../faults/child-process';

/** The last lines of a log, each cut short: the Temporal server logs long JSON lines with stack traces. */
export function logTail(file: string, lines = 8): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => (line.length > 400 ? `${line.slice(0, 400)}...` : line))
    .join('\n');
}

export async function waitUntilReady(
  part: ManagedProcess,
  probe: () => Promise<boolean>,
  { timeoutMs, intervalMs = 250, signal }: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<void> {
  const { name, logFile } = part.spec;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    if (!part.running) throw new Error(`${name} exited while starting; the end of ${logFile}:\n${logTail(logFile)}`);
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`${name} did not come up within ${Math.round(timeoutMs / 1000)} s${why}; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
