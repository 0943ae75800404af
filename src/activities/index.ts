// Side effects of an escalation, built by a factory so the worker injects real dependencies and tests inject fakes.
// Every activity is idempotent: a retry never writes a record or sends a notification twice.
import { ApplicationFailure } from '@temporalio/activity';
import { UnknownChannelError, type ChannelRegistry, type OutgoingMessage } from '../channels/channel';
import { PermanentDeliveryError, TransientDeliveryError } from '../channels/delivery-errors';
import { resolveTargets, type Directory } from '../oncall/resolve-targets';
import type { Recipient, SlaTimes, TimelineEvent } from '../shared/escalation';
import type { CalendarSpec, LevelTargets, TargetRef, WarningPolicy } from '../shared/plan';
import { computeDue, warningAt, type Interval } from '../sla/clock';
import type { CaseSnapshot } from '../shared/snapshot';
import type { CaseStore } from '../store/case-store';
import { TemplateError, type TemplateLibrary } from '../templates/library';
import { toCaseRecord, toTimelineRecord } from './case-record';

export interface ActivityDeps {
  store: CaseStore;
  channels: ChannelRegistry;
  /** Signs the reporter's feedback links; without it a feedback request asks for a score by reply instead. */
  links?: { feedbackUrl(caseId: string, round: number): string };
  /** The organisation's notification templates (TEMPLATES_DIR); without them every notice keeps its built-in text. */
  templates?: TemplateLibrary;
  /** Told when a template fails to render; the notice's built-in text is sent instead. */
  onTemplateError?: (error: TemplateError, message: OutgoingMessage) => void;
}

/** Where a feedback request's text puts the reporter's signed link. */
export const FEEDBACK_URL_PLACEHOLDER = '{{feedback_url}}';
/** What stands in for the link when no links are configured. */
export const FEEDBACK_BY_REPLY = '(reply to this message with a score from 1 to 5)';

/** The message with its feedback link filled in; any other message as it is. */
export function withFeedbackLink(message: OutgoingMessage, links: ActivityDeps['links']): OutgoingMessage {
  if (message.feedbackRound === undefined) return message;
  const link = links ? links.feedbackUrl(message.caseId, message.feedbackRound) : FEEDBACK_BY_REPLY;
  const fill = (text: string) => text.split(FEEDBACK_URL_PLACEHOLDER).join(link);
  return { ...message, subject: fill(message.subject), body: fill(message.body) };
}

/**
 * The message with subject and body rendered from its template, when it names one the library has; otherwise (no
 * library, no such template, or a template that fails on this model) the built-in text it came with.
 */
export function withTemplate(
  message: OutgoingMessage,
  templates: TemplateLibrary | undefined,
  onError: ActivityDeps['onTemplateError'] = () => {},
): OutgoingMessage {
  if (!templates || message.template === undefined || message.model === undefined) return message;
  try {
    const rendered = templates.render(message.template, message.model, message.recipient);
    return rendered ? { ...message, ...rendered } : message;
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    onError(error, message);
    return message;
  }
}

export interface DocumentInput {
  snapshot: CaseSnapshot;
  events: TimelineEvent[];
}

/** What the workflow asks to send: exactly what a channel receives. */
export type NotifyInput = OutgoingMessage;

export type NotifyOutcome = 'sent' | 'already-sent' | 'already-failed';

export interface LevelTimesInput {
  startMs: number;
  targets: LevelTargets;
  warning: WarningPolicy | null;
  calendars: Record<string, CalendarSpec>;
  pauses: Interval[];
}

export interface RecipientsInput {
  targets: TargetRef[];
  directory: Directory;
  atMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Due and warning instants of a level's two targets on the SLA clock (business hours, after hours, pauses). */
export function levelTimes({ startMs, targets, warning, calendars, pauses }: LevelTimesInput): SlaTimes {
  const ack = computeDue(startMs, targets.ack, calendars, pauses);
  const resolve = computeDue(startMs, targets.resolve, calendars, pauses);
  const warnAt = (target: LevelTargets['ack']) =>
    warning ? iso(warningAt(startMs, target, warning.atFraction, calendars, pauses)) : undefined;
  const ackWarnAt = warnAt(targets.ack);
  const resolveWarnAt = warnAt(targets.resolve);
  return {
    ackDueAt: iso(ack.dueMs),
    resolveDueAt: iso(resolve.dueMs),
    ...(ackWarnAt ? { ackWarnAt } : {}),
    ...(resolveWarnAt ? { resolveWarnAt } : {}),
    ackBasis: ack.basis,
    resolveBasis: resolve.basis,
  };
}

export const createActivities = ({ store, channels, links, templates, onTemplateError }: ActivityDeps) => ({
  /** Pure SLA arithmetic, run as a local activity so its answer is recorded in the case's history. */
  async computeLevelTimes(input: LevelTimesInput): Promise<SlaTimes> {
    return Promise.resolve(levelTimes(input));
  },

  /** Who a level's targets reach at the handoff instant (on-call looked up then), as a local activity. */
  async resolveRecipients({
    targets,
    directory,
    atMs,
  }: RecipientsInput): Promise<{ recipients: Recipient[]; nobody: string[] }> {
    const { recipients, nobody } = resolveTargets(targets, directory, atMs);
    return Promise.resolve({
      recipients: recipients.map(({ name, channel, address }) => ({ name, channel, address })),
      nobody,
    });
  },

  /** Appends timeline events and the case's latest snapshot to the case store, in one transaction. */
  async document({ snapshot, events }: DocumentInput): Promise<void> {
    const updatedAt = events.reduce((latest, event) => (event.at > latest ? event.at : latest), snapshot.createdAt);
    await store.recordTransition(
      toCaseRecord(snapshot, updatedAt),
      events.map((event) => toTimelineRecord(snapshot.id, event)),
    );
  },

  /** Sends one notification once: claimed in the store under its idempotency key before the channel sees it. */
  async notify(request: NotifyInput): Promise<NotifyOutcome> {
    // Rendered and filled in before the claim, so the stored notice is the text the recipient got.
    const input = withFeedbackLink(withTemplate(request, templates, onTemplateError), links);
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
    if (claimed === 'failed') return 'already-failed';
    try {
      await channel.send({ ...input });
    } catch (error) {
      // Retrying cannot help a bad address or a rejected request: fail for good, so the case records it.
      if (error instanceof PermanentDeliveryError) {
        await store.markNotificationFailed(idempotencyKey, error.reason, new Date().toISOString());
        throw ApplicationFailure.create({
          type: error.name,
          message: error.reason,
          nonRetryable: true,
          details: [{ channel: error.channel, recipient: error.recipient, reason: error.reason }],
        });
      }
      if (error instanceof TransientDeliveryError && error.retryAfterMs !== undefined) {
        throw ApplicationFailure.create({
          type: error.name,
          message: error.message,
          nextRetryDelay: error.retryAfterMs,
        });
      }
      throw error;
    }
    await store.markNotificationSent(idempotencyKey, new Date().toISOString());
    return 'sent';
  },
});

export type EscalationActivities = ReturnType<typeof createActivities>;
