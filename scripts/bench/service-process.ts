// One child process of the bench (dev server, worker, API): its own process group, so stopping it also stops what
// `npx` and `tsx` start under it; output to a log file in the run folder, whose tail is shown when it fails.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export interface ServiceProcess {
  name: string;
  /** Pid of the process we spawned (for `npx ...` the wrapper; see memory.ts for the process that does the work). */
  pid: number;
  logFile: string;
  /** Undefined while it runs. */
  exitCode(): number | null | undefined;
  /** The last lines of its log, for error messages. */
  logTail(lines?: number): string;
  stop(graceMs?: number): Promise<void>;
}

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
}

export function startService(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): ServiceProcess {
  const out = openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', out, out],
    detached: true,
  });
  closeSync(out);
  if (child.pid === undefined) throw new ServiceError(`${name}: could not start ${command}`);
  const pid = child.pid;
  let exit: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = code ?? (signal ? null : 0);
      resolve();
    });
    child.once('error', () => {
      exit = null;
      resolve();
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      // Negative pid: the whole group we created with `detached`, and nothing else.
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  return {
    name,
    pid,
    logFile: options.logFile,
    exitCode: () => exit,
    logTail(lines = 20) {
      if (!existsSync(options.logFile)) return '';
      return readFileSync(options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    },
    async stop(graceMs = 15_000) {
      if (exit !== undefined) {
        signalGroup('SIGKILL'); // a wrapper may have exited before what it started
        return;
      }
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      signalGroup('SIGKILL');
    },
  };
}
