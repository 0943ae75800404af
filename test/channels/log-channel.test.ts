// The `log` channel's line format and sinks, and the channel registry's lookup errors.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChannelRegistry, UnknownChannelError, type OutgoingMessage } from '../../src/channels/channel';
import { createLogChannel, logChannelSink, type LineSink } from '../../src/channels/log-channel';
import { CapturingChannel } from '../../src/channels/memory-channel';

function message(seq: number, overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    idempotencyKey: `escalation/ESC-2026-000001/notification/${seq}`,
    caseId: 'ESC-2026-000001',
    channel: 'log',
    recipient: { name: 'Frontline support queue', address: 'frontline@example.com' },
    audience: 'assignee',
    subject: '[ESC-2026-000001][high] Handoff to Frontline support: Checkout fails',
    body: 'Case ESC-2026-000001 is now with Frontline support.\nWhy: new case',
    requestedAt: '2026-03-02T09:00:00.000Z',
    ...overrides,
  };
}

function collectingSink(): LineSink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line: string) => lines.push(line) };
}

function closed(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

describe('log channel', () => {
  it('is named "log"', () => {
    expect(createLogChannel(collectingSink()).name).toBe('log');
  });

  it('writes one JSON line per message with exactly the documented fields', async () => {
    const sink = collectingSink();
    const channel = createLogChannel(sink);

    await channel.send(message(1));
    await channel.send(message(2, { audience: 'reporter', recipient: { name: 'Ada', address: 'ada@example.com' } }));

    expect(sink.lines).toHaveLength(2);
    for (const line of sink.lines) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
    }
    expect(JSON.parse(sink.lines[0] ?? '')).toEqual({
      channel: 'log',
      idempotencyKey: 'escalation/ESC-2026-000001/notification/1',
      caseId: 'ESC-2026-000001',
      recipient: { name: 'Frontline support queue', address: 'frontline@example.com' },
      audience: 'assignee',
      subject: '[ESC-2026-000001][high] Handoff to Frontline support: Checkout fails',
      body: 'Case ESC-2026-000001 is now with Frontline support.\nWhy: new case',
      requestedAt: '2026-03-02T09:00:00.000Z',
    });
    expect(JSON.parse(sink.lines[1] ?? '')).toMatchObject({
      idempotencyKey: 'escalation/ESC-2026-000001/notification/2',
      audience: 'reporter',
      recipient: { name: 'Ada', address: 'ada@example.com' },
    });
  });

  it('writes no fields beyond the documented ones, whatever the message carries', async () => {
    const sink = collectingSink();
    const extra = { ...message(1), secret: 'do not log', recipient: { name: 'N', address: 'a@b', token: 't' } };

    await createLogChannel(sink).send(extra);

    const parsed = JSON.parse(sink.lines[0] ?? '') as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(
      ['audience', 'body', 'caseId', 'channel', 'idempotencyKey', 'recipient', 'requestedAt', 'subject'].sort(),
    );
  });
});

describe('logChannelSink', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'log-channel-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is standard output for "-"', () => {
    expect(logChannelSink('-')).toBe(process.stdout);
  });

  it('appends one line per message to a file, keeping what was there', async () => {
    const file = path.join(dir, 'notifications.jsonl');

    const firstSink = logChannelSink(file) as WriteStream;
    const first = createLogChannel(firstSink);
    await first.send(message(1));
    await first.send(message(2));
    await closed(firstSink);

    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.split('\n').slice(0, -1);
    expect(lines).toHaveLength(2);
    expect(lines.map((line) => (JSON.parse(line) as OutgoingMessage).idempotencyKey)).toEqual([
      'escalation/ESC-2026-000001/notification/1',
      'escalation/ESC-2026-000001/notification/2',
    ]);

    const secondSink = logChannelSink(file) as WriteStream;
    await createLogChannel(secondSink).send(message(3));
    await closed(secondSink);

    const after = readFileSync(file, 'utf8').split('\n').slice(0, -1);
    expect(after.map((line) => (JSON.parse(line) as OutgoingMessage).idempotencyKey)).toEqual([
      'escalation/ESC-2026-000001/notification/1',
      'escalation/ESC-2026-000001/notification/2',
      'escalation/ESC-2026-000001/notification/3',
    ]);
  });
});

describe('ChannelRegistry', () => {
  it('returns a configured channel by name', () => {
    const capturing = new CapturingChannel();

    expect(new ChannelRegistry([capturing]).get('log')).toBe(capturing);
  });

  it('throws UnknownChannelError naming every configured channel for an unknown name', () => {
    const email = { name: 'email', send: () => Promise.resolve() };
    const registry = new ChannelRegistry([new CapturingChannel(), email]);
    let error: unknown;
    try {
      registry.get('pager');
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(UnknownChannelError);
    expect((error as UnknownChannelError).name).toBe('UnknownChannel');
    expect((error as UnknownChannelError).message).toBe('no notification channel "pager" (configured: log, email)');
    expect(registry.names()).toEqual(['log', 'email']);
  });
});

describe('log channel after a crash between writing a line and recording it', () => {
  it('tells from its file which notifications it already wrote, so a retry does not write them twice', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'log-channel-'));
    try {
      const file = path.join(dir, 'notifications.jsonl');
      const sink = logChannelSink(file) as WriteStream;
      const channel = createLogChannel(sink, file);
      await channel.send(message(1));
      await closed(sink);

      await expect(channel.wasDelivered?.(message(1))).resolves.toBe(true);
      await expect(channel.wasDelivered?.(message(2))).resolves.toBe(false);
      // Key 1 is not a prefix match for key 10.
      await expect(channel.wasDelivered?.(message(10))).resolves.toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cannot tell on standard output (at least once there)', () => {
    expect('wasDelivered' in createLogChannel(collectingSink())).toBe(false);
  });
});
