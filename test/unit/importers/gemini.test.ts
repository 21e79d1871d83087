import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { geminiJsonlParser, geminiJsonParser, type GeminiFileState } from '../../../src/importers/sources/gemini';
import type { ParsedUsage } from '../../../src/importers/types';
import { tempDir, TEST_CONTEXT, writeLines } from './fixtures';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/gemini');
const SECRET = 'SECRET-PLANTED-7f3a';
// Where the file would live; the secret in the path must not reach any field either.
const HOME = `/home/${SECRET}/.gemini/tmp/${SECRET}-project/chats`;

function readFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** Feeds lines as the machinery does, persisting the state through JSON between lines. */
function parseLines(text: string, filePath: string): ParsedUsage[] {
  let state: GeminiFileState = geminiJsonlParser.initialState(filePath, TEST_CONTEXT);
  const out: ParsedUsage[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    out.push(...geminiJsonlParser.parseLine(line, state, TEST_CONTEXT));
    state = JSON.parse(JSON.stringify(state)) as GeminiFileState;
  }
  return out;
}

function latestByKey(usages: ParsedUsage[]): Map<string, ParsedUsage> {
  return new Map(usages.map((u) => [u.key, u]));
}

describe('Gemini CLI parser', () => {
  const jsonlPath = `${HOME}/session-2026-05-01T10-00-5e551011.jsonl`;
  const usages = parseLines(readFixture('session-2026-05-01T10-00-5e551011.jsonl'), jsonlPath);
  const byKey = latestByKey(usages);
  // The session id and project hash are kept as keyed digests (the file state is persisted).
  const session = TEST_CONTEXT.nameDigest('5e551011-aaaa-4bbb-8ccc-000000000001');
  // Computed with the fixture's parse: other suites' imports set another digest key later.
  const project = TEST_CONTEXT.nameDigest('9f2c6f0e1b7d4a3c8e5f6a7b8c9d0e1f9f2c6f0e1b7d4a3c8e5f6a7b8c9d0e1f');

  it('emits a gemini record only once its tokens are known, keyed by session and message id', () => {
    const copies = usages.filter((u) => u.key === `${session}:g-1`);
    assert.equal(copies.length, 1, 'the copy with tokens: null is skipped, the rewritten copy counts');
    assert.equal(usages.filter((u) => u.key.endsWith(':u-1') || u.key.endsWith(':info-1')).length, 0);
  });

  it('converts tokens: cached out of input, tool prompt into input, thoughts into output', () => {
    const g1 = byKey.get(`${session}:g-1`);
    assert.ok(g1);
    // input 12000 includes cached 10000; tool prompt 20 is extra input; output 300 excludes thoughts 150.
    assert.equal(g1.inputTokens, 12000 - 10000 + 20);
    assert.equal(g1.cacheReadTokens, 10000);
    assert.equal(g1.outputTokens, 300 + 150);
    assert.equal(g1.reasoningTokens, 150);
    assert.equal(g1.model, 'gemini-2.5-pro');
    assert.equal(g1.t, Date.parse('2026-05-01T10:00:09.000Z'));
    assert.equal(g1.tokensKnown, true);
    assert.equal(g1.sessionKey, session);
    assert.equal(g1.projectKey, project);
  });

  it('keeps records that a later rewind removed from the conversation (their tokens were spent)', () => {
    const g2 = byKey.get(`${session}:g-2`);
    assert.ok(g2);
    assert.equal(g2.inputTokens, 500);
    assert.equal(g2.model, 'gemini-2.5-flash');
  });

  it('counts garbage token fields as zero and keeps unknown models as logged', () => {
    const g3 = byKey.get(`${session}:g-3`);
    assert.ok(g3);
    assert.deepEqual([g3.inputTokens, g3.outputTokens, g3.cacheReadTokens], [0, 0, 0]);
    assert.equal(g3.model, 'gemini-9-ultra-experimental');
  });

  it('dates a record without timestamp by its session start, and names a record without model by the session\'s model so far', () => {
    const g4 = byKey.get(`${session}:g-4`);
    assert.ok(g4);
    assert.equal(g4.t, Date.parse('2026-05-01T10:00:00.000Z'));
    assert.equal(g4.model, 'gemini-9-ultra-experimental');
  });

  it('counts an empty reply to a tool result, which the CLI records without a model, under the model of the call before', () => {
    // geminiChat.ts (5411f113) records it through recordSyntheticMessage('gemini', …), i.e. recordMessage({model:
    // undefined, …}), which still attaches the call's queued tokens; JSON.stringify drops the undefined model.
    const file = '/home/dev/.gemini/tmp/proj/chats/session-2026-08-21T10-00-abcd1234.jsonl';
    const lines = [
      { sessionId: 's-1', projectHash: 'p', startTime: '2026-08-21T10:00:00.000Z', lastUpdated: '2026-08-21T10:00:00.000Z', kind: 'main' },
      { id: 'm0', timestamp: '2026-08-21T10:00:01.000Z', type: 'gemini', content: [], thoughts: [], tokens: { input: 7, output: 1, cached: 0, total: 8 } },
      { id: 'm1', timestamp: '2026-08-21T10:00:05.000Z', type: 'gemini', content: '', thoughts: [], model: 'gemini-3.1-pro-preview',
        tokens: { input: 1000, output: 20, cached: 0, thoughts: 0, tool: 0, total: 1020 } },
      { id: 'm2', timestamp: '2026-08-21T10:00:09.000Z', type: 'gemini', content: [], thoughts: [],
        tokens: { input: 180000, output: 1, cached: 150000, thoughts: 0, tool: 0, total: 180001 } },
    ];
    const records = parseLines(lines.map((line) => JSON.stringify(line)).join('\n'), file);
    assert.deepEqual(records.map((r) => [r.inputTokens + r.cacheReadTokens, r.model]), [
      [7, 'unknown'],
      [1000, 'gemini-3.1-pro-preview'],
      [180000, 'gemini-3.1-pro-preview'],
    ]);
  });

  it('stores the session\'s model so far only as the ledger keeps it, never a private name', () => {
    const state = geminiJsonlParser.initialState(jsonlPath, TEST_CONTEXT);
    geminiJsonlParser.parseLine(JSON.stringify({ id: 'p-1', timestamp: '2026-05-02T00:00:00Z', type: 'gemini', model: 'acme-secret-finetune', tokens: { input: 1, output: 1 } }), state, TEST_CONTEXT);
    const stored = geminiJsonlParser.stateForStorage?.(state, (raw) => (raw === 'gemini-2.5-pro' ? raw : 'other'));
    assert.equal(stored?.lastModel, 'other');
    assert.equal(geminiJsonlParser.storedState?.safeParse(stored).success, true);
  });

  it('skips a truncated last line without throwing', () => {
    assert.equal(byKey.has(`${session}:g-5`), false);
    assert.deepEqual(geminiJsonlParser.parseLine('{"id":"x","type":"gem', geminiJsonlParser.initialState(jsonlPath, TEST_CONTEXT), TEST_CONTEXT), []);
  });

  it('reads a checkpoint line ($set.messages) and a legacy record migrated onto one line', () => {
    const state = geminiJsonlParser.initialState(jsonlPath, TEST_CONTEXT);
    const message = { id: 'c-1', timestamp: '2026-05-02T00:00:00Z', type: 'gemini', model: 'm', tokens: { input: 3, output: 4, cached: 0, total: 7 } };
    const fromCheckpoint = geminiJsonlParser.parseLine(JSON.stringify({ $set: { sessionId: 's-9', messages: [message] } }), state, TEST_CONTEXT);
    assert.deepEqual(fromCheckpoint.map((u) => u.key), [`${TEST_CONTEXT.nameDigest('s-9')}:c-1`]);
    const migrated = geminiJsonlParser.parseLine(
      JSON.stringify({ sessionId: 's-10', projectHash: 'p', messages: [message] }),
      geminiJsonlParser.initialState(jsonlPath, TEST_CONTEXT), TEST_CONTEXT,
    );
    assert.deepEqual(migrated.map((u) => [u.key, u.projectKey]), [[`${TEST_CONTEXT.nameDigest('s-10')}:c-1`, TEST_CONTEXT.nameDigest('p')]]);
  });

  it('gives a legacy .json session the same keys its .jsonl migration would', () => {
    const legacy = geminiJsonParser.parseFile(readFixture('session-2025-09-01T08-00-1e9acy01.json'), `${HOME}/session-2025-09-01T08-00-1e9acy01.json`, TEST_CONTEXT);
    assert.deepEqual(legacy.map((u) => u.key), [`${TEST_CONTEXT.nameDigest('1e9acy01-aaaa-4bbb-8ccc-000000000002')}:lg-1`]);
    assert.equal(legacy[0].inputTokens, 1500);
    assert.equal(legacy[0].outputTokens, 130);
    const migratedLine = JSON.stringify(JSON.parse(readFixture('session-2025-09-01T08-00-1e9acy01.json')).messages[1]);
    const state = geminiJsonlParser.initialState(`${HOME}/session-2025-09-01T08-00-1e9acy01.jsonl`, TEST_CONTEXT);
    geminiJsonlParser.parseLine(JSON.stringify({ sessionId: '1e9acy01-aaaa-4bbb-8ccc-000000000002', projectHash: 'x' }), state, TEST_CONTEXT);
    assert.equal(geminiJsonlParser.parseLine(migratedLine, state, TEST_CONTEXT)[0].key, legacy[0].key);
  });

  it('finds and reads a subagent session of builds 2026-03-26..04-09 (chats/<parent>/<id>.json)', () => {
    // google-gemini/gemini-cli packages/core/src/services/chatRecordingService.ts at
    // 104587bae8326e7ad1e2d739b7e14c7665e10b2b: a subagent's ConversationRecord {sessionId, projectHash,
    // startTime, lastUpdated, messages, kind: "subagent"} is written to chats/<parent id>/<session id>.json.
    const home = tempDir('gemini-subagent');
    const chats = path.join(home, '.gemini', 'tmp', 'proj', 'chats');
    const parentId = '5e551011-aaaa-4bbb-8ccc-000000000001';
    const subagentId = '7a7a7a7a-aaaa-4bbb-8ccc-000000000003';
    writeLines(path.join(chats, parentId, `${subagentId}.json`), [
      JSON.stringify({
        sessionId: subagentId,
        projectHash: 'ab'.repeat(32),
        startTime: '2026-04-02T09:00:00.000Z',
        lastUpdated: '2026-04-02T09:01:00.000Z',
        kind: 'subagent',
        messages: [
          { id: 'su-1', timestamp: '2026-04-02T09:00:01.000Z', type: 'user', content: [{ text: 'look around' }] },
          {
            id: 'sg-1',
            timestamp: '2026-04-02T09:00:05.000Z',
            type: 'gemini',
            content: 'done',
            model: 'gemini-3-flash-preview',
            tokens: { input: 4000, output: 200, cached: 1000, thoughts: 50, tool: 0, total: 4250 },
          },
        ],
      }),
    ]);
    const found = discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env: {}, homeDir: home, platform: 'linux' }, discover: true })
      .files.filter((file) => file.source === 'gemini-cli');
    assert.equal(found.length, 1);
    const parser = found[0].parser;
    assert.equal(parser.kind, 'whole');
    const usages = parser.kind === 'whole' ? parser.parseFile(fs.readFileSync(found[0].path, 'utf8'), found[0].path, TEST_CONTEXT) : [];
    assert.deepEqual(
      usages.map((u) => [u.key, u.inputTokens, u.cacheReadTokens, u.outputTokens]),
      [[`${TEST_CONTEXT.nameDigest(subagentId)}:sg-1`, 3000, 1000, 250]],
    );
  });

  it('finds sessions of the macOS Seatbelt sandbox (0.61.0+) under ~/.cache/.gemini/tmp, also below GEMINI_CLI_HOME', () => {
    // npm @google/gemini-cli-core 0.61.0: dist/src/config/storage.js getGlobalRuntimeDir() puts the project temp dirs
    // in `${GEMINI_CLI_HOME:-~}/.cache/.gemini` when SANDBOX=sandbox-exec; dist/src/services/chatRecordingService.js
    // writes the metadata line, then each message, and geminiChat.js records the tokens before the response, so a
    // gemini message arrives with its tokens, followed by `$set.lastUpdated`.
    const lines = (sessionId: string) => [
      JSON.stringify({ sessionId, projectHash: 'cd'.repeat(32), startTime: '2026-09-26T08:00:00.000Z', lastUpdated: '2026-09-26T08:00:00.000Z' }),
      JSON.stringify({ id: 'u-1', timestamp: '2026-09-26T08:00:01.000Z', type: 'user', content: [{ text: 'hi' }] }),
      JSON.stringify({ $set: { lastUpdated: '2026-09-26T08:00:01.000Z' } }),
      JSON.stringify({
        id: 'g-1', timestamp: '2026-09-26T08:00:04.000Z', type: 'gemini', content: 'hello', thoughts: [],
        tokens: { input: 900, output: 40, cached: 600, thoughts: 10, tool: 0, total: 950 }, model: 'gemini-3-flash-preview',
      }),
      JSON.stringify({ $set: { lastUpdated: '2026-09-26T08:00:04.000Z' } }),
    ];
    const home = tempDir('gemini-seatbelt');
    const cliHome = path.join(home, 'gemini-home');
    const main = path.join(home, '.cache', '.gemini', 'tmp', 'proj', 'chats', 'session-2026-09-26T08-00-5ea7be17.jsonl');
    const elsewhere = path.join(cliHome, '.cache', '.gemini', 'tmp', 'proj', 'chats', 'session-2026-09-26T08-00-0e15e001.jsonl');
    writeLines(main, lines('5ea7be17-aaaa-4bbb-8ccc-000000000004'));
    writeLines(elsewhere, lines('0e15e001-aaaa-4bbb-8ccc-000000000005'));
    const found = (env: Record<string, string>) => discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'darwin' }, discover: true })
      .files.filter((file) => file.source === 'gemini-cli');
    assert.deepEqual(found({}).map((file) => file.path), [main]);
    assert.deepEqual(found({ GEMINI_CLI_HOME: cliHome }).map((file) => file.path), [elsewhere]);
    const usages = parseLines(fs.readFileSync(main, 'utf8'), main);
    assert.deepEqual(
      usages.map((u) => [u.key, u.inputTokens, u.cacheReadTokens, u.outputTokens, u.model]),
      [[`${TEST_CONTEXT.nameDigest('5ea7be17-aaaa-4bbb-8ccc-000000000004')}:g-1`, 300, 600, 50, 'gemini-3-flash-preview']],
    );
  });

  it('never throws on empty, null, non-object or huge input', () => {
    const state = geminiJsonlParser.initialState(jsonlPath, TEST_CONTEXT);
    for (const line of ['', 'null', '[]', '42', '"x"', '{"$set":null}', '{"$set":{"messages":"no"}}', `{"id":"${'a'.repeat(1_000_000)}"`]) {
      assert.deepEqual(geminiJsonlParser.parseLine(line, state, TEST_CONTEXT), []);
    }
    assert.deepEqual(geminiJsonParser.parseFile('', jsonlPath, TEST_CONTEXT), []);
    assert.deepEqual(geminiJsonParser.parseFile('{"messages":[null,1,{"type":"gemini","tokens":{}}]}', jsonlPath, TEST_CONTEXT), []);
  });

  it('falls back to digests of the path, never the path itself, when metadata is missing', () => {
    const [usage] = geminiJsonlParser.parseLine(
      JSON.stringify({ id: 'z', timestamp: '2026-01-01T00:00:00Z', type: 'gemini', tokens: { input: 1, output: 1, cached: 0 } }),
      geminiJsonlParser.initialState(jsonlPath, TEST_CONTEXT), TEST_CONTEXT,
    );
    assert.ok(usage);
    assert.ok(!usage.sessionKey.includes('session-') && !usage.projectKey.includes(SECRET));
    assert.match(usage.projectKey, /^[0-9a-f]{32}$/);
  });

  it('lets no prompt, response, thought, tool argument or path text reach any field', () => {
    const all = [...usages, ...geminiJsonParser.parseFile(readFixture('session-2025-09-01T08-00-1e9acy01.json'), `${HOME}/x.json`, TEST_CONTEXT)];
    assert.ok(all.length >= 5);
    for (const usage of all) assert.ok(!JSON.stringify(usage).includes(SECRET), usage.key);
  });
});
