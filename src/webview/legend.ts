// A chart's legend as HTML toggle buttons under its canvas: Chart.js draws its legend on the
// canvas, where a keyboard cannot reach it. Each button shows the series' swatch (colour plus
// its fill pattern or dash and point shape, so colour never carries the meaning alone) and
// shows or hides the series; aria-pressed says whether it is shown.
import { append, clear, el } from './dom';
import type { SeriesStyle } from './charts';

const SWATCH_WIDTH = 28;
const SWATCH_HEIGHT = 14;

function drawPoint(ctx: CanvasRenderingContext2D, style: SeriesStyle['pointStyle'], x: number, y: number, r: number): void {
  ctx.beginPath();
  switch (style) {
    case 'circle':
      ctx.arc(x, y, r, 0, Math.PI * 2);
      break;
    case 'rect':
      ctx.rect(x - r, y - r, 2 * r, 2 * r);
      break;
    case 'triangle':
      ctx.moveTo(x, y - r);
      ctx.lineTo(x + r, y + r);
      ctx.lineTo(x - r, y + r);
      ctx.closePath();
      break;
    case 'rectRot':
      ctx.moveTo(x, y - r);
      ctx.lineTo(x + r, y);
      ctx.lineTo(x, y + r);
      ctx.lineTo(x - r, y);
      ctx.closePath();
      break;
    case 'crossRot':
      ctx.moveTo(x - r, y - r);
      ctx.lineTo(x + r, y + r);
      ctx.moveTo(x + r, y - r);
      ctx.lineTo(x - r, y + r);
      ctx.stroke();
      return;
  }
  ctx.fill();
}

function swatch(style: SeriesStyle): HTMLCanvasElement {
  const ratio = window.devicePixelRatio || 1;
  const canvas = el('canvas', { className: 'swatch', attrs: { 'aria-hidden': 'true' } });
  canvas.width = SWATCH_WIDTH * ratio;
  canvas.height = SWATCH_HEIGHT * ratio;
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  ctx.scale(ratio, ratio);
  ctx.strokeStyle = style.color;
  ctx.fillStyle = style.fill;
  if (style.series.type === 'bar') {
    ctx.fillRect(1, 1, SWATCH_WIDTH - 2, SWATCH_HEIGHT - 2);
    ctx.lineWidth = 1;
    ctx.strokeRect(1.5, 1.5, SWATCH_WIDTH - 3, SWATCH_HEIGHT - 3);
    return canvas;
  }
  ctx.lineWidth = 2;
  ctx.setLineDash(style.borderDash);
  ctx.beginPath();
  ctx.moveTo(1, SWATCH_HEIGHT / 2);
  ctx.lineTo(SWATCH_WIDTH - 1, SWATCH_HEIGHT / 2);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = style.color;
  drawPoint(ctx, style.pointStyle, SWATCH_WIDTH / 2, SWATCH_HEIGHT / 2, 3.5);
  return canvas;
}

/**
 * Fills `container` with one toggle button per drawn series; `onToggle` gets the series' index
 * among the drawn series and whether it is now shown. Empty when there is one series or none.
 */
export function renderLegend(
  container: HTMLElement,
  styles: readonly SeriesStyle[],
  hidden: ReadonlySet<string>,
  onToggle: (index: number, label: string, shown: boolean) => void,
): void {
  clear(container);
  container.hidden = styles.length < 2;
  if (container.hidden) return;
  styles.forEach((style, index) => {
    const label = style.series.label;
    const button = el(
      'button',
      { className: 'legend-item', attrs: { type: 'button', 'aria-pressed': String(!hidden.has(label)) } },
      swatch(style),
      el('span', { text: label }),
    );
    button.addEventListener('click', () => {
      const shown = button.getAttribute('aria-pressed') !== 'true';
      button.setAttribute('aria-pressed', String(shown));
      onToggle(index, label, shown);
    });
    append(container, button);
  });
}
