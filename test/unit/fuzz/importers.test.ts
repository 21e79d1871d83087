// Every source's parser and the import machinery against hostile log lines (issue #7): no throw out of
// the boundary, each case bounded, no prototype pollution, and a counted rejection where a line is bad.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { UsageEvent } from '../../../src/ledger/events';
import { parseContext } from '../../../src/importers/rawJson';
import { runImport, type UsageEventSink } from '../../../src/importers/runImport';
import { claudeCodeParser } from '../../../src/importers/sources/claudeCode';
import { clineSdkSessionParser, clineTaskParser, rooCodeTaskParser } from '../../../src/importers/sources/cline';
import { codexParser } from '../../../src/importers/sources/codex';
import { continueTokensParser } from '../../../src/importers/sources/continue';
import { copilotChatSessionParser } from '../../../src/importers/sources/copilotChat';
import { copilotChatOtelParser } from '../../../src/importers/sources/copilotChatOtel';
import { geminiJsonlParser, geminiJsonParser } from '../../../src/importers/sources/gemini';
import type { LineParser, ParsedUsage, WholeFileParser } from '../../../src/importers/types';
import { UsageBounds, type RejectedLines } from '../../../src/importers/usageBounds';
import { claudeAssistantLine, codexSessionMeta, codexTokenCount, codexTurnContext, tempDir, TEST_CONTEXT, writeLines } from '../importers/fixtures';
import { assertNoPollution, corpus, mutated, RUN, truncated, withInvalidUtf8 } from './hostile';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers');
const fixture = (relative: string) => fs.readFileSync(path.join(FIXTURES, relative), 'utf8');
const linesOf = (text: string) => text.split('\n').filter((line) => line.trim().length > 0);
const NOW = Date.UTC(2026, 5, 1);
const bounds = new UsageBounds(NOW);

const claudeLine = (o: { timestamp?: string; id?: string; input?: number } = {}) =>
  claudeAssistantLine({ timestamp: o.timestamp ?? '2026-01-10T10:00:00.000Z', messageId: o.id ?? 'msg_1', requestId: `req_${o.id ?? 1}`, usage: { input: o.input ?? 10, output: 5 } });

interface LineCase {
  parser: LineParser<unknown>;
  filePath: string;
  templates: string[];
}

const LINE_PARSERS: LineCase[] = [
  { parser: claudeCodeParser as LineParser<unknown>, filePath: '/h/.claude/projects/p/s.jsonl', templates: [claudeLine()] },
  {
    parser: codexParser as LineParser<unknown>,
    filePath: '/h/.codex/sessions/2026/01/10/rollout-a.jsonl',
    templates: [
      codexSessionMeta('2026-01-10T10:00:00.000Z', 's', { forked_from_id: 'p' }),
      codexTurnContext('2026-01-10T10:00:01.000Z', 'gpt-5.2'),
      codexTokenCount('2026-01-10T10:00:02.000Z', { input: 10, output: 5 }, { input: 10, output: 5 }),
    ],
  },
  { parser: geminiJsonlParser as LineParser<unknown>, filePath: '/h/.gemini/tmp/p/chats/session-a.jsonl', templates: linesOf(fixture('gemini/session-2026-05-01T10-00-5e551011.jsonl')) },
  { parser: continueTokensParser as LineParser<unknown>, filePath: '/h/.continue/dev_data/0.2.0/tokensGenerated.jsonl', templates: linesOf(fixture('continue/0.2.0/tokensGenerated.jsonl')) },
  { parser: copilotChatOtelParser as LineParser<unknown>, filePath: '/h/copilot-otel.jsonl', templates: linesOf(fixture('copilot-chat/otel/copilot-otel.jsonl')) },
];

interface WholeCase {
  parser: WholeFileParser;
  filePath: string;
  text: string;
}

