// A PostgreSQL schema of its own on the server the tests' global setup started (TEST_DATABASE_URL), so test files
// sharing that server in parallel never see each other's rows.
import { Client } from 'pg';

export interface TestSchema {
  name: string;
  /** TEST_DATABASE_URL with this schema as the search path: what a store under test connects to. */
  url: string;
  /** A connection of its own, for SQL behind the store's back; its search path is the server's default. */
  admin: Client;
  /** Drops the schema with everything in it and closes `admin`. */
  drop(): Promise<void>;
}

export async function createTestSchema(prefix: string): Promise<TestSchema> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (baseUrl === undefined || baseUrl.trim() === '') {
    throw new Error(
      'TEST_DATABASE_URL is not set: run the tests with `npm test` so test/setup/global-setup.ts starts PostgreSQL, ' +
        'or set TEST_DATABASE_URL=postgres://user:password@host:5432/database yourself.',
    );
  }
  const name = `${prefix}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${name}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    admin,
    async drop() {
      await admin.query(`DROP SCHEMA ${name} CASCADE`);
      await admin.end();
    },
  };
}
