// A record activity that a killed worker was running is retried once its heartbeats stop (the heartbeat timeout,
// seconds), instead of after the whole start-to-close timeout (30 s): the fault suite saw a new case's receipt and
// first handoff arrive 30 s late when the worker was killed just after the create.
import { Context } from '@temporalio/activity';

/** Heartbeats at once and every `everyMs` while `work` runs; outside an activity (unit tests) it only runs `work`. */
export async function whileHeartbeating<T>(work: () => Promise<T>, everyMs = 1_000): Promise<T> {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return work();
  }
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
