import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFile, readRegularFileAsync } from '../../../src/files/boundedRead';
import { tempDir } from '../importers/fixtures';

describe('reading another tool\'s file whole, bounded', () => {
  it('reads a file up to the bound, and refuses one byte more however small it was when listed', () => {
    const file = path.join(tempDir('bounded-read'), 'session.json');
    fs.writeFileSync(file, 'x'.repeat(100));
    assert.equal(readRegularFile(file, 100)?.length, 100);
    fs.appendFileSync(file, 'y');
    assert.equal(readRegularFile(file, 100), undefined);
    assert.equal(readRegularFile(file, 100, { head: true })?.toString(), 'x'.repeat(100), 'the first bytes, when asked for a head');
    assert.equal(readRegularFile(file, 1 << 20)?.length, 101);
  });

  it('gives nothing for a FIFO or a folder where a file was, without waiting for a writer', () => {
    const folder = tempDir('bounded-read-special');
    const fifo = path.join(folder, 'projects.json');
    execFileSync('mkfifo', [fifo]);
    assert.equal(readRegularFile(fifo, 1024), undefined);
    assert.equal(readRegularFile(folder, 1024), undefined);
  });

  it('throws for a file that is not there, as a read would', () => {
    assert.throws(() => readRegularFile(path.join(tempDir('bounded-read-missing'), 'gone.json'), 1024), { code: 'ENOENT' });
  });

  it('reads the same without blocking the thread (a price file in the extension host), and refuses alike', async () => {
    const folder = tempDir('bounded-read-async');
    const file = path.join(folder, 'prices.json');
    fs.writeFileSync(file, 'x'.repeat(100_000));
    assert.equal((await readRegularFileAsync(file, 100_000))?.toString(), 'x'.repeat(100_000));
    fs.appendFileSync(file, 'y');
    assert.equal(await readRegularFileAsync(file, 100_000), undefined);
    const fifo = path.join(folder, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    assert.equal(await readRegularFileAsync(fifo, 1024), undefined);
    assert.equal(await readRegularFileAsync(folder, 1024), undefined);
    await assert.rejects(readRegularFileAsync(path.join(folder, 'gone.json'), 1024), { code: 'ENOENT' });
  });
});
