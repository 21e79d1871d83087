import * as assert from 'node:assert/strict';
import type { LedgerEvent } from '../../../src/ledger/events';
import type { Pricer, TieredTokenCounts } from '../../../src/pricing/types';
import { isCalendarDate, isValidTimeZone, localDate } from '../../../src/calendar/dates';
import { filterRollup, priceUsageRows, rollupDaily, rollupMonthly } from '../../../src/report/rollup';
import { accept, activity, retention, usage } from '../ledger/ledgerFixtures';

const UTC = 'UTC';

describe('localDate', () => {
  it('ends days at local midnight across the spring DST change in New York (a 23-hour day)', () => {
    const zone = 'America/New_York';
    // 2024-03-10 starts at 05:00Z (EST) and ends at 04:00Z next day (EDT).
    assert.equal(localDate(Date.parse('2024-03-10T04:59:59.999Z'), zone), '2024-03-09');
    assert.equal(localDate(Date.parse('2024-03-10T05:00:00Z'), zone), '2024-03-10');
    assert.equal(localDate(Date.parse('2024-03-10T07:30:00Z'), zone), '2024-03-10'); // 03:30 EDT, after the gap
    assert.equal(localDate(Date.parse('2024-03-11T03:59:59.999Z'), zone), '2024-03-10');
    assert.equal(localDate(Date.parse('2024-03-11T04:00:00Z'), zone), '2024-03-11');
  });

  it('ends days at local midnight across the autumn DST change in Berlin (a 25-hour day)', () => {
    const zone = 'Europe/Berlin';
    // 2024-10-27 starts at 22:00Z on the 26th (CEST) and ends at 23:00Z on the 27th (CET).
    assert.equal(localDate(Date.parse('2024-10-26T21:59:59Z'), zone), '2024-10-26');
    assert.equal(localDate(Date.parse('2024-10-26T22:00:00Z'), zone), '2024-10-27');
    assert.equal(localDate(Date.parse('2024-10-27T22:59:59Z'), zone), '2024-10-27');
    assert.equal(localDate(Date.parse('2024-10-27T23:00:00Z'), zone), '2024-10-28');
  });

  it('handles zones whose offset is not a whole hour', () => {
    // Kathmandu is UTC+05:45: midnight is 18:15Z.
    assert.equal(localDate(Date.parse('2024-05-01T18:14:59Z'), 'Asia/Kathmandu'), '2024-05-01');
    assert.equal(localDate(Date.parse('2024-05-01T18:15:00Z'), 'Asia/Kathmandu'), '2024-05-02');
  });

  it('validates zones and calendar dates', () => {
    assert.ok(isValidTimeZone('Europe/Berlin'));
    assert.ok(!isValidTimeZone('Mars/Olympus_Mons'));
    assert.ok(isCalendarDate('2024-02-29'));
    assert.ok(!isCalendarDate('2023-02-29'));
    assert.ok(!isCalendarDate('2024-2-1'));
  });
});

