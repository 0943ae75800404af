// The cluster's PostgreSQL: Debian's server binaries, its data in the cluster's data dir so that Temporal's history
// and the case store survive a restart of `npm run cluster`, listening on 127.0.0.1 only (no Unix socket), password
// authentication. The first start creates the product's role and database with deploy/postgres-init (as the
// postgres image does in docker-compose.yml).
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { runCommand } from './process-tools';
import { appDatabaseEnvironment, CLUSTER_DEFAULTS, LOOPBACK, sharedFile, type ClusterSecrets } from './settings';
import type { ClusterPorts } from './ports';

const POSTGRES_ROOT = '/usr/lib/postgresql';
/** The system user PostgreSQL runs as when we are root (it refuses to run as root). */
const POSTGRES_USER = 'postgres';

export class ClusterPostgresError extends Error {
  override readonly name = 'ClusterPostgresError';
}

export interface ClusterPostgres {
  port: number;
  bin: string;
  stop(): Promise<void>;
}

/** The bin dir of the highest installed Debian PostgreSQL version, if any. */
export function findPostgresBin(): string | undefined {
  if (!existsSync(POSTGRES_ROOT)) return undefined;
  const versions = readdirSync(POSTGRES_ROOT)
    .filter((entry) => /^\d+(\.\d+)?$/.test(entry))
    .sort((a, b) => Number(b) - Number(a));
  return versions
    .map((version) => path.join(POSTGRES_ROOT, version, 'bin'))
    .find((bin) => existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl')));
}

export interface PostgresOptions {
  /** The server's data directory (created and initialised on the first start). */
  dir: string;
  ports: ClusterPorts;
  secrets: ClusterSecrets;
  /** Trade durability for speed (fsync off): for throwaway clusters such as the test suite's. */
  throwaway?: boolean;
  log: (line: string) => void;
}

function ownerOptions(): { asUser?: string } {
  return process.getuid?.() === 0 ? { asUser: POSTGRES_USER } : {};
}

async function initialise(bin: string, dir: string, secrets: ClusterSecrets, log: (line: string) => void) {
  log(`initialising a PostgreSQL data directory in ${dir}`);
  mkdirSync(dir, { recursive: true });
  const passwordFile = path.join(dir, '..', 'postgres-password.tmp');
  writeFileSync(passwordFile, `${secrets.temporalDbPassword}\n`, { mode: 0o600 });
  try {
    if (process.getuid?.() === 0) {
      const { uid, gid } = await postgresIds();
      chownSync(dir, uid, gid);
      chownSync(passwordFile, uid, gid);
    }
    chmodSync(dir, 0o700);
    await runCommand(
      path.join(bin, 'initdb'),
      ['-D', dir, '-U', CLUSTER_DEFAULTS.temporalUser, `--pwfile=${passwordFile}`, '-A', 'scram-sha-256'].concat([
        '-E',
        'UTF8',
        '--locale=C',
      ]),
      { ...ownerOptions(), cwd: path.dirname(dir), timeoutMs: 120_000 },
    );
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([
    runCommand('id', ['-u', POSTGRES_USER]),
    runCommand('id', ['-g', POSTGRES_USER]),
  ]).catch(() => {
    throw new ClusterPostgresError(
      `PostgreSQL refuses to run as root and there is no '${POSTGRES_USER}' user to run it as ` +
        `(Debian's postgresql package creates it; or run npm run cluster as a normal user).`,
    );
  });
  return { uid: Number(uid), gid: Number(gid) };
}

/** Whether a server already runs on this data dir (left behind by a run that was killed). */
async function isRunning(bin: string, dir: string): Promise<boolean> {
  if (!existsSync(path.join(dir, 'postmaster.pid'))) return false;
  return runCommand(path.join(bin, 'pg_ctl'), ['-D', dir, 'status'], { ...ownerOptions(), cwd: path.dirname(dir) })
    .then(() => true)
    .catch(() => false);
}

async function ensureAppDatabase(port: number, secrets: ClusterSecrets, bin: string, log: (line: string) => void) {
  const client = new Client({
    host: LOOPBACK,
    port,
    user: CLUSTER_DEFAULTS.temporalUser,
    password: secrets.temporalDbPassword,
    database: 'postgres',
  });
  await client.connect();
  let exists: boolean;
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [CLUSTER_DEFAULTS.appDatabase]);
    exists = (found.rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
  if (exists) return;
  log(`creating the product's database "${CLUSTER_DEFAULTS.appDatabase}" (${sharedFile('appDatabaseScript')})`);
  // The same script the postgres image runs on its first start in docker-compose.yml; psql comes from `bin`.
  await runCommand('bash', [sharedFile('appDatabaseScript')], {
    env: {
      ...process.env,
      ...appDatabaseEnvironment({ postgres: port } as ClusterPorts, secrets),
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    },
  });
}

export async function startClusterPostgres(options: PostgresOptions): Promise<ClusterPostgres> {
  const { dir, ports, secrets, log } = options;
  const bin = findPostgresBin();
  if (bin === undefined) {
    throw new ClusterPostgresError(
      'PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install Debian\'s "postgresql" ' +
        'package (sudo apt-get install -y postgresql; .ci/run does this when it is missing).',
    );
  }
  const pgCtl = (args: string[], timeoutMs = 90_000) =>
    runCommand(path.join(bin, 'pg_ctl'), ['-D', dir, ...args], {
      ...ownerOptions(),
      cwd: path.dirname(dir),
      timeoutMs,
    });

  if (!existsSync(path.join(dir, 'PG_VERSION'))) await initialise(bin, dir, secrets, log);
  if (await isRunning(bin, dir)) {
    log('a PostgreSQL from an earlier run still runs on this data dir: stopping it first');
    await pgCtl(['-m', 'fast', '-w', 'stop']);
  }
  const settings = [
    `-p ${ports.postgres}`,
    `-c listen_addresses=${LOOPBACK}`,
    // TCP only: a socket path inside a deep data dir can exceed the 107-byte limit of Unix socket names.
    "-c unix_socket_directories=''",
    // Temporal (20 + 10 per server), a pool of 10 per product process, and room for clients and the checks.
    '-c max_connections=200',
    ...(options.throwaway ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []),
  ].join(' ');
  log(`starting PostgreSQL (${path.basename(path.dirname(bin))}) on ${LOOPBACK}:${ports.postgres}`);
  await pgCtl(['-l', path.join(dir, 'server.log'), '-o', settings, '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await pgCtl(['-m', 'fast', '-w', '-t', '60', 'stop']).catch((error: Error) => log(error.message));
  };
  try {
    await ensureAppDatabase(ports.postgres, secrets, bin, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port: ports.postgres, bin, stop };
}
