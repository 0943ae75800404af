// A notification channel that keeps what it was asked to send: the simulator reports it, tests assert on it.
import type { NotificationChannel, OutgoingMessage } from './channel';

export class CapturingChannel implements NotificationChannel {
  readonly name = 'log';
  readonly sent: OutgoingMessage[] = [];

  async send(message: OutgoingMessage): Promise<void> {
    this.sent.push(message);
    return Promise.resolve();
  }

  /** `[requestedAt, audience, recipient address, subject]` in the order they were requested. */
  summary(): [string, string, string, string][] {
    return [...this.sent]
      .sort(
        (a, b) =>
          a.requestedAt.localeCompare(b.requestedAt) ||
          a.idempotencyKey.localeCompare(b.idempotencyKey, undefined, { numeric: true }),
      )
      .map((m) => [m.requestedAt, m.audience, m.recipient.address, m.subject]);
  }

  clear(): void {
    this.sent.length = 0;
  }
}
