// The two store backends for report tests: PGlite in memory, and PostgreSQL from TEST_DATABASE_URL in a schema
// of its own (dropped on close), as test/store does.
import { Client } from 'pg';
import type { CaseStore } from '../../src/store/case-store';
import { openCaseStore } from '../../src/store/open-store';
import type { FixtureCase } from './fixture';

export interface OpenStore {
  store: CaseStore;
  /** The DATABASE_URL that reaches the same data (PostgreSQL only). */
  url?: string;
  close(): Promise<void>;
}

export interface Backend {
  name: string;
  open: () => Promise<OpenStore>;
}

async function openPglite(): Promise<OpenStore> {
  const store = await openCaseStore({ inMemory: true });
  return { store, close: () => store.close() };
}

async function openPostgres(): Promise<OpenStore> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (baseUrl === undefined || baseUrl.trim() === '') {
    throw new Error(
      'TEST_DATABASE_URL is not set: run the tests with `npm test` so test/setup/global-setup.ts starts PostgreSQL, ' +
        'or set TEST_DATABASE_URL=postgres://user:password@host:5432/database yourself.',
    );
  }
  const schema = `reports_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const store = await openCaseStore({ databaseUrl: url.toString() });
  return {
    store,
    url: url.toString(),
    close: async () => {
      await store.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

export const BACKENDS: Backend[] = [
  { name: 'PGlite in memory', open: openPglite },
  { name: 'PostgreSQL', open: openPostgres },
];

/** Writes each case as the activities do: its final snapshot with its whole timeline, in one transition. */
export async function writeCases(store: CaseStore, cases: FixtureCase[]): Promise<void> {
  for (const c of cases) await store.recordTransition(c.record, c.timeline);
}
