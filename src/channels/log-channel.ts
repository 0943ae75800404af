// The `log` channel: each notification as one JSON line, for development, audits and piping into other tools.
import { createWriteStream } from 'node:fs';
import type { NotificationChannel, OutgoingMessage } from './channel';

export interface LineSink {
  write(line: string): unknown;
}

export function createLogChannel(sink: LineSink): NotificationChannel {
  return {
    name: 'log',
    async send(message: OutgoingMessage): Promise<void> {
      const line = {
        channel: 'log',
        idempotencyKey: message.idempotencyKey,
        caseId: message.caseId,
        recipient: message.recipient,
        audience: message.audience,
        subject: message.subject,
        body: message.body,
        requestedAt: message.requestedAt,
      };
      sink.write(`${JSON.stringify(line)}\n`);
      return Promise.resolve();
    },
  };
}

/** `-` is standard output; anything else is a file appended to. */
export function logChannelSink(target: string): LineSink {
  return target === '-' ? process.stdout : createWriteStream(target, { flags: 'a' });
}
