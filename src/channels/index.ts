// Builds the notification channels the configuration enables, as one registry the activities look channels up in.
import type { WriteStream } from 'node:fs';
import { ChannelRegistry, type NotificationChannel } from './channel';
import { createEmailChannel } from './email-channel';
import { createLogChannel, logChannelSink } from './log-channel';
import { createSlackChannel } from './slack-channel';
import { createWebhookChannel } from './webhook-channel';

export interface ChannelsConfig {
  /** NOTIFICATION_LOG_FILE: `-` for standard output. */
  notificationLogFile: string;
  /** SMTP_URL: enables the email channel. */
  smtpUrl?: string | undefined;
  /** SMTP_FROM: the sender of e-mails, required with SMTP_URL. */
  smtpFrom?: string | undefined;
  /** WEBHOOK_SECRET: enables the webhook channel and signs its requests. */
  webhookSecret?: string | undefined;
  /** PUBLIC_URL: where people open a case, e.g. https://escalations.example.com; links are left out without it. */
  publicUrl?: string | undefined;
}

export interface Channels {
  registry: ChannelRegistry;
  /** Flushes the log file and closes the SMTP transport; call once the worker has stopped. */
  close(): Promise<void>;
}

export class ChannelConfigError extends Error {
  override readonly name = 'ChannelConfigError';
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** `${publicUrl}/escalations/<id>`, the API's route for one case. */
export function caseUrlBuilder(publicUrl: string): (caseId: string) => string {
  const base = publicUrl.trim().replace(/\/+$/, '');
  return (caseId) => `${base}/escalations/${encodeURIComponent(caseId)}`;
}

/**
 * `log` and `slack` always (Slack needs no configuration: the recipient's address is its webhook URL), `email` with
 * SMTP_URL (and SMTP_FROM), `webhook` with WEBHOOK_SECRET.
 */
export function createChannels(config: ChannelsConfig): Channels {
  // Check everything before opening anything, so a configuration error leaves no file or connection behind.
  const email = present(config.smtpUrl);
  if (email && !present(config.smtpFrom)) {
    throw new ChannelConfigError(
      'SMTP_URL is set but SMTP_FROM is not: set SMTP_FROM to the sender of escalation e-mails, e.g. "Escalations <escalations@example.com>"',
    );
  }
  if (present(config.publicUrl)) {
    let url: URL | undefined;
    try {
      url = new URL(config.publicUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new ChannelConfigError(
        `PUBLIC_URL must be an absolute http(s) URL such as https://escalations.example.com, not "${config.publicUrl}"`,
      );
    }
  }
  const caseUrl = present(config.publicUrl) ? caseUrlBuilder(config.publicUrl) : undefined;
  const closers: (() => Promise<void>)[] = [];

  const sink = logChannelSink(config.notificationLogFile);
  if (sink !== process.stdout) closers.push(() => endStream(sink as WriteStream));
  const logFile = config.notificationLogFile === '-' ? undefined : config.notificationLogFile;
  const channels: NotificationChannel[] = [createLogChannel(sink, logFile)];

  if (email) {
    const channel = createEmailChannel({
      smtpUrl: config.smtpUrl as string,
      from: config.smtpFrom as string,
      ...(caseUrl ? { caseUrl } : {}),
    });
    closers.push(() => channel.close());
    channels.push(channel);
  }
  channels.push(createSlackChannel(caseUrl ? { caseUrl } : {}));
  if (present(config.webhookSecret)) channels.push(createWebhookChannel({ secret: config.webhookSecret }));

  return {
    registry: new ChannelRegistry(channels),
    async close(): Promise<void> {
      await Promise.all(closers.map((close) => close()));
    },
  };
}

function endStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.closed || stream.destroyed) return resolve();
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}
