// Named store errors, so callers and operators can tell "the database is down" from "the data is wrong".

/** The database cannot be reached or opened; the message says where and what to check. */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
}

/** A schema migration failed; the database is left at the last migration that succeeded. */
export class StoreMigrationFailed extends Error {
  override readonly name = 'StoreMigrationFailed';
}

/** The caller passed something the store cannot store or answer (a bug in the caller, not in the database). */
export class StoreInvalidInput extends Error {
  override readonly name = 'StoreInvalidInput';
}

/** The message of any thrown value, for wrapping causes into actionable errors. */
export function causeMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // pg reports "connect ECONNREFUSED" for both IPv4 and IPv6 as an AggregateError with an empty message.
    return error.errors.map(causeMessage).join('; ');
  }
  // Duck-typed rather than instanceof: errors from PGlite may come from another realm (see pglite-client.ts).
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    const name = (error as { name?: unknown }).name;
    return error.message || (typeof name === 'string' ? name : 'Error');
  }
  return String(error);
}

/**
 * True when the database refused the data itself rather than failed to answer: PostgreSQL's SQLSTATE classes 22 (data
 * exception: a NUL byte, an invalid byte sequence, a value too long) and 23 (integrity constraint violation). Retrying
 * the same write can never succeed; everything else (connection lost, server restarting) may on a later try.
 */
export function isRejectedData(error: unknown): boolean {
  if (error instanceof StoreInvalidInput) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}
