// The team report as one self-contained HTML file a manager can open from disk or attach to a mail:
// tables rendered here (readable without scripts), charts drawn by Chart.js inlined into the file,
// the chart data inlined as JSON. A Content-Security-Policy allows exactly the file's own script
// and style blocks by hash and nothing else: no network, no other script, no frame.
//
// Chart.js comes from the `chart.js` package: esbuild writes its UMD build into dist/cli.js as a
// string (esbuild.mjs, `__ASSAY_CHART_JS__`), so the installed command needs no node_modules and
// the packaged extension no extra file; unbundled (tests) it is read from node_modules.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { OTHER } from '../privacy/allowlists';
import type { TeamReportJson } from './teamReport';

declare const __ASSAY_CHART_JS__: string | undefined;

export async function loadChartJsSource(): Promise<string> {
  if (typeof __ASSAY_CHART_JS__ === 'string') return __ASSAY_CHART_JS__;
  return fs.readFile(require.resolve('chart.js/dist/chart.umd.min.js'), 'utf8');
}

interface ChartSpec {
  id: string;
  title: string;
  type: 'bar' | 'line';
  labels: string[];
  datasets: Array<{ label: string; data: Array<number | null>; type?: 'bar' | 'line'; yAxisID?: string }>;
  /** Secondary axis title, when a dataset uses `y1`. */
  y1?: string;
}

