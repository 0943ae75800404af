// Evidence and the new creation fields are validated at the edge (400, every invalid field named) before anything
// reaches Temporal: these run against an API whose Temporal cannot be reached, so a well-formed request gets 503.
import { createEscalationBody, isTimeZone } from '../../src/api/schemas';
import { useOfflineApi } from '../support/offline-api';

const api = useOfflineApi();

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

const SHA = 'ab'.repeat(32);
const evidence = {
  by: 'Ana Ruiz',
  type: 'attachment',
  title: 'Gateway log',
  url: 'https://files.example.com/gw.log',
  contentType: 'text/plain',
  sizeBytes: 1024,
  sha256: SHA,
  note: 'EU gateway',
};

describe('POST /escalations/:id/evidence validation', () => {
  test.each([
    ['an ftp URL', { url: 'ftp://files.example.com/gw.log' }, 'url', 'must be an http or https URL'],
    ['a URL that is not one', { url: 'gateway log' }, 'url', 'must be an http or https URL'],
    ['a javascript: URL', { url: 'javascript:alert(1)' }, 'url', 'must be an http or https URL'],
    ['a short sha256', { sha256: 'abc123' }, 'sha256', 'must be a SHA-256 digest: 64 hexadecimal characters'],
    ['a non-hex sha256', { sha256: 'z'.repeat(64) }, 'sha256', 'must be a SHA-256 digest: 64 hexadecimal characters'],
    ['an unknown type', { type: 'video' }, 'type', 'must be one of link, attachment'],
    ['a negative size', { sizeBytes: -1 }, 'sizeBytes', 'must be 0 or more'],
    ['a fractional size', { sizeBytes: 1.5 }, 'sizeBytes', 'must be a whole number'],
    ['a bad content type', { contentType: 'text' }, 'contentType', 'must be a media type such as image/png'],
    ['a blank title', { title: '  ' }, 'title', 'must not be empty'],
    ['a long note', { note: 'x'.repeat(2001) }, 'note', 'must be at most 2000 characters'],
  ])('rejects %s with 400 naming the field', async (_what, change, field, message) => {
    const reply = await post('/escalations/ESC-1/evidence', { ...evidence, ...change });
    expect(reply.status).toBe(400);
    expect(reply.type).toBe('application/problem+json; charset=utf-8');
    expect(reply.body).toMatchObject({
      type: 'urn:escalations:problem:validation-error',
      errors: [{ field, message }],
    });
  });

  test('rejects an unknown field', async () => {
    const reply = await post('/escalations/ESC-1/evidence', { ...evidence, colour: 'red' });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ errors: [{ field: 'colour', message: 'is not a known field' }] });
  });

  test('names every missing field', async () => {
    const reply = await post('/escalations/ESC-1/evidence', {});
    expect(reply.status).toBe(400);
    expect((reply.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['by', 'type', 'title', 'url']);
  });

  test('rejects a bad Request-Id and a bad case id', async () => {
    const header = await post('/escalations/ESC-1/evidence', evidence, { 'Request-Id': 'no spaces allowed' });
    expect(header.status).toBe(400);
    expect(header.body).toMatchObject({ errors: [{ field: 'Request-Id' }] });
    const path = await post(`/escalations/${encodeURIComponent('bad id!')}/evidence`, evidence);
    expect(path.status).toBe(400);
    expect(path.body).toMatchObject({ errors: [{ field: 'path', message: 'is not a valid case id' }] });
  });

  test('a well-formed request reaches Temporal (503 here)', async () => {
    expect((await post('/escalations/ESC-1/evidence', evidence)).status).toBe(503);
    const link = { by: 'Ana', type: 'link', title: 'Status page', url: 'http://status.example.com' };
    expect((await post('/escalations/ESC-1/evidence', link)).status).toBe(503);
  });
});

