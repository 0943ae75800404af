// Which channels the configuration turns on, configuration errors reported before anything opens, and each channel
// wired with its settings (log file, sender, webhook secret, case links).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { UnknownChannelError } from '../../src/channels/channel';
import { ChannelConfigError, caseUrlBuilder, createChannels } from '../../src/channels/index';
import { verifyWebhookSignature } from '../../src/channels/webhook-channel';
import { outgoing, startHttpReceiver, type HttpReceiver } from './support';

let dir: string;
let receiver: HttpReceiver;
let smtp: SMTPServer;
let smtpUrl: string;
const mails: ParsedMail[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'channels-'));
  receiver = await startHttpReceiver();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await receiver?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('createChannels', () => {
  it('configures log and slack (which needs no settings) and nothing else without configuration', async () => {
    const channels = createChannels({ notificationLogFile: '-' });

    expect(channels.registry.names()).toEqual(['log', 'slack']);
    expect(() => channels.registry.get('email')).toThrow(UnknownChannelError);
    expect(() => channels.registry.get('webhook')).toThrow(UnknownChannelError);
    await expect(channels.close()).resolves.toBeUndefined();
  });

  it('adds email with SMTP_URL and SMTP_FROM and webhook with WEBHOOK_SECRET, each wired with its settings', async () => {
    const file = path.join(dir, 'notifications.jsonl');
    const channels = createChannels({
      notificationLogFile: file,
      smtpUrl,
      smtpFrom: 'Escalations <escalations@example.com>',
      webhookSecret: 'whsec_wired',
      publicUrl: 'https://esc.example.com/',
    });
    expect(channels.registry.names()).toEqual(['log', 'email', 'slack', 'webhook']);

    await channels.registry.get('log').send(outgoing());
    await channels.registry.get('email').send(outgoing({ channel: 'email' }));
    const hook = `${receiver.base}/wired`;
    await channels.registry.get('webhook').send(outgoing({ recipient: { name: 'Ticketing', address: hook } }));
    await channels.registry
      .get('slack')
      .send(outgoing({ recipient: { name: '#ops', address: `${receiver.base}/slack` } }));
    await channels.close();

    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(2);
    expect(mails.map((mail) => mail.from?.value)).toEqual([
      [{ name: 'Escalations', address: 'escalations@example.com' }],
    ]);
    expect(mails[0]?.html).toContain(
      '<a href="https://esc.example.com/escalations/ESC-2026-000042">ESC-2026-000042</a>',
    );
    const [webhook] = receiver.to('/wired');
    expect(
      verifyWebhookSignature(String(webhook?.headers['escalations-signature']), webhook!.body, 'whsec_wired'),
    ).toEqual({ ok: true });
    const slack = JSON.parse(receiver.to('/slack')[0]!.body);
    expect(slack.blocks[2].elements[0].text).toContain(
      '<https://esc.example.com/escalations/ESC-2026-000042|Open case>',
    );
  });

  it('refuses SMTP_URL without SMTP_FROM with an error naming SMTP_FROM', () => {
    for (const smtpFrom of [undefined, '', '  ']) {
      expect(() => createChannels({ notificationLogFile: '-', smtpUrl, smtpFrom })).toThrow(
        new ChannelConfigError(
          'SMTP_URL is set but SMTP_FROM is not: set SMTP_FROM to the sender of escalation e-mails, e.g. "Escalations <escalations@example.com>"',
        ),
      );
    }
  });

  it('treats empty settings as unset', () => {
    const channels = createChannels({ notificationLogFile: '-', smtpUrl: '', webhookSecret: ' ', publicUrl: '' });

    expect(channels.registry.names()).toEqual(['log', 'slack']);
  });

  it('refuses a PUBLIC_URL that is not an absolute http(s) URL', () => {
    expect(() => createChannels({ notificationLogFile: '-', publicUrl: 'esc.example.com' })).toThrow(
      'PUBLIC_URL must be an absolute http(s) URL such as https://escalations.example.com, not "esc.example.com"',
    );
  });

  it('builds case links under the public URL, encoding the id', () => {
    expect(caseUrlBuilder('https://esc.example.com/base//')('ESC 1/2')).toBe(
      'https://esc.example.com/base/escalations/ESC%201%2F2',
    );
  });
});
