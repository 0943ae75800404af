// When the worker has opened each case: its first notification (the handoff to the first level) on the log channel.
// The API may answer a create before that, so "created" and "opened" are two different moments the bench tells apart.
import type { NotificationTail } from './notification-tail';

export interface CaseOpenings {
  /** Epoch ms each case's first notification arrived, by case id. */
  openedAt: ReadonlyMap<string, number>;
  /** Resolves once every one of `ids` is open, or after `limitMs`; the ids still not open. */
  waitFor(ids: readonly string[], limitMs: number): Promise<number>;
  stop(): void;
}

/** Starts watching for cases whose ids start with `prefix`; call it before the first create. */
export function watchOpenings(tail: NotificationTail, prefix: string): CaseOpenings {
  const openedAt = new Map<string, number>();
  const stop = tail.onArrival(({ line, arrivedAt }) => {
    if (line.caseId.startsWith(prefix) && !openedAt.has(line.caseId)) openedAt.set(line.caseId, arrivedAt);
  });
  return {
    openedAt,
    async waitFor(ids, limitMs) {
      const until = Date.now() + limitMs;
      while (Date.now() < until && ids.some((id) => !openedAt.has(id))) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return ids.filter((id) => !openedAt.has(id)).length;
    },
    stop,
  };
}
