// Child process of importClaude.ts: one cold import and five repeat imports of a Claude Code corpus into
// a fresh storage folder, through the real ledger writer. Prints one JSON line of figures.
// With `repeat`, only one repeat import into a storage folder a cold import filled, in this fresh process (as
// `assay report` with nothing new, or a new import worker, meets it): prints {"repeatMs": …}.
// With `new`, one import in this fresh process of a log of a few new responses beside the corpus, into a storage folder
// a cold import filled (as `assay report` after a day's work meets it: the source's emitted index, which holds every
// record ever written, is loaded and saved): prints {"newMs": …, "newEvents": …}. The log is written in the storage folder.
// Usage: node out/test/bench/importClaudeRun.js <claude config dir> <storage dir> [repeat | new]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LedgerWriter } from '../../src/ledger/writer';
import { runImport, type RunImportOptions } from '../../src/importers/runImport';
import { createPricer } from '../../src/pricing/pricer';
import { claudeAssistantLine } from '../unit/importers/fixtures';

/** Repeat imports after the cold one, in the same process. */
const REPEATS = 5;
/** Responses in the `new` log. */
const NEW_RESPONSES = 5;

/** A Claude Code config folder in `storageDir` with one session of NEW_RESPONSES responses, made just now. */
function writeNewLog(storageDir: string): string {
  const configDir = path.join(storageDir, 'new-claude');
  const session = path.join(configDir, 'projects', '-home-dev-new', 'new-session.jsonl');
  fs.mkdirSync(path.dirname(session), { recursive: true });
  const now = Date.now();
  const lines = Array.from({ length: NEW_RESPONSES }, (_, i) =>
    claudeAssistantLine({ timestamp: new Date(now - (NEW_RESPONSES - i) * 1000).toISOString(), messageId: `msg_new_${i}`, requestId: `req_new_${i}`, usage: { input: 10, output: 100, cacheRead: 5000 } }),
  );
  fs.writeFileSync(session, `${lines.join('\n')}\n`);
  return configDir;
}

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
  if (mode === 'new') {
    const newConfigDir = writeNewLog(storageDir);
    const started = process.hrtime.bigint();
    const summary = await runImport({ ...options, env: { CLAUDE_CONFIG_DIR: `${configDir},${newConfigDir}` } });
    const newMs = Number(process.hrtime.bigint() - started) / 1e6;
    await writer.dispose();
    process.stdout.write(`${JSON.stringify({ newMs, newEvents: summary.events })}\n`);
    return;
  }
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
