// Reads what Copilot Chat appended to its session operation logs since the last look, for the capture engine's
// agent edit matching (./agentEditMatch.ts). Plain Node: the glue decides when to look.
//
// Offsets live in memory only, keyed by file name: logs that exist when watching starts are read from their
// current end (what they held before concerns edits already counted), unless the folder itself is new; a new
// log, or one that shrank or was replaced (VS Code compacts a log by rewriting it as one line,
// objectMutationLog.ts), is read from its start.
// Only complete lines are returned. Bounds per look: MAX_LOGS logs, newest first, and MAX_READ_BYTES in all; a log
// whose new bytes do not fit in what is left is skipped to its end (its edits stay unmatched and count as before).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const MAX_READ_BYTES = 32 * 1024 * 1024;
/** VS Code keeps at most 400 sessions (chatSessionStore.ts, maxPersistedSessions). */
const MAX_LOGS = 400;
const LOG_SUFFIX = '.jsonl';
const NEWLINE = 0x0a;

interface Seen {
  ino: number;
  offset: number;
}

export class ChatSessionTail {
  private seen: Map<string, Seen> | undefined;
  /** Where every log ended at the last `passIdle`. */
  private idleEnds: Map<string, Seen> | undefined;

  constructor(readonly folder: string) {}

  /**
   * Notes where every log ends now, or with `fromStart` that every log is new (the folder appeared while
   * watching); false when the folder does not exist.
   */
  async start(fromStart = false): Promise<boolean> {
    const logs = await this.listLogs();
    if (logs === undefined) return false;
    this.seen = new Map(fromStart ? [] : logs.map((log) => [log.name, { ino: log.ino, offset: log.size }]));
    return true;
  }

  get started(): boolean {
    return this.seen !== undefined;
  }

  /** Complete lines appended since the last call, one string per log that grew. */
  async readNew(): Promise<string[]> {
    const seen = this.seen;
    if (seen === undefined) return [];
    const logs = await this.listLogs();
    if (logs === undefined) return [];
    const chunks: string[] = [];
    let budget = MAX_READ_BYTES;
    for (const log of logs) {
      const before = seen.get(log.name);
      let offset = before !== undefined && before.ino === log.ino && before.offset <= log.size ? before.offset : 0;
      if (log.size - offset > budget) offset = log.size;
      if (log.size > offset) {
        budget -= log.size - offset;
        const read = await readCompleteLines(path.join(this.folder, log.name), offset, log.size);
        if (read.text.length > 0) chunks.push(read.text);
        offset += read.bytes;
      }
      seen.set(log.name, { ino: log.ino, offset });
    }
    const present = new Set(logs.map((log) => log.name));
    for (const name of seen.keys()) if (!present.has(name)) seen.delete(name);
    return chunks;
  }

  /**
   * For a look while no change waits for a log: passes over what the logs held at the previous such look (an edit
   * logged then belongs to a change already counted, and would otherwise be matched with a change made hours later),
   * and notes where they end now. Lines newer than the previous look stay to be read, in case a change they name is
   * just arriving.
   */
  async passIdle(): Promise<void> {
    const seen = this.seen;
    if (seen === undefined) return;
    const logs = await this.listLogs();
    if (logs === undefined) return;
    for (const log of logs) {
      const idleEnd = this.idleEnds?.get(log.name);
      if (idleEnd === undefined || idleEnd.ino !== log.ino || idleEnd.offset > log.size) continue;
      const before = seen.get(log.name);
      if (before === undefined || before.ino !== log.ino || before.offset < idleEnd.offset) seen.set(log.name, idleEnd);
    }
    this.idleEnds = new Map(logs.map((log) => [log.name, { ino: log.ino, offset: log.size }]));
  }

  private async listLogs(): Promise<Array<{ name: string; ino: number; size: number }> | undefined> {
    let names: string[];
    try {
      names = (await fs.readdir(this.folder)).filter((name) => name.endsWith(LOG_SUFFIX));
    } catch {
      return undefined;
    }
    const logs: Array<{ name: string; ino: number; size: number; mtimeMs: number }> = [];
    for (const name of names) {
      try {
        const stat = await fs.lstat(path.join(this.folder, name));
        if (stat.isFile()) logs.push({ name, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs });
      } catch {
        // Deleted between the listing and the stat.
      }
    }
    return logs.sort((a, b) => b.mtimeMs - a.mtimeMs).slice(0, MAX_LOGS);
  }
}

/** The bytes [start, end) of a file up to their last newline, as text, and how many bytes that is. */
async function readCompleteLines(file: string, start: number, end: number): Promise<{ text: string; bytes: number }> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const buffer = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    const last = buffer.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (last < 0) return { text: '', bytes: 0 };
    return { text: buffer.toString('utf8', 0, last + 1), bytes: last + 1 };
  } catch {
    return { text: '', bytes: 0 };
  } finally {
    await handle?.close();
  }
}
