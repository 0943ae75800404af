// The `webhook` channel: posts each notification as signed JSON to the receiver URL that is the recipient's address.
//
// ## Webhook signatures
//
// Every request carries
//
//     Content-Type: application/json
//     Idempotency-Key: <the notification's idempotency key, the same on every retry>
//     Escalations-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
//
// where the HMAC is computed with the shared secret (WEBHOOK_SECRET) over `<t>.<raw request body>`, the body exactly
// as received, before any JSON parsing. To verify a request a receiver:
//
// 1. splits the header on `,` into `key=value` pairs, takes `t` and every `v1` (unknown keys are ignored so the
//    scheme can grow; several `v1` values may appear while a secret is being rotated);
// 2. rejects the request when `t` is more than 5 minutes from its own clock: a captured request cannot be replayed
//    later;
// 3. computes HMAC-SHA256(secret, `${t}.${rawBody}`) as hex and compares it with each `v1` in constant time;
// 4. de-duplicates on `Idempotency-Key` (equal to the body's `id`): a retry after a timeout may deliver twice, each
//    time with a fresh `t` and signature.
//
// `verifyWebhookSignature` below does steps 1-3. The body is
// `{ id, caseId, audience, recipient: { name, address }, subject, body, requestedAt }`. Answer 2xx to accept; 408,
// 429 (with Retry-After) and 5xx are retried with backoff; any other status is final and ends up on the case's
// timeline.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NotificationChannel, OutgoingMessage } from './channel';
import { DEFAULT_HTTP_TIMEOUT_MS, postJson, receiverUrl, type FetchLike } from './http-delivery';

export const SIGNATURE_HEADER = 'Escalations-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface WebhookChannelOptions {
  /** Shared with receivers; signs every request. */
  secret: string;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: FetchLike;
  /** Give up (and let the activity retry) when the receiver has not answered by then. Default 10 s. */
  timeoutMs?: number;
  /** Clock for the signature timestamp, in milliseconds. */
  now?: () => number;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

function hmacHex(secret: string, timestamp: string, rawBody: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The `Escalations-Signature` value for a body sent at `nowMs`. */
export function signWebhookBody(rawBody: string, secret: string, nowMs: number): string {
  const t = String(Math.floor(nowMs / 1000));
  return `t=${t},v1=${hmacHex(secret, t, rawBody)}`;
}

/** The JSON a receiver gets for one notification. */
export function webhookPayload(message: OutgoingMessage): Record<string, unknown> {
  return {
    id: message.idempotencyKey,
    caseId: message.caseId,
    audience: message.audience,
    recipient: { name: message.recipient.name, address: message.recipient.address },
    subject: message.subject,
    body: message.body,
    requestedAt: message.requestedAt,
  };
}

/**
 * Checks an `Escalations-Signature` header against the raw body (the bytes received, not re-serialized JSON). Rejects
 * malformed headers, timestamps further than `toleranceSeconds` (default 300) from now in either direction (replays),
 * and signatures that do not match.
 */
export function verifyWebhookSignature(
  header: string,
  rawBody: string | Uint8Array,
  secret: string,
  options: { toleranceSeconds?: number; now?: () => number } = {},
): SignatureCheck {
  if (!secret) return { ok: false, reason: 'no secret to verify with' };
  if (!header.trim()) return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, reason: `malformed signature header: "${part.trim()}" is not key=value` };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined) return { ok: false, reason: 'malformed signature header: more than one t=' };
      timestamp = value;
    } else if (key === 'v1') {
      signatures.push(value);
    }
  }
  if (timestamp === undefined) return { ok: false, reason: 'malformed signature header: no t= timestamp' };
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'malformed signature header: t= is not unix seconds' };
  }
  if (signatures.length === 0) return { ok: false, reason: 'malformed signature header: no v1= signature' };

  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  const age = nowSeconds - Number(timestamp);
  if (Math.abs(age) > tolerance) {
    return {
      ok: false,
      reason: `timestamp is ${Math.abs(age)} s ${age > 0 ? 'old' : 'in the future'}, beyond the ${tolerance} s tolerance (replayed or clock skew)`,
    };
  }

  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  const matches = signatures.some((signature) => {
    if (!/^[0-9a-f]{64}$/i.test(signature)) return false;
    return timingSafeEqual(Buffer.from(signature, 'hex'), expected);
  });
  return matches ? { ok: true } : { ok: false, reason: 'signature does not match the body and secret' };
}

export function createWebhookChannel(options: WebhookChannelOptions): NotificationChannel {
  if (!options.secret) {
    throw new Error('the webhook channel needs a signing secret: set WEBHOOK_SECRET (a long random string)');
  }
  const { secret } = options;
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  return {
    name: 'webhook',
    async send(message: OutgoingMessage): Promise<void> {
      const url = receiverUrl('webhook', message.recipient.address);
      const body = JSON.stringify(webhookPayload(message));
      await postJson({
        channel: 'webhook',
        url,
        body,
        headers: {
          // Signed per attempt: a retry after minutes still falls inside the receiver's tolerance.
          [SIGNATURE_HEADER]: signWebhookBody(body, secret, now()),
          'Idempotency-Key': message.idempotencyKey,
          'User-Agent': 'escalations-webhook/1',
        },
        fetch: fetchImpl,
        timeoutMs,
        now,
      });
    },
  };
}
