// `npm run faults`: kills, stops and starves the product's processes while cases wait on their SLA timers, then
// checks that every escalation happened exactly once, nothing was lost and nothing stalled. See scripts/faults/.
import { parseOptions } from './faults/options';
import { formatProblems, formatTable, isFailure } from './faults/report';
import { runFaults } from './faults/run';

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const results = await runFaults(options);
  process.stdout.write(`${formatTable(results)}\n`);
  const problems = formatProblems(results);
  if (problems) process.stdout.write(`\n${problems}\n`);
  const failed = results.filter(isFailure);
  process.stdout.write(
    failed.length === 0 ? '\nall rounds passed\n' : `\n${failed.length} of ${results.length} round(s) failed\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
