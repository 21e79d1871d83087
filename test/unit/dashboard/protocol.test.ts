import * as assert from 'node:assert/strict';
import {
  parseHostMessage,
  parseWebviewMessage,
  parseWebviewState,
  WEBVIEW_STATE_VERSION,
  type WebviewMessage,
} from '../../../src/dashboard/protocol';
import { buildViewModel } from '../../../src/dashboard/viewModel';
import { inlineRow, input, usageRow } from './fixtures';

describe('dashboard protocol', () => {
  it('round-trips every valid webview message through JSON', () => {
    const messages: WebviewMessage[] = [
      { type: 'ready', state: null },
      {
        type: 'ready',
        state: { version: WEBVIEW_STATE_VERSION, range: { preset: '90d' }, filters: { languageId: 'go', provider: null, source: null }, tables: ['retention'] },
      },
      { type: 'setRange', range: { preset: 'custom', from: '2024-01-01', to: '2024-01-31' } },
      { type: 'setRange', range: { preset: 'custom', from: '2000-01-01', to: '2099-12-31' } },
      { type: 'setRange', range: { preset: 'custom', from: '2024-02-29', to: '2024-02-29' } },
      { type: 'setFilter', filters: { languageId: null, provider: 'copilot', source: 'codex' } },
      { type: 'refresh' },
      { type: 'runAction', action: 'importUsage' },
      { type: 'runAction', action: 'loadPriceFile' },
      { type: 'openFormulaSettings' },
    ];
    for (const message of messages) {
      const parsed = parseWebviewMessage(JSON.parse(JSON.stringify(message)));
      assert.deepEqual(parsed, { ok: true, message });
    }
  });

  it('rejects malformed webview messages with an error that names the field', () => {
    const cases: [unknown, RegExp][] = [
      [null, /message/],
      ['ready', /message/],
      [{ type: 'deleteEverything' }, /type/],
      [{ type: 'setRange', range: { preset: 'fortnight' } }, /range\.preset/],
      [{ type: 'setRange', range: { preset: 'custom', from: '2024-01-01' } }, /custom range needs both/],
      [{ type: 'setRange', range: { preset: 'custom', from: '01/02/2024', to: '2024-01-31' } }, /range\.from: expected a date/],
      [{ type: 'setRange', range: { preset: 'custom', from: '2024-13-01', to: '2024-12-31' } }, /range\.from: expected a real calendar date/],
      [{ type: 'setRange', range: { preset: 'custom', from: '2024-02-01', to: '2024-02-30' } }, /range\.to: expected a real calendar date/],
      [{ type: 'setRange', range: { preset: 'custom', from: '1900-01-01', to: '2026-01-01' } }, /range\.from: expected a date from 2000-01-01 to 2099-12-31/],
      [{ type: 'setRange', range: { preset: 'custom', from: '2024-01-01', to: '9999-12-31' } }, /range\.to: expected a date from 2000-01-01 to 2099-12-31/],
      [{ type: 'setFilter', filters: { languageId: 'x'.repeat(500), provider: null, source: null } }, /filters\.languageId/],
      [{ type: 'runAction', action: 'workbench.action.terminal.new' }, /action/],
    ];
    for (const [raw, expected] of cases) {
      const parsed = parseWebviewMessage(raw);
      assert.equal(parsed.ok, false, JSON.stringify(raw));
      if (!parsed.ok) assert.match(parsed.error, expected, JSON.stringify(raw));
    }
  });

  it('never carries a command id from the page: only the fixed actions pass, and nothing else rides along', () => {
    const forged: unknown[] = [
      { type: 'runAction', action: 'workbench.action.terminal.new' },
      { type: 'runAction', action: 'assay.loadPriceFile' },
      { type: 'runAction', action: 'loadPriceFile ' },
      { type: 'runCommand', command: 'assay.loadPriceFile' },
      { type: 'loadPriceFile', command: 'workbench.action.terminal.new' },
    ];
    for (const raw of forged) assert.equal(parseWebviewMessage(raw).ok, false, JSON.stringify(raw));
    const withExtra = parseWebviewMessage({ type: 'runAction', action: 'loadPriceFile', command: 'workbench.action.terminal.new', args: ['rm'] });
    assert.deepEqual(withExtra, { ok: true, message: { type: 'runAction', action: 'loadPriceFile' } });
  });

  it('round-trips a full data message and rejects a truncated one', () => {
    const model = buildViewModel(input({ inline: [inlineRow('2024-03-10', { aiChars: 3 })], usage: [usageRow('2024-03-10')] }));
    const message = { type: 'data', model };
    assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(message))), { ok: true, message });
    const broken = JSON.parse(JSON.stringify(message));
    delete broken.model.cards;
    const parsed = parseHostMessage(broken);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.error, /model\.cards/);
  });

  it('drops saved state of another version instead of trusting it', () => {
    const saved = { version: WEBVIEW_STATE_VERSION, range: { preset: '7d' }, filters: { languageId: null, provider: null, source: null } };
    assert.deepEqual(parseWebviewState(saved), { ...saved, tables: [] });
    assert.equal(parseWebviewState({ ...saved, version: 0 }), null);
    assert.equal(parseWebviewState(undefined), null);
  });
});
