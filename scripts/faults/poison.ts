// Poison input on every route of the API: NUL and other C0 control characters in each text field (body, query
// string, path), bodies over the 64 kB limit, bytes that are not UTF-8, and a Request-Id with control characters.
// Sent over a raw socket because fetch refuses to send most of it. Expected: 400 (413 oversize) problem+json.
import net from 'node:net';
import { caseBody } from './api-client';
import { LOOPBACK } from '../support/loopback';

export interface PoisonOutcome {
  route: string;
  variant: string;
  status: number;
  contentType: string;
  expected: number;
  ok: boolean;
  /** A create that was accepted made a case the round must clean up. */
  createdCaseId?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** With `:id` for the case, and other params filled in. */
  path: string;
  body?: Json;
  query?: Record<string, string>;
  /** Reads a Request-Id (a workflow update); create does not, but is poisoned all the same. */
  takesRequestId?: boolean;
}

/** C0 control characters besides NUL; tab, line feed and carriage return are left out (free text may hold them). */
const OTHER_C0 = ['\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f'];
const INVALID_UTF8 = Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]);
const OVERSIZE_BYTES = 70 * 1024;
const REQUEST_TIMEOUT_MS = 20_000;

const future = () => new Date(Date.now() + 3_600_000).toISOString();

function routes(): Route[] {
  const by = { by: 'Poison Tester' };
  const owner = { name: 'Outside Helper', email: 'helper@example.com' };
  return [
    { method: 'POST', path: '/escalations', body: caseBody('POISON') as Json },
    { method: 'GET', path: '/escalations', query: { status: 'open', priority: 'high', limit: '5' } },
    { method: 'GET', path: '/escalations/:id' },
    { method: 'POST', path: '/escalations/:id/acknowledge', body: { ...by, note: 'looking' } },
    {
      method: 'POST',
      path: '/escalations/:id/resolve',
      body: { ...by, resolution: 'fixed', rootCause: 'configuration', fix: 'reverted', force: { reason: 'poison' } },
    },
    { method: 'POST', path: '/escalations/:id/pause', body: { ...by, reason: 'waiting-on-customer' } },
    { method: 'POST', path: '/escalations/:id/resume', body: { ...by, note: 'back' } },
    { method: 'POST', path: '/escalations/:id/escalate', body: { ...by, reason: 'poison', to: 'manager' } },
    { method: 'POST', path: '/escalations/:id/migrate', body: { ...by, reason: 'poison' } },
    { method: 'POST', path: '/escalations/migrate', body: { ...by, reason: 'poison', filter: { fromVersion: 'v0' } } },
    { method: 'POST', path: '/escalations/:id/comments', body: { ...by, note: 'a comment' } },
    { method: 'POST', path: '/escalations/:id/reassign', body: { ...by, to: owner, reason: 'poison' } },
    { method: 'POST', path: '/escalations/:id/reprioritise', body: { ...by, priority: 'low', reason: 'poison' } },
    { method: 'POST', path: '/escalations/:id/cancel', body: { ...by, reason: 'raised-in-error', note: 'poison' } },
    { method: 'POST', path: '/escalations/:id/teams', body: { ...by, team: 'billing-desk', note: 'poison' } },
    { method: 'GET', path: '/escalations/:id/tasks' },
    {
      method: 'POST',
      path: '/escalations/:id/tasks',
      body: { ...by, title: 'a task', owner, dueAt: future(), blocking: false },
    },
    { method: 'PATCH', path: '/escalations/:id/tasks/T1', body: { ...by, state: 'done', note: 'done' } },
    {
      method: 'POST',
      path: '/escalations/:id/subscribers',
      body: { ...by, name: 'Watcher', channel: 'log', address: 'watcher@example.com' },
    },
    { method: 'DELETE', path: '/escalations/:id/subscribers/watcher%40example.com', query: { by: 'Poison Tester' } },
    { method: 'POST', path: '/escalations/:id/feedback', body: { score: 2, comment: 'meh', by: 'Reporter' } },
    { method: 'POST', path: '/escalations/:id/reopen', body: { ...by, reason: 'poison' } },
    { method: 'GET', path: '/escalations/:id/review' },
    {
      method: 'PUT',
      path: '/escalations/:id/review',
      body: {
        ...by,
        whatHappened: 'it broke',
        rootCause: { method: 'five-whys', whys: ['because'] },
        rootCauseCategory: 'configuration',
        wentWell: ['fast'],
        wentBadly: ['late'],
        actionItems: [{ title: 'an item', owner, dueAt: future() }],
      },
    },
    {
      method: 'POST',
      path: '/escalations/:id/review/action-items',
      body: { ...by, title: 'an item', owner, dueAt: future() },
    },
    { method: 'PATCH', path: '/escalations/:id/review/action-items/A1', body: { ...by, state: 'done', note: 'ok' } },
    { method: 'GET', path: '/escalations/:id/evidence' },
    {
      method: 'POST',
      path: '/escalations/:id/evidence',
      body: { ...by, type: 'link', title: 'a log', url: 'https://logs.example.com/x', note: 'see there' },
    },
    { method: 'GET', path: '/escalations/:id/timeline' },
    { method: 'GET', path: '/escalations/:id/handoffs' },
    { method: 'GET', path: '/escalations/:id/export.md' },
    { method: 'GET', path: '/escalations/:id/export.pdf' },
    { method: 'GET', path: '/feedback/:id', query: { round: '0', token: 'abc' } },
    { method: 'POST', path: '/feedback/:id', query: { round: '0', token: 'abc' }, body: { score: 3, comment: 'ok' } },
    { method: 'GET', path: '/worklist', query: { owner: 'frontline', team: 'support', limit: '5' } },
    { method: 'GET', path: '/reports/summary', query: { from: '2026-01-01', to: '2026-02-01', groupBy: 'category' } },
    { method: 'GET', path: '/reports/page', query: { from: '2026-01-01', to: '2026-02-01', groupBy: 'category' } },
    { method: 'GET', path: '/matrix' },
    { method: 'POST', path: '/matrix/validate', body: { yaml: 'version: 2\nname: x\n' } },
    { method: 'POST', path: '/matrix/simulate', body: { scenario: 'name: x\n' } },
  ].map((route) => ({ ...route, takesRequestId: route.method !== 'GET' && route.path.includes(':id') })) as Route[];
}

