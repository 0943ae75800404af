// scripts/matrix-lint.ts, run as authors run it: output lines and exit codes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from '../support/script-run';

const lint = (...args: string[]) => runScript('scripts/matrix-lint.ts', args);

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('npm run matrix:lint', () => {
  it('passes the example with exit code 0, a summary line and an overview of the plan', async () => {
    const run = await lint('config/matrix.yaml', '--today', '2026-11-23');
    expect(run.code).toBe(0);
    const output = lines(run.stdout);
    expect(output[0]).toMatch(/^config\/matrix\.yaml: 0 errors, 0 warnings; plan [0-9a-f]{12} "2026\.11"$/);
    expect(output).toContain('Triage (first match wins):');
    expect(output).toContain('  general: General support (categories technical, account, other; default path)');
    expect(output).toContain('Calendars:');
    expect(run.stderr).toBe('');
  });

  it('exits 0 with warnings, printing them before the summary', async () => {
    const run = await lint('config/matrix.yaml', '--today', '2027-11-02');
    expect(run.code).toBe(0);
    expect(lines(run.stdout).slice(0, 2)).toEqual([
      'config/matrix.yaml:9:1 reviewBy: review date 2027-11-01 has passed (today is 2027-11-02): review the matrix, then move reviewBy forward (warning)',
      expect.stringMatching(/^config\/matrix\.yaml: 0 errors, 1 warning; plan [0-9a-f]{12} "2026\.11"$/),
    ]);
  });

  it('exits 1 on a bad matrix, with one line per error and the summary, and no overview', async () => {
    const file = 'test/fixtures/matrix/bad/unknown-channel.yaml';
    const run = await lint(file);
    expect(run.code).toBe(1);
    expect(lines(run.stdout)).toEqual([
      `${file}:5:60 people.ana.contacts.sms: unknown channel "sms" (known: log, email, slack, webhook)`,
      `${file}:6:13 reporter.channel: unknown channel "fax" (known: log, email, slack, webhook)`,
      `${file}:18:44 paths.general.levels.0.notify.0.channels.0: unknown channel "pager" (known: log, email, slack, webhook)`,
      `${file}:18:69 paths.general.levels.0.notify.1.channel: unknown channel "sms" (known: log, email, slack, webhook)`,
      `${file}: 4 errors, 0 warnings`,
    ]);
  });

  it('exits 1 on a YAML syntax error', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'matrix-lint-')), 'broken.yaml');
    writeFileSync(file, 'version: 2\nname: x\nname: y\n');
    const run = await lint(file);
    expect(run.code).toBe(1);
    expect(lines(run.stdout)).toEqual([`${file}:3:1 Map keys must be unique`, `${file}: 1 error, 0 warnings`]);
  });

  it('prints the whole result as JSON with --json', async () => {
    const run = await lint('test/fixtures/matrix/bad/unsupported-version.yaml', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      source: 'test/fixtures/matrix/bad/unsupported-version.yaml',
      errors: [
        { path: 'version', line: 2, column: 1, message: 'unsupported version 1 (this release reads version 2)' },
      ],
      warnings: [],
    });
    const good = await lint('config/examples/two-minute.yaml', '--json');
    expect(good.code).toBe(0);
    expect((JSON.parse(good.stdout) as { plan: { schema: number } }).plan.schema).toBe(2);
  });

  it('exits 2 with a usage message when the file is missing, unreadable, or an option is wrong', async () => {
    const none = await lint();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('matrix-lint: missing the matrix file to check');
    expect(none.stderr).toContain('usage: npm run matrix:lint -- <file> [--json] [--today YYYY-MM-DD]');

    const missing = await lint('no/such/matrix.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('matrix-lint: cannot read no/such/matrix.yaml: no such file');

    const directory = await lint('config');
    expect(directory.code).toBe(2);
    expect(directory.stderr).toContain('matrix-lint: cannot read config: EISDIR');

    const badDate = await lint('config/matrix.yaml', '--today', 'tomorrow');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--today needs a date YYYY-MM-DD, got tomorrow');

    const unknown = await lint('config/matrix.yaml', '--fix');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option --fix');
    expect(none.stdout + missing.stdout + unknown.stdout).toBe('');
  });
});
