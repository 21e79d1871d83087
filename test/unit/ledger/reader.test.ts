import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { readLedger } from '../../../src/ledger/reader';
import { LedgerWriter } from '../../../src/ledger/writer';
import { segmentsDir } from '../../../src/ledger/segments';
import { accept, activity, eventLines, segmentFiles, tempStorage, usage, writeSegment } from './ledgerFixtures';

describe('readLedger', () => {
  let storageDir: string;
  beforeEach(async () => {
    storageDir = await tempStorage();
  });

  it('reads nothing, without error, when there is no ledger yet', async () => {
    assert.deepEqual(await readLedger(storageDir), { events: [], invalidLines: 0, tornLines: 0, segments: 0, unreadableSegments: 0 });
  });

  it('merges every segment in ledger order', async () => {
    const day1 = [accept(), activity()];
    const day2a = [accept()];
    const day2b = [usage(), accept()];
    await writeSegment(storageDir, '2024-05-02_200_bbbbbbbb.jsonl', eventLines(day2b));
    await writeSegment(storageDir, '2024-05-01_100_aaaaaaaa.jsonl', eventLines(day1));
    await writeSegment(storageDir, '2024-05-02_100_aaaaaaaa.jsonl', eventLines(day2a));
    await writeSegment(storageDir, 'notes.txt', 'not a segment');
    const read = await readLedger(storageDir);
    assert.deepEqual(read.events, [...day1, ...day2a, ...day2b]);
    assert.equal(read.segments, 3);
  });

  it('skips an unterminated last line and keeps reading the next segment', async () => {
    const kept = [accept(), accept()];
    const torn = JSON.stringify(accept()).slice(0, 30);
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines(kept) + torn);
    const later = [accept()];
    await writeSegment(storageDir, '2024-05-01_2_aaaaaaaa.jsonl', eventLines(later));
    const read = await readLedger(storageDir);
    assert.deepEqual(read.events, [...kept, ...later]);
    assert.equal(read.tornLines, 1);
    assert.equal(read.invalidLines, 0);
  });

  it('skips an unparsable line at the end of a file, even newline-terminated', async () => {
    const kept = [accept()];
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', `${eventLines(kept)}{"v":1,"t":17\n`);
    const read = await readLedger(storageDir);
    assert.deepEqual(read.events, kept);
    assert.equal(read.tornLines, 1);
  });

  it('counts lines that fail validation, and reads on past them', async () => {
    const kept = [accept(), activity()];
    const content =
      eventLines([kept[0]]) +
      `${JSON.stringify({ ...accept(), v: 2 })}\n` +
      `${JSON.stringify({ ...accept(), kind: 'mystery' })}\n` +
      `${JSON.stringify({ ...activity(), typedChars: 'many' })}\n` +
      '\n' +
      eventLines([kept[1]]);
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', content);
    const read = await readLedger(storageDir);
    assert.deepEqual(read.events, kept);
    assert.equal(read.invalidLines, 3);
    assert.equal(read.tornLines, 0);
  });

  it('reads empty segment files as empty', async () => {
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', '');
    const kept = [accept()];
    await writeSegment(storageDir, '2024-05-01_2_aaaaaaaa.jsonl', eventLines(kept));
    assert.deepEqual(await readLedger(storageDir), { events: kept, invalidLines: 0, tornLines: 0, segments: 2, unreadableSegments: 0 });
  });

  it('reads a segment larger than one read chunk, with lines and multi-byte characters across chunk ends', async () => {
    // 1 MiB chunks: put a line boundary and UTF-8 sequences across the first chunk's end.
    const events = Array.from({ length: 20_000 }, () => accept({ workspace: 'é'.repeat(16) }));
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines(events));
    const read = await readLedger(storageDir);
    assert.equal(read.events.length, events.length);
    assert.equal(read.invalidLines + read.tornLines, 0);
  });

  it('counts a usage event once per id: the later one replaces the earlier', async () => {
    const first = usage({ id: 'gemini-record-1', outputTokens: 10 });
    const rewritten = { ...first, outputTokens: 80 };
    const other = usage();
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([first, other]));
    await writeSegment(storageDir, '2024-05-02_1_aaaaaaaa.jsonl', eventLines([rewritten]));
    const read = await readLedger(storageDir);
    assert.deepEqual(read.events, [rewritten, other]);
  });

  it('lets a writer created later win for a re-emitted usage id, even when its process id sorts first', async () => {
    const first = usage({ id: 'claude-response-1', outputTokens: 10 });
    const reimported = { ...first, outputTokens: 80 };
    const sameDay = Date.UTC(2024, 4, 1, 9);
    const earlyWriter = new LedgerWriter({ storageDir, now: () => sameDay });
    earlyWriter.append(first);
    await earlyWriter.dispose();
    const laterWriter = new LedgerWriter({ storageDir, now: () => sameDay + 60_000 });
    laterWriter.append(reimported);
    await laterWriter.dispose();
    const read = await readLedger(storageDir);
    assert.deepEqual(read.events, [reimported]);
  });

  it('merges the events of two processes writing at the same time, none lost or mixed', async function () {
    this.timeout(30_000);
    const child = path.join(__dirname, 'concurrentWriterChild.js');
    const count = 2_000;
    const run = promisify(execFile);
    await Promise.all([
      run(process.execPath, [child, storageDir, String(count), 'a']),
      run(process.execPath, [child, storageDir, String(count), 'b']),
    ]);
    const files = await segmentFiles(storageDir);
    assert.equal(files.length, 2, 'one segment per process');
    const read = await readLedger(storageDir);
    assert.equal(read.invalidLines + read.tornLines, 0);
    for (const tag of ['a', 'b']) {
      const ids = read.events.filter((event) => event.kind === 'accept' && event.id.startsWith(tag)).map((event) => event.kind === 'accept' && event.id);
      assert.equal(ids.length, count);
      assert.equal(new Set(ids).size, count);
    }
    for (const file of files) {
      const tags = new Set(
        readFileSync(path.join(segmentsDir(storageDir), file), 'utf8')
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as { id: string }).id[0]),
      );
      assert.equal(tags.size, 1, 'each file holds one process\'s events');
    }
  });
});
