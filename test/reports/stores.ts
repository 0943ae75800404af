// The two store backends for report tests: PGlite in memory, and PostgreSQL from TEST_DATABASE_URL in a schema
// of its own (dropped on close), as test/store does.
import type { CaseStore } from '../../src/store/case-store';
import { openCaseStore } from '../../src/store/open-store';
import { createTestSchema } from '../support/postgres-schema';
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
  const schema = await createTestSchema('reports_test');
  const store = await openCaseStore({ databaseUrl: schema.url });
  return {
    store,
    url: schema.url,
    close: async () => {
      await store.close();
      await schema.drop();
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
