// `npm run simulate -- --matrix config/matrix.yaml --scenario s.yaml [--json]`: what the matrix would do with one
// case, run through the real workflow in virtual time. Exit 0 done, 1 bad matrix/scenario or failed run, 2 usage.
import { readFileSync } from 'node:fs';
import { parseMatrix, MatrixError } from '../src/matrix/load';
import { formatReport } from '../src/simulator/report';
import { parseScenario, ScenarioError } from '../src/simulator/scenario';
import { simulate, SimulationError } from '../src/simulator/simulate';

const USAGE = 'usage: npm run simulate -- --matrix <matrix.yaml> --scenario <scenario.yaml> [--json]';

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function read(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    process.stderr.write(`cannot read the ${what} ${file}: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const matrixFile = option(args, '--matrix') ?? process.env.MATRIX_FILE ?? 'config/matrix.yaml';
  const scenarioFile = option(args, '--scenario');
  if (!scenarioFile) {
    process.stderr.write(`missing --scenario\n${USAGE}\n`);
    process.exit(2);
  }
  try {
    const plan = parseMatrix(read(matrixFile, 'matrix'), matrixFile);
    const scenario = parseScenario(read(scenarioFile, 'scenario'), scenarioFile);
    const result = await simulate(plan, scenario);
    process.stdout.write(
      args.includes('--json') ? `${JSON.stringify(result, null, 2)}\n` : `${formatReport(result)}\n`,
    );
  } catch (error) {
    if (error instanceof MatrixError || error instanceof ScenarioError || error instanceof SimulationError) {
      process.stderr.write(`${error.name}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `simulation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
