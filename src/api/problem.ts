// Errors as RFC 9457 problem details (application/problem+json), with every field error for bad input.
import type { ZodError } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }

  toJSON(instance?: string): Record<string, unknown> {
    return {
      type: `urn:escalations:problem:${this.type}`,
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...this.extra,
    };
  }
}

export function validationProblem(error: ZodError, where: 'body' | 'query' | 'path' | 'header'): HttpProblem {
  const errors: FieldError[] = error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return { field: [field, ...issue.keys].filter(Boolean).join('.'), message: 'is not a known field' };
    }
    return { field: field === '' ? where : field, message: issue.message };
  });
  const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return new HttpProblem(400, 'validation-error', 'Invalid request', `invalid ${where}: ${summary}`, { errors });
}

export const notFound = (caseId: string) =>
  new HttpProblem(404, 'case-not-found', 'Unknown case', `no escalation with id "${caseId}"`);
