// Why a channel could not deliver, split by whether sending the same message again can ever succeed.

export interface DeliveryErrorDetails {
  /** The channel's name: `email`, `slack`, `webhook`. */
  channel: string;
  /**
   * Who the message was for, safe to show: the e-mail address, or a webhook URL cut down to its origin (Slack
   * incoming-webhook URLs carry their secret in the path, so the full URL never goes into an error).
   */
  recipient: string;
  /** One line for the case's timeline: what the receiving end said or what went wrong on the way. */
  reason: string;
  cause?: unknown;
}

abstract class DeliveryError extends Error {
  readonly channel: string;
  readonly recipient: string;
  readonly reason: string;

  constructor({ channel, recipient, reason, cause }: DeliveryErrorDetails) {
    super(`${channel} delivery to ${recipient} failed: ${reason}`, cause === undefined ? undefined : { cause });
    this.channel = channel;
    this.recipient = recipient;
    this.reason = reason;
  }
}

/**
 * The receiving end refused this message for good (a bad address, an SMTP 5xx rejection, a 4xx from a webhook other
 * than 408/429, a revoked Slack webhook): retrying the same message cannot help, so the activity should fail without
 * retries and the reason go on the case's timeline.
 */
export class PermanentDeliveryError extends DeliveryError {
  override readonly name = 'PermanentDeliveryError';
}

/**
 * The message may get through later (connection refused or reset, a timeout, SMTP 4xx, HTTP 5xx/408/429): the activity
 * should be retried with backoff. `retryAfterMs` is set when the receiver said how long to wait (HTTP Retry-After).
 */
export class TransientDeliveryError extends DeliveryError {
  override readonly name = 'TransientDeliveryError';
  readonly retryAfterMs: number | undefined;

  constructor(details: DeliveryErrorDetails & { retryAfterMs?: number | undefined }) {
    super(details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

export type DeliveryFailure = PermanentDeliveryError | TransientDeliveryError;

/** Keeps text from a receiver (an SMTP reply, an HTTP body) to one short line a timeline can show. */
export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
