import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeError, SafeMessageError } from '../../../src/privacy/errors';

describe('describeError', () => {
  it('gives the code of a file-system error, never the path its message quotes', async () => {
    const missing = path.join(os.tmpdir(), 'alice-private-project-q3', 'ledger.jsonl');
    const error = await fs.readFile(missing).catch((caught: unknown) => caught);
    assert.match(String((error as Error).message), /alice-private-project-q3/);
    assert.equal(describeError(error), 'ENOENT');
  });

  it('keeps the message of an error Assay wrote itself', () => {
    assert.equal(describeError(new SafeMessageError('the ledger folder could not be written')), 'the ledger folder could not be written');
  });

  it('gives only the name of any other error', () => {
    assert.equal(describeError(new TypeError('cannot read /home/alice/secret')), 'TypeError');
    assert.equal(describeError('/home/alice/secret'), 'unknown error');
  });
});
