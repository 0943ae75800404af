// Refuses, at the edge, text that the case store cannot keep or that no person typed (see
// src/shared/control-characters.ts): a 400 naming the field, before anything reaches a workflow. One NUL in a
// comment used to fail every write of its case; here it is a bad request like any other.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { findControlCharacter, firstControlCharacter } from '../shared/control-characters';
import { HttpProblem } from './problem';
import { requestIdHeader } from './schemas';

export class InvalidEncodingError extends Error {
  override readonly name = 'InvalidEncodingError';
  readonly status = 400;
}

/**
 * body-parser's `verify` hook: a UTF-8 body must be valid UTF-8. Without it invalid bytes would silently become
 * U+FFFD and a caller would never learn that what it sent was mangled.
 */
export function verifyUtf8(_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string | null): void {
  const charset = (encoding ?? 'utf-8').toLowerCase();
  if ((charset === 'utf-8' || charset === 'utf8') && !isUtf8(body)) {
    throw new InvalidEncodingError('request body is not valid UTF-8');
  }
}

function refused(where: 'body' | 'query' | 'header', field: string, message: string): HttpProblem {
  const name = field === '' ? where : field;
  return new HttpProblem(400, 'validation-error', 'Invalid request', `invalid ${where}: ${name}: ${message}`, {
    errors: [{ field: name, message }],
  });
}

/** The line and column of the first refused character of a text body (matrix YAML), for the author to find it. */
export function textFinding(text: string): string | undefined {
  const found = firstControlCharacter(text);
  if (found === undefined) return undefined;
  const before = text.slice(0, found.index);
  const line = before.split('\n').length;
  const column = found.index - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${found.message}`;
}

/**
 * Express middleware: checks the query string and the parsed body (JSON, form or text) of every request it sees.
 * Mounted after each body parser, so routes with their own parser (forms, YAML) are covered too.
 */
export function refuseControlCharacters(req: Request, _res: Response, next: NextFunction): void {
  const rawQuery = req.originalUrl.split('?')[1];
  if (rawQuery !== undefined && !isUtf8(percentDecoded(rawQuery))) {
    throw refused('query', '', 'must be valid UTF-8 once percent-decoded');
  }
  // Every route, not only commands: a create or a comment with a malformed Request-Id is as wrong as an acknowledge.
  const requestId = req.get('Request-Id');
  if (requestId !== undefined && !requestIdHeader.safeParse(requestId).success) {
    throw refused('header', 'Request-Id', 'must be 1-128 characters of letters, digits or ._:-');
  }
  const inQuery = findControlCharacter(req.query);
  if (inQuery) throw refused('query', inQuery.path, inQuery.message);
  const body: unknown = req.body;
  if (typeof body === 'string') {
    const found = textFinding(body);
    if (found !== undefined) throw refused('body', '', found);
  } else {
    const inBody = findControlCharacter(body);
    if (inBody) throw refused('body', inBody.path, inBody.message);
  }
  next();
}

/** The bytes a query string stands for (`%C3%A9` -> 0xC3 0xA9), to tell whether they are UTF-8 at all. */
function percentDecoded(query: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < query.length; i++) {
    const hex = query.slice(i + 1, i + 3);
    if (query[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(query[i] as string, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/**
 * Requests Node's HTTP parser refuses before Express sees them (a NUL in a header, a malformed request line) get the
 * same problem+json 400 as any other bad request, instead of a bare 400 without a body.
 */
export function answerMalformedRequests(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({
      type: 'urn:escalations:problem:malformed-request',
      title: 'Malformed request',
      status: 400,
      detail: `the HTTP request could not be parsed (${error.code ?? error.message}): a header holds a character HTTP does not allow`,
    });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
