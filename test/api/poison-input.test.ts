// Text the store cannot keep is refused at the edge with a 400 naming the field, on every route and in every part of
// a request (JSON body, form body, YAML body, query string, Request-Id), before any Temporal call: the Temporal client
// here points at a closed port, so a request that got past the guard would answer 503, not 400.
import net from 'node:net';
import { answerMalformedRequests } from '../../src/api/text-guard';
import type { CaseStore } from '../../src/store/case-store';
import { startOfflineApi, type OfflineApi } from '../support/offline-api';

let api: OfflineApi;
let base: string;

const store = new Proxy({} as CaseStore, {
  get: () => () => Promise.reject(new Error('the store must not be reached by a refused request')),
});

beforeAll(async () => {
  api = await startOfflineApi({ store, feedbackSecret: 'test-secret' });
  ({ base } = api);
  answerMalformedRequests(api.server);
});

afterAll(async () => {
  await api?.close();
});

interface Problem {
  status: number;
  detail: string;
  errors: { field: string; message: string }[];
}

async function send(
  method: string,
  path: string,
  body: string | Buffer | undefined,
  type = 'application/json',
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string | null; problem: Problem }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': type, ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), problem: JSON.parse(text) as Problem };
}

const create = {
  title: 'Checkout down',
  category: 'technical',
  reporter: { name: 'Ada', email: 'ada@example.com' },
  attemptedSteps: ['restarted'],
};

/** Every route with a text field, the field's path, and a body with `value` in that field. */
const ROUTES: { route: string; field: string; body: (value: string) => unknown }[] = [
  { route: 'POST /escalations', field: 'title', body: (v) => ({ ...create, title: v }) },
  { route: 'POST /escalations', field: 'description', body: (v) => ({ ...create, description: v }) },
  {
    route: 'POST /escalations',
    field: 'reporter.name',
    body: (v) => ({ ...create, reporter: { ...create.reporter, name: v } }),
  },
  { route: 'POST /escalations', field: 'attemptedSteps.1', body: (v) => ({ ...create, attemptedSteps: ['a', v] }) },
  {
    route: 'POST /escalations',
    field: 'evidence.0.title',
    body: (v) => ({ ...create, evidence: [{ type: 'link', title: v, url: 'https://example.com/x' }] }),
  },
  { route: 'POST /escalations/C-1/comments', field: 'note', body: (v) => ({ by: 'x', note: v }) },
  { route: 'POST /escalations/C-1/acknowledge', field: 'by', body: (v) => ({ by: v }) },
  { route: 'POST /escalations/C-1/acknowledge', field: 'note', body: (v) => ({ by: 'x', note: v }) },
  { route: 'POST /escalations/C-1/resolve', field: 'resolution', body: (v) => ({ by: 'x', resolution: v }) },
  { route: 'POST /escalations/C-1/escalate', field: 'reason', body: (v) => ({ by: 'x', reason: v }) },
  { route: 'POST /escalations/C-1/pause', field: 'reason', body: (v) => ({ by: 'x', reason: v }) },
  { route: 'POST /escalations/C-1/reassign', field: 'reason', body: (v) => ({ by: 'x', to: 'ana', reason: v }) },
  {
    route: 'POST /escalations/C-1/evidence',
    field: 'title',
    body: (v) => ({ by: 'x', type: 'link', title: v, url: 'https://example.com/x' }),
  },
  { route: 'POST /escalations/C-1/tasks', field: 'title', body: (v) => ({ by: 'x', title: v, owner: 'ana' }) },
  { route: 'POST /escalations/C-1/feedback', field: 'comment', body: (v) => ({ by: 'x', score: 2, comment: v }) },
  { route: 'POST /matrix/validate', field: 'yaml', body: (v) => ({ yaml: v }) },
  { route: 'POST /matrix/simulate', field: 'scenario', body: (v) => ({ scenario: v }) },
];

