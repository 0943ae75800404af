// The product's processes in the cluster: workers (`src/main.ts worker`) and APIs (`src/main.ts api`), each a process
// of its own that can be killed and started again, with its output in a log file of the data dir.
import { cpSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONFIG_KEYS } from '../../src/config';
import { PROJECT_ROOT } from '../../src/temporal/binaries';
import { ManagedProcess } from '../faults/child-process';
import { productEnvironment, type ProductSettings } from './settings';
import { waitUntilReady } from './wait';

/** Keeps the product's listening ports on 127.0.0.1 (see the file). */
const LOOPBACK_PRELOAD = pathToFileURL(path.join(PROJECT_ROOT, 'scripts', 'cluster-loopback-listen.mjs')).href;

/** What a worker and an API run from: the product's code, without tests, scripts or state. */
const PRODUCT_FILES = ['src', 'templates', 'worker.ts', 'package.json', 'tsconfig.json'];

/**
 * A copy of the product's code (the test suite runs from one): a restarted worker replays its cases with the code they
 * started on, as in a deployment, whatever is being edited in the working tree meanwhile.
 */
export function snapshotProduct(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of PRODUCT_FILES) cpSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry), { recursive: true });
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** The parent's environment without any of the product's variables, so only the cluster's settings apply. */
function baseEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of CONFIG_KEYS) delete env[key];
  return env;
}

export function productProcess(options: {
  role: 'worker' | 'api';
  name: string;
  port: number;
  settings: ProductSettings;
  appDir: string;
  logFile: string;
}): ManagedProcess {
  return new ManagedProcess({
    name: options.name,
    // One node process per role (no npx or shell in between), so kill -9 hits the process doing the work.
    command: process.execPath,
    args: ['--import', 'tsx', '--import', LOOPBACK_PRELOAD, 'src/main.ts', options.role],
    env: { ...baseEnvironment(), ...productEnvironment(options.role, options.port, options.settings) },
    cwd: options.appDir,
    logFile: options.logFile,
  });
}

/** A worker is ready once it says it polls: its workflow bundle is built and it is connected. */
export async function waitForWorker(worker: ManagedProcess, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  await waitUntilReady(worker, () => Promise.resolve(worker.hasPrinted('worker running')), {
    timeoutMs,
    ...(signal ? { signal } : {}),
  });
}

/** An API is ready when /readyz answers 200 (Temporal and the store reachable). */
export async function waitForApi(
  api: ManagedProcess,
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  await waitUntilReady(
    api,
    async () => {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return response.status === 200;
    },
    { timeoutMs, ...(signal ? { signal } : {}) },
  );
}
