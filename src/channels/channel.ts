// The one interface every notification channel implements (log today; email, Slack and webhooks plug in later).
import type { Audience } from '../shared/notifications';

export interface OutgoingMessage {
  /** Stable across retries: a channel that supports it passes this on so receivers can drop duplicates. */
  idempotencyKey: string;
  caseId: string;
  channel: string;
  recipient: { name: string; address: string };
  audience: Audience;
  subject: string;
  body: string;
  /** The workflow instant the notification belongs to (a handoff, a reminder...), not when a retry ran. */
  requestedAt: string;
  /**
   * Set on a reporter's feedback request: the signed link is filled in by the notify activity (every
   * FEEDBACK_URL_PLACEHOLDER, `{{feedback_url}}`, in subject and body), so no secret enters workflow history.
   */
  feedbackRound?: number;
  /**
   * The template (`<audience>/<event>`, a file under TEMPLATES_DIR) that renders subject and body from `model` in
   * the notify activity; when the worker has no such template, `subject` and `body` are sent as they are.
   */
  template?: string;
  /** The notice's view model (src/workflows/notice-model.ts): case facts plus the event's fields. */
  model?: unknown;
}

export interface NotificationChannel {
  readonly name: string;
  send(message: OutgoingMessage): Promise<void>;
  /**
   * Whether a message with this idempotency key already reached the channel. Asked only before re-sending a
   * notification whose earlier attempt died between sending and recording it (a worker killed mid-step); a channel
   * that can look (the log file) answers, so the retry does not deliver twice. Without it: at least once.
   */
  wasDelivered?(message: OutgoingMessage): Promise<boolean>;
}

export class UnknownChannelError extends Error {
  override readonly name = 'UnknownChannel';
}

export class ChannelRegistry {
  private readonly channels = new Map<string, NotificationChannel>();

  constructor(channels: NotificationChannel[]) {
    for (const channel of channels) this.channels.set(channel.name, channel);
  }

  get(name: string): NotificationChannel {
    const channel = this.channels.get(name);
    if (!channel) {
      throw new UnknownChannelError(`no notification channel "${name}" (configured: ${this.names().join(', ')})`);
    }
    return channel;
  }

  names(): string[] {
    return [...this.channels.keys()];
  }
}