describe('rollupDaily', () => {
  it('returns no rows for no events', () => {
    assert.deepEqual(rollupDaily([], { timeZone: UTC }), { inline: [], usage: [] });
  });

  it('sums acceptances, characters, lines, opportunities and typing per day, language and provider', () => {
    const t = Date.UTC(2024, 4, 1, 9);
    const events: LedgerEvent[] = [
      accept({ t, mode: 'full', chars: 30, lines: 2 }),
      accept({ t, mode: 'word', chars: 5, lines: 1 }),
      accept({ t, mode: 'line', chars: 12, lines: 1 }),
      activity({ t, opportunities: 7, typedChars: 100 }),
      activity({ t, opportunities: 3, typedChars: 20 }),
      accept({ t, languageId: 'python', chars: 9, lines: 1 }),
      accept({ t: Date.UTC(2024, 4, 2, 9), chars: 1, lines: 0 }),
    ];
    const { inline, usage: usageRows } = rollupDaily(events, { timeZone: UTC });
    assert.equal(usageRows.length, 0);
    assert.deepEqual(
      inline.map((row) => [row.date, row.languageId, row.provider]),
      [
        ['2024-05-01', 'python', 'copilot'],
        ['2024-05-01', 'typescript', 'copilot'],
        ['2024-05-02', 'typescript', 'copilot'],
      ],
    );
    assert.deepEqual(inline[1], {
      date: '2024-05-01',
      kind: 'inline',
      languageId: 'typescript',
      provider: 'copilot',
      acceptances: { full: 1, word: 1, line: 1 },
      acceptedChars: 47,
      acceptedLines: 4,
      opportunities: 10,
      typedChars: 120,
      aiChars: 47,
      agentEditsInEditor: 0,
      agentCharsInEditor: 0,
      retention: {},
    });
  });

  it('dates rows by the report time zone', () => {
    // 2024-05-01T03:00Z is still April 30 in New York.
    const event = accept({ t: Date.UTC(2024, 4, 1, 3) });
    assert.equal(rollupDaily([event], { timeZone: UTC }).inline[0].date, '2024-05-01');
    assert.equal(rollupDaily([event], { timeZone: 'America/New_York' }).inline[0].date, '2024-04-30');
  });

  it('puts every event of a 23-hour DST day on that day', () => {
    const zone = 'America/New_York';
    const events = [
      accept({ t: Date.parse('2024-03-10T05:00:00Z') }),
      accept({ t: Date.parse('2024-03-11T03:59:00Z') }),
      accept({ t: Date.parse('2024-03-11T04:00:00Z') }),
    ];
    const rows = rollupDaily(events, { timeZone: zone }).inline;
    assert.deepEqual(
      rows.map((row) => [row.date, row.acceptances.full]),
      [
        ['2024-03-10', 2],
        ['2024-03-11', 1],
      ],
    );
  });

  it('keys retention by checkpoint, dates it by acceptance, and applies the 0.67 mostly-retained threshold', () => {
    const acceptedAt = Date.UTC(2024, 4, 1, 23, 55);
    const checkedAt = Date.UTC(2024, 4, 2, 0, 5);
    const events = [
      retention({ acceptedAt, t: checkedAt, checkpoint: 600, chars: 100, arc: 67, unchanged: false }),
      retention({ acceptedAt, t: checkedAt, checkpoint: 600, chars: 100, arc: 66, unchanged: false }),
      retention({ acceptedAt, t: checkedAt, checkpoint: 600, chars: 50, arc: 50, unchanged: true }),
      retention({ acceptedAt, t: checkedAt, checkpoint: 600, chars: 0, arc: 0, unchanged: true }),
      retention({ acceptedAt, checkpoint: 600, outcome: 'unknown', reason: 'closed', chars: 80, arc: 0, unchanged: false }),
      retention({ acceptedAt, checkpoint: 30, chars: 10, arc: 10 }),
    ];
    const [row, ...others] = rollupDaily(events, { timeZone: UTC }).inline;
    assert.equal(others.length, 0);
    assert.equal(row.date, '2024-05-01');
    assert.deepEqual(row.retention, {
      '30': { known: 1, chars: 10, arc: 10, unchanged: 1, mostlyRetained: 1 },
      '600': { known: 4, chars: 250, arc: 183, unchanged: 2, mostlyRetained: 2 },
    });
  });

  it('splits usage tokens into standard and long-context requests by prompt size', () => {
    const t = Date.UTC(2024, 4, 1, 12);
    const atThreshold = usage({ t, inputTokens: 100_000, cacheReadTokens: 90_000, cacheWrite5mTokens: 5_000, cacheWrite1hTokens: 5_000, outputTokens: 10 });
    const overThreshold = usage({ t, inputTokens: 1, cacheReadTokens: 200_000, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 20, reasoningTokens: 5 });
    const [row] = rollupDaily([atThreshold, overThreshold], { timeZone: UTC }).usage;
    assert.equal(row.requests, 2);
    assert.equal(row.requestsWithoutTokens, 0);
    assert.deepEqual(row.tokens, {
      standard: { inputTokens: 100_000, outputTokens: 10, reasoningTokens: 0, cacheReadTokens: 90_000, cacheWrite5mTokens: 5_000, cacheWrite1hTokens: 5_000 },
      longContext: { inputTokens: 1, outputTokens: 20, reasoningTokens: 5, cacheReadTokens: 200_000, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 },
    });
  });

  it('keys usage by day, source and model and counts requests without tokens', () => {
    const t = Date.UTC(2024, 4, 1, 12);
    const rows = rollupDaily(
      [
        usage({ t, source: 'codex', model: 'gpt-5' }),
        usage({ t, source: 'copilot-chat', model: 'gpt-4o', tokensKnown: false, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0 }),
        usage({ t, source: 'copilot-chat', model: 'gpt-4o' }),
      ],
      { timeZone: UTC },
    ).usage;
    assert.deepEqual(
      rows.map((row) => [row.source, row.model, row.requests, row.requestsWithoutTokens]),
      [
        ['codex', 'gpt-5', 1, 0],
        ['copilot-chat', 'gpt-4o', 2, 1],
      ],
    );
  });

  it('counts a usage id once, the later event replacing the earlier even on another day', () => {
    const first = usage({ id: 'record-0001', t: Date.UTC(2024, 4, 1, 12), outputTokens: 10 });
    const upserted = usage({ id: 'record-0001', t: Date.UTC(2024, 4, 2, 12), outputTokens: 99 });
    const rows = rollupDaily([first, upserted], { timeZone: UTC }).usage;
    assert.deepEqual(
      rows.map((row) => [row.date, row.requests, row.tokens.standard.outputTokens]),
      [['2024-05-02', 1, 99]],
    );
  });

  it('filters by inclusive date range, language and provider', () => {
    const day = (d: number) => Date.UTC(2024, 4, d, 12);
    const events = [
      accept({ t: day(1) }),
      accept({ t: day(2), languageId: 'python' }),
      accept({ t: day(3), provider: 'codeium' }),
      accept({ t: day(4) }),
      usage({ t: day(2) }),
    ];
    const ranged = rollupDaily(events, { timeZone: UTC, filter: { since: '2024-05-02', until: '2024-05-03' } });
    assert.deepEqual(ranged.inline.map((row) => row.date), ['2024-05-02', '2024-05-03']);
    assert.deepEqual(ranged.usage.map((row) => row.date), ['2024-05-02']);
    const all = rollupDaily(events, { timeZone: UTC });
    assert.deepEqual(filterRollup(all, { languageId: 'python' }).inline.map((row) => row.date), ['2024-05-02']);
    assert.deepEqual(filterRollup(all, { provider: 'codeium' }).inline.map((row) => row.date), ['2024-05-03']);
    assert.deepEqual(filterRollup(all, { since: '2025-01-01' }), { inline: [], usage: [] });
  });
});

