// The trend report as one HTML page a manager opens: headline figures, weekly volume and breach rates, time to
// acknowledge and resolve per group, recurring issues, and what every figure means. Tables are rendered here (they
// read without JavaScript); the charts are drawn in the browser by Chart.js from the summary embedded as JSON.
import { escapeHtml } from '../shared/escape-html';
import { duration, decimal, percent, windowLabel } from './format';
import type { Figures, RecurringIssue, ReportSummary } from './summary';

export const CHART_JS_PATH = '/reports/assets/chart.umd.js';

export interface PageOptions {
  /** Where the page loads Chart.js from (default CHART_JS_PATH, served by the report router). */
  chartJsUrl?: string;
  /** Chart.js source to inline instead, for a page saved to a file and opened without the server. */
  chartJsSource?: string;
  /** Link to the same report as CSV, when served. */
  csvHref?: string;
}

/** JSON safe inside a <script> element: no `</script>`, `<!--` or line separators can end or confuse it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const GROUP_LABEL: Record<ReportSummary['groupBy'], string> = {
  category: 'Category',
  priority: 'Priority',
  level: 'Deepest level',
  team: 'Team (last level)',
};

function card(label: string, value: string, detail = ''): string {
  return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div>${
    detail ? `<div class="detail">${escapeHtml(detail)}</div>` : ''
  }</div>`;
}

function figureCells(f: Figures): string {
  return [
    String(f.cases),
    `${duration(f.mttaP50Ms)} / ${duration(f.mttaP90Ms)}`,
    `${duration(f.mttrP50Ms)} / ${duration(f.mttrP90Ms)}`,
    percent(f.ackBreachRate),
    percent(f.resolveBreachRate),
    `${decimal(f.depthMean)} / ${f.depthMax ?? '-'}`,
    percent(f.reopenRate),
    String(f.open),
  ]
    .map((cell) => `<td class="num">${escapeHtml(cell)}</td>`)
    .join('');
}

const FIGURE_HEADERS = [
  'Cases',
  'MTTA p50 / p90',
  'MTTR p50 / p90',
  'Ack breach',
  'Resolve breach',
  'Depth mean / max',
  'Reopened',
  'Open',
];

function groupTable(summary: ReportSummary): string {
  const head = [GROUP_LABEL[summary.groupBy], ...FIGURE_HEADERS]
    .map((h, i) => `<th${i > 0 ? ' class="num"' : ''}>${escapeHtml(h)}</th>`)
    .join('');
  const rows = summary.groups.map((g) => `<tr><th scope="row">${escapeHtml(g.key)}</th>${figureCells(g.total)}</tr>`);
  rows.push(`<tr class="total"><th scope="row">All cases</th>${figureCells(summary.total)}</tr>`);
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function weekTable(summary: ReportSummary): string {
  const head = ['Week', ...FIGURE_HEADERS]
    .map((h, i) => `<th${i > 0 ? ' class="num"' : ''}>${escapeHtml(h)}</th>`)
    .join('');
  const rows = summary.weeks.map(
    (w) =>
      `<tr><th scope="row">${escapeHtml(w.isoWeek)} <span class="muted">${escapeHtml(w.week)}</span></th>${figureCells(w)}</tr>`,
  );
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function recurringTable(title: string, issues: RecurringIssue[]): string {
  if (issues.length === 0) return `<h3>${escapeHtml(title)}</h3><p class="muted">Nothing recurring in this window.</p>`;
  const rows = issues.map(
    (issue) =>
      `<tr><th scope="row">${escapeHtml(issue.key)}</th><td class="num">${issue.count}</td>` +
      `<td class="num">${escapeHtml(decimal(issue.baselineMean))}</td>` +
      `<td class="num">${escapeHtml(issue.baselineCounts.join(', '))}</td>` +
      `<td class="num">${issue.ratio === null ? 'new' : `${escapeHtml(decimal(issue.ratio))}x`}</td></tr>`,
  );
  return (
    `<h3>${escapeHtml(title)}</h3><table><thead><tr><th>Key</th><th class="num">Cases</th>` +
    `<th class="num">Baseline mean</th><th class="num">Baseline windows (latest first)</th><th class="num">Ratio</th>` +
    `</tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

const STYLE = `
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --accent: #2f6fde; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f7f8fa; }
main { max-width: 1100px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 12px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
.muted { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin-top: 20px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .label { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.card .value { font-size: 24px; font-weight: 600; margin-top: 2px; }
.card .detail { font-size: 12px; color: var(--muted); }
.chart { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; height: 340px; position: relative; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); font-size: 14px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
thead th { font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); background: #fbfcfd; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total th, tr.total td { font-weight: 600; background: #fbfcfd; }
.scroll { overflow-x: auto; }
ul.notes li, dl dd { color: var(--muted); }
dl dt { font-weight: 600; margin-top: 8px; }
dl dd { margin: 0 0 0 0; }
#chart-error { display: none; color: #b42318; }
`;

// Runs in the browser: draws both charts from the embedded summary, then sets window.__chartsReady.
const RENDER = `
(function () {
  var summary = JSON.parse(document.getElementById('report-data').textContent);
  var fail = function (message) {
    var box = document.getElementById('chart-error');
    box.textContent = message;
    box.style.display = 'block';
    window.__chartsError = message;
  };
  if (typeof Chart === 'undefined') { fail('Chart.js did not load: the charts cannot be drawn.'); return; }
  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var pct = function (rate) { return rate === null ? null : Math.round(rate * 1000) / 10; };
  var hours = function (ms) { return ms === null ? null : Math.round(ms / 36000) / 100; };
  var charts = [];
  charts.push(new Chart(document.getElementById('weekly-chart'), {
    data: {
      labels: summary.weeks.map(function (w) { return w.isoWeek; }),
      datasets: [
        { type: 'bar', label: 'Cases', data: summary.weeks.map(function (w) { return w.cases; }),
          backgroundColor: 'rgba(47, 111, 222, 0.55)', yAxisID: 'cases', order: 2 },
        { type: 'line', label: 'Ack breach rate (%)', data: summary.weeks.map(function (w) { return pct(w.ackBreachRate); }),
          borderColor: '#d97706', backgroundColor: '#d97706', yAxisID: 'rate', spanGaps: true, order: 1 },
        { type: 'line', label: 'Resolve breach rate (%)', data: summary.weeks.map(function (w) { return pct(w.resolveBreachRate); }),
          borderColor: '#b42318', backgroundColor: '#b42318', borderDash: [6, 4], yAxisID: 'rate', spanGaps: true, order: 1 }
      ]
    },
    options: {
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        cases: { position: 'left', beginAtZero: true, title: { display: true, text: 'Cases' }, ticks: { precision: 0 } },
        rate: { position: 'right', min: 0, max: 100, title: { display: true, text: 'Breach rate (%)' }, grid: { drawOnChartArea: false } }
      }
    }
  }));
  charts.push(new Chart(document.getElementById('group-chart'), {
    type: 'bar',
    data: {
      labels: summary.groups.map(function (g) { return g.key; }),
      datasets: [
        { label: 'MTTA p50 (hours)', data: summary.groups.map(function (g) { return hours(g.total.mttaP50Ms); }), backgroundColor: '#2f6fde' },
        { label: 'MTTR p50 (hours)', data: summary.groups.map(function (g) { return hours(g.total.mttrP50Ms); }), backgroundColor: '#12a37f' }
      ]
    },
    options: {
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, title: { display: true, text: 'Hours' } } }
    }
  }));
  window.__charts = charts;
  requestAnimationFrame(function () { requestAnimationFrame(function () { window.__chartsReady = true; }); });
})();
`;

export function reportPage(summary: ReportSummary, options: PageOptions = {}): string {
  const t = summary.total;
  const window = windowLabel(summary.from, summary.to);
  const title = `Escalation trends, ${window}`;
  const chartScript =
    options.chartJsSource !== undefined
      ? `<script>${options.chartJsSource.replace(/<\/script/gi, '<\\/script')}</script>`
      : `<script src="${escapeHtml(options.chartJsUrl ?? CHART_JS_PATH)}"></script>`;
  const definitions = Object.entries(summary.definitions)
    .map(([term, text]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(text)}</dd>`)
    .join('');
  const notes = summary.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Escalation trends</h1>
<div class="muted">${escapeHtml(window)} &middot; grouped by ${escapeHtml(GROUP_LABEL[summary.groupBy].toLowerCase())} &middot; generated ${escapeHtml(summary.generatedAt)}${
    options.csvHref ? ` &middot; <a href="${escapeHtml(options.csvHref)}">download CSV</a>` : ''
  }</div>
<section class="cards" aria-label="Headline figures">
${card('Cases', String(t.cases), `${t.open} still open`)}
${card('MTTA p50', duration(t.mttaP50Ms), `p90 ${duration(t.mttaP90Ms)}, ${t.acknowledged} acknowledged`)}
${card('MTTR p50', duration(t.mttrP50Ms), `p90 ${duration(t.mttrP90Ms)}, ${t.resolved} resolved`)}
${card('Ack breach rate', percent(t.ackBreachRate), `${t.ackBreached} case(s)`)}
${card('Resolve breach rate', percent(t.resolveBreachRate), `${t.resolveBreached} case(s)`)}
${card('Escalation depth', decimal(t.depthMean), `mean; max ${t.depthMax ?? '-'}`)}
${card('Reopen rate', percent(t.reopenRate), `${t.reopened} case(s)`)}
${card('Satisfaction', t.satisfaction === null ? 'n/a' : `${decimal(t.satisfaction)} / 5`, `${t.rated} case(s) rated`)}
</section>
<p id="chart-error" role="alert"></p>
<h2>Weekly volume and breach rates</h2>
<div class="chart"><canvas id="weekly-chart" role="img" aria-label="Cases per week with acknowledge and resolve breach rates"></canvas></div>
<h2>Time to acknowledge and resolve by ${escapeHtml(GROUP_LABEL[summary.groupBy].toLowerCase())} (p50)</h2>
<div class="chart"><canvas id="group-chart" role="img" aria-label="Median time to acknowledge and to resolve per group"></canvas></div>
<h2>By ${escapeHtml(GROUP_LABEL[summary.groupBy].toLowerCase())}</h2>
<div class="scroll">${groupTable(summary)}</div>
<h2>By week</h2>
<div class="scroll">${weekTable(summary)}</div>
<h2>Recurring issues</h2>
<p class="muted">${escapeHtml(summary.recurring.rule)}</p>
<div class="scroll">${recurringTable('Categories', summary.recurring.categories)}${recurringTable('Reporters', summary.recurring.reporters)}</div>
${notes ? `<h2>Notes</h2><ul class="notes">${notes}</ul>` : ''}
<h2>Definitions</h2>
<dl>${definitions}</dl>
</main>
<script type="application/json" id="report-data">${scriptJson(summary)}</script>
${chartScript}
<script>${RENDER}</script>
</body>
</html>
`;
}
