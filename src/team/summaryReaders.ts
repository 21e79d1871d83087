// Reading a folder's summary files in worker threads (./summaryReaderWorker.ts, bundled to
// dist/summaryReaderWorker.js). JSON.parse and validation are most of a merge's work: in threads they
// run side by side, and off the editor's extension host when Open Team Report merges. A thread reads
// a file with bounded reads, validates it whole (./merge.ts, parseSummaryFile) and sends back its
// rows packed in one transferred buffer (./packedRows.ts); the calling thread adds them in the
// order it asks for them, so the report does not depend on the number of threads.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as z from 'zod';
import { openRegularFile } from '../files/boundedRead';
import { SafeMessageError } from '../privacy/errors';
import { MAX_SUMMARY_FILE_BYTES, MAX_SUMMARY_LINE_CHARS, parseSummaryFile, parseSummaryHeader } from './merge';
import type { ParsedSummaryFile } from './merge';
import { ExportLine } from './summarySchema';

/** What the first look at a folder entry found: its export line, why it is skipped, or that it is no file. */
export type SummaryHeader = { kind: 'header'; header: ExportLine } | { kind: 'skipped'; reason: string } | { kind: 'not a file' };

/** Enough bytes for the longest first line a merge accepts, in any UTF-8. */
const FIRST_READ_BYTES = MAX_SUMMARY_LINE_CHARS * 4 + 1;
/** A first line is nearly always shorter than this: one small read, then more only if needed. */
const FIRST_LINE_GUESS_BYTES = 4096;

export function readSummaryHeader(file: string): SummaryHeader {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return { kind: 'skipped', reason: 'could not be read' };
  }
  if (!stat.isFile()) return { kind: 'not a file' };
  let size: number;
  let firstLine: string | null;
  try {
    // The entry may have been replaced since the stat (a FIFO would block a plain open for good): what is read is
    // the regular file that was opened.
    const fd = openRegularFile(file);
    try {
      size = fs.fstatSync(fd).size;
      if (size > MAX_SUMMARY_FILE_BYTES) return { kind: 'skipped', reason: `larger than ${MAX_SUMMARY_FILE_BYTES / 1024 / 1024} MB` };
      firstLine = readFirstLine(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return { kind: 'skipped', reason: 'could not be read' };
  }
  const header =
    firstLine !== null
      ? parseSummaryHeader(firstLine)
      : size < FIRST_READ_BYTES
        ? 'truncated (the last line is not complete)'
        : `line 1: longer than ${MAX_SUMMARY_LINE_CHARS} characters`;
  return typeof header === 'string' ? { kind: 'skipped', reason: header } : { kind: 'header', header };
}

/** The first line without its newline, or null when the first FIRST_READ_BYTES have no newline. */
function readFirstLine(fd: number): string | null {
  let buffer: Buffer = Buffer.allocUnsafe(FIRST_LINE_GUESS_BYTES);
  let length = 0;
  for (;;) {
    const read = fs.readSync(fd, buffer, length, buffer.length - length, length);
    const end = buffer.subarray(length, length + read).indexOf(0x0a);
    if (end >= 0) return buffer.toString('utf8', 0, length + end);
    length += read;
    if (read === 0 || length === FIRST_READ_BYTES) return null;
    if (length === buffer.length) buffer = grow(buffer, length, FIRST_READ_BYTES);
  }
}

/**
 * A whole summary file, validated; at most MAX_SUMMARY_FILE_BYTES are read, however large it has grown. The file seen
 * by readSummaryHeader may have been replaced since, by a FIFO among others, which is skipped rather than waited on.
 */
export function readSummaryFile(file: string): ParsedSummaryFile {
  let fd: number;
  try {
    fd = openRegularFile(file);
  } catch {
    return { ok: false, reason: 'could not be read' };
  }
  let text: string;
  try {
    const limit = MAX_SUMMARY_FILE_BYTES + 1;
    let buffer: Buffer = Buffer.allocUnsafe(Math.min(fs.fstatSync(fd).size + 1, limit));
    let length = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, length, buffer.length - length, length);
      length += read;
      if (read === 0 || length === limit) break;
      if (length === buffer.length) buffer = grow(buffer, length, limit);
    }
    if (length > MAX_SUMMARY_FILE_BYTES) return { ok: false, reason: 'grew past the size limit while read' };
    text = buffer.toString('utf8', 0, length);
  } catch {
    return { ok: false, reason: 'could not be read' };
  } finally {
    fs.closeSync(fd);
  }
  return parseSummaryFile(text);
}

function grow(buffer: Buffer, length: number, limit: number): Buffer {
  const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit));
  buffer.copy(grown, 0, 0, length);
  return grown;
}

/** Far above any reason a file is skipped for (the merge writes them; field names in them are bounded). */
const MAX_REASON_CHARS = 1000;
/** Files whose headers one message asks for. */
const HEADER_BATCH = 64;

