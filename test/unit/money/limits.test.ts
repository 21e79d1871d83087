import assert from 'node:assert/strict';
import {
  latestLimits,
  LimitObservation,
  LimitReached,
  limitReachedTimes,
  parseClaudeLimitReached,
  parseCodexRateLimits,
  windowOfMinutes,
} from '../../../src/money/limits';
import { claudeLimitLine, codexSnapshot, codexTokenCountLine, codexWindow } from './fixtures';

const AT = '2026-11-20T09:15:42.512Z';
const T = Date.parse(AT);
const RESET_5H = Date.UTC(2026, 10, 20, 12, 0, 0) / 1000;
const RESET_WEEK = Date.UTC(2026, 10, 24, 7, 30, 0) / 1000;

describe('Codex rate limits', () => {
  it('reads both windows of a current token_count line, reset times from Unix seconds', () => {
    const line = codexTokenCountLine(AT, codexSnapshot(codexWindow(42, 300, RESET_5H), codexWindow(12.5, 10080, RESET_WEEK)));
    assert.deepEqual(parseCodexRateLimits(line), [
      { source: 'codex', limit: 'plan', window: '5h', windowMinutes: 300, usedPercent: 42, resetsAt: RESET_5H * 1000, t: T },
      { source: 'codex', limit: 'plan', window: 'weekly', windowMinutes: 10080, usedPercent: 12.5, resetsAt: RESET_WEEK * 1000, t: T },
    ]);
  });

  it('names a window by its length, not its slot: a weekly limit sent as primary stays weekly', () => {
    const line = codexTokenCountLine(AT, codexSnapshot(codexWindow(97, 10080, RESET_WEEK), null));
    const observations = parseCodexRateLimits(line);
    assert.equal(observations?.length, 1);
    assert.equal(observations?.[0].window, 'weekly');
    assert.equal(observations?.[0].usedPercent, 97);
  });

  it('turns the older relative resets_in_seconds into a time after the line', () => {
    const line = codexTokenCountLine(AT, {
      primary: { used_percent: 30, window_minutes: 300, resets_in_seconds: 7200 },
      secondary: { used_percent: 5, window_minutes: 10080, resets_in_seconds: 500_000 },
    });
    const observations = parseCodexRateLimits(line);
    assert.deepEqual(observations?.map((o) => o.resetsAt), [T + 7_200_000, T + 500_000_000]);
  });

  it('reads the flat snapshot of September 2025 builds, which has no reset time', () => {
    const line = codexTokenCountLine(AT, {
      primary_used_percent: 12.5,
      secondary_used_percent: 40,
      primary_to_secondary_ratio_percent: 75,
      primary_window_minutes: 300,
      secondary_window_minutes: 10080,
    });
    assert.deepEqual(
      parseCodexRateLimits(line)?.map((o) => [o.window, o.usedPercent, o.resetsAt]),
      [
        ['5h', 12.5, null],
        ['weekly', 40, null],
      ],
    );
  });

  it('keeps a separate limit bucket apart from the plan limit, without its name', () => {
    const line = codexTokenCountLine(AT, codexSnapshot(codexWindow(64, 300, RESET_5H), null, { limit_id: 'codex_bengalfox', limit_name: 'GPT-5.3-Codex-Spark' }));
    const observations = parseCodexRateLimits(line);
    assert.equal(observations?.[0].limit, 'other');
    assert.ok(!JSON.stringify(observations).includes('Spark'), 'the limit name is free text and is not kept');
    assert.ok(!JSON.stringify(observations).includes('bengalfox'));
  });

  it('treats a window of 0 or no minutes as an unnamed window and a missing reset as unknown', () => {
    const line = codexTokenCountLine(AT, codexSnapshot(codexWindow(20, 0, null), codexWindow(20, null, null)));
    assert.deepEqual(parseCodexRateLimits(line)?.map((o) => [o.window, o.windowMinutes, o.resetsAt]), [
      ['other', null, null],
      ['other', null, null],
    ]);
  });

  it('returns nothing for other records, a null rate_limits (API-key sessions) and damaged values', () => {
    assert.equal(parseCodexRateLimits(codexTokenCountLine(AT, null)), undefined);
    assert.equal(parseCodexRateLimits({ timestamp: AT, type: 'turn_context', payload: { model: 'gpt-5.1-codex' } }), undefined);
    assert.equal(parseCodexRateLimits({ timestamp: AT, type: 'event_msg', payload: { type: 'agent_message', message: 'hi' } }), undefined);
    assert.equal(parseCodexRateLimits(codexTokenCountLine('not a time', codexSnapshot(codexWindow(1, 300, RESET_5H), null))), undefined);
    assert.equal(parseCodexRateLimits(codexTokenCountLine(AT, codexSnapshot({ used_percent: '42' }, null))), undefined);
    assert.equal(parseCodexRateLimits(codexTokenCountLine(AT, codexSnapshot(null, null))), undefined);
    for (const hostile of [null, undefined, 42, 'event_msg', [], { __proto__: { type: 'event_msg' } }]) {
      assert.equal(parseCodexRateLimits(hostile), undefined);
    }
  });

  it('drops one impossible window and keeps the other', () => {
    const line = codexTokenCountLine(AT, codexSnapshot(codexWindow(-5, 300, RESET_5H), codexWindow(50, 10080, RESET_WEEK)));
    assert.deepEqual(parseCodexRateLimits(line)?.map((o) => o.window), ['weekly']);
  });

  it('returns only observations the ledger schema accepts', () => {
    const line = codexTokenCountLine(AT, codexSnapshot(codexWindow(100.4, 299, RESET_5H), codexWindow(3, 10079, RESET_WEEK)));
    const observations = parseCodexRateLimits(line) ?? [];
    assert.equal(observations.length, 2);
    for (const observation of observations) assert.deepEqual(LimitObservation.parse(observation), observation);
    assert.deepEqual(observations.map((o) => o.window), ['5h', 'weekly']);
  });

  it('names windows by length with a little tolerance', () => {
    assert.deepEqual([300, 285, 316, 10080, 10020, 60, null].map(windowOfMinutes), ['5h', '5h', 'other', 'weekly', 'weekly', 'other', 'other']);
  });
});

