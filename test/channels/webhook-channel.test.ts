// The webhook channel against a loopback receiver that verifies what it gets the way a real receiver would, the
// signature check's rejections (tampering, wrong secret, replays, malformed headers), and status classification.
import { createHmac } from 'node:crypto';
import { PermanentDeliveryError, TransientDeliveryError } from '../../src/channels/delivery-errors';
import {
  createWebhookChannel,
  signWebhookBody,
  verifyWebhookSignature,
  type SignatureCheck,
} from '../../src/channels/webhook-channel';
import { closedPort, outgoing, rejection, startHttpReceiver, type HttpReceiver } from './support';

const SECRET = 'whsec_test_0123456789abcdef';
const NOW = Date.parse('2026-03-02T09:00:07.250Z');
const T = Math.floor(NOW / 1000);
const at = (ms: number) => () => ms;

let receiver: HttpReceiver;
const verdicts: SignatureCheck[] = [];

beforeAll(async () => {
  const verifying = (status: number) => (req: { headers: Record<string, unknown>; body: string }) => {
    verdicts.push(
      verifyWebhookSignature(String(req.headers['escalations-signature']), req.body, SECRET, { now: at(NOW) }),
    );
    return { status };
  };
  receiver = await startHttpReceiver({
    '/hooks/escalations': verifying(204),
    '/flaky': (_req, attempt) => (attempt === 1 ? { status: 503, body: 'maintenance' } : { status: 200 }),
    '/bad-request': () => ({ status: 400, body: '{"error":"unknown audience"}' }),
    '/gone': () => ({ status: 410, body: 'gone' }),
    '/unauthorized': () => ({ status: 401, body: 'bad signature' }),
    '/limited': () => ({ status: 429, headers: { 'Retry-After': 'Mon, 02 Mar 2026 09:01:07 GMT' } }),
    '/slow': () => ({ status: 408 }),
    '/hang': () => 'hang',
  });
});

afterAll(async () => {
  await receiver?.close();
});

beforeEach(() => {
  verdicts.length = 0;
});

const channel = () => createWebhookChannel({ secret: SECRET, now: at(NOW) });

function webhookTo(path: string) {
  return outgoing({ channel: 'webhook', recipient: { name: 'Ticketing', address: `${receiver.base}${path}` } });
}

describe('webhook channel delivery', () => {
  it('is named "webhook"', () => {
    expect(channel().name).toBe('webhook');
  });

  it('posts the documented JSON with Content-Type, Idempotency-Key and a signature the receiver verifies', async () => {
    const message = webhookTo('/hooks/escalations');

    await channel().send(message);

    const [request] = receiver.to('/hooks/escalations');
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['idempotency-key']).toBe('escalation/ESC-2026-000042/notification/1');
    expect(JSON.parse(request!.body)).toEqual({
      id: 'escalation/ESC-2026-000042/notification/1',
      caseId: 'ESC-2026-000042',
      audience: 'assignee',
      recipient: { name: 'Ticketing', address: `${receiver.base}/hooks/escalations` },
      subject: '[ESC-2026-000042][high] Handoff to Frontline support: Checkout fails',
      body: 'Case ESC-2026-000042 is now with Frontline support.\nWhy: new case',
      requestedAt: '2026-03-02T09:00:00.000Z',
    });
    const hmac = createHmac('sha256', SECRET).update(`${T}.${request!.body}`).digest('hex');
    expect(request?.headers['escalations-signature']).toBe(`t=${T},v1=${hmac}`);
    expect(verdicts).toEqual([{ ok: true }]);
  });

  it('signs each attempt with the time of that attempt, keeping the Idempotency-Key', async () => {
    let clock = NOW;
    const ticking = createWebhookChannel({ secret: SECRET, now: () => clock });

    await ticking.send(webhookTo('/resend'));
    clock += 90_000;
    await ticking.send(webhookTo('/resend'));

    const [first, second] = receiver.to('/resend');
    expect(first?.headers['escalations-signature']).toMatch(new RegExp(`^t=${T},v1=[0-9a-f]{64}$`));
    expect(second?.headers['escalations-signature']).toMatch(new RegExp(`^t=${T + 90},v1=[0-9a-f]{64}$`));
    expect(second?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
    expect(second?.body).toBe(first?.body);
  });

  it('refuses to start without a secret', () => {
    expect(() => createWebhookChannel({ secret: '' })).toThrow(
      'the webhook channel needs a signing secret: set WEBHOOK_SECRET (a long random string)',
    );
  });
});

