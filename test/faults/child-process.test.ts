import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManagedProcess, type Crash } from '../../scripts/faults/child-process';

const dir = mkdtempSync(path.join(tmpdir(), 'faults-child-'));

function node(name: string, script: string): ManagedProcess {
  return new ManagedProcess({
    name,
    command: process.execPath,
    args: ['-e', script],
    env: process.env,
    cwd: dir,
    logFile: path.join(dir, `${name}.log`),
  });
}

function nextCrash(part: ManagedProcess): Promise<Crash> {
  return new Promise((resolve) => (part.onCrash = resolve));
}

describe('a process of the fault run', () => {
  it('reports an exit it did not cause as a crash, with its exit code, to its supervisor', async () => {
    const part = node('crasher', 'setTimeout(() => process.exit(3), 50)');
    const crashed = nextCrash(part);
    part.start();
    const crash = await crashed;
    expect(crash.exit).toBe('3');
    expect(part.crashes).toEqual([crash]);
    expect(part.running).toBe(false);
    await part.close();
    expect(readFileSync(path.join(dir, 'crasher.log'), 'utf8')).toContain('crasher exited (3)');
  });

  it('does not count its own kill -9 or stop as a crash, and counts a crash after a restart', async () => {
    const part = node('sleeper', 'setInterval(() => undefined, 1000)');
    const seen: Crash[] = [];
    part.onCrash = (crash) => seen.push(crash);
    part.start();
    await part.kill();
    part.start();
    await part.stop();
    expect(seen).toEqual([]);
    part.start();
    const pid = part.pid as number;
    const crashed = new Promise<void>((resolve) => (part.onCrash = () => resolve()));
    process.kill(pid, 'SIGKILL');
    await crashed;
    expect(part.crashes.map((crash) => crash.exit)).toEqual(['SIGKILL']);
    await part.close();
  });
});
