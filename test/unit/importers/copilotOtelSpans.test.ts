import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { importCopilotOtel } from './fixtures';

// Copilot Chat's OpenTelemetry file in both shapes its exporters have written spans in: see
// test/fixtures/importers/copilot-chat/otel/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/copilot-chat/otel');
const SECRET = 'SECRET-PLANTED-7f3a';

async function importOtel(lines: string[]): Promise<UsageEvent[]> {
  const { events, offered } = await importCopilotOtel(lines);
  assert.ok(!JSON.stringify(offered).includes(SECRET), 'no prompt or tool argument reaches an event');
  return events;
}

const fixtureLines = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8').split('\n').filter((line) => line.trim() !== '');

/** [model, input, cache read, cache write, output, reasoning] of each event, by time. */
const tokens = (events: UsageEvent[]) =>
  events.map((e) => [e.model, e.inputTokens, e.cacheReadTokens, e.cacheWrite5mTokens, e.outputTokens, e.reasoningTokens]);

describe('Copilot Chat OpenTelemetry file: span shapes', () => {
  it('counts every chat span of the current exporter (ids at the top of the line), those without a response id too', async () => {
    const events = await importOtel(fixtureLines('copilot-otel-serialized.jsonl'));
    assert.deepEqual(tokens(events), [
      ['claude-sonnet-4.5', 8000, 30000, 2000, 800, 0], // its inference log record is the same call
      ['gpt-4.1-2025-04-14', 3000, 9000, 0, 300, 0], // no gen_ai.response.id
      ['gpt-4.1-2025-04-14', 1000, 12000, 0, 450, 0], // no gen_ai.response.id, same trace
      ['gpt-5', 2000, 6000, 0, 1200, 700],
    ]);
    assert.equal(events[1].t, Date.parse('2026-01-22T16:40:12.000Z'), 'dated by the span\'s end');
  });

  it('reads spans as the exporter in microsoft/vscode writes them (readableSpanToJson: parentSpanContext, traceState, isRemote)', async () => {
    // Copilot Chat moved into microsoft/vscode (extensions/copilot); its fileExporters.ts at
    // 11c9eda3fb7b2a82db1daeb0ea707810532819ab spreads the span context (traceId, spanId, traceFlags, traceState,
    // isRemote) at the top of the line and gives the parent as a context object instead of parentSpanId.
    const [span] = fixtureLines('copilot-otel-serialized.jsonl').map((line) => JSON.parse(line) as Record<string, unknown>);
    const { parentSpanId, ...rest } = span;
    const context = (spanId: unknown) => ({ traceId: span.traceId, spanId, traceFlags: 1, isRemote: false });
    const readable = { ...rest, traceState: undefined, isRemote: false, parentSpanContext: context(parentSpanId), resource: { ...(span.resource as object), schemaUrl: undefined } };
    assert.deepEqual(tokens(await importOtel([JSON.stringify(readable)])), [['claude-sonnet-4.5', 8000, 30000, 2000, 800, 0]]);
  });

  it('tells sessions apart by trace when a chat span names no chat session', async () => {
    const [named, firstInTrace, secondInTrace, otherTrace] = await importOtel(fixtureLines('copilot-otel-serialized.jsonl'));
    assert.equal(firstInTrace.session, secondInTrace.session, 'two calls of one trace are one session');
    assert.notEqual(otherTrace.session, firstInTrace.session, 'a call of another trace is another session');
    assert.notEqual(named.session, firstInTrace.session);
  });

  it('still reads spans of earlier builds, ids under _spanContext, those without a response id too', async () => {
    const [, earlierChatSpan] = fixtureLines('copilot-otel.jsonl');
    const span = JSON.parse(earlierChatSpan) as { attributes: Record<string, unknown>; _spanContext: { spanId: string } };
    const withoutResponseId = (spanId: string) => {
      const attributes = { ...span.attributes };
      delete attributes['gen_ai.response.id'];
      delete attributes['copilot_chat.chat_session_id'];
      return JSON.stringify({ ...span, _spanContext: { ...span._spanContext, spanId }, attributes });
    };
    const events = await importOtel([withoutResponseId('00f067aa0ba902b7'), withoutResponseId('00f067aa0ba902b8')]);
    assert.equal(events.length, 2, 'two spans, two calls');
    assert.deepEqual(tokens(events.slice(0, 1)), [['claude-sonnet-4.5', 5000, 25000, 0, 500, 0]]);
    assert.equal(events[0].session, events[1].session, 'one trace, one session');
  });
});
