// The Slack channel against a loopback receiver standing in for hooks.slack.com: the Block Kit payload it posts, and
// how each answer (or silence) is classified for the activity's retries.
import { PermanentDeliveryError, TransientDeliveryError } from '../../src/channels/delivery-errors';
import { createSlackChannel, escapeMrkdwn } from '../../src/channels/slack-channel';
import { closedPort, outgoing, rejection, startHttpReceiver, type HttpReceiver } from './support';

const HOOK_PATH = '/services/T000/B000/XXXXSECRET';

let receiver: HttpReceiver;
const caseUrl = (id: string) => `https://esc.example.com/escalations/${encodeURIComponent(id)}`;

beforeAll(async () => {
  receiver = await startHttpReceiver({
    '/flaky': (_req, attempt) =>
      attempt === 1 ? { status: 500, body: 'internal error' } : { status: 200, body: 'ok' },
    '/invalid': () => ({ status: 400, body: 'invalid_payload' }),
    '/no-service': () => ({ status: 404, body: 'no_service' }),
    '/archived': () => ({ status: 410, body: 'channel_is_archived' }),
    '/forbidden': () => ({ status: 403, body: 'action_prohibited' }),
    '/limited': () => ({ status: 429, body: 'rate_limited', headers: { 'Retry-After': '30' } }),
    '/slow': () => ({ status: 408, body: '' }),
    '/moved': () => ({ status: 301, headers: { Location: 'https://elsewhere.example.com/secret/path' } }),
    '/hang': () => 'hang',
  });
});

afterAll(async () => {
  await receiver?.close();
});

function slackTo(path: string) {
  return outgoing({
    channel: 'slack',
    recipient: { name: '#support-escalations', address: `${receiver.base}${path}` },
  });
}

describe('slack channel payload', () => {
  it('is named "slack"', () => {
    expect(createSlackChannel().name).toBe('slack');
  });

  it('posts JSON with a header (the subject), a section (the body) and a context line with the case and its link', async () => {
    await createSlackChannel({ caseUrl }).send(slackTo(HOOK_PATH));

    const [request] = receiver.to(HOOK_PATH);
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({
      text: '[ESC-2026-000042][high] Handoff to Frontline support: Checkout fails\nCase ESC-2026-000042 is now with Frontline support.\nWhy: new case',
      blocks: [
        {
          type: 'header',
          text: {
            type: 'plain_text',
            text: '[ESC-2026-000042][high] Handoff to Frontline support: Checkout fails',
            emoji: false,
          },
        },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'Case ESC-2026-000042 is now with Frontline support.\nWhy: new case' },
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: 'Case *ESC-2026-000042* · audience: assignee · <https://esc.example.com/escalations/ESC-2026-000042|Open case>',
            },
          ],
        },
      ],
    });
  });

  it('leaves the link out without a case URL', async () => {
    await createSlackChannel().send(slackTo('/no-link'));

    const payload = JSON.parse(receiver.to('/no-link')[0]!.body);
    expect(payload.blocks[2]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Case *ESC-2026-000042* · audience: assignee' }],
    });
  });

  it('escapes &, < and > in mrkdwn so case text cannot ping @channel or forge links, but not in the plain-text header', async () => {
    await createSlackChannel().send({
      ...slackTo('/escaping'),
      subject: 'Checkout <fails> & more',
      body: 'Hey <!channel>, <@U123> says a > b & <https://evil.example|click>',
    });

    const payload = JSON.parse(receiver.to('/escaping')[0]!.body);
    expect(payload.blocks[0].text.text).toBe('Checkout <fails> & more');
    expect(payload.blocks[1].text.text).toBe(
      'Hey &lt;!channel&gt;, &lt;@U123&gt; says a &gt; b &amp; &lt;https://evil.example|click&gt;',
    );
    expect(payload.text).toBe(
      'Checkout &lt;fails&gt; &amp; more\nHey &lt;!channel&gt;, &lt;@U123&gt; says a &gt; b &amp; &lt;https://evil.example|click&gt;',
    );
    expect(escapeMrkdwn('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
  });

  it('leaves out the section for an empty body and truncates a header longer than Slack allows', async () => {
    await createSlackChannel().send({ ...slackTo('/long'), subject: 'x'.repeat(200), body: '  ' });

    const payload = JSON.parse(receiver.to('/long')[0]!.body) as {
      blocks: { type: string; text?: { text: string } }[];
    };
    expect(payload.blocks.map((block) => block.type)).toEqual(['header', 'context']);
    expect(payload.blocks[0]?.text?.text).toBe(`${'x'.repeat(149)}…`);
  });
});

