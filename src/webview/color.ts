// Contrast arithmetic for chart colours (WCAG 2.2, 1.4.11 Non-text Contrast: a series' line,
// bar or legend swatch needs 3:1 against the page). Themes pick their chart colours for looks:
// on Light Modern's panel colour (#f8f8f8) its orange reaches 2.8:1 and its yellow 2.9:1, so a
// colour short of the ratio is moved towards black (light page) or white (dark page) until it
// reaches it. Pure: no DOM.

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** The minimum ratio for graphical objects and component boundaries. */
export const NON_TEXT_CONTRAST = 3;

const HEX = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const RGB = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/i;

/** A CSS colour in hex or rgb()/rgba() form, composited over `under` when it is translucent; null for any other form. */
export function parseColor(value: string, under?: Rgb): Rgb | null {
  const text = value.trim();
  let rgb: Rgb;
  let alpha = 1;
  const hex = HEX.exec(text);
  const fn = RGB.exec(text);
  if (hex) {
    const digits = hex[1].length <= 4 ? [...hex[1]].map((d) => d + d).join('') : hex[1];
    rgb = { r: parseInt(digits.slice(0, 2), 16), g: parseInt(digits.slice(2, 4), 16), b: parseInt(digits.slice(4, 6), 16) };
    if (digits.length === 8) alpha = parseInt(digits.slice(6, 8), 16) / 255;
  } else if (fn) {
    rgb = { r: Math.min(255, Number(fn[1])), g: Math.min(255, Number(fn[2])), b: Math.min(255, Number(fn[3])) };
    if (fn[4] !== undefined) alpha = fn[4].endsWith('%') ? Number(fn[4].slice(0, -1)) / 100 : Number(fn[4]);
  } else {
    return null;
  }
  if (alpha >= 1 || !under) return rgb;
  return mix(rgb, under, Math.max(0, alpha));
}

/** `weight` of `a` and the rest of `b`. */
function mix(a: Rgb, b: Rgb, weight: number): Rgb {
  const channel = (x: number, y: number) => Math.round(x * weight + y * (1 - weight));
  return { r: channel(a.r, b.r), g: channel(a.g, b.g), b: channel(a.b, b.b) };
}

function luminance({ r, g, b }: Rgb): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
}

function toHex({ r, g, b }: Rgb): string {
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * `color` unchanged when it already reaches `minRatio` against `background`, else the least
 * darkened (light page) or lightened (dark page) version of it that does. A colour or background
 * in a form this does not read is returned unchanged.
 */
export function withContrast(color: string, background: string, minRatio = NON_TEXT_CONTRAST): string {
  const bg = parseColor(background);
  const fg = bg && parseColor(color, bg);
  if (!bg || !fg) return color;
  if (contrastRatio(fg, bg) >= minRatio) return color;
  const towards: Rgb = luminance(bg) > 0.18 ? { r: 0, g: 0, b: 0 } : { r: 255, g: 255, b: 255 };
  for (let step = 1; step <= 20; step++) {
    const candidate = mix(towards, fg, step / 20);
    if (contrastRatio(candidate, bg) >= minRatio) return toHex(candidate);
  }
  return toHex(towards);
}
