// One step of a case as the pure step functions build it: the state it changes and the timeline events and
// notifications it records. ./transitions (the ladder) and ./lifecycle (everything around it) both build steps, so
// this lives apart from either and neither imports the other for it.
import type { EscalationState, Recipient, TimelineEvent, TimelineEventType } from '../shared/escalation';
import type { Audience } from '../shared/notifications';
import type { Plan } from '../shared/plan';
import type { TimelineDetails } from '../shared/timeline';
import type { Notice } from './notices';

export interface OutgoingNotification extends Notice {
  /** Unique per case and stable on replay and retry: the idempotency key's suffix. */
  seq: number;
  /** The instant of the event it reports (a handoff, a breach at its SLA instant, a resolution). */
  at: string;
  recipient: Recipient;
  audience: Audience;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Accumulates one step's changes, so every path records events and notifications the same way. */
export class CaseStep {
  state: EscalationState;
  readonly events: TimelineEvent[] = [];
  readonly notifications: OutgoingNotification[] = [];

  constructor(
    state: EscalationState,
    readonly plan: Plan,
    readonly now: number,
  ) {
    this.state = { ...state, timeline: [...state.timeline] };
  }

  /** Puts an event on the timeline: a sentence for people and its details as data (what readers use). */
  record<K extends TimelineEventType>(
    type: K,
    fields: Omit<TimelineEvent, 'seq' | 'type' | 'at' | 'details'> & { at?: string; details: TimelineDetails[K] },
  ): void {
    const { at, ...rest } = fields;
    // Counted, not derived from the timeline's length: after continue-as-new the state holds only a recent tail.
    const seq = Math.max(this.state.eventsRecorded, this.state.timeline.length) + 1;
    const event: TimelineEvent = { seq, at: at ?? iso(this.now), type, ...rest };
    this.state.eventsRecorded = seq;
    this.state.timeline.push(event);
    this.events.push(event);
  }

  notify(recipients: Recipient[], audience: Audience, notice: Notice): void {
    const at = this.events.at(-1)?.at ?? iso(this.now);
    for (const recipient of recipients) {
      this.state.notificationsSent += 1;
      this.notifications.push({ seq: this.state.notificationsSent, at, recipient, audience, ...notice });
    }
  }
}
