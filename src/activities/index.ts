// Side effects of an escalation, built by a factory so the worker injects real dependencies and tests inject fakes.
// Every activity is idempotent: a retry never writes a record or sends a notification twice.
import { ApplicationFailure } from '@temporalio/activity';
import { UnknownChannelError, type ChannelRegistry, type OutgoingMessage } from '../channels/channel';
import { PermanentDeliveryError, TransientDeliveryError } from '../channels/delivery-errors';
import { resolveTargets, type Directory } from '../oncall/resolve-targets';
import type { Recipient, SlaTimes, TimelineEvent } from '../shared/escalation';
import { FEEDBACK_URL_PLACEHOLDER } from '../shared/notifications';
import type { CalendarSpec, LevelTargets, TargetRef, WarningPolicy } from '../shared/plan';
import { computeDue, warningAt, type Interval } from '../sla/clock';
import type { CaseSnapshot } from '../shared/snapshot';
import type { CaseStore, NotificationClaim, NotificationStatus } from '../store/case-store';
import { causeMessage, isRejectedData } from '../store/errors';
import type { ActivityMetrics } from '../metrics/activity-metrics';
import { sanitizeDeep } from '../shared/control-characters';
import { TemplateError, type TemplateLibrary } from '../templates/library';
import { toCaseRecord, toTimelineRecord } from './case-record';
import { whileHeartbeating } from './heartbeat';

export interface ActivityDeps {
  store: CaseStore;
  channels: ChannelRegistry;
  /** Signs the reporter's feedback links; without it a feedback request asks for a score by reply instead. */
  links?: { feedbackUrl(caseId: string, round: number): string };
  /** The organisation's notification templates (TEMPLATES_DIR); without them every notice keeps its built-in text. */
  templates?: TemplateLibrary;
  /** Told when a template fails to render; the notice's built-in text is sent instead. */
  onTemplateError?: (error: TemplateError, message: OutgoingMessage) => void;
  /** Told when the store refused a step's data (it was stored with the refused characters replaced, or not at all). */
  onRecordRefused?: (caseId: string, reason: string) => void;
  /** Deliveries, SLA lateness, breaches and retries for /metrics (src/metrics); absent: nothing is recorded. */
  metrics?: ActivityMetrics;
}

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

/** One step of a case: what to record and whom to tell. */
export interface RecordInput extends DocumentInput {
  notifications: NotifyInput[];
}

export interface RecordOutcome {
  /** Why the store refused the step as it was (it was then stored with the refused characters replaced). */
  documentationRefused?: string;
  /** Notifications that failed for good (bad address, unknown channel), with why. */
  failed: { idempotencyKey: string; reason: string }[];
}

/** Where deliver claims a notification and marks it sent. */
interface NotificationLedger {
  claim(claim: NotificationClaim): Promise<'new' | NotificationStatus>;
  sent(idempotencyKey: string, sentAt: string): Promise<void>;
}

/**
 * A ledger for the notifications of one step: the claims made in the same tick go to the store in one call. Each
 * sent mark is written as soon as its channel accepted the message, so that a worker killed mid-step leaves as
 * little as possible claimed-but-unmarked (which a retry sends again: at least once).
 */
function batchedLedger(store: CaseStore): NotificationLedger {
  let waiting: {
    claim: NotificationClaim;
    resolve: (status: 'new' | NotificationStatus) => void;
    reject: (error: unknown) => void;
  }[] = [];
  const flushClaims = () => {
    const batch = waiting;
    waiting = [];
    store.claimNotifications(batch.map((item) => item.claim)).then(
      (statuses) => {
        for (const item of batch) item.resolve(statuses.get(item.claim.idempotencyKey) ?? 'pending');
      },
      (error: unknown) => {
        for (const item of batch) item.reject(error);
      },
    );
  };
  return {
    claim: (claim) =>
      new Promise((resolve, reject) => {
        if (waiting.length === 0) queueMicrotask(flushClaims);
        waiting.push({ claim, resolve, reject });
      }),
    sent: (key, at) => store.markNotificationSent(key, at),
  };
}

/**
 * Writes a step to the store. Data the store refuses is written again with the characters it cannot keep replaced
 * (U+FFFD); the refusal is returned, never thrown, so the case records it and goes on (retrying the same data would
 * fail forever and hold the case up). Connection failures are thrown as they are and retried.
 */
async function recordSteps(
  store: CaseStore,
  snapshot: CaseSnapshot,
  events: TimelineEvent[],
): Promise<{ refused?: string }> {
  const write = (at: CaseSnapshot, steps: TimelineEvent[]) => {
    const updatedAt = steps.reduce((latest, event) => (event.at > latest ? event.at : latest), at.createdAt);
    return store.recordTransition(
      toCaseRecord(at, updatedAt),
      steps.map((event) => toTimelineRecord(at.id, event)),
    );
  };
  try {
    await write(snapshot, events);
    return {};
  } catch (error) {
    if (!isRejectedData(error)) throw error;
    const refused = causeMessage(error);
    try {
      await write(sanitizeDeep(snapshot), sanitizeDeep(events));
      return { refused: `${refused}; stored with the refused characters replaced` };
    } catch (again) {
      if (!isRejectedData(again)) throw again;
      return { refused: `${refused}; not stored: ${causeMessage(again)}` };
    }
  }
}

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

