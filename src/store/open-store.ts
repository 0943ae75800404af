// Chooses the store backend from configuration: PostgreSQL when a URL is given, else embedded PGlite.
import path from 'node:path';
import type { CaseStore } from './case-store';
import { openPgliteClient } from './pglite-client';
import { openPostgresClient } from './postgres-client';
import { SqlCaseStore } from './sql-store';
import type { SqlClient } from './sql-client';

export interface OpenCaseStoreOptions {
  /** PostgreSQL connection string (DATABASE_URL); takes precedence over the embedded store. */
  databaseUrl?: string;
  /** DATA_DIR: the embedded store lives in `<dataDir>/store`. */
  dataDir?: string;
  /** Embedded store in memory, gone on close (tests). */
  inMemory?: boolean;
}

/** Opens and migrates the store. The embedded store takes seconds to open: open it once per process. */
export async function openCaseStore(options: OpenCaseStoreOptions): Promise<CaseStore> {
  const client = await openClient(options);
  const store = new SqlCaseStore(client);
  try {
    await store.migrate();
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
  return store;
}

function openClient(options: OpenCaseStoreOptions): Promise<SqlClient> {
  if (options.databaseUrl !== undefined && options.databaseUrl.trim() !== '') {
    return openPostgresClient(options.databaseUrl);
  }
  if (options.inMemory === true) return openPgliteClient();
  return openPgliteClient(path.join(options.dataDir ?? 'data', 'store'));
}
