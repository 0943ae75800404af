// `npx tsx scripts/record-history.ts --matrix m.yaml --scenario s.yaml --out test/fixtures/histories/x.json`:
// records the event history of a simulated case, to be replayed by test/workflows/replay.test.ts against every later
// version of the workflow code (a change that would break running cases then fails the tests).
import { readFileSync, writeFileSync } from 'node:fs';
import { parseMatrix } from '../src/matrix/load';
import { parseScenario } from '../src/simulator/scenario';
import { simulate } from '../src/simulator/simulate';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const index = args.indexOf(name);
    const found = index >= 0 ? args[index + 1] : undefined;
    if (!found)
      throw new Error(`missing ${name}; usage: record-history --matrix <yaml> --scenario <yaml> --out <json>`);
    return found;
  };
  const matrix = value('--matrix');
  const scenarioFile = value('--scenario');
  const out = value('--out');
  const plan = parseMatrix(readFileSync(matrix, 'utf8'), matrix);
  const result = await simulate(plan, parseScenario(readFileSync(scenarioFile, 'utf8'), scenarioFile), {
    history: true,
  });
  writeFileSync(out, `${result.history}\n`);
  process.stdout.write(
    `${out}: ${result.state.timeline.length} timeline events, final status ${result.state.status}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