describe('slack channel failures', () => {
  it('throws TransientDeliveryError on a 500 and succeeds when the retry gets 200', async () => {
    const channel = createSlackChannel();

    const first = await rejection(channel.send(slackTo('/flaky')));
    expect(first).toBeInstanceOf(TransientDeliveryError);
    expect((first as TransientDeliveryError).reason).toBe('HTTP 500: internal error');

    await expect(channel.send(slackTo('/flaky'))).resolves.toBeUndefined();
    expect(receiver.to('/flaky')).toHaveLength(2);
  });

  it.each([
    ['/invalid', 'HTTP 400: invalid_payload'],
    ['/forbidden', 'HTTP 403: action_prohibited'],
    ['/no-service', 'HTTP 404: no_service'],
    ['/archived', 'HTTP 410: channel_is_archived'],
  ])('throws PermanentDeliveryError for %s with Slack’s answer as the reason', async (path, reason) => {
    const error = await rejection(createSlackChannel().send(slackTo(path)));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as PermanentDeliveryError).reason).toBe(reason);
    expect((error as PermanentDeliveryError).channel).toBe('slack');
  });

  it('throws TransientDeliveryError on 429, with Retry-After in the reason and in retryAfterMs', async () => {
    const error = await rejection(createSlackChannel().send(slackTo('/limited')));

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect((error as TransientDeliveryError).reason).toBe('HTTP 429: rate_limited (receiver asks to retry after 30 s)');
    expect((error as TransientDeliveryError).retryAfterMs).toBe(30_000);
  });

  it('throws TransientDeliveryError on 408', async () => {
    const error = await rejection(createSlackChannel().send(slackTo('/slow')));

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect((error as TransientDeliveryError).reason).toBe('HTTP 408 Request Timeout');
    expect((error as TransientDeliveryError).retryAfterMs).toBeUndefined();
  });

  it('throws TransientDeliveryError when Slack does not answer within timeoutMs', async () => {
    const started = Date.now();

    const error = await rejection(createSlackChannel({ timeoutMs: 200 }).send(slackTo('/hang')));

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect((error as TransientDeliveryError).reason).toBe('no answer within 200 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('throws TransientDeliveryError when nothing listens', async () => {
    const address = `http://127.0.0.1:${await closedPort()}${HOOK_PATH}`;

    const error = await rejection(
      createSlackChannel().send({ ...slackTo(HOOK_PATH), recipient: { name: 'x', address } }),
    );

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect((error as TransientDeliveryError).reason).toBe('cannot reach the receiver (ECONNREFUSED)');
  });

  it('classifies what an injected fetch throws: a reset connection is transient, a port fetch refuses is permanent', async () => {
    const failing = (cause: object) =>
      createSlackChannel({ fetch: () => Promise.reject(new TypeError('fetch failed', { cause })) });

    const reset = await rejection(
      failing(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).send(slackTo('/x')),
    );
    const badPort = await rejection(failing(new Error('bad port')).send(slackTo('/x')));

    expect(reset).toBeInstanceOf(TransientDeliveryError);
    expect((reset as TransientDeliveryError).reason).toBe('cannot reach the receiver (ECONNRESET)');
    expect(badPort).toBeInstanceOf(PermanentDeliveryError);
    expect((badPort as PermanentDeliveryError).reason).toBe(
      'fetch refuses to connect to this port; use another port for the receiver',
    );
  });

  it('does not follow a redirect: PermanentDeliveryError naming only the new origin', async () => {
    const error = await rejection(createSlackChannel().send(slackTo('/moved')));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as PermanentDeliveryError).reason).toBe(
      'HTTP 301 Moved Permanently (redirected to https://elsewhere.example.com/…; set the recipient address to the final URL)',
    );
  });

  it.each([['mailto:ops@example.com'], ['ftp://hooks.example.com/x'], ['#support-escalations'], ['']])(
    'throws PermanentDeliveryError for the non-http address %j without posting',
    async (address) => {
      const before = receiver.requests.length;

      const error = await rejection(
        createSlackChannel().send({ ...slackTo(HOOK_PATH), recipient: { name: 'x', address } }),
      );

      expect(error).toBeInstanceOf(PermanentDeliveryError);
      expect((error as PermanentDeliveryError).reason).toMatch(
        /^recipient address (is not a URL|must be an http\(s\) URL)/,
      );
      expect(receiver.requests).toHaveLength(before);
    },
  );

  it('never puts the secret part of the webhook URL into an error', async () => {
    const error = await rejection(createSlackChannel().send(slackTo('/invalid')));
    const secretUrl = await rejection(
      createSlackChannel().send({
        ...slackTo(HOOK_PATH),
        recipient: { name: 'x', address: `ftp://h.example${HOOK_PATH}` },
      }),
    );

    expect((error as PermanentDeliveryError).recipient).toBe(`${receiver.base}/…`);
    expect(error.message).toBe(`slack delivery to ${receiver.base}/… failed: HTTP 400: invalid_payload`);
    expect(secretUrl.message).not.toContain('XXXXSECRET');
  });
});