describe('POST /escalations: occurredAt, evidence, reporter.timeZone', () => {
  const newCase = {
    title: 'Checkout fails',
    category: 'technical',
    reporter: { name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/Berlin' },
    occurredAt: '2025-03-03T08:55:00+01:00',
    evidence: [{ type: 'link', title: 'Dashboard', url: 'https://grafana.example.com/d/x' }],
  };

  test('a well-formed case reaches Temporal (503 here)', async () => {
    expect((await post('/escalations', newCase)).status).toBe(503);
  });

  test.each([
    ['occurredAt in the future', { occurredAt: '2999-01-01T00:00:00Z' }, 'occurredAt', 'must not be in the future'],
    [
      'occurredAt without an offset',
      { occurredAt: '2025-03-03T08:55:00' },
      'occurredAt',
      'must be an ISO 8601 date-time with an offset, such as 2030-01-31T17:00:00Z',
    ],
    [
      'an unknown time zone',
      { reporter: { ...newCase.reporter, timeZone: 'Mars/Olympus_Mons' } },
      'reporter.timeZone',
      'must be an IANA time zone such as Europe/Berlin',
    ],
    [
      'an offset for a time zone',
      { reporter: { ...newCase.reporter, timeZone: '+01:00' } },
      'reporter.timeZone',
      'must be an IANA time zone such as Europe/Berlin',
    ],
    [
      'evidence with a bad URL',
      { evidence: [{ type: 'link', title: 'Dashboard', url: 'file:///etc/passwd' }] },
      'evidence.0.url',
      'must be an http or https URL',
    ],
    [
      'evidence with a bad sha256',
      { evidence: [{ type: 'attachment', title: 'Log', url: 'https://x.example.com/l', sha256: 'ff' }] },
      'evidence.0.sha256',
      'must be a SHA-256 digest: 64 hexadecimal characters',
    ],
    [
      'more than 20 pieces of evidence',
      {
        evidence: Array.from({ length: 21 }, (_, i) => ({
          type: 'link',
          title: `L${i}`,
          url: 'https://x.example.com',
        })),
      },
      'evidence',
      'at most 20 pieces of evidence',
    ],
  ])('rejects %s with 400 naming the field', async (_what, change, field, message) => {
    const reply = await post('/escalations', { ...newCase, ...change });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ errors: [{ field, message }] });
  });

  test('evidence items reject unknown fields (by is the reporter at creation)', async () => {
    const reply = await post('/escalations', { ...newCase, evidence: [{ ...newCase.evidence[0], by: 'Ana' }] });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ errors: [{ field: 'evidence.0.by', message: 'is not a known field' }] });
  });
});

describe('createEscalationBody', () => {
  test('normalises occurredAt to UTC, the digest to lower case, and leaves absent fields out', () => {
    const parsed = createEscalationBody.parse({
      title: 'x',
      category: 'y',
      reporter: { name: 'Ada', email: 'ada@example.com', timeZone: 'America/Argentina/Buenos_Aires' },
      occurredAt: '2025-03-03T08:55:00+01:00',
      evidence: [
        { type: 'attachment', title: 'Log', url: 'https://x.example.com/l', sha256: 'AB'.repeat(32), note: ' ' },
      ],
    });
    expect(parsed.occurredAt).toBe('2025-03-03T07:55:00.000Z');
    expect(parsed.reporter.timeZone).toBe('America/Argentina/Buenos_Aires');
    expect(parsed.evidence).toEqual([
      { type: 'attachment', title: 'Log', url: 'https://x.example.com/l', sha256: 'ab'.repeat(32) },
    ]);
  });

  test('knows IANA zones, not offsets or made-up names', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/Indiana/Indianapolis', 'Etc/GMT+5']) {
      expect(isTimeZone(zone)).toBe(true);
    }
    for (const zone of ['', '+01:00', 'GMT+1:00', 'Europe/Atlantis', 'Europe/../Berlin']) {
      expect(isTimeZone(zone)).toBe(false);
    }
  });
});
