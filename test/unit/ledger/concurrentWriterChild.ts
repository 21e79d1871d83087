// Child process for the two-writers test: appends `count` accept events tagged by `tag`
// through its own LedgerWriter, flushing often so the two processes' writes overlap in time.
import { LedgerWriter } from '../../../src/ledger/writer';

async function main(): Promise<void> {
  const [storageDir, countText, tag] = process.argv.slice(2);
  const count = Number(countText);
  const writer = new LedgerWriter({ storageDir, flushIntervalMs: 1 });
  for (let i = 0; i < count; i++) {
    writer.append({
      v: 1,
      t: Date.now(),
      kind: 'accept',
      id: `${tag}${i.toString(16).padStart(15, '0')}`,
      mode: 'full',
      chars: i,
      lines: 1,
      languageId: 'python',
      provider: 'copilot',
      workspace: 'ws',
    });
    if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await writer.dispose();
}

void main();