describe('rollupMonthly', () => {
  it('merges days into calendar months of the report time zone', () => {
    const events = [
      accept({ t: Date.UTC(2024, 4, 1, 12), chars: 10 }),
      accept({ t: Date.UTC(2024, 4, 31, 12), chars: 5 }),
      retention({ acceptedAt: Date.UTC(2024, 4, 2), chars: 10, arc: 7 }),
      retention({ acceptedAt: Date.UTC(2024, 4, 3), chars: 10, arc: 10 }),
      // June 1st 02:00Z is still May 31 in New York.
      accept({ t: Date.UTC(2024, 5, 1, 2), chars: 1 }),
      usage({ t: Date.UTC(2024, 4, 3), outputTokens: 1 }),
      usage({ t: Date.UTC(2024, 5, 3), outputTokens: 2 }),
    ];
    const monthly = rollupMonthly(rollupDaily(events, { timeZone: 'America/New_York' }));
    assert.deepEqual(
      monthly.inline.map((row) => [row.date, row.acceptedChars, row.retention['600']]),
      [['2024-05', 16, { known: 2, chars: 20, arc: 17, unchanged: 2, mostlyRetained: 2 }]],
    );
    assert.deepEqual(
      monthly.usage.map((row) => [row.date, row.requests, row.tokens.standard.outputTokens]),
      [
        ['2024-05', 1, 1],
        ['2024-06', 1, 2],
      ],
    );
  });
});

describe('priceUsageRows', () => {
  const calls: { model: string; tokens: TieredTokenCounts }[] = [];
  const pricer: Pricer = {
    normalizeModel: (model) => model,
    costUSD(model, tokens) {
      calls.push({ model, tokens });
      return model === 'unpriced-model' ? null : tokens.standard.inputTokens * 0.001 + tokens.longContext.inputTokens * 0.002;
    },
  };

  it('prices tiered tokens per row and totals cache writes', () => {
    calls.length = 0;
    const t = Date.UTC(2024, 4, 1, 12);
    const daily = rollupDaily(
      [
        usage({ t, inputTokens: 1_000, cacheWrite5mTokens: 300, cacheWrite1hTokens: 200, cacheReadTokens: 0 }),
        usage({ t, inputTokens: 250_000, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 }),
      ],
      { timeZone: UTC },
    );
    const [row] = priceUsageRows(daily.usage, pricer);
    assert.equal(row.inputTokens, 251_000);
    assert.equal(row.cacheWriteTokens, 500);
    assert.equal(row.costUSD, 1 + 500);
    assert.deepEqual(calls[0].tokens, daily.usage[0].tokens);
  });

  it('leaves cost null for an unpriced model and for rows with no token counts', () => {
    const t = Date.UTC(2024, 4, 1, 12);
    const daily = rollupDaily(
      [
        usage({ t, model: 'unpriced-model' }),
        usage({ t, model: 'gpt-4o', source: 'copilot-chat', tokensKnown: false, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0 }),
      ],
      { timeZone: UTC },
    );
    const rows = priceUsageRows(daily.usage, pricer);
    assert.deepEqual(
      rows.map((row) => [row.model, row.costUSD, row.requestsWithoutTokens]),
      [
        ['unpriced-model', null, 0],
        ['gpt-4o', null, 1],
      ],
    );
  });
});
