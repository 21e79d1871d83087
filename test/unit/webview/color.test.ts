import * as assert from 'node:assert/strict';
import { contrastRatio, NON_TEXT_CONTRAST, parseColor, withContrast } from '../../../src/webview/color';

/** The ratio of two colours given as CSS text. */
function ratio(a: string, b: string): number {
  const x = parseColor(a);
  const y = parseColor(b);
  assert.ok(x && y, `${a} or ${b} did not parse`);
  return contrastRatio(x, y);
}

// Colours of VS Code's Default Light Modern and Dark Modern themes (--vscode-charts-*, editorWidget.background).
const LIGHT_PANEL = '#f8f8f8';
const DARK_PANEL = '#202020';

describe('chart colour contrast', () => {
  it('computes the WCAG contrast ratio', () => {
    assert.equal(ratio('#000000', '#ffffff'), 21);
    assert.equal(ratio('#777777', '#777777'), 1);
    // WCAG's example threshold: #767676 on white is the lightest grey that reaches 4.5:1.
    assert.ok(ratio('#767676', '#ffffff') >= 4.5 && ratio('#777777', '#ffffff') < 4.5);
  });

  it('reads hex, rgb() and rgba() colours, compositing translucent ones over the background', () => {
    assert.deepEqual(parseColor('#0af'), { r: 0, g: 170, b: 255 });
    assert.deepEqual(parseColor('rgb(1, 2, 3)'), { r: 1, g: 2, b: 3 });
    assert.deepEqual(parseColor('rgba(0 0 0 / 50%)', { r: 255, g: 255, b: 255 }), { r: 128, g: 128, b: 128 });
    assert.deepEqual(parseColor('#00000080', { r: 255, g: 255, b: 255 }), { r: 127, g: 127, b: 127 });
    assert.equal(parseColor('color(srgb 1 0 0)'), null);
  });

  it('leaves a colour that already reaches 3:1 as the theme gave it', () => {
    assert.equal(withContrast('#388a34', LIGHT_PANEL), '#388a34');
    assert.equal(withContrast('#3794ff', DARK_PANEL), '#3794ff');
  });

  it('darkens a chart colour short of 3:1 on a light panel just enough to reach it', () => {
    for (const color of ['#d18616', '#bf8803']) {
      assert.ok(ratio(color, LIGHT_PANEL) < NON_TEXT_CONTRAST, `${color} is a case to fix`);
      const fixed = withContrast(color, LIGHT_PANEL);
      assert.ok(ratio(fixed, LIGHT_PANEL) >= NON_TEXT_CONTRAST, `${fixed} from ${color}`);
      // Still the theme's hue, not black: well under the contrast of the text colour.
      assert.ok(ratio(fixed, LIGHT_PANEL) < 3.5, `${fixed} is darker than it needs to be`);
      const [before, after] = [parseColor(color), parseColor(fixed)];
      assert.ok(before && after && after.r <= before.r && after.g <= before.g && after.b <= before.b);
    }
  });

  it('lightens a dark colour on a dark panel', () => {
    const purple = '#652d90';
    assert.ok(ratio(purple, DARK_PANEL) < NON_TEXT_CONTRAST);
    const fixed = withContrast(purple, DARK_PANEL);
    assert.ok(ratio(fixed, DARK_PANEL) >= NON_TEXT_CONTRAST, fixed);
    const [before, after] = [parseColor(purple), parseColor(fixed)];
    assert.ok(before && after && after.r >= before.r && after.g >= before.g && after.b >= before.b);
  });

  it('leaves a colour it cannot read unchanged instead of guessing', () => {
    assert.equal(withContrast('color(srgb 1 0.9 0.2)', LIGHT_PANEL), 'color(srgb 1 0.9 0.2)');
    assert.equal(withContrast('#d18616', 'transparent'), '#d18616');
  });
});
