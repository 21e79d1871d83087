import * as assert from 'node:assert/strict';
import { DEFAULT_CHECKPOINTS_SECONDS, parseSettings } from '../../../src/settings/schema';

describe('settings', () => {
  it('falls back to the default for a value of the wrong type', () => {
    const settings = parseSettings({ 'retention.checkpointsSeconds': 'soon', 'statusBar.enabled': 'yes' });
    assert.deepEqual(settings['retention.checkpointsSeconds'], [...DEFAULT_CHECKPOINTS_SECONDS]);
    assert.equal(settings['statusBar.enabled'], true);
  });

  it('keeps the valid seats when one entry has a typo', () => {
    const settings = parseSettings({
      seats: [{ plan: 'copilot-business' }, { plan: 'ours', monthlyUSD: 'twenty' }, { plan: 'ours', monthlyUSD: 20 }],
    });
    assert.deepEqual(settings.seats.map((seat) => seat.plan), ['copilot-business', 'ours']);
  });

  it('keeps the valid price overrides and drops a bad one', () => {
    const settings = parseSettings({
      'pricing.overrides': {
        'my-model': { inputPerMTok: 1, outputPerMTok: 4 },
        'other': { inputPerMTok: 1, outputPerMTok: 4 },
        'bad-model': { inputPerMTok: -3 },
        'has a space': { inputPerMTok: 1 },
      },
    });
    assert.deepEqual(Object.keys(settings['pricing.overrides']), ['my-model']);
  });

  it('keeps import folders only for known sources', () => {
    const settings = parseSettings({ 'import.folders': { 'claude-code': ['~/a'], 'not-a-tool': ['~/b'], codex: 'not-a-list' } });
    assert.deepEqual(settings['import.folders'], { 'claude-code': ['~/a'] });
  });

  it('uses defaults for every missing setting', () => {
    const settings = parseSettings({});
    assert.deepEqual(settings.seats, []);
    assert.deepEqual(settings['pricing.overrides'], {});
    assert.equal(settings['capture.activityFlushSeconds'], 60);
  });
});
