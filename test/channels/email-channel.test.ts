// The email channel against a real SMTP server on loopback: what the recipient gets, and how each way an SMTP
// delivery fails is classified for the activity's retries.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { PermanentDeliveryError, TransientDeliveryError } from '../../src/channels/delivery-errors';
import {
  classifySmtpError,
  createEmailChannel,
  emailHtml,
  isEmailAddress,
  messageIdFor,
  type EmailChannel,
} from '../../src/channels/email-channel';
import { closedPort, outgoing, rejection } from './support';

const FROM = 'Escalations <escalations@example.com>';

let server: SMTPServer;
let smtpUrl: string;
let channel: EmailChannel;
let connections = 0;
const received: { envelopeTo: string[]; mail: ParsedMail }[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // No reverse DNS of 127.0.0.1 per connection: it only slows the tests down.
    disableReverseLookup: true,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onRcptTo(address, _session, callback) {
      // The local part picks the failure to inject.
      if (address.address.startsWith('nobody@')) {
        return callback(Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }));
      }
      if (address.address.startsWith('greylisted@')) {
        return callback(Object.assign(new Error('4.7.1 Greylisted, try again later'), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      if (session.envelope.rcptTo.some((rcpt) => rcpt.address.startsWith('stalled@'))) {
        // Take the message and never answer the end of DATA.
        stream.resume();
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          received.push({ envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), mail });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  channel = createEmailChannel({ smtpUrl, from: FROM });
});

afterAll(async () => {
  await channel?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
});

function single(address: AddressObject | AddressObject[] | undefined): { name: string; address?: string }[] {
  return Array.isArray(address) ? address.flatMap((a) => a.value) : (address?.value ?? []);
}

describe('email channel delivery', () => {
  it('is named "email"', () => {
    expect(channel.name).toBe('email');
  });

  it('sends the subject, sender, named recipient and plain-text body', async () => {
    await channel.send(outgoing());

    expect(received).toHaveLength(1);
    const { envelopeTo, mail } = received[0]!;
    expect(envelopeTo).toEqual(['ada@example.com']);
    expect(mail.subject).toBe('[ESC-2026-000042][high] Handoff to Frontline support: Checkout fails');
    expect(single(mail.from)).toEqual([{ name: 'Escalations', address: 'escalations@example.com' }]);
    expect(single(mail.to)).toEqual([{ name: 'Ada Lovelace', address: 'ada@example.com' }]);
    expect(mail.text).toBe('Case ESC-2026-000042 is now with Frontline support.\nWhy: new case');
  });

  it('sets a Message-ID derived from the idempotency key, the case header and Auto-Submitted', async () => {
    await channel.send(outgoing());

    const { mail } = received[0]!;
    const digest = createHash('sha256').update('escalation/ESC-2026-000042/notification/1').digest('hex');
    expect(mail.messageId).toBe(`<${digest}@escalations>`);
    expect(mail.headers.get('x-escalation-case')).toBe('ESC-2026-000042');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('sends the same Message-ID for the same key, so a resend can be de-duplicated, and another for another key', async () => {
    await channel.send(outgoing());
    await channel.send(outgoing());
    await channel.send(outgoing({ idempotencyKey: 'escalation/ESC-2026-000042/notification/2' }));

    const ids = received.map(({ mail }) => mail.messageId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(ids[2]).toBe(messageIdFor('escalation/ESC-2026-000042/notification/2'));
  });

  it('sends an HTML body with the case header, escaped text, paragraphs and line breaks', async () => {
    await channel.send(
      outgoing({ body: 'Checkout shows <script>alert("x")</script> & fails.\nSince 09:00\n\nSecond paragraph' }),
    );

    const html = received[0]!.mail.html as string;
    expect(html).toContain('Escalation case ESC-2026-000042 &middot; assignee');
    expect(html).toContain(
      '<p>Checkout shows &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; fails.<br>\nSince 09:00</p>\n<p>Second paragraph</p>',
    );
    expect(html).not.toContain('<script>');
  });

  it('keeps a line break in the subject or name from starting a new header', async () => {
    await channel.send(
      outgoing({
        subject: 'Checkout\r\nBcc: eve@example.com',
        recipient: { name: 'Ada\nX: y', address: 'ada@example.com' },
      }),
    );

    const { envelopeTo, mail } = received[0]!;
    expect(envelopeTo).toEqual(['ada@example.com']);
    expect(mail.subject).toBe('Checkout Bcc: eve@example.com');
    expect(mail.bcc).toBeUndefined();
    expect(single(mail.to)).toEqual([{ name: 'Ada X: y', address: 'ada@example.com' }]);
  });
});

describe('email channel failures', () => {
  it('throws PermanentDeliveryError when the server rejects the recipient with 550', async () => {
    const error = await rejection(
      channel.send(outgoing({ recipient: { name: 'Nobody', address: 'nobody@example.com' } })),
    );

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    const permanent = error as PermanentDeliveryError;
    expect(permanent.name).toBe('PermanentDeliveryError');
    expect(permanent.channel).toBe('email');
    expect(permanent.recipient).toBe('nobody@example.com');
    expect(permanent.reason).toBe('SMTP server replied 550 5.1.1 Mailbox unavailable (RCPT TO)');
    expect(permanent.message).toBe(
      'email delivery to nobody@example.com failed: SMTP server replied 550 5.1.1 Mailbox unavailable (RCPT TO)',
    );
  });

  it('throws TransientDeliveryError when the server defers the recipient with 451', async () => {
    const error = await rejection(
      channel.send(outgoing({ recipient: { name: 'Grey', address: 'greylisted@example.com' } })),
    );

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect((error as TransientDeliveryError).name).toBe('TransientDeliveryError');
    expect((error as TransientDeliveryError).reason).toBe(
      'SMTP server replied 451 4.7.1 Greylisted, try again later (RCPT TO)',
    );
  });

  it('throws TransientDeliveryError when nothing listens on the SMTP port', async () => {
    const down = createEmailChannel({ smtpUrl: `smtp://127.0.0.1:${await closedPort()}`, from: FROM });
    try {
      const error = await rejection(down.send(outgoing()));

      expect(error).toBeInstanceOf(TransientDeliveryError);
      expect((error as TransientDeliveryError).reason).toMatch(/^cannot reach the SMTP server \(ECONNREFUSED: /);
    } finally {
      await down.close();
    }
  });

  it('throws TransientDeliveryError when the server does not take the message within timeoutMs', async () => {
    const impatient = createEmailChannel({ smtpUrl, from: FROM, timeoutMs: 400 });
    const started = Date.now();
    try {
      const error = await rejection(
        impatient.send(outgoing({ recipient: { name: 'Stalled', address: 'stalled@example.com' } })),
      );

      expect(error).toBeInstanceOf(TransientDeliveryError);
      expect((error as TransientDeliveryError).reason).toBe('the SMTP server did not take the message within 400 ms');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await impatient.close();
    }
  });

  it.each([
    ['not-an-email'],
    ['ada@localhost'],
    ['Ada <ada@example.com>'],
    ['ada@example.com, eve@example.com'],
    ['ada@example.com\nBcc: eve@example.com'],
    [''],
  ])('throws PermanentDeliveryError for %j without connecting', async (address) => {
    const before = connections;

    const error = await rejection(channel.send(outgoing({ recipient: { name: 'Ada', address } })));

    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as PermanentDeliveryError).reason).toMatch(/is not an e-mail address; fix the recipient's address/);
    expect(connections).toBe(before);
    expect(received).toHaveLength(0);
  });
});

describe('email channel transport', () => {
  it('sends through an injected transport and leaves closing it to its owner', async () => {
    const transport = nodemailer.createTransport({ jsonTransport: true });
    const sendMail = jest.spyOn(transport, 'sendMail');
    const close = jest.spyOn(transport, 'close');
    const before = connections;
    const injected = createEmailChannel({ smtpUrl: 'smtp://unused.invalid', from: FROM, transport });

    await injected.send(outgoing());
    await injected.close();

    expect(sendMail).toHaveBeenCalledTimes(1);
    const info = (await sendMail.mock.results[0]!.value) as { message: string };
    const json = JSON.parse(info.message);
    expect(json.messageId).toBe(messageIdFor('escalation/ESC-2026-000042/notification/1'));
    expect(json.to).toEqual([{ address: 'ada@example.com', name: 'Ada Lovelace' }]);
    expect(close).not.toHaveBeenCalled();
    expect(connections).toBe(before);
  });
});

describe('email helpers', () => {
  it('accepts plain mailboxes, internationalized domains included', () => {
    expect(
      ['ada@example.com', 'first.last+tag@mail.example.co.uk', 'ops@bücher.example', 'x@xn--bcher-kva.example'].map(
        isEmailAddress,
      ),
    ).toEqual([true, true, true, true]);
  });

  it('classifies SMTP errors nodemailer reports without a server reply', () => {
    expect(
      classifySmtpError(Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }), 'a@b.c'),
    ).toBeInstanceOf(TransientDeliveryError);
    expect(
      classifySmtpError(Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' }), 'a@b.c'),
    ).toBeInstanceOf(TransientDeliveryError);
    expect(
      classifySmtpError(
        Object.assign(new Error('socket hang up'), { code: 'ESOCKET', originalCode: 'ECONNRESET' }),
        'a@b.c',
      ).reason,
    ).toBe('cannot reach the SMTP server (ECONNRESET: socket hang up)');
    expect(
      classifySmtpError(
        Object.assign(new Error('Invalid login'), {
          code: 'EAUTH',
          responseCode: 535,
          response: '535 5.7.8 Authentication failed',
        }),
        'a@b.c',
      ).reason,
    ).toBe('SMTP login failed (535 5.7.8 Authentication failed); check the credentials in SMTP_URL');
    expect(
      classifySmtpError(
        Object.assign(new Error('Bad sequence'), {
          code: 'EPROTOCOL',
          responseCode: 503,
          response: '503 Bad sequence of commands',
        }),
        'a@b.c',
      ),
    ).toBeInstanceOf(TransientDeliveryError);
    expect(
      classifySmtpError(Object.assign(new Error('Invalid recipient "x"'), { code: 'EENVELOPE' }), 'a@b.c'),
    ).toBeInstanceOf(PermanentDeliveryError);
  });

  it('links the case in the HTML header when given a case URL, escaping it', () => {
    const html = emailHtml(outgoing({ body: '' }), (id) => `https://esc.example.com/escalations/${id}?a=1&b="2"`);

    expect(html).toContain(
      'Escalation case <a href="https://esc.example.com/escalations/ESC-2026-000042?a=1&amp;b=&quot;2&quot;">ESC-2026-000042</a>',
    );
    expect(html).not.toContain('<p></p>');
  });
});
