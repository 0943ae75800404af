// The `slack` channel: posts a notification to the Slack incoming-webhook URL that is the recipient's address.
import type { NotificationChannel, OutgoingMessage } from './channel';
import { DEFAULT_HTTP_TIMEOUT_MS, postJson, receiverUrl, type FetchLike } from './http-delivery';

export interface SlackChannelOptions {
  /** Injected in tests; the global fetch otherwise. */
  fetch?: FetchLike;
  /** Link to the case in the context line, when the app has a public URL. */
  caseUrl?: (caseId: string) => string;
  /** Give up (and let the activity retry) when Slack has not answered by then. Default 10 s. */
  timeoutMs?: number;
}

// Block Kit limits: longer texts make Slack refuse the whole payload with invalid_blocks.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FALLBACK_MAX = 4000;

/**
 * Slack reads `&`, `<` and `>` as markup in mrkdwn: unescaped, a case's text could ping `<!channel>`, mention people or
 * forge links. Nothing else needs escaping.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The Block Kit payload for one message: exported so its shape can be tested without a receiver. */
export function slackPayload(message: OutgoingMessage, caseUrl?: (caseId: string) => string): Record<string, unknown> {
  const subject = message.subject.trim() || message.caseId;
  const body = message.body.trim();
  const context = [`Case *${escapeMrkdwn(message.caseId)}*`, `audience: ${escapeMrkdwn(message.audience)}`];
  if (caseUrl) {
    // Inside <url|label> a `|` or `>` in the URL would end the link early.
    const url = escapeMrkdwn(caseUrl(message.caseId)).replace(/\|/g, '%7C');
    context.push(`<${url}|Open case>`);
  }
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(subject, HEADER_MAX), emoji: false } },
  ];
  // A section with empty text is invalid_blocks: leave it out for a message with no body.
  if (body) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(body), SECTION_MAX) } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });
  return {
    // What push notifications and clients without Block Kit show.
    text: truncate(escapeMrkdwn(body ? `${subject}\n${body}` : subject), FALLBACK_MAX),
    blocks,
  };
}

export function createSlackChannel(options: SlackChannelOptions = {}): NotificationChannel {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  return {
    name: 'slack',
    async send(message: OutgoingMessage): Promise<void> {
      const url = receiverUrl('slack', message.recipient.address);
      await postJson({
        channel: 'slack',
        url,
        body: JSON.stringify(slackPayload(message, options.caseUrl)),
        headers: {},
        fetch: fetchImpl,
        timeoutMs,
      });
    },
  };
}
