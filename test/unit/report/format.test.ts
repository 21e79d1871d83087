import * as assert from 'node:assert/strict';
import { buildViewModel } from '../../../src/dashboard/viewModel';
import { Formatter } from '../../../src/report/format';
import { inlineRow, input } from '../dashboard/fixtures';

describe('dashboard number formatting', () => {
  it('formats a card figure and its detail line in the same locale, the one the view model names', () => {
    const model = buildViewModel(input({ locale: 'de-DE', inline: [inlineRow('2024-03-10', { aiChars: 12_345, typedChars: 2_000 })] }));
    assert.equal(model.locale, 'de-DE');
    const share = model.cards.find((card) => card.id === 'ai-share');
    assert.ok(share);
    const format = new Formatter(model.locale);
    assert.equal(format.text(share.detail), '12.345 AI, 2.000 typed (inline suggestions only)');
    assert.equal(format.value(share.value, share.format), '86,1\u00a0%', 'German puts a no-break space before the percent sign');
    assert.equal(new Formatter('en-US').text(share.detail), '12,345 AI, 2,000 typed (inline suggestions only)');
  });

  it('falls back to en-US for a locale the platform does not know, instead of failing to draw', () => {
    assert.equal(new Formatter('not a locale!').locale, 'en-US');
    assert.equal(new Formatter('xx-invalid-').value(1234, 'count'), '1,234');
  });

  it('shows a missing figure as a dash and ratios with a multiplication sign', () => {
    const format = new Formatter('en-US');
    assert.equal(format.text(['ROI ', { value: 3.25, format: 'multiple' }, ', cost ', { value: null, format: 'usd' }]), 'ROI 3.3×, cost —');
  });

  it('reads date and month labels as dates, and shows a label shaped like a date that is none as it is, instead of failing to draw', () => {
    const format = new Formatter('en-US');
    assert.equal(format.category('2024-03-10'), 'Mar 10');
    assert.equal(format.category('2024-03'), 'Mar 2024');
    assert.equal(format.category('2024-13-45'), '2024-13-45');
    assert.equal(format.category('2024-02-30'), '2024-02-30', 'not March 1');
    assert.equal(format.category('2024-02-29'), 'Feb 29');
    assert.equal(format.category('2024-13', true), '2024-13');
  });
});
