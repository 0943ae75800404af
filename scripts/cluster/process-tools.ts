// Small process helpers of the cluster: run a tool to completion with its output kept for the error message, and
// tell whether a recorded pid still runs.
import { execFile } from 'node:child_process';
import path from 'node:path';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as { code?: string }).code === 'EPERM';
  }
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  /** Run as this user (through runuser): PostgreSQL refuses to run as root. */
  asUser?: string;
}

/** Runs a command to its end; resolves with its output, rejects with the output in the message. */
export function runCommand(file: string, args: string[], options: RunOptions = {}): Promise<string> {
  const [command, commandArgs] =
    options.asUser === undefined ? [file, args] : ['runuser', ['-u', options.asUser, '--', file, ...args]];
  return new Promise((resolve, reject) => {
    execFile(
      command,
      commandArgs,
      {
        env: options.env ?? process.env,
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim();
        if (error) {
          const tail = output.split('\n').slice(-30).join('\n');
          reject(
            new Error(`${path.basename(file)} ${args.join(' ')} failed: ${tail || error.message}`, { cause: error }),
          );
        } else {
          resolve(output);
        }
      },
    );
  });
}
