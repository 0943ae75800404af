// A throwaway PostgreSQL server for the test run: Debian's binaries, a fresh data dir in tmp, a free port.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../../scripts/support/loopback';

const execFileAsync = promisify(execFile);

export const TEST_DATABASE = 'escalations_test';
const POSTGRES_ROOT = '/usr/lib/postgresql';
const POSTGRES_USER = 'postgres';
const DIR_PREFIX = 'escalations-pg-';
/** Pid of the process that started the server, so a later run can tell an orphan from a live run's server. */
const OWNER_FILE = 'owner.pid';

export class TestPostgresError extends Error {
  override readonly name = 'TestPostgresError';
}

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

/** Uses TEST_DATABASE_URL when set; otherwise starts a private server (installing PostgreSQL via apt when root). */
export async function startTestPostgres(): Promise<TestPostgres> {
  const existing = process.env.TEST_DATABASE_URL;
  if (existing !== undefined && existing.trim() !== '') {
    return { url: existing, stop: async () => {} };
  }
  const bin = findPostgresBin() ?? (await installPostgres());
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await assertPostgresUserExists();
  await reapOrphans(bin, asRoot);

  const baseDir = mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
  writeFileSync(path.join(baseDir, OWNER_FILE), String(process.pid));
  const dataDir = path.join(baseDir, 'data');
  const socketDir = path.join(baseDir, 'sock');
  const logFile = path.join(baseDir, 'postgres.log');
  const run = (tool: string, args: string[]) => runTool(path.join(bin, tool), args, { asRoot, cwd: baseDir });

  try {
    mkdirSync(socketDir);
    // PostgreSQL refuses to run as root, so as root the server runs as the postgres user and owns its dirs.
    if (asRoot) await execFileAsync('chown', ['-R', `${POSTGRES_USER}:${POSTGRES_USER}`, baseDir]);
    await run('initdb', ['-D', dataDir, '-A', 'trust', '-U', POSTGRES_USER, '--no-sync', '-E', 'UTF8', '--locale=C']);
    const port = await startServer(run, dataDir, socketDir, logFile);
    const url = `postgres://${POSTGRES_USER}@127.0.0.1:${port}/${TEST_DATABASE}`;
    await createDatabase(port);
    let stopped = false;
    return {
      url,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        try {
          await run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
        } finally {
          rmSync(baseDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    // Leave nothing running or on disk when start-up fails half way.
    await run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {});
    const log = logTail(logFile);
    rmSync(baseDir, { recursive: true, force: true });
    if (error instanceof TestPostgresError) throw error;
    throw new TestPostgresError(
      `cannot start a test PostgreSQL: ${error instanceof Error ? error.message : String(error)}` +
        (log ? `\nserver log:\n${log}` : '') +
        '\nSet TEST_DATABASE_URL to an existing PostgreSQL database to skip the private server.',
    );
  }
}

/** Stops servers left behind by runs that died before their teardown (a crash, Ctrl-C), and removes their dirs. */
async function reapOrphans(bin: string, asRoot: boolean): Promise<void> {
  for (const entry of readdirSync(os.tmpdir())) {
    if (!entry.startsWith(DIR_PREFIX)) continue;
    const baseDir = path.join(os.tmpdir(), entry);
    let owner: number;
    try {
      owner = Number(readFileSync(path.join(baseDir, OWNER_FILE), 'utf8'));
    } catch {
      continue; // No owner file: not started by this code, leave it alone.
    }
    if (!Number.isInteger(owner) || isAlive(owner)) continue;
    process.stderr.write(`[test-postgres] stopping a test PostgreSQL left behind by a run that died: ${baseDir}\n`);
    await runTool(path.join(bin, 'pg_ctl'), ['-D', path.join(baseDir, 'data'), '-m', 'immediate', '-w', 'stop'], {
      asRoot,
      cwd: os.tmpdir(),
    }).catch(() => {});
    rmSync(baseDir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** The bin dir of the highest installed Debian PostgreSQL version, if any. */
function findPostgresBin(): string | undefined {
  if (!existsSync(POSTGRES_ROOT)) return undefined;
  const versions = readdirSync(POSTGRES_ROOT)
    .filter((entry) => /^\d+(\.\d+)?$/.test(entry))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = path.join(POSTGRES_ROOT, version, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

async function installPostgres(): Promise<string> {
  const howTo =
    'PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. ' +
    'Install them (Debian/Ubuntu: sudo apt-get install -y postgresql) ' +
    'or set TEST_DATABASE_URL=postgres://user:password@host:5432/database to use an existing server.';
  if (process.getuid?.() !== 0 || !(await commandExists('apt-get'))) throw new TestPostgresError(howTo);

  process.stderr.write(
    '[test-postgres] PostgreSQL not found; installing it: apt-get update && apt-get install -y postgresql\n',
  );
  const started = Date.now();
  try {
    await runVisible('apt-get', ['update']);
    await runVisible('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql']);
  } catch (error) {
    throw new TestPostgresError(
      `${howTo}\nThe automatic install failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  process.stderr.write(`[test-postgres] installed PostgreSQL in ${Math.round((Date.now() - started) / 1000)} s\n`);
  const bin = findPostgresBin();
  if (bin === undefined) throw new TestPostgresError(`${howTo}\napt-get install finished but initdb is still missing.`);
  return bin;
}

async function assertPostgresUserExists(): Promise<void> {
  try {
    await execFileAsync('id', ['-u', POSTGRES_USER]);
  } catch {
    throw new TestPostgresError(
      `PostgreSQL refuses to run as root and there is no '${POSTGRES_USER}' user to run it as. ` +
        `Create one (useradd --system ${POSTGRES_USER}), run the tests as a non-root user, or set TEST_DATABASE_URL.`,
    );
  }
}

/** Starts the server on a free port; retries when another process grabs the port between probing and binding. */
async function startServer(
  run: (tool: string, args: string[]) => Promise<void>,
  dataDir: string,
  socketDir: string,
  logFile: string,
): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    // fsync off and no synchronous commit: test data is disposable, speed matters.
    const serverOptions = [
      `-p ${port}`,
      // pg_ctl hands these to a shell: quote the path in case TMPDIR has spaces.
      `-k '${socketDir}'`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    try {
      await run('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '30', 'start']);
      return port;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function createDatabase(port: number): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: POSTGRES_USER, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${TEST_DATABASE}`);
  } finally {
    await client.end();
  }
}

/** Runs a PostgreSQL tool, as the postgres user when we are root; failures carry the tool's output. */
async function runTool(file: string, args: string[], options: { asRoot: boolean; cwd: string }): Promise<void> {
  const [command, commandArgs] = options.asRoot
    ? ['runuser', ['-u', POSTGRES_USER, '--', file, ...args]]
    : [file, args];
  try {
    // cwd in our own dir: the postgres user may not be allowed into the caller's working directory.
    await execFileAsync(command, commandArgs, { cwd: options.cwd, timeout: 60_000 });
  } catch (error) {
    const failure = error as { stderr?: string; stdout?: string; message?: string };
    const output = `${failure.stderr ?? ''}${failure.stdout ?? ''}`.trim();
    throw new Error(`${path.basename(file)} ${args.join(' ')} failed: ${output || failure.message}`, { cause: error });
  }
}

/** Runs a command with its output on our stderr, so a slow apt-get shows progress. */
function runVisible(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', process.stderr, process.stderr],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

async function commandExists(command: string): Promise<boolean> {
  try {
    await execFileAsync('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
}

function logTail(file: string): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n').trim();
}