describe('Claude Code usage limit reached', () => {
  it('reads the time and the reset of the line ccusage detects', () => {
    const reached = parseClaudeLimitReached(claudeLimitLine('2025-01-10T08:12:30.000Z', 'Claude AI usage limit reached|1736503200'));
    assert.deepEqual(reached, { source: 'claude-code', window: 'other', resetsAt: Date.UTC(2025, 0, 10, 10, 0, 0), t: Date.UTC(2025, 0, 10, 8, 12, 30) });
    assert.deepEqual(LimitReached.parse(reached), reached);
  });

  it('reads ccusage test line as it is, and a reset of 0 as an unknown reset', () => {
    const ccusageLine = JSON.parse(
      '{"timestamp":"2025-01-10T10:00:00.000Z","isApiErrorMessage":true,"message":{"content":[{"text":"Claude AI usage limit reached|1736503200 remaining"}],"usage":{"input_tokens":0,"output_tokens":0}}}',
    ) as unknown;
    assert.equal(parseClaudeLimitReached(ccusageLine)?.resetsAt, Date.UTC(2025, 0, 10, 10, 0, 0));
    assert.equal(parseClaudeLimitReached(claudeLimitLine('2025-01-10T10:00:00.000Z', 'Claude AI usage limit reached|0'))?.resetsAt, null);
  });

  it('reads the newer "You\'ve hit your … limit" message and names the window when it says which', () => {
    const recorded = JSON.parse(
      '{"type":"assistant","timestamp":"2026-08-19T13:40:00.123Z","message":{"content":[{"type":"text","text":"You\'ve hit your session limit · resets 9:50pm (Asia/Saigon)"}]},"error":"rate_limit","isApiErrorMessage":true,"apiErrorStatus":429}',
    ) as unknown;
    assert.deepEqual(parseClaudeLimitReached(recorded), { source: 'claude-code', window: '5h', resetsAt: null, t: Date.parse('2026-08-19T13:40:00.123Z') });
    const windowOf = (text: string) => parseClaudeLimitReached(claudeLimitLine(AT, text))?.window;
    assert.equal(windowOf("You've hit your weekly limit · resets Mon 9am (Europe/Paris)"), 'weekly');
    assert.equal(windowOf("You've hit your Opus limit · resets 3pm"), 'other');
    assert.equal(windowOf("You've hit your limit · resets 3pm (Europe/Rome)"), 'other');
  });

  it('ignores other errors, lines not flagged as API errors, and ordinary text', () => {
    assert.equal(parseClaudeLimitReached(claudeLimitLine(AT, 'API Error: 529 Overloaded')), undefined);
    assert.equal(parseClaudeLimitReached(claudeLimitLine(AT, 'Server is temporarily limiting requests (not your usage limit). Retry in 156s.')), undefined);
    assert.equal(parseClaudeLimitReached(claudeLimitLine(AT, 'Claude AI usage limit reached|1736503200', false)), undefined);
    assert.equal(parseClaudeLimitReached(claudeLimitLine(AT, 'Claude AI usage limit reached|1736503200', 'absent')), undefined);
    for (const hostile of [null, 'Claude AI usage limit reached|1', { isApiErrorMessage: true }, { isApiErrorMessage: true, timestamp: AT, message: { content: 7 } }]) {
      assert.equal(parseClaudeLimitReached(hostile), undefined);
    }
  });

  it('reads message content written as a plain string', () => {
    const line = { ...claudeLimitLine(AT, ''), message: { content: 'Claude AI usage limit reached|1763640000' } };
    assert.equal(parseClaudeLimitReached(line)?.resetsAt, 1_763_640_000_000);
  });
});

