// Child process of importClaude.ts: one cold import and one repeat import of a Claude Code corpus into
// a fresh storage folder, through the real ledger writer. Prints one JSON line of figures.
// Usage: node out/test/bench/importClaudeRun.js <claude config dir> <storage dir>
import { LedgerWriter } from '../../src/ledger/writer';
import { runImport, type RunImportOptions } from '../../src/importers/runImport';
import { createPricer } from '../../src/pricing/pricer';

async function main(): Promise<void> {
  const [configDir, storageDir] = process.argv.slice(2);
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
  const coldStart = process.hrtime.bigint();
  const cold = await runImport(options);
  const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;
  const coldRssKb = process.resourceUsage().maxRSS;
  const repeatStart = process.hrtime.bigint();
  const repeat = await runImport(options);
  const repeatMs = Number(process.hrtime.bigint() - repeatStart) / 1e6;
  await writer.dispose();
  process.stdout.write(
    `${JSON.stringify({ coldMs, coldEvents: cold.events, coldBytes: cold.bytesRead, coldRssKb, repeatMs, repeatEvents: repeat.events, repeatBytes: repeat.bytesRead })}\n`,
  );
}

void main();