const STYLE = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0 auto; max-width: 70rem; padding: 1rem 1.5rem 3rem; line-height: 1.45; background: Canvas; color: CanvasText; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid GrayText; }
p.note { color: GrayText; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid color-mix(in srgb, GrayText 40%, transparent); }
th { text-align: left; } td.n { text-align: right; }
figure { margin: 1rem 0; } figure canvas { max-height: 22rem; }
code { white-space: pre-wrap; }
`;

const RENDER = `
(function () {
  var data = JSON.parse(document.getElementById('assay-charts').textContent);
  var text = getComputedStyle(document.body).color;
  Chart.defaults.color = text;
  Chart.defaults.animation = false;
  var palette = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948'];
  var charts = [];
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', function () {
    Chart.defaults.color = getComputedStyle(document.body).color;
    charts.forEach(function (chart) { chart.update(); });
  });
  data.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) return;
    var scales = { y: { beginAtZero: true } };
    if (spec.y1) scales.y1 = { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: spec.y1 } };
    charts.push(new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (set, i) {
          return Object.assign({ backgroundColor: palette[i % palette.length], borderColor: palette[i % palette.length] }, set);
        })
      },
      options: { responsive: true, maintainAspectRatio: false, scales: scales }
    }));
  });
})();
`;

/** The whole file. `madeOn` is the report's date (YYYY-MM-DD). */
export function teamReportHtml(report: TeamReportJson, chartJsSource: string, madeOn: string): string {
  const charts = chartSpecs(report);
  const chartJs = chartJsSource.replace(/<\/script/gi, '<\\/script');
  const csp = [
    "default-src 'none'",
    `script-src ${hash(chartJs)} ${hash(RENDER)}`,
    `style-src ${hash(STYLE)}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const body = [
    `<h1>Assay team report</h1>`,
    `<p>Made ${esc(madeOn)}. ${esc(scope(report))}</p>`,
    report.suppressed.reason ? `<p><strong>${esc(report.suppressed.reason)}</strong></p>` : sections(report, charts),
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Assay team report</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<script type="application/json" id="assay-charts">${jsonForScript(report.suppressed.reason ? [] : charts)}</script>
<script>${chartJs}</script>
<script>${RENDER}</script>
</body>
</html>
`;
}

function scope(report: TeamReportJson): string {
  if (report.personal) return `Personal report over ${report.developers} machine${report.developers === 1 ? '' : 's'}.`;
  const range = report.range ? ` Days ${report.range.since} to ${report.range.until}.` : '';
  return `${report.developers} developers. Every figure describes at least ${report.minGroup} developers; smaller groups are folded into "other".${range}`;
}

function sections(report: TeamReportJson, charts: readonly ChartSpec[]): string {
  const out: string[] = [];
  const economics = report.economics;
  if (report.suppressed.hidden.length > 0) {
    out.push(`<p class="note">Not shown, because fewer than ${report.minGroup} developers are in them: ${esc(report.suppressed.hidden.join(', '))}.</p>`);
  }
  out.push('<h2>Adoption</h2>');
  const licences = report.adoption.licences;
  if (licences) {
    out.push(`<p>Licences paid for: <strong>${num(licences.paid)}</strong>; developers active: <strong>${num(licences.active)}</strong>; idle licences: <strong>${num(licences.idle)}</strong> (${usd(licences.costUSD)} in this range).</p>`);
  }
  out.push(figure(charts, 'chart-adoption'));
  out.push(table(['Week of', 'Developers active', 'Idle licences'], report.adoption.week.map((w) => [w.key, num(w.developers), w.idleLicences === null ? '–' : num(w.idleLicences)])));

  const inline = report.totals.inline;
  if (inline && economics) {
    out.push('<h2>Inline suggestions</h2>');
    out.push(`<p>Acceptance rate (per request): <strong>${pct(economics.acceptanceRate)}</strong>. AI share of characters: <strong>${pct(economics.aiShare)}</strong>. Kept after 10 minutes: <strong>${pct(economics.retention600)}</strong>.</p>`);
    out.push(figure(charts, 'chart-inline'));
    for (const [title, rows] of [['Language', report.breakdowns.inline.language], ['Assistant', report.breakdowns.inline.provider]] as const) {
      out.push(table([title, 'Developers', 'Accepted', 'Accepted lines', 'AI chars', 'Typed chars'], rows.map((r) => [r.key, num(r.developers), num(r.acceptances.full + r.acceptances.word + r.acceptances.line), num(r.acceptedLines), num(r.aiChars), num(r.typedChars)])));
    }
  }
  const usage = report.totals.usage;
  if (usage && economics) {
    out.push('<h2>Chat and agent tokens</h2>');
    out.push(`<p>${num(usage.requests)} requests, ${num(usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens)} tokens, <strong>${usd(usage.costUSD)}</strong>${usage.unpricedRequests > 0 ? ` (${num(usage.unpricedRequests)} requests on unpriced models not included)` : ''}.</p>`);
    out.push(figure(charts, 'chart-models'));
    for (const [title, rows] of [['Tool', report.breakdowns.usage.source], ['Model', report.breakdowns.usage.model]] as const) {
      out.push(table([title, 'Developers', 'Requests', 'Tokens', 'Cost'], rows.map((r) => [r.key, num(r.developers), num(r.requests), num(r.inputTokens + r.outputTokens + r.cacheReadTokens + r.cacheWriteTokens), r.requests > 0 && r.unpricedRequests >= r.requests ? 'unpriced' : usd(r.costUSD)])));
    }
    out.push('<h2>Price per token against tokens used (Jevons view)</h2>');
    out.push(figure(charts, 'chart-jevons'));
    out.push(table(['Month', 'Spend', 'Tokens', '$ per 1M tokens'], economics.jevons.map((m) => [m.month, usd(m.spendUSD), num(m.tokens), m.usdPerMillionTokens === null ? '–' : usd(m.usdPerMillionTokens)])));
    if (economics.whatIf.length > 0) {
      out.push('<h2>What if the same tokens had gone to another model</h2>');
      out.push(table(['Model', 'Cost on that model', 'Real cost'], economics.whatIf.map((w) => [w.targetModel, w.whatIfCostUSD === null ? 'unpriced' : usd(w.whatIfCostUSD), usd(w.realCostUSD)])));
    }
  }
  if (economics) {
    out.push('<h2>Estimated value and ROI</h2>');
    out.push(`<p>Seat cost in this range: ${usd(economics.seatCostUSD)} (${economics.seatSource === 'licences' ? 'licences given to the report' : "each developer's own seats"}).</p>`);
    if (economics.value) {
      const v = economics.value;
      out.push(`<p>Estimated value: <strong>${usd(v.valueUSD)}</strong>; cost per accepted line: ${v.costPerAcceptedLine === null ? '–' : usd(v.costPerAcceptedLine)}; per retained line: ${v.costPerRetainedLine === null ? '–' : usd(v.costPerRetainedLine)}.</p>`);
      out.push(`<p><code>${esc(v.formula)}</code></p><p><code>${esc(v.roiFormula)}</code></p>`);
    } else {
      out.push('<p class="note">Not shown: part of the figures covers fewer developers than the report allows.</p>');
    }
  }
  out.push('<h2>Rows</h2>');
  out.push(`<details><summary>${num(report.rows.length)} rows by day (as in <code>assay report daily</code>)</summary>`);
  out.push(table(['Date', 'Kind', 'Key', 'Key', 'Developers', 'Accepted / requests', 'AI chars / tokens', 'Cost'], report.rows.map((r) =>
    r.kind === 'inline'
      ? [r.date, 'inline', r.languageId, r.provider, num(r.developers), num(r.acceptances.full + r.acceptances.word + r.acceptances.line), num(r.aiChars), '']
      : [r.date, 'usage', r.source, r.model, num(r.developers), num(r.requests), num(r.inputTokens + r.outputTokens + r.cacheReadTokens + r.cacheWriteTokens), r.costUSD === null ? 'unpriced' : usd(r.costUSD)],
  )));
  out.push('</details>');
  return out.join('\n');
}

function chartSpecs(report: TeamReportJson): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const weeks = report.adoption.week.filter((w) => w.key !== OTHER);
  if (weeks.length > 0) {
    const datasets: ChartSpec['datasets'] = [{ label: 'Developers active', data: weeks.map((w) => w.developers) }];
    if (report.adoption.licences) datasets.push({ label: 'Licences paid', type: 'line', data: weeks.map(() => report.adoption.licences?.paid ?? null) });
    charts.push({ id: 'chart-adoption', title: 'Developers active per week', type: 'bar', labels: weeks.map((w) => w.key), datasets });
  }
  const days = report.breakdowns.inline.day.filter((d) => d.key !== OTHER);
  if (days.length > 0) {
    charts.push({
      id: 'chart-inline',
      title: 'AI characters per day and AI share',
      type: 'bar',
      labels: days.map((d) => d.key),
      datasets: [
        { label: 'AI chars', data: days.map((d) => d.aiChars) },
        { label: 'AI share %', type: 'line', yAxisID: 'y1', data: days.map((d) => (d.aiChars + d.typedChars > 0 ? (100 * d.aiChars) / (d.aiChars + d.typedChars) : null)) },
      ],
      y1: 'AI share %',
    });
  }
  const models = report.breakdowns.usage.model;
  if (models.length > 0) {
    charts.push({ id: 'chart-models', title: 'Spend by model', type: 'bar', labels: models.map((m) => m.key), datasets: [{ label: 'Cost (USD)', data: models.map((m) => m.costUSD) }] });
  }
  const months = report.economics?.jevons ?? [];
  if (months.length > 0) {
    charts.push({
      id: 'chart-jevons',
      title: 'Spend and price per 1M tokens per month',
      type: 'bar',
      labels: months.map((m) => m.month),
      datasets: [
        { label: 'Spend (USD)', data: months.map((m) => m.spendUSD) },
        { label: '$ per 1M tokens', type: 'line', yAxisID: 'y1', data: months.map((m) => m.usdPerMillionTokens) },
      ],
      y1: '$ per 1M tokens',
    });
  }
  return charts;
}

function figure(charts: readonly ChartSpec[], id: string): string {
  const spec = charts.find((chart) => chart.id === id);
  return spec ? `<figure><figcaption>${esc(spec.title)}</figcaption><canvas id="${id}" role="img" aria-label="${esc(spec.title)} (the table below has the same figures)"></canvas></figure>` : '';
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  if (rows.length === 0) return '<p class="note">Nothing in this range.</p>';
  const head = `<tr>${header.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${esc(cell)}</th>` : `<td class="n">${esc(cell)}</td>`)).join('')}</tr>`).join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}

function hash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** JSON inside a script block: `<` escaped, so no string in it can close the block. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function num(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function usd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function pct(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(1)}%`;
}
