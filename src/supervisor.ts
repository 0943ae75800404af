// Keeps `npm start` running through a crash of the process that does the work, as compose's `restart:` policies and a
// Kubernetes Deployment do in production. The worker has crashed inside Node under SIGSTOP and heavy load ("async hook
// stack has become corrupted" in a workflow thread, temporalio/sdk-typescript#939): in one all-in-one process that
// would stop every SLA clock until someone noticed. The child runs in its own process group, so that whatever it
// leaves behind when it dies (the embedded Temporal dev server) is stopped before it starts again on the same ports.
import { spawn, type ChildProcess } from 'node:child_process';

export interface SupervisorOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Wait before the first restart; doubled for each crash in a row, up to `maxDelayMs`. */
  restartDelayMs?: number;
  maxDelayMs?: number;
  /** Restarts in a row without the child coming up before the supervisor gives up. */
  maxFailedRestarts?: number;
  /** How long a child's process group gets after SIGTERM before SIGKILL. */
  stopGraceMs?: number;
  log?: (line: string) => void;
}

/** What a supervised child sends (over IPC) once it is up; a crash before that is a start-up failure, not retried. */
export const READY_MESSAGE = 'escalations:ready';

/** Tells a supervisor, if there is one, that this process is up. */
export function reportReady(): void {
  process.send?.(READY_MESSAGE);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to what is left of the child's process group, then SIGKILL once the grace has passed. */
async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  process.kill(-pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
}

/**
 * Runs the child until it exits by request (a signal forwarded to it, or exit code 0), restarting it after a crash.
 * Resolves with the exit code the supervisor should exit with.
 */
export async function supervise(options: SupervisorOptions): Promise<number> {
  const {
    restartDelayMs = 1_000,
    maxDelayMs = 30_000,
    maxFailedRestarts = 5,
    stopGraceMs = 10_000,
    log = (line) => process.stderr.write(`[supervisor] ${line}\n`),
  } = options;
  let stopping = false;
  let child: ChildProcess | undefined;
  const forward = (signal: NodeJS.Signals) => {
    stopping = true;
    if (child?.pid !== undefined && child.exitCode === null) child.kill(signal);
  };
  const onInt = () => forward('SIGINT');
  const onTerm = () => forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    let failedRestarts = 0;
    for (let attempt = 0; ; attempt++) {
      let ready = false;
      child = spawn(options.command, options.args, {
        env: options.env ?? process.env,
        stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
        detached: true,
      });
      const pgid = child.pid as number;
      child.on('message', (message) => {
        if (message === READY_MESSAGE) ready = true;
      });
      const running = child;
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        running.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
      );
      await stopGroup(pgid, stopGraceMs);
      if (stopping || code === 0) return code ?? 0;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      // A child that never came up has a reason to print (a bad matrix, a port in use): retrying would repeat it.
      if (attempt === 0 && !ready) return code ?? 1;
      failedRestarts = ready ? 0 : failedRestarts + 1;
      if (failedRestarts > maxFailedRestarts) {
        log(`exited (${how}) ${failedRestarts} times in a row without coming up; giving up`);
        return code ?? 1;
      }
      const delay = Math.min(maxDelayMs, restartDelayMs * 2 ** failedRestarts);
      log(`the process exited unexpectedly (${how}); restarting it in ${delay} ms`);
      await sleep(delay);
      if (stopping) return code ?? 1;
    }
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
