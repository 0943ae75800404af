// Temporal on the cluster's PostgreSQL: the schema job, the server process and the namespace job, each the same
// file docker-compose.yml runs (deploy/temporal/), here with the binaries built from source and the CLI of
// .temporal-bin instead of the images.
import { Connection } from '@temporalio/client';
import path from 'node:path';
import { ManagedProcess } from '../faults/child-process';
import { runCommand } from './process-tools';
import {
  namespaceEnvironment,
  schemaEnvironment,
  serverEnvironment,
  sharedFile,
  type ClusterSecrets,
} from './settings';
import type { ClusterPorts } from './ports';
import type { TemporalServerBinaries } from './temporal-build';
import { waitUntilReady } from './wait';

const withPath = (dir: string): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}`,
});

/** Creates both databases and applies every missing schema version (deploy/temporal/setup-schema.sh). */
export async function setUpTemporalSchema(
  binaries: TemporalServerBinaries,
  ports: ClusterPorts,
  secrets: ClusterSecrets,
): Promise<string> {
  return runCommand('sh', [sharedFile('schemaScript')], {
    // The script calls temporal-sql-tool: the build's alias of `sql` is on PATH first.
    env: { ...withPath(binaries.dir), ...schemaEnvironment(ports, secrets) },
    timeoutMs: 300_000,
  });
}

export function temporalServerProcess(options: {
  binaries: TemporalServerBinaries;
  ports: ClusterPorts;
  secrets: ClusterSecrets;
  dataDir: string;
  logFile: string;
}): ManagedProcess {
  return new ManagedProcess({
    name: 'temporal-server',
    command: options.binaries.server,
    args: ['--config-file', sharedFile('serverConfig'), 'start'],
    env: { ...process.env, ...serverEnvironment(options.ports, options.secrets) },
    cwd: options.dataDir,
    logFile: options.logFile,
  });
}

/** Until the frontend answers; the server process exiting ends the wait at once. */
export async function waitForTemporal(
  address: string,
  server: ManagedProcess,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  await waitUntilReady(
    server,
    async () => {
      const probe = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await probe.workflowService.getSystemInfo({});
        return true;
      } finally {
        await probe.close();
      }
    },
    { timeoutMs, intervalMs: 500, ...(signal ? { signal } : {}) },
  );
}

/** Creates the namespace and registers the product's search attributes (deploy/temporal/setup.sh; idempotent). */
export async function setUpNamespace(cliPath: string, address: string, namespace: string): Promise<string> {
  return runCommand('sh', [sharedFile('namespaceScript')], {
    env: { ...withPath(path.dirname(cliPath)), ...namespaceEnvironment(address, namespace) },
    timeoutMs: 300_000,
  });
}
