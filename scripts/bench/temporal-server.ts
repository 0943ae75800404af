// The Temporal dev server the bench measures against: the CLI binary the product uses, on free loopback ports,
// headless, state in a file of the run folder (like `npm start`), the escalation search attributes registered.
import { devServerFlags } from '../../src/temporal/dev-server';
import { waitUntilServing } from '../../src/temporal/wait-serving';
import path from 'node:path';
import { missingBinaryAdvice, PROJECT_ROOT, resolveTemporalBinary } from '../../src/temporal/binaries';
import { freePort } from '../support/loopback';
import { ServiceError, startService, type ServiceProcess } from './service-process';

// The CLI's names for the SDK's search attribute types (as src/temporal/dev-server.ts maps them).

export interface TemporalServer {
  address: string;
  process: ServiceProcess;
}

export async function startTemporalServer(runDir: string, log: (line: string) => void): Promise<TemporalServer> {
  const executable = await resolveTemporalBinary('cli', { log });
  if (executable.type !== 'existing-path') throw new ServiceError(missingBinaryAdvice('cli'));
  const [port, httpPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const args = [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--http-port',
    String(httpPort),
    '--metrics-port',
    String(metricsPort),
    '--db-filename',
    path.join(runDir, 'temporal.db'),
    ...devServerFlags(),
  ];
  const server = startService('dev server', executable.path, args, {
    cwd: PROJECT_ROOT,
    env: process.env,
    logFile: path.join(runDir, 'dev-server.log'),
  });
  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilServing(
      address,
      () =>
        server.exitCode() !== undefined
          ? `the dev server exited (${server.exitCode()}):\n${server.logTail()}`
          : undefined,
      60_000,
    ).catch((error: Error) => {
      throw new ServiceError(error.message, { cause: error });
    });
  } catch (error) {
    await server.stop(2_000);
    throw error;
  }
  return { address, process: server };
}
