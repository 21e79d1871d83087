// Benchmark: what agent output costs a cold Claude Code import. A generated corpus (test/crosscheck/corpus.ts) gets
// Edit calls and their results appended to every session, each result carrying the edited file whole
// (`originalFile`, 8 KB), as Claude Code writes it; Edit lines are then a large share of the bytes. Prints the median
// in-process `runImport` time (fresh storage each run) of the plain corpus and of the corpus with edits, the latter
// with agent output on and off (off: a sink that takes usage only; the parser still decodes the edit lines).
// Usage: node out/test/bench/importAgentEdits.js [MB, default 10]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runImport, type UsageEventSink } from '../../src/importers/runImport';
import { LedgerWriter } from '../../src/ledger/writer';
import { createPricer } from '../../src/pricing/pricer';
import { writeClaudeCorpus } from '../crosscheck/corpus';
import { claudeEditResult, claudeToolUse } from '../unit/importers/agentEditFixtures';

const MB = 1024 * 1024;
const RUNS = Math.max(1, Number(process.env.ASSAY_BENCH_RUNS ?? 3));
const EDITS_PER_SESSION = 20;

function sessionFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl') && !entry.parentPath.includes('subagents'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function addEdits(dir: string): number {
  const original = Array.from({ length: 200 }, (_, i) => `  const value${i} = compute(${i}); // line ${i}`).join('\n');
  let edits = 0;
  for (const file of sessionFiles(dir)) {
    const session = { sessionId: path.basename(file, '.jsonl'), cwd: '/home/dev/project', model: 'claude-sonnet-4-5-20250929' };
    const lines: string[] = [];
    for (let i = 0; i < EDITS_PER_SESSION; i++) {
      const id = `toolu_${path.basename(file, '.jsonl')}_${i}`;
      const timestamp = new Date(Date.parse('2026-02-10T10:00:00Z') + i * 1000).toISOString();
      const filePath = `/home/dev/project/src/file${i}.ts`;
      lines.push(claudeToolUse(session, { timestamp, messageId: `msg_${id}`, requestId: `req_${id}`, toolUseId: id, tool: 'Edit', input: { file_path: filePath, old_string: 'a', new_string: 'b' } }));
      lines.push(
        claudeEditResult(session, {
          timestamp,
          toolUseId: id,
          filePath,
          oldString: '  const value3 = compute(3); // line 3',
          newString: '  const value3 = computeBetter(3);\n  check(value3);',
          originalFile: original,
          hunks: [{ oldStart: 3, oldLines: 3, newStart: 3, newLines: 4, lines: ['   const value2 = compute(2); // line 2', '-  const value3 = compute(3); // line 3', '+  const value3 = computeBetter(3);', '+  check(value3);', '   const value4 = compute(4); // line 4'] }],
        }),
      );
      edits++;
    }
    fs.appendFileSync(file, `${lines.join('\n')}\n`);
  }
  return edits;
}

function usageOnly(writer: LedgerWriter): UsageEventSink {
  return { append: (event) => writer.append(event), flush: () => writer.flush() };
}

async function timeImport(dir: string, agentOutput: boolean): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-edits-'));
    const writer = new LedgerWriter({ storageDir });
    const started = process.hrtime.bigint();
    await runImport({ storageDir, secret: 'bench', pricer: createPricer(), env: { CLAUDE_CONFIG_DIR: dir }, homeDir: storageDir, sink: agentOutput ? writer : usageOnly(writer) });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    await writer.dispose();
    fs.rmSync(storageDir, { recursive: true, force: true });
  }
  return times.sort((a, b) => a - b)[times.length >> 1];
}

async function main(): Promise<void> {
  const sizeMb = Number(process.argv[2] ?? 10);
  const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-plain-'));
  const withEdits = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-with-edits-'));
  writeClaudeCorpus(plain, { targetBytes: sizeMb * MB, days: 30, seed: sizeMb });
  writeClaudeCorpus(withEdits, { targetBytes: sizeMb * MB, days: 30, seed: sizeMb });
  const before = sessionFiles(withEdits).reduce((sum, file) => sum + fs.statSync(file).size, 0);
  const edits = addEdits(withEdits);
  const after = sessionFiles(withEdits).reduce((sum, file) => sum + fs.statSync(file).size, 0);
  console.log(`cores: ${os.cpus().length}, node ${process.version}, median of ${RUNS} runs`);
  console.log(`corpus ${(before / MB).toFixed(0)} MB; with ${edits} edits ${(after / MB).toFixed(0)} MB (edit lines ${(((after - before) / after) * 100).toFixed(0)}% of bytes)`);
  console.log(`  plain corpus, agent output on:      ${(await timeImport(plain, true)).toFixed(0)} ms`);
  console.log(`  corpus with edits, agent output off: ${(await timeImport(withEdits, false)).toFixed(0)} ms`);
  console.log(`  corpus with edits, agent output on:  ${(await timeImport(withEdits, true)).toFixed(0)} ms`);
  fs.rmSync(plain, { recursive: true, force: true });
  fs.rmSync(withEdits, { recursive: true, force: true });
}

void main();
