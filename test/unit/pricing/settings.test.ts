import assert from 'node:assert/strict';
import { checkPriceOverrides } from '../../../src/pricing/overrides';
import { DEFAULT_VALUE_SETTINGS } from '../../../src/pricing/value';
import { parseSettings, valueSettingsFrom } from '../../../src/settings/schema';

describe('pricing and value settings', () => {
  it('default to no overrides, no seats and the documented value inputs', () => {
    const settings = parseSettings({});
    assert.deepEqual(settings['pricing.overrides'], {});
    assert.deepEqual(settings.seats, []);
    assert.deepEqual(settings['pricing.whatIfModels'], []);
    assert.equal(settings['pricing.priceFile'], '');
    assert.deepEqual(valueSettingsFrom(settings), DEFAULT_VALUE_SETTINGS);
  });

  it('accept valid values', () => {
    const settings = parseSettings({
      'pricing.overrides': { 'my-model': { inputPerMTok: 1, outputPerMTok: 2 } },
      seats: [{ plan: 'copilot-business', count: 5 }],
      'value.hourlyCostUSD': 80,
    });
    assert.deepEqual(settings['pricing.overrides'], { 'my-model': { inputPerMTok: 1, outputPerMTok: 2 } });
    assert.deepEqual(settings.seats, [{ plan: 'copilot-business', count: 5 }]);
    assert.equal(settings['value.hourlyCostUSD'], 80);
  });

  it('fall back to defaults on invalid values', () => {
    const settings = parseSettings({
      'pricing.overrides': { 'my-model': { inputPerMtok: 1 } },
      seats: [{ plan: 'copilot-business', count: -1 }],
      'value.typingCharsPerMinute': 0,
      'value.minutesPerResponse': 'one',
    });
    assert.deepEqual(settings['pricing.overrides'], {});
    assert.deepEqual(settings.seats, []);
    assert.equal(settings['value.typingCharsPerMinute'], DEFAULT_VALUE_SETTINGS.typingCharsPerMinute);
    assert.equal(settings['value.minutesPerResponse'], DEFAULT_VALUE_SETTINGS.minutesPerResponse);
  });

  it('explain what is wrong with overrides in words', () => {
    assert.deepEqual(checkPriceOverrides({ 'my-model': { inputPerMTok: 1 } }), []);
    const problems = checkPriceOverrides({ 'my-model': { inputPerMtok: 1, outputPerMTok: -2 }, other: {} });
    assert.ok(problems.some((problem) => problem.includes('"my-model"') && problem.includes('inputPerMtok')), problems.join('\n'));
    assert.ok(problems.some((problem) => problem.includes('must not be negative')), problems.join('\n'));
    assert.ok(problems.some((problem) => problem.includes('reserved')), problems.join('\n'));
  });
});
