// One child process of the fault run (dev server, worker or API) that can be killed with any signal and started
// again with the same command, its output appended to a log file so a failed round can be read afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
}

/** An exit nobody asked for: the process crashed (or was killed by something other than this harness). */
export interface Crash {
  at: string;
  /** Exit code or signal. */
  exit: string;
}

export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private log: WriteStream | undefined;
  /** Output lines since the last start, for readiness checks ("worker running"). */
  private lines: string[] = [];
  /** Set while this harness kills or stops the process, so that exit is not taken for a crash. */
  private stopping = false;
  /** Every exit this harness did not cause, oldest first. */
  readonly crashes: Crash[] = [];
  /** Called on a crash (a supervisor restarts the process from here); not on exits the harness caused. */
  onCrash: ((crash: Crash) => void) | undefined;

  constructor(readonly spec: ProcessSpec) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error(`${this.spec.name} is already running (pid ${this.pid})`);
    this.log ??= createWriteStream(this.spec.logFile, { flags: 'a' });
    this.lines = [];
    this.stopping = false;
    this.log.write(`\n=== ${new Date().toISOString()} starting ${this.spec.name}\n`);
    // No shell and no npx in between: the signal must reach the process that does the work, not a wrapper.
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.log?.write(chunk);
      // Bounded: readiness only looks at the start-up lines.
      if (this.lines.length < 2000) this.lines.push(...chunk.toString().split('\n'));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        const at = new Date().toISOString();
        this.log?.write(`=== ${at} ${this.spec.name} exited (${signal ?? code})\n`);
        resolve();
        if (!this.stopping) {
          const crash = { at, exit: String(signal ?? code) };
          this.crashes.push(crash);
          this.onCrash?.(crash);
        }
      }),
    );
    this.child = child;
  }

  hasPrinted(text: string): boolean {
    return this.lines.some((line) => line.includes(text));
  }

  /** Sends a signal to the process itself (SIGKILL, SIGSTOP, SIGCONT, SIGTERM). */
  signal(signal: NodeJS.Signals): void {
    if (!this.child || this.child.pid === undefined) throw new Error(`${this.spec.name} was never started`);
    if (!this.running) return;
    process.kill(this.child.pid, signal);
  }

  /** kill -9 and wait until the kernel has reaped it. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.signal('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; a stopped (SIGSTOP) process is continued first so it can exit. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.signal('SIGCONT');
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.running && this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    this.onCrash = undefined;
    await this.stop();
    await new Promise<void>((resolve) => (this.log ? this.log.end(() => resolve()) : resolve()));
    this.log = undefined;
  }
}
