// OpenClaw (openclaw/openclaw), an agent gateway built on pi's agent runtime: its transcripts are pi session
// entries, whose assistant messages carry pi-ai's `usage` (read as pi.ts reads it). Verified against OpenClaw's
// source, openclaw/openclaw src/config/paths.ts at 009f1606356ee25c6142775d880718e2abccbb84,
// src/config/sessions/session-accessor.sqlite-transcript-store.ts at 9ed15ae5c9b74a6cab7bce1c86b06bfda033e816 and
// src/config/sessions/transcript-payload.ts at b67d9eacd657393a351287db4bdd482723abc355, and against the reader
// ccusage uses, ryoppippi/ccusage rust/crates/ccusage/src/adapter/openclaw/{parser,paths,loader}.rs at
// 5816e640e8824986f33427203da164b01394a161, whose SQLite reading (added after that commit) was checked by running
// the ccusage 20.0.24 binary on databases built as OpenClaw builds them:
// - The state folder is `$OPENCLAW_STATE_DIR` (or `$CLAWDBOT_STATE_DIR`), else `~/.openclaw`, else the first
//   existing of `~/.clawdbot`, `~/.moldbot`, `~/.moltbot` (paths.ts `resolveStateDir`).
// - Current releases keep each agent's transcripts in SQLite, `agents/<agent>/agent/openclaw-agent.sqlite`, table
//   `transcript_events (session_id, seq, event_json, created_at)`: one row per session entry, `event_json` its JSON,
//   `created_at` the entry's time or, without one, the time of the write (epoch ms). A session rewritten in place
//   (`replaceSqliteTranscriptEventsInTransaction`) keeps its entries' ids under new `seq` numbers, so an entry is
//   known by its session and id. Since transcript-payload.ts, an entry of 1 KiB or more that compresses well is
//   stored as a zstd frame in `event_zstd` (its length in `event_utf8_bytes`) with `event_json` NULL: most
//   assistant messages. ccusage 20.0.24 reads `event_json` only, so it misses those; Assay reads both.
// - Older releases wrote one JSONL file per session, `agents/<agent>/sessions/<session>.jsonl` (or
//   `<session>-topic-<id>.jsonl`), with `.jsonl.reset.<time>` and `.jsonl.deleted.<time>` archives of the same
//   session and `<session>.checkpoint.<uuid>.jsonl` byte copies made before a compaction: all of them hold the
//   session's entries under the same ids and count once (ccusage counts a checkpoint copy again); the
//   `.trajectory.jsonl` run traces beside them are not transcripts (src/config/sessions/artifacts.ts at
//   0849551642f081db8079b70b4cd472cd57b594dc, `isUsageCountedSessionTranscriptFileName`).
// - As ccusage reads them: the model of a message is its `modelId` or `model`, else the last `model_change` (or
//   `custom` `model-snapshot`) entry's `modelId`/`model` before it in the session; its time is the message's
//   `timestamp` (epoch ms or ISO), else the entry's, else the row's `created_at`; a usage that only has
//   `totalTokens` (no output) counts the missing tokens as output; a usage of zero tokens is no response.
import * as z from 'zod';
import type { LineParser, ParseContext, ParsedUsage, SqliteQuery, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, UNKNOWN_MODEL, type JsonRecord, storedDigest } from '../rawJson';
import { cacheWrites, reportedCost, uncachedInput } from './pi';

/** OpenClaw's own bound on one stored entry (transcript-payload.ts MAX_COMPRESSED_EVENT_BYTES). */
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;

export interface OpenClawFileState {
  /** Keyed digest of the session id the file name carries. */
  session: string;
  /** The model the last model change named, as the price data names it once stored. */
  model?: string;
}

/** The session a transcript file belongs to: its name up to `.jsonl`, without a checkpoint copy's `.checkpoint.<uuid>`. */
function openClawFileSession(fileName: string): string {
  const index = fileName.indexOf('.jsonl');
  const stem = index > 0 ? fileName.slice(0, index) : fileName;
  return stem.replace(/\.checkpoint\.[^.]+$/, '');
}

/** A non-empty name without surrounding spaces, as ccusage reads OpenClaw's model fields. */
function trimmedName(value: unknown): string | undefined {
  return typeof value === 'string' ? asString(value.trim()) : undefined;
}

/**
 * The model in effect after `entry`: the one a `model_change` entry (or `custom` `model-snapshot`) names, else
 * `current`; undefined when the entry is no model change.
 */
function modelAfterChange(entry: JsonRecord, current: string | undefined): { model: string | undefined } | undefined {
  const isChange = entry.type === 'model_change' || (entry.type === 'custom' && entry.customType === 'model-snapshot');
  if (!isChange) return undefined;
  const source = asRecord(entry.data) ?? entry;
  return { model: trimmedName(source.modelId) ?? trimmedName(source.model) ?? current };
}

