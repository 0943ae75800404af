// Trend reports over the case store: the summary as JSON or CSV, the same as an HTML page with charts, and the
// Chart.js bundle that page loads. Read-only; every figure is defined in src/reports/summary.ts.
import express, { type Router } from 'express';
import type { ZodType } from 'zod';
import { chartJsFile } from '../reports/assets';
import { toCsv } from '../reports/csv';
import { loadReport } from '../reports/load';
import { CHART_JS_PATH, reportPage } from '../reports/page';
import { dayStart, reportPageQuery, reportSummaryQuery } from '../reports/query';
import type { GroupBy } from '../reports/summary';
import type { CaseStore } from '../store/case-store';
import { validationProblem } from './problem';

function parseQuery<T>(schema: ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(result.error, 'query');
  return result.data;
}

export function reportRoutes(store: CaseStore, now: () => Date = () => new Date()): Router {
  const router = express.Router();
  const summaryFor = (query: { from: string; to: string; groupBy: GroupBy }) =>
    loadReport(store, {
      from: dayStart(query.from),
      to: dayStart(query.to),
      groupBy: query.groupBy,
      now: now().toISOString(),
    });

  router.get('/reports/summary', async (req, res) => {
    const query = parseQuery(reportSummaryQuery, req.query);
    const summary = await summaryFor(query);
    if (query.format === 'csv') {
      res
        .type('text/csv; charset=utf-8; header=present')
        .attachment(`escalation-report-${query.from}-${query.to}-${query.groupBy}.csv`)
        .send(toCsv(summary));
      return;
    }
    res.json(summary);
  });

  router.get('/reports/page', async (req, res) => {
    const query = parseQuery(reportPageQuery, req.query);
    const summary = await summaryFor(query);
    const csv = new URLSearchParams({ from: query.from, to: query.to, groupBy: query.groupBy, format: 'csv' });
    res.type('html').send(reportPage(summary, { csvHref: `/reports/summary?${csv.toString()}` }));
  });

  router.get(CHART_JS_PATH, (_req, res) => {
    res.sendFile(chartJsFile(), { maxAge: '1d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });

  return router;
}
