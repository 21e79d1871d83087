import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { hmacKey, newInstallSecret, opaqueId, OPAQUE_ID_LENGTH } from '../../../src/privacy/opaqueId';

describe('opaqueId', () => {
  // Ids already in users' ledgers were made from the secret as a string: a prepared key must give the same ones,
  // or every response imported again would count twice.
  it('gives the same id with the secret prepared once as with the secret string, as docs/privacy.md defines it', () => {
    const secret = newInstallSecret();
    const key = hmacKey(secret);
    for (const value of ['claude-code:msg_01:req_01', 'project:-home-ünïcode-src', '']) {
      const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(value, 'utf8').digest('hex').slice(0, OPAQUE_ID_LENGTH);
      assert.equal(opaqueId(secret, value), expected);
      assert.equal(opaqueId(key, value), expected);
    }
    assert.notEqual(opaqueId(key, 'a'), opaqueId(hmacKey(newInstallSecret()), 'a'));
  });
});
