import * as assert from 'node:assert/strict';
import { localDate } from '../../../src/calendar/dates';
import { EMPTY } from '../../../src/dashboard/emptyStates';
import { topN, TOP_N } from '../../../src/dashboard/figures';
import { resolveRange } from '../../../src/dashboard/range';
import { buildViewModel } from '../../../src/dashboard/viewModel';
import type { ChartSpec, ViewModel } from '../../../src/dashboard/protocol';
import { ViewModel as ViewModelSchema } from '../../../src/dashboard/protocol';
import { cell, economics, inlineRow, input, NOON_UTC, plain, usageRow } from './fixtures';

function card(model: ViewModel, id: string) {
  const found = model.cards.find((c) => c.id === id);
  assert.ok(found, `card ${id}`);
  return found;
}

function chart(model: ViewModel, id: string): ChartSpec {
  const found = model.charts.find((c) => c.id === id);
  assert.ok(found, `chart ${id}`);
  return found;
}

function seriesValues(spec: ChartSpec, label: string) {
  const found = spec.series.find((s) => s.label === label);
  assert.ok(found, `series ${label} in ${spec.id}`);
  return found.values;
}

describe('dashboard view model', () => {
  describe('date range', () => {
    it('takes "today" in the user time zone, not UTC', () => {
      // 2024-03-10 12:00 UTC is already 2024-03-11 in Auckland (UTC+13).
      const rows = [inlineRow('2024-03-10', { aiChars: 5 }), inlineRow('2024-03-11', { aiChars: 7 })];
      const auckland = buildViewModel(input({ inline: rows, range: { preset: 'today' }, timeZone: 'Pacific/Auckland' }));
      assert.deepEqual([auckland.range.from, auckland.range.to], ['2024-03-11', '2024-03-11']);
      assert.equal(plain(card(auckland, 'ai-share').detail).startsWith('7 AI'), true);
      const utc = buildViewModel(input({ inline: rows, range: { preset: 'today' }, timeZone: 'UTC' }));
      assert.equal(plain(card(utc, 'ai-share').detail).startsWith('5 AI'), true);
    });

    it('counts 7 calendar days back including today, across a DST change', () => {
      // US DST started 2024-03-10 in Los Angeles.
      const now = Date.UTC(2024, 2, 12, 6, 30); // 2024-03-11 23:30 PDT
      assert.equal(localDate(now, 'America/Los_Angeles'), '2024-03-11');
      const model = buildViewModel(
        input({
          now,
          timeZone: 'America/Los_Angeles',
          inline: [inlineRow('2024-03-04', { aiChars: 100 }), inlineRow('2024-03-05', { aiChars: 3 })],
        }),
      );
      assert.deepEqual([model.range.from, model.range.to, model.range.days], ['2024-03-05', '2024-03-11', 7]);
      const labels = chart(model, 'daily-chars').labels;
      assert.deepEqual(labels, ['2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11']);
      assert.deepEqual(seriesValues(chart(model, 'daily-chars'), 'AI (accepted) characters')[0], 3);
    });

    it('orders a custom range given backwards and includes both ends', () => {
      const range = resolveRange({ preset: 'custom', from: '2024-02-10', to: '2024-02-01' }, NOON_UTC, 'UTC', []);
      assert.deepEqual(range, { from: '2024-02-01', to: '2024-02-10' });
      const model = buildViewModel(
        input({
          range: { preset: 'custom', from: '2024-02-01', to: '2024-02-10' },
          inline: [inlineRow('2024-02-01', { aiChars: 1 }), inlineRow('2024-02-10', { aiChars: 2 }), inlineRow('2024-02-11', { aiChars: 4 })],
        }),
      );
      assert.equal(plain(card(model, 'ai-share').detail).startsWith('3 AI'), true);
    });

    it('"all" starts at the earliest row of any kind', () => {
      const model = buildViewModel(
        input({ range: { preset: 'all' }, inline: [inlineRow('2024-01-15')], usage: [usageRow('2023-12-30')] }),
      );
      assert.deepEqual([model.range.from, model.range.to], ['2023-12-30', '2024-03-10']);
      assert.deepEqual(chart(model, 'jevons').labels, ['2023-12', '2024-01', '2024-02', '2024-03']);
    });
  });

  describe('inline figures', () => {
    it('acceptance rate is every accept mode over requests for a suggestion', () => {
      const model = buildViewModel(
        input({
          inline: [
            inlineRow('2024-03-09', { acceptances: { full: 2, word: 1, line: 1 }, opportunities: 10 }),
            inlineRow('2024-03-10', { acceptances: { full: 1, word: 0, line: 0 }, opportunities: 10 }),
          ],
        }),
      );
      assert.equal(card(model, 'accepted').value, 5);
      assert.equal(card(model, 'acceptance-rate').value, 0.25);
      const daily = seriesValues(chart(model, 'acceptance-rate'), 'Accepts per suggestion request');
      assert.deepEqual(daily.slice(-2), [0.4, 0.1]);
      // Days with no requests have no rate, not a rate of 0.
      assert.equal(daily[0], null);
    });

    it('AI share is AI ÷ (AI + typed), null when nothing was written', () => {
      const model = buildViewModel(input({ inline: [inlineRow('2024-03-10', { aiChars: 300, typedChars: 100 })] }));
      assert.equal(card(model, 'ai-share').value, 0.75);
      assert.equal(card(buildViewModel(input()), 'ai-share').value, null);
      assert.deepEqual(seriesValues(chart(model, 'daily-chars'), 'AI share').slice(-2), [null, 0.75]);
    });

    it('shows characters agents wrote in the editor as a series of their own, in characters, outside the AI share', () => {
      const rows = [
        inlineRow('2024-03-09', { agentEditsInEditor: 1, agentCharsInEditor: 40 }),
        inlineRow('2024-03-10', { aiChars: 300, typedChars: 100, agentEditsInEditor: 3, agentCharsInEditor: 900 }),
        inlineRow('2024-03-10', { languageId: 'python', agentEditsInEditor: 2, agentCharsInEditor: 100 }),
      ];
      const model = buildViewModel(input({ inline: rows }));
      const daily = chart(model, 'daily-chars');
      const agent = daily.series.find((s) => s.label === 'Written by agents in the editor');
      assert.ok(agent);
      assert.deepEqual(agent.values.slice(-3), [0, 40, 1000]);
      assert.equal(agent.format, 'chars');
      assert.equal(agent.tableOnly, false);
      assert.notEqual(agent.stack, daily.series.find((s) => s.label === 'AI (accepted) characters')?.stack, 'not stacked onto AI and typed');
      assert.deepEqual(seriesValues(daily, 'Agent edits in the editor').slice(-3), [0, 1, 5]);
      assert.deepEqual(seriesValues(daily, 'AI share').slice(-2), [null, 0.75]);
      assert.equal(card(model, 'ai-share').value, 0.75);

      const agentsOnly = buildViewModel(input({ inline: [rows[0]] }));
      assert.equal(chart(agentsOnly, 'daily-chars').empty, null, 'a day with only agent characters has something to show');
      assert.equal(card(agentsOnly, 'ai-share').value, null);
    });

    it('retention curve uses known checkpoints only and keeps unknown checkpoints empty, not 0', () => {
      const model = buildViewModel(
        input({
          inline: [
            inlineRow('2024-03-10', {
              retention: { '30': cell(4, 400, 380, 3, 4), '600': cell(2, 200, 100, 1, 1) },
            }),
            inlineRow('2024-03-09', { retention: { '30': cell(1, 100, 0, 0, 0) } }),
          ],
        }),
      );
      const retention = chart(model, 'retention');
      assert.deepEqual(retention.labels, ['30 s', '2 min', '5 min', '10 min', '15 min']);
      assert.deepEqual(seriesValues(retention, 'Characters retained (ARC)'), [380 / 500, null, null, 0.5, null]);
      assert.deepEqual(seriesValues(retention, 'Unchanged acceptances'), [3 / 5, null, null, 0.5, null]);
      assert.deepEqual(seriesValues(retention, 'Mostly retained acceptances'), [4 / 5, null, null, 0.5, null]);
      assert.deepEqual(seriesValues(retention, 'Acceptances with a known outcome'), [5, 0, 0, 2, 0]);
      assert.equal(card(model, 'retention').value, 0.5);
      assert.match(plain(card(model, 'retention').detail), /of 2 accepts whose outcome is known/);
    });

    it('language and provider filters narrow inline figures but not agent usage', () => {
      const model = buildViewModel(
        input({
          filters: { languageId: 'python', provider: null, source: null },
          inline: [
            inlineRow('2024-03-10', { languageId: 'python', acceptances: { full: 2, word: 0, line: 0 } }),
            inlineRow('2024-03-10', { languageId: 'rust', acceptances: { full: 5, word: 0, line: 0 } }),
          ],
          usage: [usageRow('2024-03-10', { costUSD: 2 })],
        }),
      );
      assert.equal(card(model, 'accepted').value, 2);
      assert.equal(card(model, 'token-spend').value, 2);
      assert.deepEqual(model.filterOptions.languages, ['python', 'rust']);
      assert.ok(model.notices.some((n) => /apply to inline suggestions/.test(plain(n))));
    });

    it('source filter narrows usage only', () => {
      const model = buildViewModel(
        input({
          filters: { languageId: null, provider: null, source: 'codex' },
          usage: [usageRow('2024-03-10', { source: 'codex', costUSD: 3 }), usageRow('2024-03-10', { costUSD: 5 })],
        }),
      );
      assert.equal(card(model, 'token-spend').value, 3);
      assert.deepEqual(model.filterOptions.sources, ['claude-code', 'codex']);
    });
  });

  describe('breakdowns', () => {
    it('shows the top groups and folds the rest into one group apart from the literal "other"', () => {
      const languages = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'other', 'j'];
      const model = buildViewModel(
        input({
          inline: languages.map((languageId, i) => inlineRow('2024-03-10', { languageId, acceptedChars: (i + 1) * 10 })),
        }),
      );
      const spec = chart(model, 'by-language');
      assert.equal(spec.labels.length, TOP_N);
      assert.deepEqual(spec.labels.slice(0, 3), ['j', 'other', 'h']);
      assert.equal(spec.labels[TOP_N - 1], '3 others');
      // The three smallest (a, b, c) are summed.
      assert.equal(seriesValues(spec, 'Accepted characters')[TOP_N - 1], 10 + 20 + 30);
    });

    it('topN keeps every group when they fit', () => {
      assert.deepEqual(topN(new Map([['x', 1], ['y', 2]]), 8), { keys: ['y', 'x'], rest: [] });
    });

    it('ranks models by tokens so unpriced models still show, with no spend rather than $0', () => {
      const model = buildViewModel(
        input({ usage: [usageRow('2024-03-10', { model: 'mystery', costUSD: null }), usageRow('2024-03-10', { costUSD: 4 })] }),
      );
      const spec = chart(model, 'by-model');
      assert.deepEqual(spec.labels.sort(), ['claude-sonnet-4', 'mystery']);
      const spend = seriesValues(spec, 'API-priced cost');
      assert.equal(spend[spec.labels.indexOf('mystery')], null);
      assert.equal(card(model, 'token-spend').value, 4);
      assert.ok(model.notices.map(plain).some((n) => n.includes('No price for mystery')));
    });
    it('says a filter hid the range’s figures, rather than that there are none to import', () => {
      const rows = { usage: [usageRow('2024-03-10', { source: 'claude-code' })], inline: [inlineRow('2024-03-10', { languageId: 'python' })] };
      const filtered = buildViewModel(input({ ...rows, filters: { languageId: 'rust', provider: null, source: 'codex' } }));
      assert.equal(chart(filtered, 'by-source').empty, EMPTY.usageFiltered);
      assert.equal(chart(filtered, 'cost-by-model').empty, EMPTY.usageFiltered);
      assert.equal(chart(filtered, 'agent-lines').empty, EMPTY.usageFiltered);
      assert.equal(chart(filtered, 'by-language').empty, EMPTY.inlineFiltered);
      assert.equal(filtered.tables.find((table) => table.id === 'unpriced-models')?.empty, EMPTY.usageFiltered);
      // Without rows in the range, the note still says how figures arrive.
      const empty = buildViewModel(input({ filters: { languageId: 'rust', provider: null, source: 'codex' } }));
      assert.equal(chart(empty, 'by-source').empty, EMPTY.usage);
      assert.equal(chart(empty, 'by-language').empty, EMPTY.inline);
    });

    it('shows no cost over time for a day whose usage has no price, and $0 for a day without usage', () => {
      const model = buildViewModel(
        input({
          range: { preset: 'custom', from: '2024-03-09', to: '2024-03-11' },
          usage: [
            usageRow('2024-03-09', { model: 'mystery', costUSD: null }),
            usageRow('2024-03-10', { model: 'mystery', costUSD: null }),
            usageRow('2024-03-10', { costUSD: 4 }),
          ],
        }),
      );
      const byModel = chart(model, 'cost-by-model');
      assert.deepEqual(seriesValues(byModel, 'mystery'), [null, null, 0]);
      assert.deepEqual(seriesValues(byModel, 'claude-sonnet-4'), [0, 4, 0]);
      assert.deepEqual(seriesValues(chart(model, 'cost-by-source'), 'claude-code'), [null, 4, 0], 'a priced row makes the day a sum');
    });

    it('does not call a model unpriced when its requests logged no tokens', () => {
      const model = buildViewModel(
        input({ usage: [usageRow('2024-03-10', { model: 'gpt-4.1', costUSD: null, requests: 3, requestsWithoutTokens: 3 })] }),
      );
      assert.equal(model.notices.map(plain).some((n) => n.includes('No price for gpt-4.1')), false);
      assert.ok(model.notices.map(plain).some((n) => n.startsWith('3 responses were logged without token counts')));
    });
  });

  describe('cost and value', () => {
    it('total cost is token spend plus seats spread over the days in range', () => {
      const model = buildViewModel(
        input({ economics: { ...economics, seatCostUSD: () => 0.5 }, usage: [usageRow('2024-03-10', { costUSD: 2 })] }),
      );
      assert.equal(card(model, 'total-cost').value, 2 + 7 * 0.5);
      assert.deepEqual(seriesValues(chart(model, 'cost-vs-value'), 'Seat cost'), Array(7).fill(0.5));
    });

    it('estimated value uses retained characters at 600 s and responses, labelled as an estimate', () => {
      const model = buildViewModel(
        input({
          inline: [inlineRow('2024-03-10', { retention: { '600': cell(10, 2000, 1200), '30': cell(10, 2000, 1900) } })],
          usage: [usageRow('2024-03-10', { requests: 4 })],
        }),
      );
      const value = card(model, 'value');
      assert.equal(value.estimate, true);
      // 1200 / 200 = 6 min + 4 responses × 1 min = 10 min at $60/h.
      assert.equal(value.value, 10);
      assert.match(plain(model.valueFormula.formula), /1,200 chars retained at 10 min ÷ 200 chars\/min \+ 4 responses × 1 min/);
      assert.deepEqual(
        model.valueFormula.terms.map((t) => t.value),
        [1200, 4, 0, 6, 4, 0, 10, 10],
      );
      assert.equal(
        plain(value.detail),
        '60% from kept inline characters (measured), 40% from 4 agent responses × 1 min each (assumed); 10× the spend',
        'the card says how much of the estimate is an assumption',
      );
    });

    it('values agent work by its lines kept a day later where that was measured, in the card, its formula and the daily chart alike', () => {
      const day = '2024-03-10';
      const model = buildViewModel(
        input({
          inline: [inlineRow(day, { retention: { '600': cell(10, 2000, 1200) } })],
          usage: [
            usageRow(day, { requests: 4, agentEdits: 3, linesAdded: 30, agentRetention: { '86400': { known: 3, linesAdded: 30, linesKept: 24 } } }),
            usageRow(day, { model: 'cheap-model', requests: 2 }),
          ],
          range: { preset: 'custom', from: day, to: day },
        }),
      );
      // 1200 / 200 = 6 min + 2 unmeasured responses × 1 min + 24 kept lines × 0.5 min = 20 min at $60/h = $20.
      const value = card(model, 'value');
      assert.equal(value.value, 20);
      assert.match(plain(model.valueFormula.formula), /\+ 2 responses × 1 min \+ 24 kept agent lines × 0\.5 min\)/);
      assert.deepEqual(seriesValues(chart(model, 'cost-vs-value'), 'Estimated value'), [20]);
      assert.equal(
        plain(value.detail).split(';')[0],
        '90% from kept inline characters and 24 agent lines kept a day later (measured), 10% from 2 agent responses × 1 min each (assumed)',
      );
    });

    it('counts tokens a flat plan covers as the plan\'s API-equivalent value, not as spend on top of the seat', () => {
      const model = buildViewModel(
        input({
          economics: { ...economics, seatCostUSD: () => 1, planCoveredSources: new Set(['claude-code']) },
          usage: [usageRow('2024-03-10', { source: 'claude-code', costUSD: 30 }), usageRow('2024-03-10', { source: 'codex', costUSD: 5 })],
        }),
      );
      assert.equal(card(model, 'token-spend').value, 35, 'all tokens at API prices');
      assert.equal(card(model, 'total-cost').value, 7 * 1 + 5, 'seats plus the tokens no plan covers');
      assert.match(plain(card(model, 'token-spend').detail), /\$30\.00 of it is usage your flat plans cover/);
      assert.deepEqual(seriesValues(chart(model, 'cost-vs-value'), 'Tokens billed by use').slice(-1), [5]);
    });

    it('divides only inline-suggestion seat cost by accepted lines, never agent tokens or other plans', () => {
      const inline = [inlineRow('2024-03-10', { acceptedLines: 20 })];
      const usage = [usageRow('2024-03-10', { costUSD: 100 })];
      const withSeat = buildViewModel(input({ inline, usage, economics: { ...economics, seatCostUSD: () => 3, inlineSeatCostUSD: () => 1 } }));
      assert.equal(card(withSeat, 'cost-per-line').value, (7 * 1) / 20);
      const without = buildViewModel(input({ inline, usage, economics: { ...economics, seatCostUSD: () => 3 } }));
      assert.equal(card(without, 'cost-per-line').value, null, 'no inline seat: nothing to divide, not agent cost ÷ ghost-text lines');
    });

    it('names the acceptance figure for what it divides by, on the card itself', () => {
      const model = buildViewModel(input({ inline: [inlineRow('2024-03-10', { opportunities: 200, acceptances: { full: 3, word: 0, line: 0 } })] }));
      const rate = card(model, 'acceptance-rate');
      assert.equal(rate.label, 'Accepts per suggestion request');
      assert.match(plain(rate.detail), /^3 accepts of 200 times the editor asked for ghost text\. Most requests show nothing, so this is not the rate of shown suggestions\.$/);
    });

    it('prices the same tokens as other models in the what-if table, unpriced as no figure', () => {
      const model = buildViewModel(
        input({
          usage: [
            usageRow('2024-03-10', { inputTokens: 3000, outputTokens: 1000, costUSD: 8 }),
            usageRow('2024-03-10', { model: 'mystery', costUSD: null }),
          ],
        }),
      );
      const whatIf = model.tables.find((t) => t.id === 'what-if');
      assert.ok(whatIf);
      assert.match(whatIf.description, /1 rows on unpriced models are left out/);
      assert.deepEqual(whatIf.rows, [
        ['As used (models as logged)', 8, 0, null],
        ['cheap-model', 4, -4, 0.5],
        ['other', null, null, null],
      ]);
    });

    it('Jevons view gives spend per million priced tokens per month', () => {
      const model = buildViewModel(
        input({
          range: { preset: 'custom', from: '2024-02-01', to: '2024-03-10' },
          usage: [
            usageRow('2024-02-05', { inputTokens: 1_000_000, outputTokens: 0, costUSD: 3 }),
            usageRow('2024-03-05', { inputTokens: 2_000_000, outputTokens: 0, costUSD: 2 }),
            usageRow('2024-03-06', { model: 'mystery', inputTokens: 5_000_000, outputTokens: 0, costUSD: null }),
          ],
        }),
      );
      const jevons = chart(model, 'jevons');
      assert.deepEqual(jevons.labels, ['2024-02', '2024-03']);
      assert.deepEqual(seriesValues(jevons, 'Average $ per 1M tokens'), [3, 1]);
      assert.deepEqual(seriesValues(jevons, 'Tokens'), [1_000_000, 7_000_000]);
      assert.deepEqual(seriesValues(jevons, 'Days in range'), [29, 10]);
      assert.deepEqual(seriesValues(jevons, 'API-priced cost per day'), [3 / 29, 2 / 10], 'a 10-day month is compared per day, not as a month');
      assert.deepEqual(seriesValues(jevons, 'Tokens per day'), [1_000_000 / 29, 7_000_000 / 10]);
      assert.match(jevons.description, /Months only partly in the range \(averaged over their days in it\): 2024-03\./);
    });

    it('orders breakdown bars by the spend they draw, unpriced models after priced ones', () => {
      const model = buildViewModel(
        input({
          usage: [
            usageRow('2024-03-10', { model: 'big-tokens-cheap', inputTokens: 9_000_000, costUSD: 1 }),
            usageRow('2024-03-10', { model: 'few-tokens-dear', inputTokens: 1_000, costUSD: 50 }),
            usageRow('2024-03-10', { model: 'mystery', inputTokens: 50_000_000, costUSD: null }),
          ],
        }),
      );
      assert.deepEqual(chart(model, 'by-model').labels, ['few-tokens-dear', 'big-tokens-cheap', 'mystery']);
    });

    it('sorts the what-if table cheapest first, unpriced last, after the real cost', () => {
      const model = buildViewModel(
        input({
          economics: {
            ...economics,
            whatIf: (rows) =>
              ['dear', 'unpriced', 'cheap'].map((targetModel) => ({
                targetModel,
                realCostUSD: 10,
                whatIfCostUSD: targetModel === 'dear' ? 20 : targetModel === 'cheap' ? 2 : null,
                pricedRows: rows.length,
                unpricedRows: 0,
              })),
          },
          usage: [usageRow('2024-03-10', { costUSD: 10 })],
        }),
      );
      const whatIf = model.tables.find((t) => t.id === 'what-if');
      assert.deepEqual(whatIf?.rows.map((row) => row[0]), ['As used (models as logged)', 'cheap', 'dear', 'unpriced']);
    });
  });

  describe('empty states', () => {
    it('explains how each kind of data arrives', () => {
      const model = buildViewModel(input());
      assert.equal(chart(model, 'daily-chars').empty, EMPTY.inline);
      assert.equal(chart(model, 'retention').empty, EMPTY.retention);
      assert.match(chart(model, 'by-source').empty ?? '', /Import Agent Usage Now/);
      assert.match(chart(model, 'by-source').empty ?? '', /Claude Code, Codex/);
      assert.equal(model.tables[0].empty, EMPTY.whatIf);
      assert.equal(chart(model, 'cost-vs-value').empty, EMPTY.costValue);
    });

    it('says capture is off instead of waiting for accepts that will not be recorded', () => {
      const model = buildViewModel(input({ captureEnabled: false }));
      assert.equal(chart(model, 'daily-chars').empty, EMPTY.captureOff);
    });

    it('has no empty message where there is data', () => {
      const model = buildViewModel(input({ inline: [inlineRow('2024-03-10', { aiChars: 1 })], usage: [usageRow('2024-03-10')] }));
      assert.equal(chart(model, 'daily-chars').empty, null);
      assert.equal(chart(model, 'by-model').empty, null);
    });
  });

  it('produces a model the webview accepts', () => {
    const model = buildViewModel(
      input({
        inline: [inlineRow('2024-03-10', { aiChars: 1, retention: { '600': cell(1, 1, 1, 1, 1) } })],
        usage: [usageRow('2024-03-10')],
      }),
    );
    assert.equal(ViewModelSchema.safeParse(model).success, true);
  });
});
