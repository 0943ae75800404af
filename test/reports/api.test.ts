// The report routes on a bare express app over a real PGlite store holding the fixture.
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpProblem } from '../../src/api/problem';
import { reportRoutes } from '../../src/api/report-routes';
import { chartJsFile } from '../../src/reports/assets';
import { toCsv } from '../../src/reports/csv';
import type { ReportSummary } from '../../src/reports/summary';
import { listen } from '../support/listen';
import { expectFixtureSummary } from './expected';
import { baselineCases, NOW, outsideCases, windowCases } from './fixture';
import { BACKENDS, writeCases, type OpenStore } from './stores';

let opened: OpenStore;
let server: Server;
let base: string;

beforeAll(async () => {
  opened = await BACKENDS[0]!.open();
  await writeCases(opened.store, [...windowCases(), ...baselineCases(), ...outsideCases()]);
  const app = express();
  app.use(reportRoutes(opened.store, () => new Date(NOW)));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const problem =
      error instanceof HttpProblem ? error : new HttpProblem(500, 'internal-error', 'Internal', String(error));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem.toJSON()));
  });
  ({ server, base } = await listen(app));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await opened?.close();
});

const get = (path: string) => fetch(`${base}${path}`);

async function problem(path: string): Promise<{ status: number; errors: { field: string; message: string }[] }> {
  const res = await get(path);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as { errors?: { field: string; message: string }[] };
  return { status: res.status, errors: body.errors ?? [] };
}

describe('GET /reports/summary', () => {
  test('JSON: the fixture figures, grouped by category by default', async () => {
    const res = await get('/reports/summary?from=2026-10-05&to=2026-10-19');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const summary = (await res.json()) as ReportSummary;
    expectFixtureSummary(summary);
    expect(summary.generatedAt).toBe(NOW);
  });

  test('CSV: the same summary as toCsv, as an attachment', async () => {
    const json = (await (
      await get('/reports/summary?from=2026-10-05&to=2026-10-19&groupBy=team')
    ).json()) as ReportSummary;
    const res = await get('/reports/summary?from=2026-10-05&to=2026-10-19&groupBy=team&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename=escalation-report-2026-10-05-2026-10-19-team.csv',
    );
    const text = await res.text();
    expect(text).toBe(toCsv(json));
    expect(text.split('\r\n')[1]).toBe(
      'team,(all),(window),2026-10-05T00:00:00.000Z,2026-10-19T00:00:00.000Z,7,2,5,1800000,3600000,5,14400000,36000000,2,0.2857,2,0.2857,0.4286,2,0,0,0,',
    );
    expect(text.split('\r\n').filter((line) => line.startsWith('team,First line,'))).toHaveLength(3);
  });

  test('400 with every field error for a bad query', async () => {
    expect(await problem('/reports/summary')).toEqual({
      status: 400,
      errors: [
        { field: 'from', message: expect.any(String) },
        { field: 'to', message: expect.any(String) },
      ],
    });
    expect(await problem('/reports/summary?from=2026-10-05&to=2026-02-30&groupBy=owner&format=xml')).toEqual({
      status: 400,
      errors: [
        { field: 'to', message: 'is not a calendar date' },
        { field: 'groupBy', message: expect.stringContaining('category') },
        { field: 'format', message: expect.stringContaining('csv') },
      ],
    });
    expect(await problem('/reports/summary?from=10/05/2026&to=2026-10-19')).toEqual({
      status: 400,
      errors: [{ field: 'from', message: 'must be a date YYYY-MM-DD (a UTC day)' }],
    });
    expect(await problem('/reports/summary?from=2026-10-19&to=2026-10-19')).toEqual({
      status: 400,
      errors: [{ field: 'to', message: 'must be after from (the end day is excluded)' }],
    });
    expect(await problem('/reports/summary?from=2025-01-01&to=2026-01-03')).toEqual({
      status: 400,
      errors: [{ field: 'to', message: 'the window must be at most 366 days' }],
    });
    expect(await problem('/reports/summary?from=2026-10-05&to=2026-10-19&colour=red')).toEqual({
      status: 400,
      errors: [{ field: 'colour', message: 'is not a known field' }],
    });
  });

  test('a 366-day window is accepted', async () => {
    const res = await get('/reports/summary?from=2025-10-19&to=2026-10-20');
    expect(res.status).toBe(200);
    expect(((await res.json()) as ReportSummary).total.cases).toBe(7 + baselineCases().length + outsideCases().length);
  });
});

describe('GET /reports/page and the Chart.js asset', () => {
  test('the page is HTML with the summary embedded and a CSV link', async () => {
    const res = await get('/reports/page?from=2026-10-05&to=2026-10-19&groupBy=priority');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<title>Escalation trends, 2026-10-05 to 2026-10-18 (UTC, whole days)</title>');
    expect(html).toContain('<script src="/reports/assets/chart.umd.js"></script>');
    expect(html).toContain(
      'href="/reports/summary?from=2026-10-05&amp;to=2026-10-19&amp;groupBy=priority&amp;format=csv"',
    );
    expect(html).toContain('<th scope="row">critical</th>');
  });

  test('400 for a bad page query', async () => {
    expect((await problem('/reports/page?from=2026-10-05')).status).toBe(400);
    expect((await problem('/reports/page?from=2026-10-05&to=2026-10-19&format=csv')).errors).toEqual([
      { field: 'format', message: 'is not a known field' },
    ]);
  });

  test('serves chart.umd.js from node_modules', async () => {
    const res = await get('/reports/assets/chart.umd.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(await res.text()).toBe(readFileSync(chartJsFile(), 'utf8'));
  });
});