export const ReaderRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('headers'), id: z.number(), files: z.array(z.string()).max(HEADER_BATCH) }),
  z.object({ type: z.literal('file'), id: z.number(), file: z.string() }),
]);
export type ReaderRequest = z.infer<typeof ReaderRequest>;

const SummaryHeaderMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('header'), header: ExportLine }),
  z.object({ kind: z.literal('skipped'), reason: z.string().max(MAX_REASON_CHARS) }),
  z.object({ kind: z.literal('not a file') }),
]);

const ParsedSummaryFileMessage = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    header: ExportLine,
    rows: z.object({ strings: z.array(z.string().max(128)), values: z.instanceof(Float64Array), rows: z.number().int().nonnegative() }),
  }),
  z.object({ ok: z.literal(false), reason: z.string().max(MAX_REASON_CHARS) }),
]);

export const ReaderReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('headers'), id: z.number(), headers: z.array(SummaryHeaderMessage) }),
  z.object({ type: z.literal('file'), id: z.number(), parsed: ParsedSummaryFileMessage }),
  z.object({ type: z.literal('failed'), id: z.number(), message: z.string() }),
]);
export type ReaderReply = z.infer<typeof ReaderReply>;

/** Two threads at most: a merge is one of several things a developer's machine runs. */
const MAX_THREADS = 2;
/** Requests queued in each thread, so it never waits for the next one. */
const REQUESTS_PER_THREAD = 2;

interface Pending {
  request: ReaderRequest;
  resolve(reply: ReaderReply): void;
  reject(error: Error): void;
}

/** Worker threads that read summary files, first come first served unless a read is urgent. */
export class SummaryReaders {
  private readonly threads: Array<{ worker: Worker; busy: number }> = [];
  private readonly queue: Pending[] = [];
  private readonly sent = new Map<number, Pending & { thread: { busy: number } }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(threads = Math.min(MAX_THREADS, os.availableParallelism()), script = path.join(__dirname, 'summaryReaderWorker.js')) {
    for (let i = 0; i < Math.max(1, threads); i++) {
      const thread = { worker: new Worker(script), busy: 0 };
      thread.worker.on('message', (raw) => this.receive(thread, raw));
      thread.worker.on('error', () => this.fail(new SafeMessageError('a summary reader thread failed')));
      thread.worker.on('exit', () => this.fail(new SafeMessageError('a summary reader thread stopped early')));
      this.threads.push(thread);
    }
  }

  /** The first look at each file, in the order given. */
  async headers(files: readonly string[]): Promise<SummaryHeader[]> {
    const batches: Array<Promise<ReaderReply>> = [];
    for (let start = 0; start < files.length; start += HEADER_BATCH) {
      batches.push(this.ask({ type: 'headers', id: this.nextId++, files: files.slice(start, start + HEADER_BATCH) }, false));
    }
    const headers: SummaryHeader[] = [];
    for (const reply of await Promise.all(batches)) if (reply.type === 'headers') headers.push(...reply.headers);
    return headers;
  }

  /** One file read and validated; `urgent` puts it ahead of reads queued before it. */
  async file(file: string, urgent = false): Promise<ParsedSummaryFile> {
    const reply = await this.ask({ type: 'file', id: this.nextId++, file }, urgent);
    if (reply.type !== 'file') throw new SafeMessageError('a summary reader thread sent a malformed message');
    return reply.parsed;
  }

  async close(): Promise<void> {
    this.fail(new SafeMessageError('the summary readers were closed'));
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }

  private ask(request: ReaderRequest, urgent: boolean): Promise<ReaderReply> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const pending = { request, resolve, reject };
      if (urgent) this.queue.unshift(pending);
      else this.queue.push(pending);
      this.pump();
    });
  }

  private pump(): void {
    for (const thread of this.threads) {
      while (thread.busy < REQUESTS_PER_THREAD && this.queue.length > 0) {
        const pending = this.queue.shift() as Pending;
        thread.busy++;
        this.sent.set(pending.request.id, { ...pending, thread });
        thread.worker.postMessage(pending.request);
      }
    }
  }

  private receive(thread: { busy: number }, raw: unknown): void {
    const parsed = ReaderReply.safeParse(raw);
    if (!parsed.success) return this.fail(new SafeMessageError('a summary reader thread sent a malformed message'));
    const reply = parsed.data;
    const pending = this.sent.get(reply.id);
    if (!pending) return;
    this.sent.delete(reply.id);
    thread.busy--;
    if (reply.type === 'failed') pending.reject(new SafeMessageError(`a summary file could not be merged (${reply.message})`));
    else pending.resolve(reply);
    this.pump();
  }

  /** Everything asked and not yet answered fails with `error`, and so does everything asked later. */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of [...this.queue, ...this.sent.values()]) pending.reject(this.failure);
    this.queue.length = 0;
    this.sent.clear();
  }
}
