// PostgreSQL for separate worker and API processes (the bench, the fault suite): the test suite's throwaway server
// (or TEST_DATABASE_URL), with a database of the run's own, so a run inside `npm test` never shares tables with the
// store tests (which list the indexes of every `cases` table they can see).
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startTestPostgres } from '../../test/setup/postgres';

export interface PrivateDatabase {
  url: string;
  /** Port of the server, when it is ours (memory.ts finds its processes by it). */
  port: number;
  stop(): Promise<void>;
}

/** `prefix` names the database (`escalations_bench`, `escalations_faults`) with a random suffix. */
export async function startPrivateDatabase(prefix: string): Promise<PrivateDatabase> {
  const server = await startTestPostgres();
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const adminUrl = new URL(server.url);
  adminUrl.pathname = '/postgres';
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: adminUrl.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  try {
    await admin(`CREATE DATABASE ${name}`);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    port: Number(url.port || 5432),
    async stop() {
      // WITH (FORCE): the worker or API may still hold a connection if it was killed rather than stopped.
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await server.stop();
    },
  };
}
