import * as assert from 'node:assert/strict';
import { jevonsChart } from '../../../src/dashboard/charts/economicsCharts';
import type { ChartSpec } from '../../../src/dashboard/protocol';
import { usageRow } from './fixtures';

function values(chart: ChartSpec, label: string): (number | null)[] {
  const found = chart.series.find((s) => s.label === label);
  assert.ok(found, `no series "${label}"`);
  return found.values;
}

describe('Jevons chart', () => {
  it('gives each month its days in the range, its spend and tokens per day, across a leap February and a new year', () => {
    const usage = [
      usageRow('2023-11-14', { inputTokens: 2_000_000, outputTokens: 0, costUSD: 6 }),
      usageRow('2023-12-31', { inputTokens: 500_000, outputTokens: 500_000, costUSD: 4 }),
      usageRow('2024-02-29', { inputTokens: 3_000_000, outputTokens: 0, costUSD: 3 }),
      usageRow('2024-02-29', { model: 'mystery', inputTokens: 1_000_000, outputTokens: 0, costUSD: null }),
      usageRow('2025-02-03', { inputTokens: 1_000_000, outputTokens: 1_000_000, costUSD: 1 }),
    ];
    const chart = jevonsChart('2023-11-14', '2025-02-03', usage);
    const quiet = (n: number, value: number | null) => Array<number | null>(n).fill(value);
    assert.deepEqual(chart.labels, [
      '2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06',
      '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02',
    ]);
    assert.deepEqual(values(chart, 'Days in range'), [17, 31, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 3]);
    assert.deepEqual(values(chart, 'API-priced cost per day'), [6 / 17, 4 / 31, 0, 3 / 29, ...quiet(11, 0), 1 / 3]);
    assert.deepEqual(values(chart, 'Average $ per 1M tokens'), [3, 4, null, 1, ...quiet(11, null), 0.5]);
    assert.deepEqual(values(chart, 'Tokens per day'), [2_000_000 / 17, 1_000_000 / 31, 0, 4_000_000 / 29, ...quiet(11, 0), 2_000_000 / 3]);
    assert.deepEqual(values(chart, 'API-priced cost'), [6, 4, 0, 3, ...quiet(11, 0), 1]);
    assert.deepEqual(values(chart, 'Tokens'), [2_000_000, 1_000_000, 0, 4_000_000, ...quiet(11, 0), 2_000_000]);
    assert.match(chart.description, /Months only partly in the range \(averaged over their days in it\): 2023-11, 2025-02\.$/);
  });

  it('shows no cost for a month whose usage has no price, rather than $0', () => {
    const chart = jevonsChart('2024-01-01', '2024-02-29', [
      usageRow('2024-01-10', { model: 'mystery', inputTokens: 1_000_000, outputTokens: 0, costUSD: null }),
      usageRow('2024-02-10', { inputTokens: 1_000_000, outputTokens: 0, costUSD: 2 }),
    ]);
    assert.deepEqual(values(chart, 'API-priced cost'), [null, 2]);
    assert.deepEqual(values(chart, 'API-priced cost per day'), [null, 2 / 29]);
    assert.deepEqual(values(chart, 'Tokens'), [1_000_000, 1_000_000]);
  });

  it('draws a century of months', () => {
    const chart = jevonsChart('1926-01-01', '2025-12-31', [usageRow('2025-06-15', { costUSD: 30 })]);
    assert.equal(chart.labels.length, 1_200);
    assert.deepEqual([chart.labels[0], chart.labels.at(-1)], ['1926-01', '2025-12']);
    const days = values(chart, 'Days in range') as number[];
    assert.equal(days.reduce((total, n) => total + n, 0), 36_525);
    assert.equal(values(chart, 'API-priced cost per day')[chart.labels.indexOf('2025-06')], 1);
    assert.doesNotMatch(chart.description, /partly in the range/);
  });
});
