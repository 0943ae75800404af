// A local webhook receiver (127.0.0.1 only) for the matrix's webhook contact: it verifies each request's signature
// and records every delivery attempt, and in the webhook round answers 503 with Retry-After before a final 410, the
// way a receiver that is being decommissioned would.
import http from 'node:http';
import { verifyWebhookSignature } from '../../src/channels/webhook-channel';
import { LOOPBACK } from '../support/loopback';

export interface WebhookAttempt {
  key: string;
  caseId: string;
  at: number;
  status: number;
  signatureOk: boolean;
}

/** How the receiver answers requests about cases whose id starts with `casePrefix`; others always get 200. */
export interface WebhookBehaviour {
  casePrefix: string;
  /** Attempts per key answered 503 with `Retry-After: retryAfterSeconds` before the final answer. */
  unavailableAttempts: number;
  retryAfterSeconds: number;
  /** The answer once the 503s are used up (410: gone for good). */
  finalStatus: number;
}

export interface WebhookReceiver {
  url: string;
  attempts: WebhookAttempt[];
  behave(behaviour: WebhookBehaviour | undefined): void;
  close(): Promise<void>;
}

/** Bodies above this are refused: the receiver only ever gets one notification per request. */
const MAX_BODY_BYTES = 1_000_000;

function caseIdOf(raw: Buffer): string {
  try {
    const caseId = (JSON.parse(raw.toString('utf8')) as { caseId?: unknown }).caseId;
    return typeof caseId === 'string' ? caseId : '';
  } catch {
    return '';
  }
}

export async function startWebhookReceiver(secret: string, port = 0): Promise<WebhookReceiver> {
  const attempts: WebhookAttempt[] = [];
  const seen = new Map<string, number>();
  let behaviour: WebhookBehaviour | undefined;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const key = String(req.headers['idempotency-key'] ?? '');
      const caseId = caseIdOf(raw);
      const signature = String(req.headers['escalations-signature'] ?? '');
      const signatureOk = verifyWebhookSignature(signature, raw, secret).ok;
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      let status = signatureOk ? 200 : 401;
      const headers: Record<string, string> = {};
      if (signatureOk && behaviour && caseId.startsWith(behaviour.casePrefix)) {
        if (count <= behaviour.unavailableAttempts) {
          status = 503;
          headers['Retry-After'] = String(behaviour.retryAfterSeconds);
        } else {
          status = behaviour.finalStatus;
        }
      }
      attempts.push({ key, caseId, at: Date.now(), status, signatureOk });
      res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
      res.end(status === 200 ? 'ok' : status === 410 ? 'gone' : 'unavailable');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  return {
    url: `http://${LOOPBACK}:${bound}/escalations`,
    attempts,
    behave(next) {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
