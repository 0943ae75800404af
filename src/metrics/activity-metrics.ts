// What the worker's activities record: deliveries, SLA lateness, breaches and retries. Activities call it through
// this small interface, so they stay testable without a registry (the dependency is optional).
import { Context } from '@temporalio/activity';
import type { OutgoingMessage } from '../channels/channel';
import type { TimelineEvent } from '../shared/escalation';
import type { DeliveryFailure, EscalationMetrics } from './registry';

export interface ActivityMetrics {
  /** Counts a retry when the running activity is past its first attempt. */
  attemptStarted(activity: string): void;
  /** Counts the missed SLA targets among a step's events, once per step (on the activity's first attempt). */
  stepRecorded(events: TimelineEvent[]): void;
  /**
   * Called as a notification is handed to its channel; the answer is called once the channel took it: it counts the
   * delivery and, for a step that reports a missed target or a breach warning, the lateness at hand-over.
   */
  handingOver(message: OutgoingMessage, step: TimelineEvent[]): () => void;
  deliveryFailed(message: OutgoingMessage, failure: DeliveryFailure): void;
}

/** The attempt of the running activity; 1 outside an activity (tests call activities as plain functions). */
export function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

/** An automatic escalation is one nobody asked for (`by` unset): a missed ack or resolve target. */
const isMissedTarget = (event: TimelineEvent) =>
  (event.type === 'escalated' && event.by === undefined) || event.type === 'resolve_breached';

/**
 * The SLA instant a step reports, if any: the workflow stamps a missed target (automatic escalation, resolve breach)
 * and a breach warning at their exact instant, while the step's notifications carry the instant the step ran (a
 * handoff after downtime is requested late). Lateness is measured from the SLA instant.
 */
export function slaInstantOf(step: TimelineEvent[]): string | undefined {
  return step.find((event) => isMissedTarget(event) || event.type === 'breach_warning')?.at;
}

export function activityMetrics(metrics: EscalationMetrics, now: () => number = Date.now): ActivityMetrics {
  return {
    attemptStarted(activity) {
      if (currentAttempt() > 1) metrics.activityRetries.inc({ activity });
    },
    stepRecorded(events) {
      // A retried record replays the same events (the store ignores them): count them on the first attempt only.
      if (currentAttempt() > 1) return;
      for (const event of events) if (isMissedTarget(event)) metrics.breaches.inc({ type: event.type });
    },
    handingOver(message, step) {
      const handedOverMs = now();
      const slaAt = slaInstantOf(step);
      return () => {
        const labels = { channel: message.channel, audience: message.audience };
        metrics.notificationsSent.inc(labels);
        if (slaAt !== undefined) {
          // Worker and Temporal clocks may differ slightly: a notification is never early.
          const lateness = Math.max(0, handedOverMs - Date.parse(slaAt)) / 1000;
          metrics.slaLateness.observe({ audience: message.audience }, lateness);
        }
      };
    },
    deliveryFailed(message, failure) {
      metrics.notificationsFailed.inc({ channel: message.channel, audience: message.audience, failure });
    },
  };
}
