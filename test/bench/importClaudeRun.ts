// Child process of importClaude.ts: one cold import and five repeat imports of a Claude Code corpus into
// a fresh storage folder, through the real ledger writer. Prints one JSON line of figures.
// With `repeat`, only one repeat import into a storage folder a cold import filled, in this fresh process (as
// `assay report` with nothing new, or a new import worker, meets it): prints {"repeatMs": …}.
// Usage: node out/test/bench/importClaudeRun.js <claude config dir> <storage dir> [repeat]
import { LedgerWriter } from '../../src/ledger/writer';
import { runImport, type RunImportOptions } from '../../src/importers/runImport';
import { createPricer } from '../../src/pricing/pricer';

/** Repeat imports after the cold one, in the same process. */
const REPEATS = 5;

async function main(): Promise<void> {
  const [configDir, storageDir, mode] = process.argv.slice(2);
  const pricer = createPricer();
  const writer = new LedgerWriter({ storageDir });
  const options: RunImportOptions = {
    storageDir,
    secret: 'bench',
    pricer,
    env: { CLAUDE_CONFIG_DIR: configDir },
    homeDir: storageDir,
    sink: writer,
  };
  if (mode === 'repeat') {
    const started = process.hrtime.bigint();
    await runImport(options);
    const repeatMs = Number(process.hrtime.bigint() - started) / 1e6;
    await writer.dispose();
    process.stdout.write(`${JSON.stringify({ repeatMs })}\n`);
    return;
  }
  const coldStart = process.hrtime.bigint();
  const cold = await runImport(options);
  const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;
  const coldRssKb = process.resourceUsage().maxRSS;
  // The first repeat right after the cold import, then more, as a long-lived import thread meets them.
  const repeatsMs: number[] = [];
  let repeat = cold;
  for (let run = 0; run < REPEATS; run++) {
    const repeatStart = process.hrtime.bigint();
    repeat = await runImport(options);
    repeatsMs.push(Number(process.hrtime.bigint() - repeatStart) / 1e6);
  }
  await writer.dispose();
  const sorted = [...repeatsMs].sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({
      coldMs,
      coldEvents: cold.events,
      coldBytes: cold.bytesRead,
      coldRssKb,
      repeatMs: repeatsMs[0],
      repeatsMedianMs: sorted[sorted.length >> 1],
      repeatEvents: repeat.events,
      repeatBytes: repeat.bytesRead,
    })}\n`,
  );
}

void main();
