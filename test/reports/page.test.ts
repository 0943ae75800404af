// The report page in headless Chromium (Debian's, driven by playwright-core): served by the report router on
// 127.0.0.1 with the fixture, both charts drawn by Chart.js, not blank, and a real screenshot.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { chromium, type Browser } from 'playwright-core';
import { reportRoutes } from '../../src/api/report-routes';
import { chartJsFile } from '../../src/reports/assets';
import { reportPage, scriptJson } from '../../src/reports/page';
import { summarize } from '../../src/reports/summary';
import { chromiumPath } from '../setup/chromium';
import { listen } from '../support/listen';
import { baselineCases, FROM, NOW, outsideCases, TO, windowCases } from './fixture';
import { BACKENDS, writeCases, type OpenStore } from './stores';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let opened: OpenStore;
let server: Server;
let base: string;
let browser: Browser;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'report-page-'));
  const executablePath = await chromiumPath();
  opened = await BACKENDS[0]!.open();
  await writeCases(opened.store, [...windowCases(), ...baselineCases(), ...outsideCases()]);
  const app = express();
  app.use(reportRoutes(opened.store, () => new Date(NOW)));
  ({ server, base } = await listen(app));
  browser = await chromium.launch({ executablePath, args: ARGS });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await opened?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface CanvasState {
  id: string;
  width: number;
  height: number;
  /** Pixels that are not fully transparent, out of a grid sample. */
  painted: number;
  /** Distinct colours among the sampled pixels. */
  colours: number;
  dataUrlLength: number;
}

// Runs in the page (as a string: the test project has no DOM types): size, painted pixels on a 7px grid, colours.
const SAMPLE_CANVASES = `Array.from(document.querySelectorAll('canvas')).map((canvas) => {
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let painted = 0;
  const colours = new Set();
  for (let y = 0; y < canvas.height; y += 7) {
    for (let x = 0; x < canvas.width; x += 7) {
      const i = (y * canvas.width + x) * 4;
      if (data[i + 3] > 0) {
        painted += 1;
        colours.add(data[i] + ',' + data[i + 1] + ',' + data[i + 2]);
      }
    }
  }
  return {
    id: canvas.id,
    width: canvas.width,
    height: canvas.height,
    painted,
    colours: colours.size,
    dataUrlLength: canvas.toDataURL('image/png').length,
  };
})`;

test('the page draws both charts, they are not blank, and a screenshot is a real PNG', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const response = await page.goto(`${base}/reports/page?from=2026-10-05&to=2026-10-19&groupBy=category`);
  expect(response?.status()).toBe(200);
  await page.waitForFunction('window.__chartsReady === true', null, { timeout: 20_000 });
  expect(errors).toEqual([]);

  const charts = await page.evaluate<{ id: string; labels: string[] }[]>(
    'window.__charts.map((chart) => ({ id: chart.canvas.id, labels: chart.data.labels }))',
  );
  expect(charts).toEqual([
    { id: 'weekly-chart', labels: ['2026-W41', '2026-W42'] },
    { id: 'group-chart', labels: ['payments', 'login'] },
  ]);

  const canvases = await page.evaluate<CanvasState[]>(SAMPLE_CANVASES);
  expect(canvases.map((c) => c.id)).toEqual(['weekly-chart', 'group-chart']);
  for (const canvas of canvases) {
    expect(canvas.width).toBeGreaterThan(300);
    expect(canvas.height).toBeGreaterThan(200);
    // Bars, lines, axes and labels: many painted pixels in several colours, and a PNG far above a blank canvas's.
    expect(canvas.painted).toBeGreaterThan(200);
    expect(canvas.colours).toBeGreaterThan(5);
    expect(canvas.dataUrlLength).toBeGreaterThan(5_000);
  }

  // The headline figures and the recurring-issues table as rendered.
  const cards = await page.locator('.card').allInnerTexts();
  expect(cards[0]).toMatch(/^CASES\s+7\s+2 still open$/i);
  expect(cards[1]).toMatch(/MTTA P50\s+30m\s+p90 1h, 5 acknowledged/i);
  expect(await page.locator('h3:has-text("Categories") + table tbody tr').allInnerTexts()).toEqual([
    'login\t3\t0\t0, 0, 0, 0\tnew',
  ]);

  const shot = path.join(tmp, 'report.png');
  await page.screenshot({ path: shot, fullPage: true });
  const png = readFileSync(shot);
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(statSync(shot).size).toBeGreaterThan(10_000);
  await page.close();
});

test('a hostile category cannot close the embedded JSON or inject markup', async () => {
  const cases = windowCases().map((c) => ({ ...c, record: { ...c.record, category: '</script><b id="x">hi</b>' } }));
  const summary = summarize({
    cases: cases.map((c) => c.record),
    timelines: new Map(cases.map((c) => [c.record.id, c.timeline])),
    from: FROM,
    to: TO,
    groupBy: 'category',
    now: NOW,
  });
  expect(scriptJson('</script>')).toBe('"\\u003c/script\\u003e"');
  const page = await browser.newPage();
  await page.setContent(reportPage(summary, { chartJsUrl: `${base}/reports/assets/chart.umd.js` }));
  await page.waitForFunction('window.__chartsReady === true', null, { timeout: 20_000 });
  expect(await page.locator('#x').count()).toBe(0);
  expect(await page.locator('th[scope="row"]').first().innerText()).toBe('</script><b id="x">hi</b>');
  expect(await page.evaluate<string[]>('window.__charts[1].data.labels')).toEqual(['</script><b id="x">hi</b>']);
  await page.close();
});

test('a page saved with Chart.js inlined draws its charts without the server', async () => {
  const summary = summarize({
    cases: windowCases().map((c) => c.record),
    timelines: new Map(windowCases().map((c) => [c.record.id, c.timeline])),
    from: FROM,
    to: TO,
    groupBy: 'team',
    now: NOW,
  });
  const file = path.join(tmp, 'saved.html');
  const html = reportPage(summary, { chartJsSource: readFileSync(chartJsFile(), 'utf8') });
  expect(html).not.toContain('/reports/assets/');
  writeFileSync(file, html);
  const page = await browser.newPage();
  await page.goto(`file://${file}`);
  await page.waitForFunction('window.__chartsReady === true', null, { timeout: 20_000 });
  expect(await page.evaluate<string[]>('window.__charts[1].data.labels')).toEqual([
    'First line',
    'Engineering',
    'Second line',
  ]);
  await page.close();
});
