// The floor a Node program stands on in importClaude.ts: reads every `.jsonl` file under the folder given, parses each
// line holding `"usage"` with JSON.parse and sums its tokens by day, and does nothing else (no ids, no deduplication,
// no ledger, no report). Timed as a whole process beside assay's and ccusage's, it says how much of the gap between
// them is Node itself and how much is the work assay does per record.
// Usage: node out/test/bench/plainRead.js <folder>
import * as fs from 'node:fs';
import * as path from 'node:path';

const USAGE = Buffer.from('"usage"');
const NEWLINE = 0x0a;

function jsonlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

let lines = 0;
const tokensByDay = new Map<string, number>();
for (const file of jsonlFiles(process.argv[2])) {
  const bytes = fs.readFileSync(file);
  let start = 0;
  while (start < bytes.length) {
    const marker = bytes.indexOf(USAGE, start);
    if (marker === -1) break;
    const lineStart = bytes.lastIndexOf(NEWLINE, marker) + 1;
    const newline = bytes.indexOf(NEWLINE, marker);
    const end = newline === -1 ? bytes.length : newline;
    const entry = JSON.parse(bytes.toString('utf8', lineStart, end)) as { timestamp?: string; message?: { usage?: Record<string, number> } };
    const usage = entry.message?.usage;
    if (usage && typeof entry.timestamp === 'string') {
      lines++;
      const day = entry.timestamp.slice(0, 10);
      tokensByDay.set(day, (tokensByDay.get(day) ?? 0) + (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0));
    }
    start = end + 1;
  }
}
console.log(JSON.stringify({ lines, days: tokensByDay.size }));