const WHOLE_PARSERS: WholeCase[] = [
  { parser: clineTaskParser, filePath: '/h/tasks/1700000000000/ui_messages.json', text: fixture('cline/cline-task/ui_messages.json') },
  { parser: rooCodeTaskParser, filePath: '/h/tasks/1700000000001/ui_messages.json', text: fixture('cline/roo-task/ui_messages.json') },
  { parser: clineSdkSessionParser, filePath: '/h/.cline/data/sessions/s/1784094124598_rruoq.messages.json', text: fixture('cline/sdk-session/1784094124598_rruoq.messages.json') },
  {
    parser: copilotChatSessionParser,
    filePath: '/h/User/workspaceStorage/w/chatSessions/s.json',
    text: fixture('copilot-chat/workspaceStorage/ab12cd34ef/chatSessions/0f1e2d3c-json-4bbb-8ccc-000000000003.json'),
  },
  {
    parser: copilotChatSessionParser,
    filePath: '/h/User/workspaceStorage/w/chatSessions/s.jsonl',
    text: fixture('copilot-chat/workspaceStorage/ab12cd34ef/chatSessions/9a8b7c6d-log0-4bbb-8ccc-000000000004.jsonl'),
  },
  { parser: geminiJsonParser, filePath: '/h/.gemini/tmp/p/chats/session-a.json', text: fixture('gemini/session-2025-09-01T08-00-1e9acy01.json') },
];

/** A hostile version of one of `templates`: a field replaced, cut short, invalid UTF-8, or a corpus case. */
function hostileLine(templates: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...templates.filter(isJson)).chain((line) => mutated(JSON.parse(line)).map((value) => JSON.stringify(value) ?? 'null')),
    fc.constantFrom(...templates).chain(truncated),
    fc.constantFrom(...templates).chain(withInvalidUtf8),
    fc.constantFrom(...corpus('lines.txt')),
  );
}

/** What the machinery does with a parser's output: every record is checked, none may throw. */
function checkRecords(records: ParsedUsage[]): void {
  assert.ok(Array.isArray(records));
  for (const record of records) bounds.rejection(record);
}

