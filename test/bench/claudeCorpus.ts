// The generated Claude Code corpora the import benchmarks read, made once into ${ASSAY_TEST_CACHE:-~/.cache/assay-test}.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ccusageCacheDir } from '../crosscheck/ccusage';
import { writeClaudeCorpus } from '../crosscheck/corpus';

const MB = 1024 * 1024;

/** The folder of the corpus of about `sizeMb` MB (60 days of sessions), written first if it is not complete. */
export function claudeCorpusDir(sizeMb: number): string {
  const dir = path.join(path.dirname(ccusageCacheDir()), `claude-corpus-${sizeMb}mb-v1`);
  const marker = path.join(dir, 'complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dir, { recursive: true, force: true });
    const started = Date.now();
    const bytes = writeClaudeCorpus(dir, { targetBytes: sizeMb * MB, days: 60, seed: sizeMb });
    fs.writeFileSync(marker, String(bytes));
    console.log(`  generated ${(bytes / MB).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return dir;
}
