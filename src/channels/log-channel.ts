// The `log` channel: each notification as one JSON line, for development, audits and piping into other tools.
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { NotificationChannel, OutgoingMessage } from './channel';

export interface LineSink {
  write(line: string): unknown;
}

/**
 * `file`: the file the sink appends to, so that a retry after a crash can look for a line it already wrote (its
 * idempotency key) instead of writing it twice.
 */
export function createLogChannel(sink: LineSink, file?: string): NotificationChannel {
  return {
    name: 'log',
    ...(file === undefined
      ? {}
      : {
          async wasDelivered(message: OutgoingMessage): Promise<boolean> {
            let text: string;
            try {
              text = await readFile(file, 'utf8');
            } catch {
              return false;
            }
            return text.includes(`"idempotencyKey":${JSON.stringify(message.idempotencyKey)}`);
          },
        }),
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
