// `npm start`: the all-in-one product (src/main.ts) under a supervisor that restarts it after a crash (see
// ./supervisor). Production roles (`start:worker`, `start:api`, the Docker image) run src/main.ts directly: there the
// platform's supervisor (compose, Kubernetes, systemd) does this job.
import path from 'node:path';
import { supervise } from './supervisor';

const main = path.join(__dirname, 'main.ts');

supervise({ command: process.execPath, args: [...process.execArgv, main, ...process.argv.slice(2)] }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`escalations supervisor failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
