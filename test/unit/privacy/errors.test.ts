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

  it('keeps the message of an error from another bundle, as the team report and OpenTelemetry bundles throw', () => {
    // Those bundles carry their own copy of this module: a second copy loaded here stands for one.
    const modulePath = require.resolve('../../../src/privacy/errors');
    const ownCopy = require.cache[modulePath];
    delete require.cache[modulePath];
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const otherCopy = require(modulePath) as typeof import('../../../src/privacy/errors');
      const thrownThere = new otherCopy.SafeMessageError('a summary file could not be merged (not a summary)');
      assert.ok(!(thrownThere instanceof SafeMessageError));
      assert.equal(describeError(thrownThere), 'a summary file could not be merged (not a summary)');
    } finally {
      require.cache[modulePath] = ownCopy;
    }
  });

  it('gives only the name of any other error', () => {
    assert.equal(describeError(new TypeError('cannot read /home/alice/secret')), 'TypeError');
    assert.equal(describeError('/home/alice/secret'), 'unknown error');
  });
});
