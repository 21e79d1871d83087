// Chart.js rendering of a ChartSpec. Only the controllers, elements, scales and plugins the
// dashboard uses are registered, so the bundle carries nothing else of Chart.js.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartDataset,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { AxisId, ChartSpec, Series, ValueFormat } from '../dashboard/protocol';
import { truncate, type Formatter } from '../report/format';
import { barFill, lineStyle, type PointStyle, seriesColor, type Theme } from './theme';

Chart.register(BarController, LineController, BarElement, LineElement, PointElement, CategoryScale, LinearScale, Tooltip);

const CATEGORY_LABEL_MAX = 28;

type MixedConfig = ChartConfiguration<'bar' | 'line', (number | null)[], string>;

/** How one drawn series looks; the chart and its legend (legend.ts) draw from the same list. */
export interface SeriesStyle {
  series: Series;
  color: string;
  /** Bars: the fill, solid or patterned. */
  fill: string | CanvasPattern;
  borderDash: number[];
  pointStyle: PointStyle;
}

/** The series a chart draws (not the table-only ones), in order, each with its colour and marks. */
export function seriesStyles(spec: ChartSpec, theme: Theme): SeriesStyle[] {
  let barIndex = 0;
  let lineIndex = 0;
  return spec.series
    .filter((s) => !s.tableOnly)
    .map((series, i) => {
      const color = seriesColor(theme, i);
      if (series.type === 'bar') return { series, color, fill: barFill(theme, barIndex++), borderDash: [], pointStyle: 'rect' };
      return { series, color, fill: color, ...lineStyle(lineIndex++) };
    });
}

function chartConfig(spec: ChartSpec, theme: Theme, format: Formatter, hidden: ReadonlySet<string>): MixedConfig {
  const styles = seriesStyles(spec, theme);
  const drawn = styles.map((style) => style.series);
  const stacked = drawn.some((s) => s.stack !== undefined);
  const valueAxis = (axis: AxisId) => (spec.horizontal ? 'x' : axis);
  const formatOf = (axis: AxisId): ValueFormat => spec.axes[axis]?.format ?? 'count';

  const datasets = styles.map(({ series: s, color, fill, borderDash, pointStyle }, i): ChartDataset<'bar' | 'line', (number | null)[]> => {
    // A line must not be stacked onto bars that share its axis: give it a stack of its own.
    const stack = s.stack ?? `own-${i}`;
    if (s.type === 'bar') {
      return {
        type: 'bar',
        label: s.label,
        data: s.values,
        hidden: hidden.has(s.label),
        backgroundColor: fill,
        borderColor: color,
        borderWidth: theme.kind === 'high-contrast' ? 2 : 1,
        stack,
        [spec.horizontal ? 'xAxisID' : 'yAxisID']: valueAxis(s.axis),
        order: 2,
      };
    }
    return {
      type: 'line',
      label: s.label,
      data: s.values,
      hidden: hidden.has(s.label),
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      borderDash,
      pointStyle,
      pointRadius: spec.labels.length > 60 ? 0 : 3,
      pointHoverRadius: 5,
      spanGaps: false,
      stack,
      yAxisID: valueAxis(s.axis),
      order: 1,
    };
  });

  const grid = { color: theme.grid };
  const ticks = { color: theme.foreground };
  const usedAxes = [...new Set(drawn.map((s) => s.axis))];
  const valueScales = Object.fromEntries(
    usedAxes.map((axis, i) => [
      valueAxis(axis),
      {
        type: 'linear' as const,
        position: spec.horizontal ? ('bottom' as const) : i === 0 ? ('left' as const) : ('right' as const),
        beginAtZero: true,
        stacked: stacked && axis === 'y',
        grid: { ...grid, drawOnChartArea: i === 0 },
        border: { color: theme.grid },
        ticks: { ...ticks, maxTicksLimit: 6, callback: (value: number | string) => format.tick(Number(value), formatOf(axis)) },
        title: { display: usedAxes.length > 1 || !spec.horizontal, text: spec.axes[axis]?.title ?? '', color: theme.mutedForeground },
      },
    ]),
  );
  const categoryScale = {
    type: 'category' as const,
    stacked,
    grid: { ...grid, display: spec.horizontal },
    border: { color: theme.grid },
    ticks: {
      ...ticks,
      autoSkip: true,
      maxRotation: 0,
      callback(this: { getLabelForValue(value: number): string }, value: number | string) {
        return truncate(format.category(this.getLabelForValue(Number(value))), CATEGORY_LABEL_MAX);
      },
    },
  };

  return {
    type: 'bar',
    data: { labels: spec.labels, datasets },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      // Charts redraw on every live update; animation would make them flicker.
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: { [spec.horizontal ? 'y' : 'x']: categoryScale, ...valueScales },
      plugins: {
        // The legend is HTML buttons under the canvas (legend.ts): a canvas legend takes no keyboard.
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? format.category(items[0].label, true) : ''),
            label: (item) => {
              const s = drawn[item.datasetIndex];
              return `${s.label}: ${format.value(item.raw as number | null, s.format)}`;
            },
          },
        },
      },
    },
  };
}

/** Draws `spec` on `canvas`, replacing `existing`; series whose label is in `hidden` start hidden. */
export function drawChart(
  canvas: HTMLCanvasElement,
  spec: ChartSpec,
  theme: Theme,
  format: Formatter,
  existing: Chart | undefined,
  hidden: ReadonlySet<string>,
): Chart {
  existing?.destroy();
  return new Chart(canvas, chartConfig(spec, theme, format, hidden) as ChartConfiguration);
}

/** Shows or hides one drawn series (by its index among the drawn series) without rebuilding the chart. */
export function setSeriesVisible(chart: Chart, index: number, visible: boolean): void {
  chart.setDatasetVisibility(index, visible);
  chart.update();
}
