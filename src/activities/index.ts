// Side effects of an escalation, built by a factory so the worker injects real dependencies and tests inject fakes.
// Every activity is idempotent: a retry never writes a record or sends a notification twice.
import { ApplicationFailure } from '@temporalio/activity';
import { UnknownChannelError, type ChannelRegistry, type OutgoingMessage } from '../channels/channel';
import type { TimelineEvent } from '../shared/escalation';
import type { CaseSnapshot } from '../shared/snapshot';
import type { CaseStore } from '../store/case-store';
import { toCaseRecord, toTimelineRecord } from './case-record';

export interface ActivityDeps {
  store: CaseStore;
  channels: ChannelRegistry;
}

export interface DocumentInput {
  snapshot: CaseSnapshot;
  events: TimelineEvent[];
}

/** What the workflow asks to send: exactly what a channel receives. */
export type NotifyInput = OutgoingMessage;

export type NotifyOutcome = 'sent' | 'already-sent';

export const createActivities = ({ store, channels }: ActivityDeps) => ({
  /** Appends timeline events and the case's latest snapshot to the case store, in one transaction. */
  async document({ snapshot, events }: DocumentInput): Promise<void> {
    const updatedAt = events.reduce((latest, event) => (event.at > latest ? event.at : latest), snapshot.createdAt);
    await store.recordTransition(
      toCaseRecord(snapshot, updatedAt),
      events.map((event) => toTimelineRecord(snapshot.id, event)),
    );
  },

  /** Sends one notification once: claimed in the store under its idempotency key before the channel sees it. */
  async notify(input: NotifyInput): Promise<NotifyOutcome> {
    let channel;
    try {
      channel = channels.get(input.channel);
    } catch (error) {
      if (error instanceof UnknownChannelError) {
        throw ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: true });
      }
      throw error;
    }
    const { idempotencyKey, caseId, recipient, audience, subject, body, requestedAt } = input;
    const claimed = await store.claimNotification({
      idempotencyKey,
      caseId,
      channel: input.channel,
      recipient: recipient.address,
      audience,
      subject,
      body,
      requestedAt,
    });
    if (claimed === 'sent') return 'already-sent';
    await channel.send({ ...input });
    await store.markNotificationSent(idempotencyKey, new Date().toISOString());
    return 'sent';
  },
});

export type EscalationActivities = ReturnType<typeof createActivities>;