/** Every string leaf of a JSON value with its path, and a function that replaces it. */
function stringLeaves(value: Json, path = ''): { path: string; replace: (text: string) => Json }[] {
  if (typeof value === 'string') return [{ path: path || '(body)', replace: (text) => text }];
  if (Array.isArray(value)) {
    return value.flatMap((item, index) =>
      stringLeaves(item, `${path}[${index}]`).map((leaf) => ({
        path: leaf.path,
        replace: (text: string) => value.map((other, at) => (at === index ? leaf.replace(text) : other)),
      })),
    );
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      stringLeaves(item, path ? `${path}.${key}` : key).map((leaf) => ({
        path: leaf.path,
        replace: (text: string) => ({ ...value, [key]: leaf.replace(text) }),
      })),
    );
  }
  return [];
}

function leafValue(value: Json, path: string): string {
  const parts = path.match(/[^.[\]]+/g) ?? [];
  let current: Json = value;
  for (const part of parts) current = (current as Record<string, Json>)[part] as Json;
  return typeof current === 'string' ? current : '';
}

interface RawAnswer {
  status: number;
  contentType: string;
}

/** One HTTP/1.1 request, written byte for byte: control characters and non-UTF-8 go out exactly as given. */
export function rawRequest(port: number, head: Buffer, body: Buffer): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: LOOPBACK, port });
    const chunks: Buffer[] = [];
    const finish = () => {
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const contentType = /\r\ncontent-type:\s*([^\r\n;]+)/i.exec(text)?.[1]?.trim() ?? '';
      resolve({ status, contentType });
    };
    socket.setTimeout(REQUEST_TIMEOUT_MS, finish);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // The head is enough to judge; most answers are small, a PDF export is not.
      if (Buffer.concat(chunks).includes('\r\n\r\n')) finish();
    });
    socket.on('error', finish);
    socket.on('end', finish);
    socket.write(Buffer.concat([head, body]));
  });
}

function requestHead(method: string, target: string, headers: (string | Buffer)[], length: number): Buffer {
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${LOOPBACK}`, 'Connection: close'];
  if (length > 0 || method !== 'GET') lines.push('Content-Type: application/json', `Content-Length: ${length}`);
  return Buffer.concat([
    Buffer.from(lines.join('\r\n') + '\r\n', 'latin1'),
    ...headers.map((header) => Buffer.concat([Buffer.from(header as string, 'latin1'), Buffer.from('\r\n')])),
    Buffer.from('\r\n'),
  ]);
}

const encodeQuery = (query: Record<string, string>) =>
  Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${value}`)
    .join('&');

const percent = (text: string) => encodeURIComponent(text);

/**
 * Sends every poison variant to every route; `caseIds` are the round's cases (spread over so no case gets them
 * all), `newCaseId` names the case a poisoned create would make if the API wrongly accepted it.
 */
