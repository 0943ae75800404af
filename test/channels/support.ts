// Shared by the channel tests: a message to send, a loopback HTTP receiver that records what reached it, and a port
// nothing listens on.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { OutgoingMessage } from '../../src/channels/channel';

export function outgoing(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    idempotencyKey: 'escalation/ESC-2026-000042/notification/1',
    caseId: 'ESC-2026-000042',
    channel: 'log',
    recipient: { name: 'Ada Lovelace', address: 'ada@example.com' },
    audience: 'assignee',
    subject: '[ESC-2026-000042][high] Handoff to Frontline support: Checkout fails',
    body: 'Case ESC-2026-000042 is now with Frontline support.\nWhy: new case',
    requestedAt: '2026-03-02T09:00:00.000Z',
    ...overrides,
  };
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** How the receiver answers a request: a reply, or `'hang'` to never answer. */
export type Responder = (request: ReceivedRequest, attempt: number) => Reply | 'hang';

export interface HttpReceiver {
  base: string;
  requests: ReceivedRequest[];
  /** Requests that reached `path`. */
  to(path: string): ReceivedRequest[];
  close(): Promise<void>;
}

/** Answers by path; a path without a route gets 200 "ok", like Slack. */
export async function startHttpReceiver(routes: Record<string, Responder> = {}): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      const route = routes[received.path];
      const attempt = requests.filter((r) => r.path === received.path).length;
      const reply = route ? route(received, attempt) : { status: 200, body: 'ok' };
      if (reply === 'hang') return;
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    to: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve, reject) => {
        // A hanging route keeps its connection open: end it, or close() would wait for it.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A loopback port that was free a moment ago and has nothing listening now: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`, { cause: error });
  }
  throw new Error('expected the promise to reject, but it resolved');
}
