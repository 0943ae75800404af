// SqlClient over PGlite, the embedded PostgreSQL (WASM) used when no DATABASE_URL is configured.
import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { StoreUnavailable, causeMessage } from './errors';
import type { SqlClient } from './sql-client';

/**
 * Opens PGlite persisted in `dataDir`, or in memory when `dataDir` is undefined.
 * Opening takes a few seconds, so open once per process; only one process may use a directory at a time.
 */
export async function openPgliteClient(dataDir?: string): Promise<SqlClient> {
  const description = dataDir === undefined ? 'the in-memory embedded store' : `the embedded store at ${dataDir}`;
  let db: PGlite;
  try {
    if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
    db = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
    await db.waitReady;
  } catch (error) {
    throw new StoreUnavailable(
      `cannot open ${description}: ${causeMessage(error)}. ` +
        'Check that the directory is writable and not used by another running process, or set DATABASE_URL to use PostgreSQL.',
    );
  }
  return new PgliteClient(db, description, db);
}

/** Over the database itself (`owner` set) or over one open transaction, which nested work simply joins. */
class PgliteClient implements SqlClient {
  constructor(
    private readonly target: PGlite | Transaction,
    readonly description: string,
    private readonly owner?: PGlite,
  ) {}

  async query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }> {
    const result = await this.target.query<T>(sql, params);
    return { rows: result.rows };
  }

  async exec(sql: string): Promise<void> {
    await this.target.exec(sql);
  }

  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    if (!this.owner) return fn(this);
    return this.owner.transaction((tx) => fn(new PgliteClient(tx, this.description)));
  }

  async close(): Promise<void> {
    // Only the owning client closes the database; a transaction handle has nothing of its own to release.
    if (this.owner && !this.owner.closed) await this.owner.close();
  }
}