export async function sendPoison(
  port: number,
  caseIds: string[],
  newCaseId: (n: number) => string,
): Promise<PoisonOutcome[]> {
  const outcomes: PoisonOutcome[] = [];
  let created = 0;
  let turn = 0;
  for (const route of routes()) {
    const caseId = caseIds[turn++ % caseIds.length] ?? 'NONE';
    const path = route.path.replace(':id', encodeURIComponent(caseId));
    const query = route.query
      ? `?${encodeQuery(Object.fromEntries(Object.entries(route.query).map(([k, v]) => [k, percent(v)])))}`
      : '';
    const name = `${route.method} ${route.path}`;
    const send = async (
      variant: string,
      target: string,
      body: Buffer | undefined,
      headers: (string | Buffer)[],
      expected = 400,
    ) => {
      const isCreate = route.method === 'POST' && route.path === '/escalations';
      let payload = body ?? Buffer.alloc(0);
      let createdCaseId: string | undefined;
      if (isCreate && body !== undefined) {
        // Each poisoned create asks for a new id of its own, so a wrongly accepted one is a case we can cancel.
        createdCaseId = newCaseId(++created);
        payload = Buffer.from(payload.toString('latin1').replace('"POISON"', JSON.stringify(createdCaseId)), 'latin1');
      }
      const answer = await rawRequest(port, requestHead(route.method, target, headers, payload.length), payload);
      const ok = answer.status === expected && answer.contentType === 'application/problem+json';
      outcomes.push({
        route: name,
        variant,
        status: answer.status,
        contentType: answer.contentType,
        expected,
        ok,
        ...(createdCaseId !== undefined && answer.status >= 200 && answer.status < 300 ? { createdCaseId } : {}),
      });
    };
    const validBody = route.body === undefined ? undefined : Buffer.from(JSON.stringify(route.body), 'utf8');

    // Body: NUL, then one other C0 character (rotating), in each text field.
    if (route.body !== undefined) {
      let c0 = 0;
      for (const leaf of stringLeaves(route.body)) {
        const original = leafValue(route.body, leaf.path);
        for (const [label, char] of [
          ['NUL', '\u0000'],
          [
            `U+${(OTHER_C0[c0 % OTHER_C0.length] as string).charCodeAt(0).toString(16).padStart(4, '0')}`,
            OTHER_C0[c0++ % OTHER_C0.length] as string,
          ],
        ] as const) {
          const poisoned = JSON.stringify(leaf.replace(`${original.slice(0, 2)}${char}${original.slice(2)}`));
          await send(`body.${leaf.path} ${label}`, path + query, Buffer.from(poisoned, 'utf8'), []);
        }
      }
      // Bytes that are not UTF-8 inside the first text field.
      const first = stringLeaves(route.body)[0];
      if (first) {
        const marker = 'INVALIDUTF8MARKER';
        const text = JSON.stringify(first.replace(marker));
        const [before, after] = text.split(marker) as [string, string];
        await send(
          `body.${first.path} invalid UTF-8`,
          path + query,
          Buffer.concat([Buffer.from(before, 'utf8'), INVALID_UTF8, Buffer.from(after, 'utf8')]),
          [],
        );
      }
      // Over the 64 kB body limit.
      const huge = JSON.stringify(
        first ? first.replace('x'.repeat(OVERSIZE_BYTES)) : { pad: 'x'.repeat(OVERSIZE_BYTES) },
      );
      await send('body over 64 kB', path + query, Buffer.from(huge, 'utf8'), [], 413);
    }

    // Query string: NUL, another C0 character and invalid UTF-8 (percent-encoded) in each parameter.
    for (const key of Object.keys(route.query ?? {})) {
      for (const [label, encoded] of [
        ['NUL', '%00'],
        ['U+001B', '%1B'],
        ['invalid UTF-8', '%C3%28%FF'],
      ] as const) {
        const values = { ...route.query, [key]: `${percent(route.query?.[key] ?? '')}${encoded}` };
        await send(`query.${key} ${label}`, `${path}?${encodeQuery(values)}`, validBody, []);
      }
    }

    // Path: the case id with a NUL in it.
    if (route.path.includes(':id')) {
      const badPath = route.path.replace(':id', `${encodeURIComponent(caseId)}%00`);
      await send('path :id NUL', badPath + query, validBody, []);
    }

    // Request-Id: control characters raw in the header (NUL, ESC) and bytes that are not UTF-8.
    if (route.takesRequestId || (route.method === 'POST' && route.path === '/escalations')) {
      const header = (bytes: Buffer) => Buffer.concat([Buffer.from('Request-Id: req-', 'latin1'), bytes]);
      const variants: [string, Buffer][] = [
        ['NUL', Buffer.from([0x00])],
        ['U+001B', Buffer.from([0x1b])],
        ['invalid UTF-8', INVALID_UTF8],
      ];
      for (const [label, bytes] of variants) {
        await send(`Request-Id ${label}`, path + query, validBody, [header(bytes)]);
      }
    }
  }
  return outcomes;
}
