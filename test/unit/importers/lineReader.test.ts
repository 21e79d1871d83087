import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCompleteLines, type ReadLinesOptions } from '../../../src/importers/lineReader';
import { tempDir } from './fixtures';

describe('line reader: oversized lines', () => {
  it('skips a line longer than the limit, tells of it, and reads the lines around it', () => {
    const file = path.join(tempDir('oversized'), 'log.jsonl');
    const long = 'x'.repeat(5 * 1024 * 1024);
    const fits = 'y'.repeat(1024 * 1024 + 10);
    fs.writeFileSync(file, `a\n${long}\nb\n${fits}\nc\n`);
    const size = fs.statSync(file).size;
    const lines: string[] = [];
    let oversized = 0;
    const result = readCompleteLines(file, 0, size, (line) => lines.push(line), { maxLineBytes: 2 * 1024 * 1024, onOversized: () => oversized++ });
    assert.deepEqual(lines.map((line) => (line.length > 10 ? `${line[0]}*${line.length}` : line)), ['a', 'b', `y*${fits.length}`, 'c']);
    assert.equal(oversized, 1);
    assert.deepEqual([result.endOffset, result.complete], [size, true]);
  });

  it('an oversized last line still being written is passed over, not read again on every run', () => {
    const file = path.join(tempDir('oversized-tail'), 'log.jsonl');
    fs.writeFileSync(file, `a\n${'x'.repeat(5 * 1024 * 1024)}`);
    const size = fs.statSync(file).size;
    const lines: string[] = [];
    const result = readCompleteLines(file, 0, size, (line) => lines.push(line), { maxLineBytes: 2 * 1024 * 1024 });
    assert.deepEqual(lines, ['a']);
    assert.equal(result.endOffset, size);
  });
});

describe('line reader: markers', () => {
  it('passes exactly the lines that hold one of the markers, wherever it sits, across chunks and line ends', () => {
    const file = path.join(tempDir('markers'), 'log.jsonl');
    const filler = 'f'.repeat(700 * 1024);
    const lines = [
      '{"usage":1}',
      `{"text":"${filler}"}`,
      `{"text":"${filler}","structuredPatch":[]}`,
      '{"a":"usage"}',
      '{"isApiErrorMessage":true}',
      '{"tail":"x"} "usa',
      'ge" at the start of a line is not a marker',
      `{"big":"${filler}${filler}","usage":2}`,
      '{"none":0}',
    ];
    fs.writeFileSync(file, `${lines.join('\r\n')}\n`);
    const size = fs.statSync(file).size;
    const seen: Array<[string, number]> = [];
    const short = (line: string) => (line.length > 40 ? `${line.slice(0, 9)}…${line.length}` : line);
    readCompleteLines(file, 0, size, (line, offset) => seen.push([short(line), offset]), {
      markers: ['"usage"', '"structuredPatch"', '"isApiErrorMessage"'],
    });
    const offsetOf = (index: number) => lines.slice(0, index).reduce((sum, line) => sum + line.length + 2, 0);
    assert.deepEqual(
      seen,
      [0, 2, 3, 4, 7].map((index) => [short(lines[index]), offsetOf(index)]),
    );
  });
});

describe('line reader: pausing', () => {
  it('pauses after a chunk that ended a line, never inside a line it skips, and a read from there goes on with the next line', () => {
    const file = path.join(tempDir('pause'), 'log.jsonl');
    const lines = Array.from({ length: 24 }, (_, i) => String(i).padEnd(200 * 1024, 'x'));
    lines[10] = 'y'.repeat(5 * 1024 * 1024);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const size = fs.statSync(file).size;
    const read = (from: number, into: Array<[string, number]>, options: ReadLinesOptions = {}) =>
      readCompleteLines(file, from, size, (line, at) => into.push([line.slice(0, 2), at]), { maxLineBytes: 2 * 1024 * 1024, ...options });
    const whole: Array<[string, number]> = [];
    read(0, whole);

    // Asked to pause at every chance, so also right after the 5 MB line, which is skipped over several chunks.
    let oversized = 0;
    let reads = 1;
    const inParts: Array<[string, number]> = [];
    for (let from = 0; ; reads++) {
      const result = read(from, inParts, { pause: () => true, onOversized: () => oversized++ });
      if (!result.paused) {
        assert.deepEqual([result.endOffset, result.complete], [size, true]);
        break;
      }
      assert.equal(result.complete, false);
      assert.ok(result.endOffset > from, 'every read goes on past where the last one paused');
      from = result.endOffset;
    }
    assert.deepEqual(inParts, whole);
    assert.equal(oversized, 1);
    assert.ok(reads > 3, `${reads} reads`);
  });
});
