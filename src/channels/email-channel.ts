// The `email` channel: sends each notification as a text and HTML e-mail through one SMTP server.
import { createHash } from 'node:crypto';
import nodemailer, { type NodemailerError, type Transporter } from 'nodemailer';
import { escapeHtml } from '../shared/escape-html';
import type { NotificationChannel, OutgoingMessage } from './channel';
import { PermanentDeliveryError, TransientDeliveryError, oneLine, type DeliveryFailure } from './delivery-errors';

export interface EmailChannelOptions {
  /** smtp://user:pass@host:587 or smtps://...:465; query options (e.g. ?pool=true) are passed to nodemailer. */
  smtpUrl: string;
  /** Sender, e.g. `Escalations <escalations@example.com>`. */
  from: string;
  /** Replaces the SMTP transport built from smtpUrl (tests); it is not closed by close(). */
  transport?: Transporter;
  /** Link to the case in the HTML header, when the app has a public URL. */
  caseUrl?: (caseId: string) => string;
  /**
   * Deadline for one whole send (connect, greeting, envelope, data). Default 20 s: an attempt must end before the
   * notify activity's start-to-close timeout, or Temporal starts a second attempt while the first may still deliver.
   */
  timeoutMs?: number;
}

export type EmailChannel = NotificationChannel & { close(): Promise<void> };

// Nodemailer waits minutes by default; an activity attempt should fail fast and be retried instead.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000, dnsTimeout: 5_000 };
const DEFAULT_SEND_TIMEOUT_MS = 20_000;

/**
 * Deliberately stricter than RFC 5322: one plain `local@domain.tld` mailbox. Anything else (a display name, a list, a
 * line break) is a mistake in the matrix or directory, better reported at once than by a bounce.
 */
const MAILBOX =
  /^[^\s@<>()[\]\\,;:"]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,63}$/u;

export function isEmailAddress(address: string): boolean {
  return address.length <= 254 && MAILBOX.test(address);
}

/**
 * The same key always gives the same Message-ID, so a receiving system (or a ticketing tool reading the mailbox) can
 * drop the second copy when a retry resends a message the SMTP server had in fact accepted.
 */
export function messageIdFor(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex')}@escalations>`;
}

export { escapeHtml };

/** Header fields must stay on one line: a line break in a subject or name would start a new header. */
function headerText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

/** A blank line starts a paragraph, a single line break stays a line break; everything else is escaped text. */
export function emailHtml(message: OutgoingMessage, caseUrl?: (caseId: string) => string): string {
  const paragraphs = message.body
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${paragraph.split('\n').map(escapeHtml).join('<br>\n')}</p>`);
  const caseId = escapeHtml(message.caseId);
  const caseLabel = caseUrl ? `<a href="${escapeHtml(caseUrl(message.caseId))}">${caseId}</a>` : caseId;
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"></head>',
    '<body style="font-family: sans-serif; line-height: 1.4;">',
    `<p style="color: #555; font-size: 12px;">Escalation case ${caseLabel} &middot; ${escapeHtml(message.audience)}</p>`,
    `<h1 style="font-size: 18px;">${escapeHtml(headerText(message.subject))}</h1>`,
    ...paragraphs,
    '</body></html>',
  ].join('\n');
}

/** What an SMTP failure means for a retry. Exported for tests that cannot make a server fail in every way. */
export function classifySmtpError(error: unknown, recipient: string, timeoutMs?: number): DeliveryFailure {
  const err = (error ?? {}) as NodemailerError;
  const base = { channel: 'email', recipient, cause: error };
  if (err.code === 'EABORT') {
    const within = timeoutMs === undefined ? '' : ` within ${timeoutMs} ms`;
    return new TransientDeliveryError({ ...base, reason: `the SMTP server did not take the message${within}` });
  }
  const reply = err.response ? oneLine(err.response) : undefined;
  const during = err.command ? ` (${err.command})` : '';
  const code = err.originalCode ?? err.code;
  // A rejected login is the operator's to fix (SMTP_URL credentials), not the message's fault: keep retrying so the
  // notifications still go out once it is fixed, instead of failing every one of them for good.
  if (code === 'EAUTH' || code === 'ENOAUTH') {
    return new TransientDeliveryError({
      ...base,
      reason: `SMTP login failed (${reply ?? oneLine(err.message ?? String(error), 160)}); check the credentials in SMTP_URL`,
    });
  }
  if (typeof err.responseCode === 'number') {
    const reason = `SMTP server replied ${reply ?? err.responseCode}${during}`;
    // RFC 5321: 5yz is a permanent refusal (no such mailbox, bad address, policy), 4yz a temporary one. 503 is the
    // exception: a bad command sequence in this session, not a verdict on the message.
    if (err.responseCode >= 500 && err.responseCode < 600 && err.responseCode !== 503) {
      return new PermanentDeliveryError({ ...base, reason });
    }
    return new TransientDeliveryError({ ...base, reason });
  }
  // Nodemailer refused the envelope itself (an address it cannot use): no server would take it either.
  if (err.code === 'EENVELOPE') {
    return new PermanentDeliveryError({ ...base, reason: oneLine(err.message) });
  }
  // Connection refused/reset, timeouts, DNS and TLS problems: the server or the network may recover while the activity
  // keeps retrying, and then the notification still goes out.
  const detail = oneLine(err.message ?? String(error), 160);
  return new TransientDeliveryError({
    ...base,
    reason: `cannot reach the SMTP server (${code ? `${code}: ` : ''}${detail})`,
  });
}

export function createEmailChannel(options: EmailChannelOptions): EmailChannel {
  if (!options.from.trim()) throw new Error('the email channel needs a sender: set SMTP_FROM');
  const ownsTransport = options.transport === undefined;
  const timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  const transport: Transporter =
    options.transport ?? nodemailer.createTransport({ url: options.smtpUrl, ...SMTP_TIMEOUTS });
  return {
    name: 'email',
    async send(message: OutgoingMessage): Promise<void> {
      const address = message.recipient.address.trim();
      if (!isEmailAddress(address)) {
        throw new PermanentDeliveryError({
          channel: 'email',
          recipient: oneLine(address, 80) || '(empty)',
          reason: `"${oneLine(address, 80)}" is not an e-mail address; fix the recipient's address in the matrix or directory`,
        });
      }
      try {
        await transport.sendMail({
          from: options.from,
          to: { name: headerText(message.recipient.name), address },
          subject: headerText(message.subject),
          text: message.body,
          html: emailHtml(message, options.caseUrl),
          messageId: messageIdFor(message.idempotencyKey),
          headers: {
            'X-Escalation-Case': headerText(message.caseId),
            // RFC 3834: out-of-office and other auto-replies must not answer a machine-sent message.
            'Auto-Submitted': 'auto-generated',
          },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw classifySmtpError(error, address, timeoutMs);
      }
    },
    async close(): Promise<void> {
      if (ownsTransport) transport.close();
      return Promise.resolve();
    },
  };
}