function hasMarker(parser: LineParser<unknown>, line: string): boolean {
  return parser.lineMarkers === undefined || parser.lineMarkers.some((marker) => line.includes(marker));
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('fuzz: source parsers', function () {
  this.timeout(20_000);
  afterEach(() => {
    assertNoPollution();
  });

  for (const { parser, filePath, templates } of LINE_PARSERS) {
    it(`${parser.source} (lines): hostile lines never throw, pollute or leave unserializable state`, () => {
      fc.assert(
        fc.property(fc.array(hostileLine(templates), { minLength: 1, maxLength: 6 }), (lines) => {
          let state = parser.initialState(filePath, TEST_CONTEXT);
          for (const line of [...templates, ...lines]) {
            checkRecords(parser.parseLine(line, state, TEST_CONTEXT));
            // The machinery persists the state as JSON between runs.
            state = JSON.parse(JSON.stringify(parser.stateForStorage ? parser.stateForStorage(state, (model) => model) : state)) as unknown;
          }
          assertNoPollution();
        }),
        RUN,
      );
    });

    it(`${parser.source} (lines): a cut-short usage line is a counted json rejection`, () => {
      fc.assert(
        fc.property(fc.constantFrom(...templates).chain(truncated), (line) => {
          fc.pre(!isJson(line) && hasMarker(parser, line));
          const counted: RejectedLines = {};
          const context = parseContext('', counted);
          parser.parseLine(line, parser.initialState(filePath, context), context);
          assert.equal(counted.json, 1);
        }),
        RUN,
      );
    });
  }

  for (const { parser, filePath, text } of WHOLE_PARSERS) {
    it(`${parser.source} (${path.extname(filePath)} files): hostile files never throw or pollute`, () => {
      const isLog = filePath.endsWith('.jsonl');
      const hostileFile = fc.oneof(
        isLog
          ? fc.tuple(fc.constantFrom(...linesOf(text).map((_, index) => index)), fc.constantFrom(...linesOf(text).filter(isJson)).chain((line) => mutated(JSON.parse(line))))
              .map(([index, value]) => linesOf(text).map((line, i) => (i === index ? JSON.stringify(value) ?? 'null' : line)).join('\n'))
          : mutated(JSON.parse(text)).map((value) => JSON.stringify(value) ?? 'null'),
        truncated(text),
        withInvalidUtf8(text),
        // An operation log replays its lines onto the state its first line set: a hostile line goes after it.
        fc.constantFrom(...corpus('lines.txt')).map((line) => (isLog ? `${text.trimEnd()}\n${line}\n` : line)),
      );
      fc.assert(
        fc.property(hostileFile, (file) => {
          checkRecords(parser.parseFile(file, filePath, TEST_CONTEXT));
          assertNoPollution();
        }),
        RUN,
      );
    });
  }

  it('every parser survives a 50 MB line and counts it when it is broken', () => {
    const huge = `{"type":"event_msg","usage":{"input_tokens":1},"payload":{"type":"token_count","turn_context":"session_meta"},"text":"${'a'.repeat(50 * 1024 * 1024)}`;
    for (const { parser, filePath } of LINE_PARSERS) {
      const counted: RejectedLines = {};
      const context = parseContext('', counted);
      assert.deepEqual(parser.parseLine(huge, parser.initialState(filePath, context), context), [], parser.source);
      assert.equal(counted.json, 1, parser.source);
    }
    for (const { parser, filePath } of WHOLE_PARSERS) assert.deepEqual(parser.parseFile(huge, filePath, TEST_CONTEXT), [], parser.source);
    assertNoPollution();
  });
});

class CollectingSink implements UsageEventSink {
  readonly events: UsageEvent[] = [];
  append(event: UsageEvent): void {
    // The ledger writer's own check: an invalid event must never be offered to it.
    this.events.push(UsageEvent.parse(event));
  }
  async flush(): Promise<void> {}
}

async function importClaude(lines: string[]): Promise<{ events: UsageEvent[]; rejected: RejectedLines; status: string }> {
  const home = tempDir('fuzz-home');
  const storage = tempDir('fuzz-storage');
  writeLines(path.join(home, '.claude', 'projects', 'p', 's.jsonl'), lines);
  const sink = new CollectingSink();
  const summary = await runImport({
    storageDir: storage,
    secret: 'fuzz',
    pricer: { keptModelName: () => 'other' },
    env: {},
    homeDir: home,
    platform: 'linux',
    sink,
    now: () => NOW,
  });
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(storage, { recursive: true, force: true });
  const claude = summary.sources.find((source) => source.source === 'claude-code');
  return { events: sink.events, rejected: claude?.rejectedLines ?? {}, status: summary.status };
}

describe('fuzz: import runs', function () {
  this.timeout(30_000);
  afterEach(assertNoPollution);

  it('an out-of-bounds time, token count or cost is one counted rejection, and the run goes on', async () => {
    const outOfBounds = fc.oneof(
      fc.tuple(
        fc.constant('timestamp' as const),
        // Far future (ms), before 2000 (ms, or seconds below 1e10), or not a positive time at all.
        fc.oneof(fc.double({ min: 1e14, max: 1e308, noNaN: true }), fc.double({ min: 1e10, max: 9e11 }), fc.double({ min: 1, max: 9e8 }), fc.double({ min: -1e308, max: 0, noNaN: true })),
      ),
      fc.tuple(fc.constant('tokens' as const), fc.double({ min: 1e12 + 1, max: 1e308, noNaN: true })),
      fc.tuple(fc.constant('cost' as const), fc.double({ min: 1e6 + 1, max: 1e308, noNaN: true })),
    );
    await fc.assert(
      fc.asyncProperty(outOfBounds, async ([reason, value]) => {
        const bad = JSON.parse(claudeLine({ id: 'bad' })) as { timestamp: unknown; costUSD?: unknown; message: { usage: Record<string, unknown> } };
        if (reason === 'timestamp') bad.timestamp = value;
        else if (reason === 'cost') bad.costUSD = value;
        else bad.message.usage.input_tokens = value;
        const { events, rejected, status } = await importClaude([claudeLine({ id: 'good' }), JSON.stringify(bad)]);
        assert.equal(status, 'done');
        assert.deepEqual(events.map((event) => event.inputTokens), [10]);
        assert.deepEqual(rejected, { [reason]: 1 });
      }),
      { ...RUN, numRuns: 30 },
    );
  });

  it('a log of hostile lines imports only valid events and never fails the run', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileLine([claudeLine()]), { minLength: 1, maxLength: 8 }), async (lines) => {
        const { status } = await importClaude([claudeLine({ id: 'first' }), ...lines]);
        assert.equal(status, 'done');
      }),
      { ...RUN, numRuns: 25 },
    );
  });

  it('a 50 MB line and invalid UTF-8 in a log file do not stop the valid lines around them', async () => {
    const huge = claudeLine({ id: 'huge' }).replace('"Done."', JSON.stringify('x'.repeat(50 * 1024 * 1024)));
    const broken = Buffer.concat([Buffer.from('{"message":{"usage":{"input_tokens":1,'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('}}\n')]).toString('latin1');
    const { events, rejected, status } = await importClaude([claudeLine({ id: 'a' }), huge, broken, claudeLine({ id: 'b' })]);
    assert.equal(status, 'done');
    assert.equal(events.length, 3);
    assert.equal(rejected.json, 1);
  });
});
