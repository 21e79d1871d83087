import * as assert from 'node:assert/strict';
import { changedSettings, checkSettings, parseSettings, ReplacementNotices, SETTINGS_APPLIED_ON_RELOAD } from '../../../src/settings/schema';

describe('settings: telling the user about replaced values', () => {
  it('says which value was replaced, why, and by what', () => {
    const { settings, replacements } = checkSettings({ 'value.hourlyCostUSD': 15_000 });
    assert.equal(settings['value.hourlyCostUSD'], 100);
    assert.deepEqual(replacements, [
      { key: 'value.hourlyCostUSD', message: 'assay.value.hourlyCostUSD is above the maximum of 10000, so Assay uses the default, 100.' },
    ]);
  });

  it('names a wrong type and a fraction where a whole number belongs', () => {
    const { replacements } = checkSettings({ 'statusBar.enabled': 'yes', 'capture.activityFlushSeconds': 1.5 });
    assert.deepEqual(
      replacements.map((replacement) => replacement.message),
      [
        'assay.statusBar.enabled is not true or false, so Assay uses the default, true.',
        'assay.capture.activityFlushSeconds is not a whole number, so Assay uses the default, 60.',
      ],
    );
  });

  it('counts list and map entries left out, without repeating what the user typed', () => {
    const { replacements } = checkSettings({
      seats: [{ plan: 'copilot-business' }, { plan: 'secret-plan-name', monthlyUSD: 'twenty' }],
      'pricing.overrides': { 'my model with spaces': { inputPerMTok: 1 } },
      'pricing.whatIfModels': Array.from({ length: 12 }, (_, index) => `model-${index}`),
    });
    assert.deepEqual(
      replacements.map((replacement) => replacement.message),
      [
        'assay.pricing.overrides has 1 entry that Assay leaves out (a name that is not allowed there).',
        'assay.pricing.whatIfModels has 2 entries that Assay leaves out (more than 10 entries).',
        'assay.seats has 1 entry that Assay leaves out (monthlyUSD is not a number).',
      ],
    );
    for (const { message } of replacements) assert.doesNotMatch(message, /secret-plan-name|with spaces|model-1/);
  });

  it('reports nothing for valid values and for settings left unset', () => {
    const { replacements } = checkSettings({ 'value.hourlyCostUSD': 10_000, seats: [{ plan: 'ours', monthlyUSD: 20 }] });
    assert.deepEqual(replacements, []);
  });

  it('tells about each setting once per session, however often it is read', () => {
    const notices = new ReplacementNotices();
    const bad = checkSettings({ 'value.hourlyCostUSD': 15_000 }).replacements;
    assert.equal(notices.untold(bad).length, 1);
    assert.equal(notices.untold(bad).length, 0);
    const another = checkSettings({ 'value.hourlyCostUSD': 15_000, 'ledger.flushIntervalMs': 5 }).replacements;
    assert.deepEqual(notices.untold(another).map((replacement) => replacement.key), ['ledger.flushIntervalMs']);
  });
});

describe('settings: read only at start', () => {
  it('lists the start-only settings whose value changed, not the live ones', () => {
    const before = parseSettings({});
    const after = parseSettings({ 'ledger.flushIntervalMs': 5_000, 'statusBar.enabled': false, 'retention.checkpointsSeconds': [30, 120, 300, 600, 900] });
    assert.deepEqual(changedSettings(before, after, SETTINGS_APPLIED_ON_RELOAD), ['ledger.flushIntervalMs']);
  });
});
