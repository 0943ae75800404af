// SqlClient over a pg connection pool, used when DATABASE_URL points at a PostgreSQL server.
import { Pool, type PoolClient } from 'pg';
import { StoreInvalidInput, StoreUnavailable, causeMessage } from './errors';
import type { SqlClient } from './sql-client';

/** "PostgreSQL at host:port/db" from a connection string, without user or password. */
export function describePostgresUrl(databaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    // Never echo the string: it may hold a password.
    throw new StoreInvalidInput(
      'DATABASE_URL is not a valid URL; expected postgres://user:password@host:5432/database',
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new StoreInvalidInput(`DATABASE_URL must start with postgres:// or postgresql://, not ${url.protocol}//`);
  }
  const host = url.hostname || 'localhost';
  const port = url.port || '5432';
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return `PostgreSQL at ${host}:${port}${database ? `/${database}` : ''}`;
}

/** Opens a pool and checks that one connection works, so a wrong URL fails at start-up rather than on first use. */
export async function openPostgresClient(databaseUrl: string): Promise<SqlClient> {
  const description = describePostgresUrl(databaseUrl);
  const pool = new Pool({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000, max: 10 });
  // Without a listener an idle client's network error would crash the process; the next query reports it instead.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StoreUnavailable(`cannot connect to ${description}: ${causeMessage(error)}. Check DATABASE_URL.`);
  }
  return new PostgresClient(pool, description, pool);
}

/** Over the pool (`pool` set: owns it) or over one connection inside a transaction, which nested work joins. */
class PostgresClient implements SqlClient {
  private closed = false;

  constructor(
    private readonly target: Pool | PoolClient,
    readonly description: string,
    private readonly pool?: Pool,
  ) {}

  async query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }> {
    const result = await this.target.query(sql, params);
    return { rows: result.rows as T[] };
  }

  async exec(sql: string): Promise<void> {
    // Without parameters pg uses the simple protocol, which accepts several statements.
    await this.target.query(sql);
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    if (!this.pool) return fn(this);
    const connection = await this.pool.connect();
    let broken = false;
    try {
      await connection.query('BEGIN');
      const result = await fn(new PostgresClient(connection, this.description));
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await connection.query('ROLLBACK');
      } catch {
        // A connection that cannot roll back must not go back to the pool.
        broken = true;
      }
      throw error;
    } finally {
      connection.release(broken);
    }
  }

  async close(): Promise<void> {
    // Only the pool's owner ends it; inside a transaction the surrounding call releases the connection.
    if (!this.pool || this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
