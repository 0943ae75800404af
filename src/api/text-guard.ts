// Refuses, at the edge, text that the case store cannot keep or that no person typed (see
// src/shared/control-characters.ts): a 400 naming the field, before anything reaches a workflow. One NUL in a
// comment used to fail every write of its case; here it is a bad request like any other.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { findControlCharacter, firstControlCharacter } from '../shared/control-characters';
import { HttpProblem } from './problem';

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
