// What the export, the reports and the what-if replay need to know of a stored timeline event, read from its typed
// details. Events recorded before details existed carry none: for those alone the old sentences are read back
// (./legacy-notes), so a sentence reworded today changes no figure.
import type { TimelineRecord } from '../store/case-store';
import type { Priority } from '../shared/plan';
import { detailsOf, type Addressee, type SlaTarget } from '../shared/timeline';
import * as legacy from './legacy-notes';

/** Who a handoff reached and why the case came to them. */
export function handoffOf(event: TimelineRecord): { names: string[]; why: string | null } {
  const details = detailsOf(event, 'handed_off');
  return details ? { names: details.recipients, why: details.reason } : legacy.splitHandoffNote(event.note);
}

/** The addressee and the channel's reason of a notification that could not be delivered. */
export function deliveryFailureOf(event: TimelineRecord): { to: Addressee; reason: string } | null {
  const details = detailsOf(event, 'notification_failed');
  return details ? { to: details.recipient, reason: details.reason } : legacy.parseFailure(event.note);
}

export interface EscalationFacts {
  /** The SLA target whose miss moved the case; null for a manual escalation. */
  missedTarget: SlaTarget | null;
  /** The reason as the next owner reads it (a manual escalation's own words). */
  reason: string | null;
}

/** Why an `escalated` event happened. `fromName` is the level the case left (for the old sentences). */
export function escalationOf(event: TimelineRecord, fromName: string | null): EscalationFacts {
  const details = detailsOf(event, 'escalated');
  if (!details) return legacy.escalationFromNote(event.note, event.by, fromName);
  return {
    missedTarget: details.trigger === 'manual' ? null : details.trigger === 'ack_target' ? 'ack' : 'resolve',
    reason: details.reason,
  };
}

/** The pause reason (a matrix id) of a `paused` event. */
export function pauseReasonOf(event: TimelineRecord): string | null {
  return detailsOf(event, 'paused')?.reason ?? legacy.pauseReasonFromNote(event.note);
}

/** True when an `unowned` event means the level reached nobody (not: nobody acknowledged after reminders). */
export function reachedNobody(event: TimelineRecord): boolean {
  const details = detailsOf(event, 'unowned');
  return details ? details.cause === 'nobody_reachable' : (event.note ?? '').startsWith('nobody reachable');
}

/** The new priority and the reason of a `reprioritised` event. */
export function reprioritisationOf(event: TimelineRecord): { priority: Priority; reason: string } | undefined {
  const details = detailsOf(event, 'reprioritised');
  return details ? { priority: details.to, reason: details.reason } : legacy.reprioritisationFromNote(event.note);
}

/** The reporter's score and comment of a `feedback_received` event. */
export function feedbackOf(event: TimelineRecord): { score: number; comment?: string } | undefined {
  const details = detailsOf(event, 'feedback_received');
  if (!details) return legacy.feedbackFromNote(event.note);
  return { score: details.score, ...(details.comment ? { comment: details.comment } : {}) };
}

/** A staff reopen's reason; undefined for a reopen that followed an unsatisfied score (the score reopened it). */
export function staffReopenReason(event: TimelineRecord): string | undefined {
  const details = detailsOf(event, 'reopened');
  if (!details) return legacy.staffReopenFromNote(event.note, event.by);
  return details.cause === 'staff' ? details.reason : undefined;
}

/** The resolution in the resolver's words (without root cause and fix). */
export function resolutionOf(event: TimelineRecord): string | null {
  return detailsOf(event, 'resolved')?.resolution ?? event.note;
}

/** The note the acknowledger left, if any. */
export function acknowledgementNoteOf(event: TimelineRecord): string | undefined {
  const details = detailsOf(event, 'acknowledged');
  if (details) return details.note;
  return event.note ?? undefined;
}
