// One JSON POST to a webhook-style receiver (Slack, generic webhooks), its outcome classified as delivered, transient
// or permanent the same way for every HTTP channel.
import { PermanentDeliveryError, TransientDeliveryError, oneLine } from './delivery-errors';

export type FetchLike = typeof fetch;

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

/** The receiver URL from a recipient address: http(s) only, anything else can never be delivered to. */
export function receiverUrl(channel: string, address: string): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new PermanentDeliveryError({
      channel,
      recipient: oneLine(address, 40) || '(empty)',
      reason: `recipient address is not a URL; set it to the receiver's http(s) URL`,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PermanentDeliveryError({
      channel,
      recipient: redactUrl(url),
      reason: `recipient address must be an http(s) URL, not ${url.protocol}`,
    });
  }
  return url;
}

/**
 * The URL as errors and timelines may show it: its origin only. Slack incoming-webhook URLs (and many other receivers)
 * carry their secret in the path or query, and a timeline is read by far more people than the matrix.
 */
export function redactUrl(url: URL): string {
  if (url.origin === 'null') return `${url.protocol}…`;
  return url.pathname === '/' && url.search === '' ? url.origin : `${url.origin}/…`;
}

export interface PostJsonOptions {
  channel: string;
  url: URL;
  body: string;
  headers: Record<string, string>;
  fetch: FetchLike;
  timeoutMs: number;
  /** Clock for reading an HTTP-date Retry-After, in milliseconds. */
  now?: () => number;
}

/** Resolves when the receiver answered 2xx; throws a PermanentDeliveryError or TransientDeliveryError otherwise. */
export async function postJson({
  channel,
  url,
  body,
  headers,
  fetch,
  timeoutMs,
  now = Date.now,
}: PostJsonOptions): Promise<void> {
  const recipient = redactUrl(url);
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
      // A redirect would replay a signed POST to a host nobody configured (and fetch turns it into a GET): report it.
      redirect: 'manual',
      signal,
    });
    // Read the body under the same deadline: it carries the receiver's reason, and reading frees the connection.
    text = await response.text();
  } catch (error) {
    if (signal.aborted) {
      throw new TransientDeliveryError({
        channel,
        recipient,
        reason: `no answer within ${timeoutMs} ms`,
        cause: error,
      });
    }
    throw networkFailure(channel, recipient, error);
  }
  const failure = classifyResponse(channel, recipient, response, text, now());
  if (failure) throw failure;
}

/** undefined for 2xx; otherwise the error to throw. Exported for channels that post some other way. */
export function classifyResponse(
  channel: string,
  recipient: string,
  response: Pick<Response, 'status' | 'statusText' | 'headers'>,
  text: string,
  nowMs: number = Date.now(),
): PermanentDeliveryError | TransientDeliveryError | undefined {
  const { status } = response;
  if (status >= 200 && status < 300) return undefined;
  const said = oneLine(text);
  const answer = `HTTP ${status}${said ? `: ${said}` : response.statusText ? ` ${response.statusText}` : ''}`;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs);
    const wait =
      retryAfterMs === undefined ? '' : ` (receiver asks to retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
    return new TransientDeliveryError({ channel, recipient, reason: `${answer}${wait}`, retryAfterMs });
  }
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    const where = location ? ` to ${redactLocation(location)}` : '';
    return new PermanentDeliveryError({
      channel,
      recipient,
      reason: `${answer} (redirected${where}; set the recipient address to the final URL)`,
    });
  }
  // Every other 4xx (400 invalid_payload, 403, 404 no_service, 410 channel gone...) says the same request will be
  // refused again: someone has to fix the address or the receiver.
  return new PermanentDeliveryError({ channel, recipient, reason: answer });
}

function redactLocation(location: string): string {
  try {
    return redactUrl(new URL(location));
  } catch {
    return 'an unreadable location';
  }
}

/** Retry-After is either delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

// Duck-typed rather than instanceof: fetch's errors may come from another realm (Node's internals, a test sandbox).
const asErrorLike = (value: unknown): ErrorLike | undefined =>
  typeof value === 'object' && value !== null ? value : undefined;
const nonEmptyString = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

function networkFailure(
  channel: string,
  recipient: string,
  error: unknown,
): PermanentDeliveryError | TransientDeliveryError {
  // fetch rejects with TypeError('fetch failed'); what happened is in its cause (ECONNREFUSED, ECONNRESET, ENOTFOUND).
  const outer = asErrorLike(error);
  const cause = asErrorLike(outer?.cause);
  // fetch refuses ports browsers block (25, 6000...) with "bad port": that URL will never work.
  if (nonEmptyString(cause?.message) === 'bad port') {
    return new PermanentDeliveryError({
      channel,
      recipient,
      reason: 'fetch refuses to connect to this port; use another port for the receiver',
      cause: error,
    });
  }
  const detail =
    nonEmptyString(cause?.code) ?? nonEmptyString(cause?.message) ?? nonEmptyString(outer?.message) ?? String(error);
  return new TransientDeliveryError({
    channel,
    recipient,
    reason: `cannot reach the receiver (${oneLine(detail, 120)})`,
    cause: error,
  });
}
