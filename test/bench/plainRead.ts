// The floor a Node program stands on in importClaude.ts: reads every `.jsonl` file under the folder given, parses each
// line holding `"usage"` with JSON.parse and sums its tokens by day, and does nothing else (no ids, no deduplication,
// no ledger, no report). Timed as a whole process beside assay's and ccusage's, it says how much of the gap between
// them is Node itself and how much is the work assay does per record.
// With `two-threads`, a worker thread started first thing reads and parses the files and sends each file's usage
// records (the fields an import keeps) to the main thread, which only sums them: the most a second thread could take
// off a run's thread. On two cores it finishes later than one thread: the worker's start-up and V8's compiling for a
// second isolate take the other core (docs/architecture.md, Performance budgets).
// Usage: node out/test/bench/plainRead.js <folder> [two-threads]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const USAGE = Buffer.from('"usage"');
const NEWLINE = 0x0a;

interface UsageRecord {
  timestamp?: string;
  requestId?: string;
  message?: { id?: string; model?: string; usage?: Record<string, number> };
}

function jsonlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The usage records of one file: each line holding `"usage"`, parsed, with what an import keeps of it. */
function usageRecords(file: string): UsageRecord[] {
  const bytes = fs.readFileSync(file);
  const records: UsageRecord[] = [];
  let start = 0;
  while (start < bytes.length) {
    const marker = bytes.indexOf(USAGE, start);
    if (marker === -1) break;
    const lineStart = bytes.lastIndexOf(NEWLINE, marker) + 1;
    const newline = bytes.indexOf(NEWLINE, marker);
    const end = newline === -1 ? bytes.length : newline;
    const entry = JSON.parse(bytes.toString('utf8', lineStart, end)) as UsageRecord;
    const { id, model, usage } = entry.message ?? {};
    records.push({ timestamp: entry.timestamp, requestId: entry.requestId, message: { id, model, usage } });
    start = end + 1;
  }
  return records;
}

let lines = 0;
const tokensByDay = new Map<string, number>();
function add(records: readonly UsageRecord[]): void {
  for (const { timestamp, message } of records) {
    const usage = message?.usage;
    if (!usage || typeof timestamp !== 'string') continue;
    lines++;
    const day = timestamp.slice(0, 10);
    tokensByDay.set(day, (tokensByDay.get(day) ?? 0) + (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0));
  }
}

if (!isMainThread) {
  for (const file of jsonlFiles(workerData as string)) parentPort?.postMessage(usageRecords(file));
} else if (process.argv[3] === 'two-threads') {
  const worker = new Worker(__filename, { workerData: process.argv[2] });
  worker.on('message', (records: UsageRecord[]) => add(records));
  worker.on('exit', () => console.log(JSON.stringify({ lines, days: tokensByDay.size })));
} else {
  for (const file of jsonlFiles(process.argv[2])) add(usageRecords(file));
  console.log(JSON.stringify({ lines, days: tokensByDay.size }));
}