function usageFromEntry(entry: JsonRecord, session: string, currentModel: string | undefined, fallbackT: number | undefined, context: ParseContext): ParsedUsage | undefined {
  if (entry.type !== 'message') return undefined;
  const message = asRecord(entry.message);
  const usage = asRecord(message?.usage);
  if (!message || message.role !== 'assistant' || !usage) return undefined;
  const input = uncachedInput(usage);
  const cacheRead = tokenCount(usage.cacheRead);
  const cacheWrite = tokenCount(usage.cacheWrite);
  let output = tokenCount(usage.output);
  const missing = tokenCount(usage.totalTokens) - (tokenCount(usage.input) + output + cacheRead + cacheWrite);
  if (output === 0 && missing > 0) output = missing;
  if (input + output + cacheRead + cacheWrite === 0) return undefined;
  const t = parseTimestamp(message.timestamp) ?? parseTimestamp(entry.timestamp) ?? fallbackT;
  if (t === undefined) {
    context.reject('timestamp');
    return undefined;
  }
  const model = trimmedName(message.modelId) ?? trimmedName(message.model) ?? currentModel ?? UNKNOWN_MODEL;
  return {
    key: `${session}:${asString(entry.id) ?? `t${t}:${model}`}`,
    t,
    model,
    inputTokens: input,
    outputTokens: output,
    // As in pi.ts: pi-ai's `usage.reasoning` is the part of `output` spent reasoning, `cacheWrite1h` the part of
    // `cacheWrite` kept an hour (@earendil-works/pi-ai 0.85.1 dist/types.d.ts `Usage`, the version OpenClaw 2026.9.6
    // depends on).
    reasoningTokens: Math.min(tokenCount(usage.reasoning), output),
    cacheReadTokens: cacheRead,
    ...cacheWrites(usage),
    tokensKnown: true,
    reportedCostUSD: reportedCost(usage),
    sessionKey: session,
    projectKey: '',
  };
}

/** `agents/<agent>/sessions/<session>.jsonl` and its archives and checkpoint copies: append-only pi entries. */
export const openClawSessionParser: LineParser<OpenClawFileState> = {
  kind: 'lines',
  source: 'openclaw',
  // Revision 1: a call's reasoning tokens and hour-long cache writes are kept (OpenClaw 2026.9.6). Logs read before are read again once (types.ts, ParserRevision).
  revision: 1,
  storedState: z.object({ session: storedDigest, model: z.string().optional() }),
  initialState(filePath: string, context: ParseContext): OpenClawFileState {
    const name = filePath.split(/[\\/]/).pop() ?? '';
    return { session: context.nameDigest(openClawFileSession(name)) };
  },
  parseLine(line: string, state: OpenClawFileState, context: ParseContext): ParsedUsage[] {
    const entry = asRecord(parseJsonLine(line, context));
    if (!entry) return [];
    const change = modelAfterChange(entry, state.model);
    if (change) {
      state.model = change.model;
      return [];
    }
    const usage = usageFromEntry(entry, state.session, state.model, undefined, context);
    return usage ? [usage] : [];
  },
  stateForStorage(state: OpenClawFileState, keptModelName: (rawModel: string) => string): OpenClawFileState {
    return state.model ? { ...state, model: keptModelName(state.model) } : state;
  },
  lineMarkers: ['"usage"', '"model_change"', '"model-snapshot"'],
};

/** An entry's JSON: `event_json`, else the decompressed `event_zstd` (the one BLOB cell of `*`, as bytes). */
function entryText(row: unknown[]): string | undefined {
  if (typeof row[2] === 'string') return row[2];
  const frame = row.slice(4).find((cell): cell is Uint8Array => cell instanceof Uint8Array);
  return frame && Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('utf8');
}

/**
 * `transcript_events`, in each session's order. `*` brings `event_zstd` where the schema has it (older databases
 * have no such column, which naming it would make an error); the machinery decompresses it. Only plain entries
 * that can matter are selected: a compressed one cannot be searched before it is decompressed.
 */
const transcriptEventsQuery: SqliteQuery = {
  sql:
    'SELECT session_id, seq, event_json, created_at, * FROM transcript_events ' +
    `WHERE event_json IS NULL OR event_json LIKE '%"usage"%' OR event_json LIKE '%"model_change"%' OR event_json LIKE '%"model-snapshot"%' ` +
    'ORDER BY session_id, seq',
  zstdCellBytes: MAX_ENTRY_BYTES,
  parseRows(rows: unknown[][], _filePath: string, context: ParseContext): ParsedUsage[] {
    const usages: ParsedUsage[] = [];
    let sessionId: unknown;
    let session = '';
    let model: string | undefined;
    for (const row of rows) {
      if (typeof row[0] !== 'string') continue;
      if (row[0] !== sessionId) {
        sessionId = row[0];
        session = context.nameDigest(row[0]);
        model = undefined;
      }
      const text = entryText(row);
      if (text === undefined) {
        // A frame that was corrupt or too large to decompress.
        context.reject('json');
        continue;
      }
      const entry = asRecord(parseJsonLine(text, context));
      if (!entry) continue;
      const change = modelAfterChange(entry, model);
      if (change) {
        model = change.model;
        continue;
      }
      const usage = usageFromEntry(entry, session, model, parseTimestamp(row[3]), context);
      if (usage) usages.push(usage);
    }
    return usages;
  },
};

/** `agents/<agent>/agent/openclaw-agent.sqlite`: read through `sqlite` by the import machinery, never as text. */
export const openClawDbParser: WholeFileParser = {
  kind: 'whole',
  source: 'openclaw',
  // Revision 1: a call's reasoning tokens and hour-long cache writes are kept (OpenClaw 2026.9.6). Logs read before are read again once (types.ts, ParserRevision).
  revision: 1,
  sqlite: transcriptEventsQuery,
  parseFile: () => [],
};
