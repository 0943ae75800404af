// The Chromium the browser tests drive through playwright-core: Debian's `chromium` package at /usr/bin/chromium.
// When it is missing and we are root with apt-get, it is installed (saying so); otherwise the error names the
// package to install. Never a skip: a page test that cannot run fails.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const APT_GET = '/usr/bin/apt-get';

let pending: Promise<string> | undefined;

function install(log: (line: string) => void): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(
    `${CHROMIUM_PATH} is missing: running "apt-get update" and "apt-get install -y --no-install-recommends chromium"`,
  );
  execFileSync(APT_GET, ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: 300_000 });
  execFileSync(APT_GET, ['install', '-y', '--no-install-recommends', 'chromium'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
    timeout: 600_000,
  });
  log(`installed Debian's chromium at ${CHROMIUM_PATH}`);
}

/** Path of a Chromium executable, installing Debian's `chromium` when possible; throws a clear error otherwise. */
export function chromiumPath(
  log: (line: string) => void = (line) => process.stderr.write(`[chromium] ${line}\n`),
): Promise<string> {
  pending ??= (async () => {
    if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!root || !existsSync(APT_GET)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM_PATH}. Install Debian's "chromium" package ` +
          '(sudo apt-get install chromium) to run the report page tests.',
      );
    }
    try {
      install(log);
    } catch (error) {
      throw new Error(
        `Installing Debian's "chromium" package failed (${(error as Error).message}). ` +
          'Install it yourself with: apt-get install chromium',
        { cause: error },
      );
    }
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(`apt-get installed "chromium" but ${CHROMIUM_PATH} does not exist; check the package`);
    }
    return CHROMIUM_PATH;
  })();
  return pending;
}
