// Bundle sizes (docs/architecture.md, Performance budgets: the extension host's bundle under 250 KB, what the editor
// loads at activation). Builds the production bundles with esbuild.mjs into a temporary folder, so a development
// build in dist/ stays as it is, and prints each bundle's size. Prints figures; asserts nothing.
// Run: npx tsc -p . && node out/test/bench/bundleSize.js
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = path.join(__dirname, '..', '..', '..');
const EXTENSION_TARGET_KB = 250;

const outdir = mkdtempSync(path.join(os.tmpdir(), 'assay-bundles-'));
try {
  execFileSync(process.execPath, ['esbuild.mjs', '--production', '--outdir', outdir], { cwd: ROOT, stdio: 'ignore' });
  const kb = (bytes: number) => (bytes / 1024).toFixed(0);
  console.log('production bundles (minified; gzip for comparison with published sizes):');
  // chart.umd.min.js is copied beside the bundles as Chart.js ships it, not built.
  for (const name of readdirSync(outdir).filter((file) => file.endsWith('.js') && file !== 'chart.umd.min.js').sort()) {
    const file = path.join(outdir, name);
    const bytes = statSync(file).size;
    const target = name === 'extension.js' ? ` (target < ${EXTENSION_TARGET_KB} KB: ${(bytes / 1024 / EXTENSION_TARGET_KB).toFixed(2)}x)` : '';
    console.log(`  ${name.padEnd(24)} ${kb(bytes).padStart(5)} KB, gzip ${kb(gzipSync(readFileSync(file)).length).padStart(4)} KB${target}`);
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
