// The few SQL operations the case store needs, so one store implementation runs on PGlite and on PostgreSQL.

export interface SqlClient {
  /** Where the data lives, for error messages (never includes a password). */
  readonly description: string;
  /** One statement with $1..$n parameters. */
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** A script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
