import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { READY_MESSAGE, supervise } from '../../src/supervisor';

/**
 * A child for the supervisor: counts its runs in `runs`, and on run N does `plans[N-1]`: `ready-crash` (reports ready,
 * then exits 1), `crash` (exits 1 without reporting ready), `ready-ok` (ready, then exits 0), `ready-orphan-abort`
 * (starts a grandchild in its process group, writes its pid, reports ready, then aborts).
 */
function child(dir: string, plans: string[]): string[] {
  const script = `
    const fs = require('node:fs');
    const { spawn } = require('node:child_process');
    const runs = ${JSON.stringify(path.join(dir, 'runs'))};
    const n = (fs.existsSync(runs) ? Number(fs.readFileSync(runs, 'utf8')) : 0) + 1;
    fs.writeFileSync(runs, String(n));
    const plan = ${JSON.stringify(plans)}[n - 1] ?? 'ready-ok';
    const ready = () => process.send(${JSON.stringify(READY_MESSAGE)});
    if (plan === 'crash') process.exit(1);
    if (plan === 'ready-orphan-abort') {
      const orphan = spawn('sleep', ['60'], { stdio: 'ignore' });
      fs.writeFileSync(${JSON.stringify(path.join(dir, 'orphan'))}, String(orphan.pid));
    }
    ready();
    setTimeout(() => {
      if (plan === 'ready-crash') process.exit(1);
      if (plan === 'ready-orphan-abort') process.abort();
      process.exit(0);
    }, 100);
  `;
  return ['-e', script];
}

const runsIn = (dir: string) => Number(readFileSync(path.join(dir, 'runs'), 'utf8'));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the npm start supervisor', () => {
  const lines: string[] = [];
  const options = (dir: string, plans: string[]) => ({
    command: process.execPath,
    args: child(dir, plans),
    restartDelayMs: 10,
    log: (line: string) => lines.push(line),
  });
  beforeEach(() => lines.splice(0));

  it('restarts a process that crashed after coming up, and ends with it when it exits cleanly', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'supervisor-'));
    expect(await supervise(options(dir, ['ready-crash', 'ready-crash', 'ready-ok']))).toBe(0);
    expect(runsIn(dir)).toBe(3);
    expect(lines).toEqual([
      'the process exited unexpectedly (code 1); restarting it in 10 ms',
      'the process exited unexpectedly (code 1); restarting it in 10 ms',
    ]);
  });

  it('does not restart a process that failed before it came up (a bad matrix, a port in use): its code is kept', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'supervisor-'));
    expect(await supervise(options(dir, ['crash']))).toBe(1);
    expect(runsIn(dir)).toBe(1);
    expect(lines).toEqual([]);
  });

  it('stops what the crashed process left running in its group (the dev server) before it starts it again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'supervisor-'));
    expect(await supervise(options(dir, ['ready-orphan-abort', 'ready-ok']))).toBe(0);
    expect(runsIn(dir)).toBe(2);
    const orphan = Number(readFileSync(path.join(dir, 'orphan'), 'utf8'));
    expect(alive(orphan)).toBe(false);
    expect(lines).toEqual(['the process exited unexpectedly (signal SIGABRT); restarting it in 10 ms']);
  });

  it('gives up after restarts in a row that never come up, backing off between them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'supervisor-'));
    const plans = ['ready-crash', 'crash', 'crash', 'crash'];
    expect(await supervise({ ...options(dir, plans), maxFailedRestarts: 2 })).toBe(1);
    expect(runsIn(dir)).toBe(4);
    expect(lines).toEqual([
      'the process exited unexpectedly (code 1); restarting it in 10 ms',
      'the process exited unexpectedly (code 1); restarting it in 20 ms',
      'the process exited unexpectedly (code 1); restarting it in 40 ms',
      'exited (code 1) 3 times in a row without coming up; giving up',
    ]);
    expect(existsSync(path.join(dir, 'orphan'))).toBe(false);
  });
});