describe('verifyWebhookSignature', () => {
  const body = '{"id":"escalation/ESC-2026-000042/notification/1","subject":"Checkout fails"}';
  const header = signWebhookBody(body, SECRET, NOW);

  it('accepts the signed body, as a string or as the received bytes', () => {
    expect(verifyWebhookSignature(header, body, SECRET, { now: at(NOW) })).toEqual({ ok: true });
    expect(verifyWebhookSignature(header, Buffer.from(body), SECRET, { now: at(NOW) })).toEqual({ ok: true });
  });

  it('rejects a tampered body', () => {
    expect(verifyWebhookSignature(header, body.replace('Checkout', 'Payments'), SECRET, { now: at(NOW) })).toEqual({
      ok: false,
      reason: 'signature does not match the body and secret',
    });
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyWebhookSignature(header, body, 'whsec_other', { now: at(NOW) })).toEqual({
      ok: false,
      reason: 'signature does not match the body and secret',
    });
  });

  it('rejects a replay older than the tolerance and accepts one exactly at it', () => {
    expect(verifyWebhookSignature(header, body, SECRET, { now: at(NOW + 301_000) })).toEqual({
      ok: false,
      reason: 'timestamp is 301 s old, beyond the 300 s tolerance (replayed or clock skew)',
    });
    expect(verifyWebhookSignature(header, body, SECRET, { now: at(NOW + 300_000) })).toEqual({ ok: true });
    expect(verifyWebhookSignature(header, body, SECRET, { now: at(NOW + 61_000), toleranceSeconds: 60 })).toEqual({
      ok: false,
      reason: 'timestamp is 61 s old, beyond the 60 s tolerance (replayed or clock skew)',
    });
  });

  it('rejects a timestamp too far in the future', () => {
    expect(verifyWebhookSignature(header, body, SECRET, { now: at(NOW - 600_000) })).toEqual({
      ok: false,
      reason: 'timestamp is 600 s in the future, beyond the 300 s tolerance (replayed or clock skew)',
    });
  });

  it('accepts any matching v1 (secret rotation) and ignores unknown keys', () => {
    const v1 = header.split('v1=')[1];
    const rotated = `t=${T},v0=legacy,v1=${'0'.repeat(64)},v1=${v1}`;

    expect(verifyWebhookSignature(rotated, body, SECRET, { now: at(NOW) })).toEqual({ ok: true });
  });

  it.each([
    ['', 'missing Escalations-Signature header'],
    ['garbage', 'malformed signature header: "garbage" is not key=value'],
    [`v1=${'a'.repeat(64)}`, 'malformed signature header: no t= timestamp'],
    [`t=${T}`, 'malformed signature header: no v1= signature'],
    [`t=soon,v1=${'a'.repeat(64)}`, 'malformed signature header: t= is not unix seconds'],
    [`t=${T},t=${T},v1=${'a'.repeat(64)}`, 'malformed signature header: more than one t='],
    [`t=${T},v1=not-hex`, 'signature does not match the body and secret'],
    [`t=${T},v1=abcd`, 'signature does not match the body and secret'],
  ])('rejects the header %j with a reason', (value, reason) => {
    expect(verifyWebhookSignature(value, body, SECRET, { now: at(NOW) })).toEqual({ ok: false, reason });
  });

  it('rejects everything when the receiver has no secret', () => {
    expect(verifyWebhookSignature(header, body, '', { now: at(NOW) })).toEqual({
      ok: false,
      reason: 'no secret to verify with',
    });
  });
});

describe('webhook channel failures', () => {
  it('throws TransientDeliveryError on a 503 and succeeds when the retry gets 200', async () => {
    const first = await rejection(channel().send(webhookTo('/flaky')));

    expect(first).toBeInstanceOf(TransientDeliveryError);
    expect((first as TransientDeliveryError).reason).toBe('HTTP 503: maintenance');
    await expect(channel().send(webhookTo('/flaky'))).resolves.toBeUndefined();
  });

  it.each([
    ['/bad-request', 'HTTP 400: {"error":"unknown audience"}'],
    ['/unauthorized', 'HTTP 401: bad signature'],
    ['/gone', 'HTTP 410: gone'],
  ])('throws PermanentDeliveryError for %s', async (path, reason) => {
    const error = await rejection(channel().send(webhookTo(path)));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as PermanentDeliveryError).channel).toBe('webhook');
    expect((error as PermanentDeliveryError).reason).toBe(reason);
  });

  it('throws TransientDeliveryError on 429, reading an HTTP-date Retry-After against the clock', async () => {
    const error = await rejection(channel().send(webhookTo('/limited')));

    expect(error).toBeInstanceOf(TransientDeliveryError);
    const transient = error as TransientDeliveryError;
    expect(transient.reason).toBe('HTTP 429 Too Many Requests (receiver asks to retry after 60 s)');
    expect(transient.retryAfterMs).toBe(59_750);
  });

  it('throws TransientDeliveryError on 408, on silence past timeoutMs and when nothing listens', async () => {
    const slow = await rejection(channel().send(webhookTo('/slow')));
    const silent = await rejection(createWebhookChannel({ secret: SECRET, timeoutMs: 200 }).send(webhookTo('/hang')));
    const address = `http://127.0.0.1:${await closedPort()}/hooks`;
    const refused = await rejection(channel().send({ ...webhookTo('/x'), recipient: { name: 'x', address } }));

    expect([slow, silent, refused].map((e) => [e.constructor.name, (e as TransientDeliveryError).reason])).toEqual([
      ['TransientDeliveryError', 'HTTP 408 Request Timeout'],
      ['TransientDeliveryError', 'no answer within 200 ms'],
      ['TransientDeliveryError', 'cannot reach the receiver (ECONNREFUSED)'],
    ]);
  });

  it('throws PermanentDeliveryError for a non-http address without posting', async () => {
    const before = receiver.requests.length;

    const error = await rejection(
      channel().send({ ...webhookTo('/x'), recipient: { name: 'x', address: 'ops@example.com' } }),
    );

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as PermanentDeliveryError).reason).toBe(
      "recipient address is not a URL; set it to the receiver's http(s) URL",
    );
    expect(receiver.requests).toHaveLength(before);
  });
});