describe('latest limits', () => {
  const observation = (t: number, window: '5h' | 'weekly', usedPercent: number, resetsAt: number | null): LimitObservation => ({
    source: 'codex',
    limit: 'plan',
    window,
    windowMinutes: window === '5h' ? 300 : 10080,
    usedPercent,
    resetsAt,
    t,
  });

  it('keeps the newest figure per window, whatever the order, 5-hour first', () => {
    const now = T + 60_000;
    const statuses = latestLimits(
      [observation(T, 'weekly', 30, T + 86_400_000), observation(T - 1000, '5h', 10, T + 3_600_000), observation(T, '5h', 55, T + 3_600_000), observation(T - 5000, '5h', 90, T + 3_600_000)],
      now,
    );
    assert.deepEqual(statuses.map((s) => [s.window, s.usedPercent, s.observedAt]), [
      ['5h', 55, T],
      ['weekly', 30, T],
    ]);
  });

  it('shows no percentage once the reported reset time has passed', () => {
    const [status] = latestLimits([observation(T, '5h', 95, T + 3_600_000)], T + 3_600_000);
    assert.equal(status.usedPercent, null);
    assert.equal(status.resetsAt, T + 3_600_000);
    const [unknownReset] = latestLimits([observation(T, '5h', 95, null)], T + 10 * 86_400_000);
    assert.equal(unknownReset.usedPercent, 95);
  });

  it('is empty without observations', () => {
    assert.deepEqual(latestLimits([], T), []);
  });
});

describe('limit reached times', () => {
  it('counts the first line of each limit once, newest first, within the range', () => {
    const reset = Date.UTC(2026, 10, 20, 14, 0, 0);
    const events: LimitReached[] = [
      { source: 'claude-code', window: 'other', resetsAt: reset, t: T + 120_000 },
      { source: 'claude-code', window: 'other', resetsAt: reset, t: T },
      { source: 'claude-code', window: 'other', resetsAt: reset + 5 * 3_600_000, t: T + 6 * 3_600_000 },
      { source: 'claude-code', window: 'other', resetsAt: reset - 86_400_000, t: T - 86_400_000 },
    ];
    assert.deepEqual(limitReachedTimes(events, T - 3_600_000, T + 7 * 3_600_000).map((e) => e.t), [T + 6 * 3_600_000, T]);
  });

  it('without a reset time counts retries within the same minute once', () => {
    const events: LimitReached[] = [
      { source: 'claude-code', window: '5h', resetsAt: null, t: T },
      { source: 'claude-code', window: '5h', resetsAt: null, t: T + 10_000 },
      { source: 'claude-code', window: '5h', resetsAt: null, t: T + 600_000 },
    ];
    assert.equal(limitReachedTimes(events, 0, T + 3_600_000).length, 2);
  });
});
