// The team report as one self-contained HTML file a manager can open from disk or attach to a mail:
// tables rendered here (readable without scripts), charts drawn by Chart.js inlined into the file,
// the chart data inlined as JSON. A Content-Security-Policy allows exactly the file's own script
// and style blocks by hash and nothing else: no network, no other script, no frame.
//
// Chart.js comes from the `chart.js` package: esbuild.mjs copies its UMD build beside the bundles
// (dist/chart.umd.min.js), read only when a report is written, so the installed command needs no
// node_modules and starting `assay` does not compile 200 KB it rarely uses; unbundled (tests) it is
// read from node_modules.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { OTHER } from '../privacy/allowlists';
import { count, percent, signedUsd, usd } from './format';
import { MEASURES } from '../report/measures';
import { AGENT_KEPT_SHARES, AGENT_OUTPUT_COVERAGE, AGENT_OUTPUT_UNKNOWN, inlineSeatCostText, keptText, perKeptLine, reported, seatCostText, VALUE_BASIS, valueLines, whatIfBasis } from './text';
import { KEPT_LINES_CHECKPOINT_KEY } from '../agentOutput/types';
import { keptShare } from './teamReport';
import type { TeamReportJson } from './teamReport';

const CHART_JS_FILE = 'chart.umd.min.js';

