// `npm run temporal:binaries`: makes sure both Temporal binaries are present (idempotent) and prints where they are.
import { resolveTemporalBinary, type TemporalBinaryKind } from '../src/temporal/binaries';

async function main(): Promise<void> {
  for (const kind of ['cli', 'test-server'] as TemporalBinaryKind[]) {
    const executable = await resolveTemporalBinary(kind, { log: (line) => console.log(line) });
    if (executable.type === 'cached-download') process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
