// scripts/report.ts as people run it, against the fixture in PostgreSQL (DATABASE_URL): output and exit codes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from '../support/script-run';
import { baselineCases, outsideCases, windowCases } from './fixture';
import { BACKENDS, writeCases, type OpenStore } from './stores';

let opened: OpenStore;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'report-cli-'));
  opened = await BACKENDS[1]!.open();
  await writeCases(opened.store, [...windowCases(), ...baselineCases(), ...outsideCases()]);
});

afterAll(async () => {
  await opened?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const report = (...args: string[]) =>
  runScript('scripts/report.ts', args, { ...process.env, DATABASE_URL: opened.url, DATA_DIR: tmp });

describe('npm run report', () => {
  test('prints an aligned table of groups and weeks, then the recurring issues', async () => {
    const run = await report('--from', '2026-10-05', '--to', '2026-10-19');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      'Escalation trends 2026-10-05 to 2026-10-18 (UTC, whole days), grouped by category',
      '7 case(s), 2 open; MTTA p50 30m (p90 1h), MTTR p50 4h (p90 10h); breaches: ack 28.6%, resolve 28.6%; depth mean 0.43, max 2',
      '',
      'CATEGORY  CASES  MTTA p50  p90  MTTR p50  p90  ACK BREACH  RES BREACH  DEPTH  MAX  REOPEN  OPEN',
      'payments      4       20m  30m        4h   8h         50%         25%   0.75    2      0%     1',
      'login         3       40m   1h        1h  10h          0%       33.3%      0    0      0%     1',
      '(all)         7       30m   1h        4h  10h       28.6%       28.6%   0.43    2      0%     2',
    ]);
    expect(lines).toContain(
      'WEEK                 CASES  MTTA p50  p90  MTTR p50  p90  ACK BREACH  RES BREACH  DEPTH  MAX  REOPEN  OPEN',
    );
    expect(lines).toContain(
      '2026-W41 2026-10-05      3       30m  40m        4h  10h       33.3%       33.3%   0.33    1      0%     0',
    );
    expect(lines).toContain(
      '2026-W42 2026-10-12      4       20m   1h        1h   8h         25%         25%    0.5    2      0%     2',
    );
    const recurring = lines.indexOf('Recurring issues');
    expect(lines.slice(recurring + 2, recurring + 8)).toEqual([
      'Categories:',
      '  KEY    CASES  BASELINE MEAN  BASELINE (LATEST FIRST)  RATIO',
      '  login      3              0               0, 0, 0, 0    new',
      'Reporters:',
      '  KEY              CASES  BASELINE MEAN  BASELINE (LATEST FIRST)  RATIO',
      '  ada@example.com      4              2               3, 1, 2, 2     2x',
    ]);
  });

  test('--csv prints the CSV; --html writes a page with Chart.js inlined', async () => {
    const out = join(tmp, 'report.html');
    const run = await report(
      '--from',
      '2026-10-05',
      '--to',
      '2026-10-19',
      '--group-by',
      'team',
      '--csv',
      '--html',
      out,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`wrote ${out}\n`);
    expect(run.stdout.split('\r\n')[1]).toMatch(/^team,\(all\),\(window\),2026-10-05T00:00:00.000Z,/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<title>Escalation trends, 2026-10-05 to 2026-10-18 (UTC, whole days)</title>');
    expect(html).not.toContain('/reports/assets/chart.umd.js');
    expect(html.length).toBeGreaterThan(200_000);
  });

  test('usage errors exit 2 and say what is wrong', async () => {
    const missing = await report('--from', '2026-10-05');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^--to: /);
    expect(missing.stderr).toContain('usage: npm run report');

    const backwards = await report('--from', '2026-10-19', '--to', '2026-10-05', '--group-by', 'owner');
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('--group-by: ');
    expect((await report('--from', '2026-10-05', '--to', '2026-10-19', '--pie')).stderr).toMatch(
      /^unknown argument "--pie"/,
    );
    expect((await report('--from', '2026-10-05', '--to', '2026-10-19', '--csv', '--json')).code).toBe(2);
  });
});