export async function loadChartJsSource(): Promise<string> {
  const beside = path.join(__dirname, CHART_JS_FILE);
  return fs.readFile(existsSync(beside) ? beside : require.resolve(`chart.js/dist/${CHART_JS_FILE}`), 'utf8');
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

// Colours follow the editor's theme in the webview of Open Team Report (VS Code sets `--vscode-*`
// variables and a `vscode-dark`, `vscode-light` or `vscode-high-contrast[-light]` class on the body),
// and the browser's light or dark preference in a file opened from disk, where those are absent. A
// high-contrast light theme has both high-contrast classes: the light rule comes last to win.
const STYLE = `
:root { color-scheme: light dark; }
body.vscode-dark, body.vscode-high-contrast { color-scheme: dark; }
body.vscode-light, body.vscode-high-contrast-light { color-scheme: light; }
body {
  margin: 0 auto; max-width: 70rem; padding: 1rem 1.5rem 3rem; line-height: 1.45;
  font-family: var(--vscode-font-family, system-ui, sans-serif);
  background: var(--vscode-editor-background, Canvas); color: var(--vscode-editor-foreground, CanvasText);
}
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid var(--vscode-panel-border, GrayText); }
p.note { color: var(--vscode-descriptionForeground, GrayText); }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid color-mix(in srgb, var(--vscode-editor-foreground, CanvasText) 20%, transparent); }
th { text-align: left; } th.n, td.n { text-align: right; }
figure { margin: 1rem 0; } figure canvas { max-height: 22rem; }
code { white-space: pre-wrap; font-family: var(--vscode-editor-font-family, monospace); }
`;

const RENDER = `
(function () {
  var data = JSON.parse(document.getElementById('assay-charts').textContent);
  var palette = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948'];
  var charts = [];
  // Text in the page's text colour, grid lines in a faint version of it, whichever theme is on.
  function followTheme() {
    var text = getComputedStyle(document.body).color;
    var rgb = text.match(/[\\d.]+/g) || ['128', '128', '128'];
    Chart.defaults.color = text;
    Chart.defaults.borderColor = 'rgba(' + rgb.slice(0, 3).join(', ') + ', 0.15)';
    charts.forEach(function (chart) { chart.update(); });
  }
  Chart.defaults.animation = false;
  followTheme();
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', followTheme);
  // The editor sets a new class on the body and new variables on the root when its theme changes.
  var themeChanges = new MutationObserver(followTheme);
  themeChanges.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  themeChanges.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
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
  const people = report.personal ? 'Machines' : 'Developers';
  if (report.suppressed.hidden.length > 0) {
    out.push(`<p class="note">Not shown, because fewer than ${report.minGroup} developers are in them: ${esc(report.suppressed.hidden.join(', '))}.</p>`);
  }
  out.push('<h2>Adoption</h2>');
  const licences = report.adoption.licences;
  if (licences) {
    const cost = report.range ? ` (${usd(licences.costUSD)} in this range)` : '';
    out.push(`<p>Licences paid for: <strong>${count(licences.paid)}</strong>; developers active: <strong>${count(licences.active)}</strong>; idle licences: <strong>${count(licences.idle)}</strong>${cost}.</p>`);
  }
  out.push(figure(charts, 'chart-adoption'));
  const active = `${people} active`;
  // Idle licences only when the report was told how many were paid for (--seats), not as a column of dashes.
  out.push(
    licences
      ? table(['Week of', active, 'Idle licences'], report.adoption.week.map((w) => [w.key, count(w.developers), w.idleLicences === null ? '–' : count(w.idleLicences)]))
      : table(['Week of', active], report.adoption.week.map((w) => [w.key, count(w.developers)])),
  );

  const inline = report.totals.inline;
  if (inline && economics) {
    out.push('<h2>Inline suggestions</h2>');
    out.push(`<p>${MEASURES.acceptanceRate.label}: <strong>${percent(economics.acceptanceRate)}</strong>. ${MEASURES.aiShare.label}: <strong>${percent(economics.aiShare)}</strong>. ${MEASURES.keptAt600.label}: <strong>${percent(economics.retention600)}</strong>.</p>`);
    out.push(figure(charts, 'chart-inline'));
    for (const [title, rows] of [['Language', report.breakdowns.inline.language], ['Assistant', report.breakdowns.inline.provider]] as const) {
      out.push(table([title, people, 'Accepted', 'Accepted lines', 'AI chars', 'Typed chars'], rows.map((r) => [r.key, count(r.developers), count(r.acceptances.full + r.acceptances.word + r.acceptances.line), count(r.acceptedLines), count(r.aiChars), count(r.typedChars)])));
    }
  }
  const usage = report.totals.usage;
  if (usage && economics) {
    out.push('<h2>Chat and agent tokens</h2>');
    out.push(`<p>${count(usage.requests)} requests, ${count(usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens)} tokens, <strong>${usd(usage.costUSD)}</strong>${usage.unpricedRequests > 0 ? ` (${count(usage.unpricedRequests)} requests on unpriced models not included)` : ''}.</p>`);
    out.push(figure(charts, 'chart-models'));
    for (const [title, rows] of [['Tool', report.breakdowns.usage.source], ['Model', report.breakdowns.usage.model]] as const) {
      out.push(table([title, people, 'Requests', 'Tokens', 'Cost'], rows.map((r) => [r.key, count(r.developers), count(r.requests), count(r.inputTokens + r.outputTokens + r.cacheReadTokens + r.cacheWriteTokens), r.requests > 0 && r.unpricedRequests >= r.requests ? 'unpriced' : usd(r.costUSD)])));
    }
    out.push('<h2>Agent output</h2>');
    const agent = reported(usage);
    if (agent) {
      out.push(`<p>Reported for ${count(agent.agentOutputRequests)} of ${count(usage.requests)} agent responses (${esc(AGENT_OUTPUT_COVERAGE)}).</p>`);
      out.push(`<p>Lines added: <strong>${count(agent.linesAdded)}</strong>; lines removed: <strong>${count(agent.linesRemoved)}</strong>; edits: ${count(agent.agentEdits)}. ${AGENT_KEPT_SHARES.map(({ checkpoint, label }) => `${label}: <strong>${esc(keptText(agent, checkpoint))}</strong>.`).join(' ')} Cost per kept line (kept at 1 day): <strong>${perKeptLine(agent)}</strong>. Tokens of responses whose edits kept nothing at 1 day: ${count(agent.wasteTokens)}.</p>`);
      for (const [title, rows] of [['Tool', report.breakdowns.usage.source], ['Model', report.breakdowns.usage.model]] as const) {
        out.push(table([title, people, 'Lines added', 'Lines removed', ...AGENT_KEPT_SHARES.map(({ label }) => label), 'Edits measured at 1 day', 'Cost per kept line'], rows.map((r) => {
          const figures = reported(r);
          if (!figures) return [r.key, count(r.developers), 'unknown', 'unknown', ...AGENT_KEPT_SHARES.map(() => 'unknown'), 'unknown', 'unknown'];
          return [r.key, count(r.developers), count(figures.linesAdded), count(figures.linesRemoved), ...AGENT_KEPT_SHARES.map(({ checkpoint }) => percent(keptShare(figures, checkpoint))), count(figures.agentRetention[KEPT_LINES_CHECKPOINT_KEY]?.known ?? 0), perKeptLine(figures)];
        })));
      }
    } else {
      out.push(`<p class="note">${esc(AGENT_OUTPUT_UNKNOWN)}</p>`);
    }
    out.push('<h2>Price per token against tokens used (Jevons view)</h2>');
    out.push(figure(charts, 'chart-jevons'));
    out.push(table(['Month', 'API-priced cost', 'Tokens', '$ per 1M tokens'], economics.jevons.map((m) => [m.month, usd(m.spendUSD), count(m.tokens), m.usdPerMillionTokens === null ? '–' : usd(m.usdPerMillionTokens)])));
    if (economics.whatIf.length > 0) {
      out.push('<h2>What if the same tokens had gone to another model</h2>');
      out.push(`<p class="note">${esc(whatIfBasis(economics.whatIf, usage.costUSD, report.breakdowns.usage.model))}</p>`);
      const asUsed = economics.whatIf[0].realCostUSD;
      out.push(table(['Model', 'At list prices', 'Difference'], [
        ['Models as used', usd(asUsed), ''],
        ...economics.whatIf.map((w) => [w.targetModel, w.whatIfCostUSD === null ? 'unpriced' : usd(w.whatIfCostUSD), w.whatIfCostUSD === null ? '' : signedUsd(w.whatIfCostUSD - asUsed)]),
      ]));
    }
  }
  if (economics) {
    out.push('<h2>Estimated value and ROI</h2>');
    out.push(`<p>${esc(seatCostText(economics, report.range))}</p>`);
    if (economics.value) {
      const v = economics.value;
      const { figure, formulas } = valueLines(v);
      out.push(`<p><strong>${esc(figure)}</strong>.</p>`, `<p>${esc(inlineSeatCostText(v))}.</p>`);
      out.push(...formulas.map((line) => `<p><code>${esc(line)}</code></p>`), `<p class="note">${esc(VALUE_BASIS)}</p>`);
    } else {
      out.push('<p class="note">Not shown: part of the figures covers fewer developers than the report allows.</p>');
    }
  }
  out.push('<h2>Rows</h2>');
  out.push(`<details><summary>${count(report.rows.length)} rows by day (as in <code>assay report daily</code>)</summary>`);
  out.push(table(['Date', 'Kind', 'Key', 'Key', people, 'Accepted / requests', 'AI chars / tokens', 'Cost'], report.rows.map((r) =>
    r.kind === 'inline'
      ? [r.date, 'inline', r.languageId, r.provider, count(r.developers), count(r.acceptances.full + r.acceptances.word + r.acceptances.line), count(r.aiChars), '']
      : [r.date, 'usage', r.source, r.model, count(r.developers), count(r.requests), count(r.inputTokens + r.outputTokens + r.cacheReadTokens + r.cacheWriteTokens), r.costUSD === null ? 'unpriced' : usd(r.costUSD)],
  )));
  out.push('</details>');
  return out.join('\n');
}

function chartSpecs(report: TeamReportJson): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const weeks = report.adoption.week.filter((w) => w.key !== OTHER);
  if (weeks.length > 0) {
    const datasets: ChartSpec['datasets'] = [{ label: `${report.personal ? 'Machines' : 'Developers'} active`, data: weeks.map((w) => w.developers) }];
    if (report.adoption.licences) datasets.push({ label: 'Licences paid', type: 'line', data: weeks.map(() => report.adoption.licences?.paid ?? null) });
    charts.push({ id: 'chart-adoption', title: `${report.personal ? 'Machines' : 'Developers'} active per week`, type: 'bar', labels: weeks.map((w) => w.key), datasets });
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
    charts.push({ id: 'chart-models', title: 'API-priced cost by model', type: 'bar', labels: models.map((m) => m.key), datasets: [{ label: 'Cost (USD)', data: models.map((m) => m.costUSD) }] });
  }
  const months = report.economics?.jevons ?? [];
  if (months.length > 0) {
    charts.push({
      id: 'chart-jevons',
      title: 'API-priced cost and price per 1M tokens per month',
      type: 'bar',
      labels: months.map((m) => m.month),
      datasets: [
        { label: 'API-priced cost (USD)', data: months.map((m) => m.spendUSD) },
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
  const head = `<tr>${header.map((h, i) => `<th scope="col"${i === 0 ? '' : ' class="n"'}>${esc(h)}</th>`).join('')}</tr>`;
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