describe('control characters at the edge', () => {
  it.each(ROUTES.map((r) => [r.route, r.field, r.body] as const))(
    '%s refuses a NUL in %s with a 400 naming the field',
    async (route, field, body) => {
      const [method, path] = route.split(' ') as [string, string];
      const reply = await send(method, path, JSON.stringify(body('a\u0000b')));
      expect(reply.status).toBe(400);
      expect(reply.type).toMatch(/^application\/problem\+json/);
      expect(reply.problem.errors).toEqual([
        {
          field,
          message:
            'must not contain U+0000 (control character NUL) (at character 2); only tab and line breaks are allowed among control characters',
        },
      ]);
    },
  );

  it.each([
    ['\u0001', 'U+0001 (control character SOH)'],
    ['\u001b[31m', 'U+001B (control character ESC)'],
    ['\u000b', 'U+000B (control character VT)'],
    ['\ud800', 'U+D800 (unpaired surrogate)'],
    ['x\udc00', 'U+DC00 (unpaired surrogate)'],
  ])('refuses %j in a comment', async (value, named) => {
    const reply = await send('POST', '/escalations/C-1/comments', JSON.stringify({ by: 'x', note: value }));
    expect(reply.status).toBe(400);
    expect(reply.problem.errors[0]?.field).toBe('note');
    expect(reply.problem.errors[0]?.message).toContain(named);
  });

  it('refuses a control character in a field name', async () => {
    const reply = await send('POST', '/escalations', JSON.stringify({ ...create, ['ti\u0000tle']: 'x' }));
    expect(reply.status).toBe(400);
    expect(reply.problem.errors[0]?.field).toBe('ti\u0000tle');
  });

  it('refuses a control character in the query string, naming the parameter', async () => {
    const reply = await send('GET', '/escalations?status=open%00', undefined);
    expect(reply.status).toBe(400);
    expect(reply.problem.errors[0]?.field).toBe('status');
  });

  it('refuses a Request-Id that is not plain letters, digits or ._:-', async () => {
    const reply = await send('POST', '/escalations/C-1/acknowledge', JSON.stringify({ by: 'x' }), 'application/json', {
      'Request-Id': 'rid 1;drop',
    });
    expect(reply.status).toBe(400);
    expect(reply.problem.errors[0]?.field).toBe('Request-Id');
  });

  it('refuses a malformed Request-Id on routes that are not commands too (create, comment)', async () => {
    const headers = { 'Request-Id': 'caf\u00e9' };
    for (const [path, body] of [
      ['/escalations', create],
      ['/escalations/C-1/comments', { by: 'x', note: 'y' }],
    ] as const) {
      const reply = await send('POST', path, JSON.stringify(body), 'application/json', headers);
      expect(reply.status).toBe(400);
      expect(reply.problem.errors[0]?.field).toBe('Request-Id');
    }
  });

  it('answers a NUL in a header (refused by the HTTP parser itself) with a problem+json 400', async () => {
    const { port } = new URL(base);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /escalations/C-1/acknowledge HTTP/1.1\r\nHost: x\r\nRequest-Id: a\u0000b\r\nContent-Length: 2\r\n\r\n{}',
        );
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(raw).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 400,
      title: 'Malformed request',
    });
  });

  it('refuses a query string whose percent-escapes are not UTF-8', async () => {
    const reply = await send('GET', '/worklist?owner=%C3%28%FF', undefined);
    expect(reply.status).toBe(400);
    expect(reply.problem.errors).toEqual([{ field: 'query', message: 'must be valid UTF-8 once percent-decoded' }]);
  });

  it('refuses a body that is not valid UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('{"by":"x","note":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const reply = await send('POST', '/escalations/C-1/comments', bytes);
    expect(reply.status).toBe(400);
    expect(reply.problem.errors).toEqual([{ field: 'body', message: 'request body is not valid UTF-8' }]);
  });

  it('refuses a NUL in a YAML matrix body with its line and column', async () => {
    const reply = await send('POST', '/matrix/validate', 'version: 2\nname: a\u0000b\n', 'application/yaml');
    expect(reply.status).toBe(400);
    expect(reply.problem.errors[0]?.field).toBe('body');
    expect(reply.problem.errors[0]?.message).toMatch(/^line 2, column 8: must not contain U\+0000/);
  });

  it('refuses a NUL in the feedback form', async () => {
    const reply = await send(
      'POST',
      '/feedback/C-1',
      'round=0&token=x&score=2&comment=a%00b',
      'application/x-www-form-urlencoded',
    );
    expect(reply.status).toBe(400);
    expect(reply.problem.errors[0]?.field).toBe('comment');
  });

  it('lets tab, line breaks and any Unicode text through to the command (which then needs Temporal)', async () => {
    const note = 'line 1\r\n\tline 2 — emoji 🧯, RTL שלום, combining é, CJK 漢字';
    const reply = await send('POST', '/escalations/C-1/comments', JSON.stringify({ by: 'x', note }));
    // Past the guard: the (unreachable) Temporal client answers.
    expect(reply.status).toBe(503);
  });
});