export const createActivities = ({
  store,
  channels,
  links,
  templates,
  onTemplateError,
  onRecordRefused = () => {},
  metrics,
}: ActivityDeps) => {
  /** Sends one notification once: claimed in the store under its idempotency key before the channel sees it. */
  /** Claims and marks one notification at a time (the notify activity). */
  const directLedger: NotificationLedger = {
    claim: (claim) => store.claimNotification(claim),
    sent: (key, at) => store.markNotificationSent(key, at),
  };

  async function deliver(
    request: NotifyInput,
    step: TimelineEvent[] = [],
    ledger: NotificationLedger = directLedger,
  ): Promise<NotifyOutcome> {
    // Rendered and filled in before the claim, so the stored notice is the text the recipient got; text the store
    // cannot keep (see control-characters) would fail the claim on every retry, so it never reaches a channel either.
    const input = sanitizeDeep(withFeedbackLink(withTemplate(request, templates, onTemplateError), links));
    let channel;
    try {
      channel = channels.get(input.channel);
    } catch (error) {
      if (error instanceof UnknownChannelError) {
        metrics?.deliveryFailed(input, 'permanent');
        throw ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: true });
      }
      throw error;
    }
    const { idempotencyKey, caseId, recipient, audience, subject, body, requestedAt } = input;
    const claimed = await ledger.claim({
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
    // Still pending on a retry: the attempt before may have sent it and died before recording that.
    if (claimed === 'pending' && (await channel.wasDelivered?.(input))) {
      await ledger.sent(idempotencyKey, new Date().toISOString());
      return 'already-sent';
    }
    const delivered = metrics?.handingOver(input, step);
    try {
      await channel.send({ ...input });
    } catch (error) {
      metrics?.deliveryFailed(input, error instanceof PermanentDeliveryError ? 'permanent' : 'transient');
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
    await ledger.sent(idempotencyKey, new Date().toISOString());
    delivered?.();
    return 'sent';
  }

  return {
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

    /**
     * Appends timeline events and the case's latest snapshot to the case store, in one transaction. Data the store
     * refuses (a NUL, an unpaired surrogate) is written with those characters replaced instead: retrying it as it is
     * would fail forever and hold the case up.
     */
    async document({ snapshot, events }: DocumentInput): Promise<void> {
      metrics?.attemptStarted('document');
      const { refused } = await recordSteps(store, snapshot, events);
      if (refused !== undefined) onRecordRefused(snapshot.id, refused);
      metrics?.stepRecorded(events);
    },

    /** Sends one notification once: claimed in the store under its idempotency key before the channel sees it. */
    async notify(request: NotifyInput): Promise<NotifyOutcome> {
      metrics?.attemptStarted('notify');
      return deliver(request);
    },

    /**
     * Records one step of a case and sends its notifications: the store write, then every notification in parallel,
     * each claimed under its own idempotency key, so a retry writes and sends only what is missing. Permanent
     * failures (a refused record, an undeliverable notice) come back in the outcome for the case to record; transient
     * ones fail the attempt so that it is retried (after the longest Retry-After a channel asked for).
     */
    record(input: RecordInput): Promise<RecordOutcome> {
      metrics?.attemptStarted('record');
      return whileHeartbeating(() => recordStep(input));
    },
  };

  async function recordStep({ snapshot, events, notifications }: RecordInput): Promise<RecordOutcome> {
    const documentation = await recordSteps(store, snapshot, events);
    if (documentation.refused !== undefined) onRecordRefused(snapshot.id, documentation.refused);
    metrics?.stepRecorded(events);
    // One claim statement for the whole step instead of one per notification.
    const ledger = batchedLedger(store);
    const results = await Promise.allSettled(
      notifications.map((notification) => deliver(notification, events, ledger)),
    );
    const failed: RecordOutcome['failed'] = [];
    const transient: unknown[] = [];
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') return;
      const error: unknown = result.reason;
      const permanent = error instanceof ApplicationFailure && error.nonRetryable;
      if (!permanent) {
        transient.push(error);
        return;
      }
      failed.push({
        idempotencyKey: (notifications[index] as NotifyInput).idempotencyKey,
        reason: error.type ? `${error.type}: ${error.message}` : error.message,
      });
    });
    if (transient.length > 0) {
      const delays = transient
        .map((error) => (error instanceof ApplicationFailure ? error.nextRetryDelay : undefined))
        .filter((delay): delay is number => typeof delay === 'number');
      const first = transient[0];
      throw ApplicationFailure.create({
        type: 'NotificationRetry',
        message: `${transient.length} of ${notifications.length} notifications not delivered yet: ${first instanceof Error ? first.message : String(first)}`,
        ...(delays.length > 0 ? { nextRetryDelay: Math.max(...delays) } : {}),
      });
    }
    return {
      ...(documentation.refused !== undefined ? { documentationRefused: documentation.refused } : {}),
      failed,
    };
  }
};

export type EscalationActivities = ReturnType<typeof createActivities>;
export type { SimulationActivities, SimulationRequest } from './simulation-types';
