// Chart colours from the editor theme (`--vscode-*` CSS variables), read at render time and
// again when the theme changes. Colour never carries meaning alone: each series also gets a
// fill pattern (bars) or a dash style and point shape (lines), shown in the legend. Each series
// colour is adjusted to reach 3:1 against the panel it is drawn on (color.ts).
import { withContrast } from './color';

export interface Theme {
  kind: 'light' | 'dark' | 'high-contrast';
  foreground: string;
  mutedForeground: string;
  background: string;
  grid: string;
  palette: string[];
}

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

function themeKind(): Theme['kind'] {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast') || classes.contains('vscode-high-contrast-light')) return 'high-contrast';
  return classes.contains('vscode-light') ? 'light' : 'dark';
}

export function readTheme(): Theme {
  const kind = themeKind();
  const foreground = cssVar('--vscode-foreground', kind === 'light' ? '#333333' : '#cccccc');
  const contrastBorder = cssVar('--vscode-contrastBorder', '');
  const page = cssVar('--vscode-editor-background', kind === 'light' ? '#ffffff' : '#1e1e1e');
  // Charts sit on a panel (media/dashboard.css, --surface), which may differ from the page.
  const panel = cssVar('--vscode-editorWidget-background', page);
  const readable = (color: string) => withContrast(withContrast(color, panel), page);
  return {
    kind,
    foreground,
    mutedForeground: cssVar('--vscode-descriptionForeground', foreground),
    background: panel,
    grid: kind === 'high-contrast' && contrastBorder ? contrastBorder : cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)'),
    palette: [
      cssVar('--vscode-charts-blue', '#3794ff'),
      cssVar('--vscode-charts-orange', '#d18616'),
      cssVar('--vscode-charts-green', '#89d185'),
      cssVar('--vscode-charts-purple', '#b180d7'),
      cssVar('--vscode-charts-yellow', '#cca700'),
      cssVar('--vscode-charts-red', '#f14c4c'),
      cssVar('--vscode-charts-foreground', foreground),
    ].map(readable),
  };
}

/** Called with the new theme whenever the editor switches theme (the body's class changes). */
export function onThemeChange(listener: (theme: Theme) => void): void {
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    listener(readTheme());
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

export function seriesColor(theme: Theme, index: number): string {
  return theme.palette[index % theme.palette.length];
}

type PatternDrawer = (ctx: CanvasRenderingContext2D, size: number) => void;

// The first series is solid; the others carry marks in the background colour over their fill.
const PATTERNS: PatternDrawer[] = [
  () => undefined,
  (ctx, size) => {
    ctx.beginPath();
    ctx.moveTo(0, size);
    ctx.lineTo(size, 0);
    ctx.moveTo(-size / 2, size / 2);
    ctx.lineTo(size / 2, -size / 2);
    ctx.moveTo(size / 2, size * 1.5);
    ctx.lineTo(size * 1.5, size / 2);
    ctx.stroke();
  },
  (ctx, size) => {
    ctx.beginPath();
    ctx.arc(size / 2, size / 2, size / 6, 0, Math.PI * 2);
    ctx.fill();
  },
  (ctx, size) => {
    ctx.beginPath();
    ctx.moveTo(0, size / 2);
    ctx.lineTo(size, size / 2);
    ctx.stroke();
  },
  (ctx, size) => {
    ctx.beginPath();
    ctx.moveTo(0, 0);
    ctx.lineTo(size, size);
    ctx.moveTo(size, 0);
    ctx.lineTo(0, size);
    ctx.stroke();
  },
  (ctx, size) => {
    ctx.beginPath();
    ctx.moveTo(size / 2, 0);
    ctx.lineTo(size / 2, size);
    ctx.stroke();
  },
];

export function barFill(theme: Theme, index: number): string | CanvasPattern {
  const color = seriesColor(theme, index);
  const draw = PATTERNS[index % PATTERNS.length];
  if (index % PATTERNS.length === 0) return color;
  const size = 8;
  const tile = document.createElement('canvas');
  tile.width = size;
  tile.height = size;
  const ctx = tile.getContext('2d');
  if (!ctx) return color;
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, size, size);
  ctx.strokeStyle = theme.background;
  ctx.fillStyle = theme.background;
  ctx.lineWidth = 1.5;
  draw(ctx, size);
  return ctx.createPattern(tile, 'repeat') ?? color;
}

const DASHES: number[][] = [[], [6, 4], [2, 3], [10, 3, 2, 3]];
const POINTS = ['circle', 'rect', 'triangle', 'rectRot', 'crossRot'] as const;
export type PointStyle = (typeof POINTS)[number];

export function lineStyle(index: number): { borderDash: number[]; pointStyle: PointStyle } {
  return { borderDash: DASHES[index % DASHES.length], pointStyle: POINTS[index % POINTS.length] };
}
