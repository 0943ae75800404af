// `npm run bench`: starts a Temporal dev server, PostgreSQL and the product on free loopback ports (or, with
// `--cluster DIR`, attaches to a running `npm run cluster`), measures throughput, latency, SLA lateness, history size,
// memory and list latency, and prints one Markdown table (see scripts/bench/).
import { writeFileSync } from 'node:fs';
import { parseOptions, UsageError } from './bench/options';
import { markdownReport } from './bench/report';
import { runBench } from './bench/run';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const results = await runBench(options, log);
  process.stdout.write(`\n${markdownReport(results)}`);
  if (options.jsonFile) {
    writeFileSync(options.jsonFile, `${JSON.stringify(results, null, 2)}\n`);
    log(`results written to ${options.jsonFile}`);
  }
}

main().catch((error: unknown) => {
  const usage = error instanceof UsageError;
  process.stderr.write(`bench failed: ${usage || !(error instanceof Error) ? String(error) : (error.stack ?? '')}\n`);
  process.exitCode = usage ? 2 : 1;
});
