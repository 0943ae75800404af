// The pinned Temporal server and its SQL tool, built from source with Go once per machine into a cache folder that a
// fresh clone (and CI) reuses: `${XDG_CACHE_HOME:-~/.cache}/escalations/temporal-server-v1.32.0/`. No Docker image and
// no release download: the Go module proxy is all it needs. Several runs may ask at once (CI starts the build early in
// the background, the test suite waits for it): a lock folder makes the second wait for the first.
import { spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive } from './process-tools';

export const TEMPORAL_SERVER_VERSION = 'v1.32.0';
const MODULE = 'go.temporal.io/server';
/** What `go install` builds, by the name it gives the binary (the package's last path element). */
const PACKAGES = { server: `${MODULE}/cmd/server`, sql: `${MODULE}/cmd/tools/sql` } as const;
/** The names the server image and deploy/temporal/setup-schema.sh use for the same binaries. */
const ALIASES = { server: 'temporal-server', sql: 'temporal-sql-tool' } as const;
/** Written last, after both binaries: a folder without it holds an interrupted build and is built again. */
const STAMP = 'BUILT';
const LOCK = '.build.lock';
/** A build on two loaded cores takes 5-10 minutes; waiting for another one is bounded by this. */
const BUILD_WAIT_MS = 30 * 60_000;

export interface TemporalServerBinaries {
  dir: string;
  server: string;
  sqlTool: string;
}

export class TemporalBuildError extends Error {
  override readonly name = 'TemporalBuildError';
}

/** Where the binaries live: the same folder for every clone of the project on this machine. */
export function temporalServerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME?.trim() ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'escalations', `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The cached binaries when a finished build is there, else undefined. */
export function cachedTemporalServer(dir = temporalServerCacheDir()): TemporalServerBinaries | undefined {
  const binaries = { dir, server: path.join(dir, 'server'), sqlTool: path.join(dir, 'sql') };
  const complete = existsSync(path.join(dir, STAMP)) && isExecutable(binaries.server) && isExecutable(binaries.sqlTool);
  return complete ? binaries : undefined;
}

/** The `go` command: $GO, then PATH, then the official tarball's place. Undefined when there is none. */
export function findGo(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GO?.trim()) return isExecutable(env.GO) ? env.GO : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir !== '' && isExecutable(path.join(dir, 'go'))) return path.join(dir, 'go');
  }
  return isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined;
}

export function goMissingAdvice(dir = temporalServerCacheDir()): string {
  return (
    `Go is not installed, and the Temporal server ${TEMPORAL_SERVER_VERSION} is not built yet (${dir}). ` +
    `npm run cluster builds it once from source with Go (go1.26.8 or newer for ${TEMPORAL_SERVER_VERSION}; ` +
    'about 5 minutes): install Go from https://go.dev/dl/ (or set GO=/path/to/go) and run it again. ' +
    `Or copy a build of ${PACKAGES.server} and ${PACKAGES.sql} at ${TEMPORAL_SERVER_VERSION} into that folder ` +
    `as "server" and "sql", next to an empty file named ${STAMP}.`
  );
}

/** Why the cluster cannot run here (no build and no Go), or undefined when it can. */
export function clusterUnavailableReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (cachedTemporalServer(temporalServerCacheDir(env)) || findGo(env)) return undefined;
  return goMissingAdvice(temporalServerCacheDir(env));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether the lock folder is held: by a live owner, or just created by one that has not written its pid yet. */
function lockHeld(lock: string): boolean {
  try {
    const owner = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
    if (Number.isInteger(owner) && owner > 0) return isAlive(owner);
  } catch {
    // No pid file (yet).
  }
  try {
    return Date.now() - statSync(lock).mtimeMs < 10_000;
  } catch {
    return false; // released meanwhile
  }
}

/** Takes the build lock (a folder: created atomically), clearing one whose owner died. False: somebody holds it. */
function tryLock(dir: string, attempts = 3): boolean {
  const lock = path.join(dir, LOCK);
  try {
    mkdirSync(lock);
  } catch {
    if (attempts <= 1 || lockHeld(lock)) return false;
    rmSync(lock, { recursive: true, force: true });
    return tryLock(dir, attempts - 1);
  }
  writeFileSync(path.join(lock, 'pid'), String(process.pid));
  return true;
}

function unlock(dir: string): void {
  rmSync(path.join(dir, LOCK), { recursive: true, force: true });
}

function runGoInstall(go: string, dir: string, log: (line: string) => void): Promise<void> {
  const args = ['install', ...Object.values(PACKAGES).map((pkg) => `${pkg}@${TEMPORAL_SERVER_VERSION}`)];
  log(`${go} ${args.join(' ')} (GOBIN=${dir})`);
  return new Promise((resolve, reject) => {
    // Outside the project: its go.work or go.mod (there is none today) must not change what is built.
    const child = spawn(go, args, { cwd: os.tmpdir(), env: { ...process.env, GOBIN: dir }, stdio: 'pipe' });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') log(`go: ${line}`);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new TemporalBuildError(`go install failed (${signal ?? `exit ${code}`}):\n${output.trim()}`)),
    );
  });
}

async function build(dir: string, go: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  log(
    `building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool with Go, once for this machine ` +
      '(about 5 minutes on two cores; later runs reuse it)',
  );
  await runGoInstall(go, dir, log);
  for (const [binary, alias] of Object.entries(ALIASES)) {
    rmSync(path.join(dir, alias), { force: true });
    symlinkSync(binary, path.join(dir, alias));
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(
    path.join(dir, STAMP),
    `${MODULE}@${TEMPORAL_SERVER_VERSION} built in ${seconds} s with ${go} on ${new Date().toISOString()}\n`,
  );
  log(`built in ${seconds} s: ${dir}`);
}

/**
 * The cached binaries, building them first when they are missing (or waiting for a build another process runs).
 * Throws TemporalBuildError with what to install when Go is missing.
 */
export async function ensureTemporalServer(
  log: (line: string) => void = (line) => process.stderr.write(`[temporal-build] ${line}\n`),
  dir = temporalServerCacheDir(),
): Promise<TemporalServerBinaries> {
  const deadline = Date.now() + BUILD_WAIT_MS;
  let waiting = false;
  for (;;) {
    const cached = cachedTemporalServer(dir);
    if (cached) return cached;
    const go = findGo();
    if (go === undefined) throw new TemporalBuildError(goMissingAdvice(dir));
    mkdirSync(dir, { recursive: true });
    if (tryLock(dir)) {
      try {
        // Another process may have finished between our look and our lock.
        if (!cachedTemporalServer(dir)) await build(dir, go, log);
      } finally {
        unlock(dir);
      }
      continue;
    }
    if (!waiting) log(`another process is building the Temporal server into ${dir}; waiting for it`);
    waiting = true;
    if (Date.now() > deadline) {
      throw new TemporalBuildError(`waited ${BUILD_WAIT_MS / 60_000} min for the build in ${dir}; remove ${LOCK}`);
    }
    await sleep(2_000);
  }
}
