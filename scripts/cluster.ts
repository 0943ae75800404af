// `npm run cluster`: the product past one machine's shape, on one machine and without Docker. A Temporal server built
// from source (cached), on PostgreSQL, with two workers and two APIs of the product as separate processes, every
// port on 127.0.0.1. Ctrl-C (or SIGTERM) stops everything; state survives in the data dir. See scripts/cluster/.
import path from 'node:path';
import { startCluster, type Cluster } from './cluster/cluster';
import { parseClusterOptions, UsageError } from './cluster/options';
import { ensureTemporalServer, TemporalBuildError } from './cluster/temporal-build';

const log = (line: string) => process.stderr.write(`[cluster] ${line}\n`);
/** How often the parts are looked at: one that exits on its own is reported (nothing restarts it, as in production). */
const WATCH_INTERVAL_MS = 2_000;

function summary(cluster: Cluster): string {
  const { state, ports } = cluster;
  // Paths inside the working directory are shown relative to it, others in full.
  const relative = (file: string) => {
    const inside = path.relative(process.cwd(), file);
    return inside === '' ? '.' : inside.startsWith('..') ? file : inside;
  };
  const rows: [string, string][] = [
    ['PostgreSQL', `127.0.0.1:${ports.postgres} (databases temporal, temporal_visibility, escalations)`],
    [
      'Temporal server',
      `${state.temporalAddress} gRPC, 127.0.0.1:${ports.frontendHttp} HTTP; namespace ${state.namespace}, ` +
        `task queue ${state.taskQueue} (pid ${cluster.server.pid})`,
    ],
    ...cluster.workers.map((worker, i): [string, string] => [
      `worker ${i + 1}`,
      `pid ${worker.pid}, metrics ${state.workerMetricsUrls[i]}`,
    ]),
    ...cluster.apis.map((api, i): [string, string] => [`API ${i + 1}`, `${state.apiUrls[i]} (pid ${api.pid})`]),
    ['case store', `DATABASE_URL=${state.databaseUrl}`],
    ['notifications', relative(state.notificationLogFile)],
    ['logs', `${relative(state.logsDir)}/`],
    ['state', `${relative(state.dataDir)}/ (cluster.json: these addresses, for npm run bench -- --cluster)`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`).join('\n');
}

async function main(): Promise<number> {
  const options = parseClusterOptions(process.argv.slice(2));
  if (options.buildOnly) {
    const binaries = await ensureTemporalServer(log);
    log(`Temporal server: ${binaries.server}; SQL tool: ${binaries.sqlTool}`);
    return 0;
  }
  // Set once started; the signal handlers below are installed before, so they look it up when they run.
  const running: { cluster?: Cluster } = {};
  // Ctrl-C during start-up aborts it: startCluster stops what it already started, then throws.
  const starting = new AbortController();
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      log(`${signal}: stopping APIs, workers, the Temporal server and PostgreSQL`);
      starting.abort();
      await running.cluster?.close();
    })();
    return stopping;
  };
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => void stop(signal).then(resolve));
    }
  });
  let cluster: Cluster;
  try {
    cluster = await startCluster({ ...options, log, signal: starting.signal });
  } catch (error) {
    if (!starting.signal.aborted) throw error;
    log('stopped during start-up');
    return 0;
  }
  running.cluster = cluster;
  process.stdout.write(`\nEscalations cluster is up. Ctrl-C stops it.\n${summary(cluster)}\n\n`);
  const parts = [cluster.server, ...cluster.workers, ...cluster.apis];
  const reported = new Set<string>();
  const watch = setInterval(() => {
    for (const part of parts) {
      if (part.running || reported.has(part.spec.name) || stopping) continue;
      reported.add(part.spec.name);
      log(`${part.spec.name} exited on its own; see ${part.spec.logFile}`);
    }
  }, WATCH_INTERVAL_MS);
  await stopped;
  clearInterval(watch);
  log('stopped');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const expected = error instanceof UsageError || error instanceof TemporalBuildError;
    process.stderr.write(
      `npm run cluster failed: ${expected || !(error instanceof Error) ? String(error) : (error.stack ?? '')}\n`,
    );
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
