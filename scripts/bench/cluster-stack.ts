// The bench against a cluster that already runs (`npm run cluster`): nothing is started or stopped here. Addresses,
// task queue, notification log and matrix come from the cluster's `<data dir>/cluster.json`; the processes whose CPU
// and memory the bench reports are the cluster's parts and its PostgreSQL.
import { Client, Connection } from '@temporalio/client';
import { readClusterState } from '../cluster/cluster';
import { findPostmaster } from './process-usage';
import { ServiceError } from './service-process';
import type { MeasuredProcess, Stack } from './stack';

export async function attachToCluster(dataDir: string, log: (line: string) => void): Promise<Stack> {
  const state = readClusterState(dataDir);
  if (state === undefined) {
    throw new ServiceError(
      `no running cluster in ${dataDir} (no cluster.json with a live pid). Start one first: ` +
        `npm run cluster -- --data-dir ${dataDir} --matrix scripts/bench/matrix.yaml`,
    );
  }
  log(
    `attached to the cluster in ${state.dataDir}: Temporal ${state.temporalAddress}, ` +
      `${state.parts.filter((part) => part.name.startsWith('worker')).length} worker(s), APIs ${state.apiUrls.join(', ')}`,
  );
  const connection = await Connection.connect({ address: state.temporalAddress });
  const processes: MeasuredProcess[] = state.parts.map((part) => ({ role: part.name, pid: part.pid, count: 'main' }));
  // PostgreSQL is a server process and one backend per connection: all of them count.
  const postmaster = findPostmaster(state.postgresPort);
  if (postmaster !== undefined) processes.push({ role: 'postgres', pid: postmaster, count: 'tree' });
  return {
    apiBase: state.apiUrls,
    client: new Client({ connection, namespace: state.namespace }),
    namespace: state.namespace,
    taskQueue: state.taskQueue,
    notificationLogFile: state.notificationLogFile,
    processes,
    databaseUrl: state.databaseUrl,
    matrixFile: state.matrixFile,
    // The cluster is not ours: only the bench's own connection is closed.
    stop: () => connection.close(),
  };
}
