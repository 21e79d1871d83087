// The bundles: the extension host (node, `vscode` external), its import worker thread and read threads (node),
// the dashboard webview (browser), the `assay` command-line tool (node), and the OpenTelemetry export (node). `--watch` rebuilds on change, `--production` minifies.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, watch as watchFile } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--outdir DIR` writes the bundles there instead of dist/: test/bench/bundleSize.ts measures the production bundles
// without replacing a development build.
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag >= 0 ? process.argv[outdirFlag + 1] : 'dist';

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: `${outdir}/extension.js`,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/importers/importWorker.ts'],
    outfile: `${outdir}/importWorker.js`,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
  },
  {
    // The team report the editor shows, required only by Assay: Open Team Report.
    ...common,
    entryPoints: ['src/team/reportForEditor.ts'],
    outfile: `${outdir}/teamReport.js`,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
  },
  {
    // The team merge's reader threads (src/team/summaryReaders.ts), started by the CLI and teamReport.js.
    ...common,
    entryPoints: ['src/team/summaryReaderWorker.ts'],
    outfile: `${outdir}/summaryReaderWorker.js`,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
  },
  {
    // The import's read threads (src/importers/readWorkers.ts), started by the import worker and the CLI.
    ...common,
    entryPoints: ['src/importers/readWorker.ts'],
    outfile: `${outdir}/readWorker.js`,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
  },
  {
    // The dashboard's figures (src/dashboard/source.ts and what it prices and builds), required by the extension when
    // a panel or the status bar first asks for them, so activation does not load them.
    ...common,
    entryPoints: ['src/dashboard/source.ts'],
    outfile: `${outdir}/dashboardSource.js`,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
  },
  {
    ...common,
    entryPoints: ['src/report/rollupWorker.ts'],
    outfile: `${outdir}/rollupWorker.js`,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: `${outdir}/webview.js`,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  },
  {
    // The installed `assay` command: a few lines that run cliMain.js through V8's code cache (src/cli/codeCache.ts).
    ...common,
    entryPoints: ['src/cli/bin.ts'],
    outfile: `${outdir}/cli.js`,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: `${outdir}/cliMain.js`,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // jsonc-parser's main build is UMD, whose require of its own parts esbuild cannot follow: the bundle would
    // require files that are not beside it. Its ES module build is plain imports.
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  },
  {
    // The OpenTelemetry export, required by the extension only when it previews or sends, so the
    // SDK stays out of the extension bundle. The exporter's dependencies pin patch releases older
    // than ours; the aliases bundle one copy of each package instead of three.
    ...common,
    entryPoints: ['src/export/otlp/index.ts'],
    outfile: `${outdir}/otlp.js`,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    alias: Object.fromEntries(
      ['api-logs', 'core', 'otlp-transformer', 'resources', 'sdk-logs', 'sdk-metrics', 'sdk-trace'].map((name) => [
        `@opentelemetry/${name}`,
        `@opentelemetry/${name}`,
      ]),
    ),
  },
];

// Files the bundles read from beside them, which esbuild does not copy: sql.js's WebAssembly (the import
// worker's and CLI's SQLite reader, src/importers/sqliteReader.ts), Chart.js's UMD build, which the team
// report's HTML inlines (src/team/html.ts; the webview bundles its own Chart.js), and the price snapshot, which
// every bundle that prices reads on first use (src/pricing/priceData.ts).
mkdirSync(outdir, { recursive: true });
copyFileSync('node_modules/sql.js/dist/sql-wasm.wasm', `${outdir}/sql-wasm.wasm`);
copyFileSync('node_modules/chart.js/dist/chart.umd.min.js', `${outdir}/chart.umd.min.js`);
const PRICE_SNAPSHOT = 'src/pricing/modelPrices.json';
copyFileSync(PRICE_SNAPSHOT, `${outdir}/modelPrices.json`);

if (watch) {
  // No bundle imports the snapshot, so no rebuild would copy a changed one.
  watchFile(PRICE_SNAPSHOT, () => copyFileSync(PRICE_SNAPSHOT, `${outdir}/modelPrices.json`));
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
