// Messages from the dashboard's webview cross a trust boundary (its page could be made to post
// anything): the host's parser refuses every malformed one without a throw or prototype pollution.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { parseWebviewMessage, parseWebviewState, WebviewAction, type WebviewMessage } from '../../../src/dashboard/protocol';
import { assertNoPollution, corpus, hostileJson, mutated, RUN } from './hostile';

const VALID: WebviewMessage[] = [
  { type: 'ready', state: null },
  { type: 'setRange', range: { preset: '7d' } },
  { type: 'setFilter', filters: { languageId: 'typescript', provider: null, source: null } },
  { type: 'refresh' },
  { type: 'runAction', action: 'importUsage' },
  { type: 'openFormulaSettings' },
];
const ACTIONS = new Set<string>(WebviewAction.options);

function checkParsed(raw: unknown): void {
  const result = parseWebviewMessage(raw);
  if (result.ok) {
    // What the host acts on is one of the fixed message kinds, and an action is one of the fixed actions.
    assert.ok(VALID.some((message) => message.type === result.message.type));
    if (result.message.type === 'runAction') assert.ok(ACTIONS.has(result.message.action));
  } else {
    assert.ok(result.error.length < 2_000);
  }
  parseWebviewState(raw);
  assertNoPollution();
}

describe('fuzz: webview messages', function () {
  this.timeout(20_000);
  afterEach(assertNoPollution);

  it('the hand-made corpus is refused without a throw', () => {
    for (const text of corpus('webview.txt')) {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        raw = text;
      }
      checkParsed(raw);
    }
    assert.equal(parseWebviewMessage(JSON.parse('{"type":"__proto__"}')).ok, false);
    assert.equal(parseWebviewMessage(JSON.parse('{"type":"runAction","action":"constructor"}')).ok, false);
  });

  it('hostile messages never throw or pollute, and nothing outside the protocol is accepted', () => {
    const message = fc.oneof(fc.constantFrom(...VALID).chain(mutated), hostileJson);
    fc.assert(fc.property(message, checkParsed), RUN);
  });

  it('a 50 MB field and a deeply nested message are refused', () => {
    const huge = { type: 'setFilter', filters: { languageId: 'x'.repeat(50 * 1024 * 1024), provider: null, source: null } };
    checkParsed(huge);
    assert.equal(parseWebviewMessage(huge).ok, false);
    let nested: unknown = 'refresh';
    for (let depth = 0; depth < 10_000; depth++) nested = { type: nested };
    assert.equal(parseWebviewMessage(nested).ok, false);
  });
});
