// Codex CLI rollouts: `${CODEX_HOME:-~/.codex}/{sessions,archived_sessions}/**/rollout-*.jsonl`.
// Verified against openai/codex (codex-rs/protocol/src/protocol.rs: TokenUsage, TokenCountEvent) and
// ccusage 20.0.24 (rust/crates/ccusage/src/adapter/codex/{parser,replay,loader}.rs, and by running it):
// - `{type: "turn_context", payload: {model, cwd}}` sets the model for the token counts that follow;
// - `{type: "event_msg", payload: {type: "token_count", info: {last_token_usage, total_token_usage}}}`,
//   where `info` is null before the first response and `total_token_usage` is the running total;
// - Codex re-emits token_count with an unchanged running total (rate-limit refreshes): such an event is
//   not a response. As ccusage 20.0.24 does, `last_token_usage` counts only when the running total moved,
//   and without `last_token_usage` the response is the difference of running totals (ccusage #1288);
// - `input_tokens` includes `cached_input_tokens` (TokenUsage::non_cached_input) and, in builds that log
//   it, `cache_write_input_tokens`; `output_tokens` includes `reasoning_output_tokens`;
// - forked and subagent sessions (`session_meta.payload.forked_from_id`, or
//   `source.subagent.thread_spawn.parent_thread_id`) start by replaying the parent's token counts, all
//   stamped with the second the child was created: like ccusage, a child whose first two counts share a
//   second skips that leading burst (the first count waits in the file state until the second decides).
// - Since 2026 Codex compresses cold rollouts to `<name>.jsonl.zst` (one zstd stream of the same lines)
//   and deletes the plain file; a resumed session is decompressed back to `.jsonl` and the `.zst`
//   removed, and a `.zst` beside a plain file is ignored (openai/codex codex-rs/rollout/src/compression.rs
//   at 3846901efe60c2dd33ff2038a66f6863882fe60d: RolloutFile::from_path, materialize_rollout_for_append).
//   Compressed files are never appended to, so they are read whole, with the plain name's session.
// Keys are the usage counters themselves when a running total exists (it only grows within a session),
// so a copied history (forks, archived copies of a session) yields the same ids and counts once.
import type { LineParser, ParseContext, ParsedUsage, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, type JsonRecord, UNKNOWN_MODEL } from '../rawJson';

interface RawUsage {
  input: number;
  cached: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
  total: number;
}

export interface CodexFileState {
  /** As logged while a file is read; stored as the price data's name (see `stateForStorage`). */
  model: string | null;
  previousTotal: RawUsage | null;
  session: string;
  project: string;
  metaSeen: boolean;
  /** Replay handling for forked/subagent sessions (see header). */
  replay: 'none' | 'detecting' | 'skipping';
  /** Epoch second of the first replayed count, as text (older states hold the log's ISO text). */
  replaySecond: string | null;
  pending: ParsedUsage | null;
}


function rawUsage(value: unknown): RawUsage | undefined {
  const usage = asRecord(value);
  if (!usage) return undefined;
  return {
    input: tokenCount(usage.input_tokens ?? usage.prompt_tokens),
    cached: tokenCount(usage.cached_input_tokens ?? usage.cache_read_input_tokens ?? usage.cached_tokens),
    cacheWrite: tokenCount(usage.cache_write_input_tokens),
    output: tokenCount(usage.output_tokens ?? usage.completion_tokens),
    reasoning: tokenCount(usage.reasoning_output_tokens ?? usage.reasoning_tokens),
    total: tokenCount(usage.total_tokens),
  };
}

function sameUsage(a: RawUsage, b: RawUsage): boolean {
  return (
    a.input === b.input &&
    a.cached === b.cached &&
    a.cacheWrite === b.cacheWrite &&
    a.output === b.output &&
    a.reasoning === b.reasoning &&
    a.total === b.total
  );
}

function subtract(current: RawUsage, previous: RawUsage | null): RawUsage {
  const minus = (a: number, b: number | undefined) => Math.max(0, a - (b ?? 0));
  return {
    input: minus(current.input, previous?.input),
    cached: minus(current.cached, previous?.cached),
    cacheWrite: minus(current.cacheWrite, previous?.cacheWrite),
    output: minus(current.output, previous?.output),
    reasoning: minus(current.reasoning, previous?.reasoning),
    total: minus(current.total, previous?.total),
  };
}

function usageText(u: RawUsage): string {
  return `${u.input}/${u.cached}/${u.cacheWrite}/${u.output}/${u.reasoning}/${u.total}`;
}

/**
 * The model kept in parser state between runs (importers/state.json): a local model named by its
 * file path (`/home/alice/models/x.gguf`, `C:\models\x.gguf`) is kept as unknown, since no price
 * list knows a path and state files hold no paths.
 */
function modelOf(record: JsonRecord | undefined): string | undefined {
  if (!record) return undefined;
  const model = asString(record.model) ?? asString(record.model_name) ?? asString(asRecord(record.metadata)?.model);
  return model !== undefined && /^(?:[/~]|[A-Za-z]:[\\/])|\\/.test(model) ? UNKNOWN_MODEL : model;
}

function onSessionMeta(payload: JsonRecord, state: CodexFileState, context: ParseContext): void {
  // A fork repeats its parent's session_meta after its own: only the first one describes this file.
  if (state.metaSeen) return;
  state.metaSeen = true;
  const id = asString(payload.id);
  if (id) state.session = context.nameDigest(id);
  const cwd = asString(payload.cwd);
  if (cwd) state.project = context.nameDigest(cwd);
  const source = asRecord(payload.source);
  const parent =
    asString(payload.forked_from_id) ??
    asString(asRecord(asRecord(asRecord(source?.subagent)?.thread_spawn))?.parent_thread_id);
  if (parent && state.replay === 'none' && state.previousTotal === null) state.replay = 'detecting';
}

/** Applies the forked-session replay rule to one counted response; returns what to emit now. */
function throughReplayFilter(usage: ParsedUsage, second: string, state: CodexFileState): ParsedUsage[] {
  switch (state.replay) {
    case 'none':
      return [usage];
    case 'detecting':
      if (state.pending === null) {
        state.pending = usage;
        state.replaySecond = second;
        return [];
      }
      if (second === state.replaySecond) {
        state.pending = null;
        state.replay = 'skipping';
        return [];
      }
      {
        const released = [state.pending, usage];
        state.pending = null;
        state.replay = 'none';
        return released;
      }
    case 'skipping':
      if (second === state.replaySecond) return [];
      state.replay = 'none';
      return [usage];
  }
}

function parseCodexLine(line: string, state: CodexFileState, context: ParseContext): ParsedUsage[] {
  if (!line.includes('"turn_context"') && !line.includes('"token_count"') && !line.includes('"session_meta"')) return [];
  const entry = asRecord(parseJsonLine(line, context));
  const payload = asRecord(entry?.payload);
  if (!entry || !payload) return [];
  if (entry.type === 'session_meta') {
    onSessionMeta(payload, state, context);
    return [];
  }
  if (entry.type === 'turn_context') {
    const model = modelOf(payload);
    if (model) state.model = model;
    const cwd = asString(payload.cwd);
    if (cwd && state.project === '') state.project = context.nameDigest(cwd);
    return [];
  }
  if (entry.type !== 'event_msg' || payload.type !== 'token_count') return [];
  const t = parseTimestamp(entry.timestamp);
  if (t === undefined) {
    context.reject('timestamp');
    return [];
  }
  const info = asRecord(payload.info);
  const total = rawUsage(info?.total_token_usage);
  const last = rawUsage(info?.last_token_usage);
  const previous = state.previousTotal;
  const totalMoved = !total || !previous || !sameUsage(total, previous);
  const usage = last && totalMoved ? last : total ? subtract(total, previous) : undefined;
  if (total) state.previousTotal = total;
  if (!usage || usage.input + usage.cached + usage.output + usage.reasoning === 0) return [];

  const eventModel = modelOf(payload) ?? modelOf(info);
  if (eventModel) state.model = eventModel;
  const cached = Math.min(usage.cached, usage.input);
  const cacheWrite = Math.min(usage.cacheWrite, usage.input - cached);
  const parsed: ParsedUsage = {
    // The parsed time, not the logged text: V8 dates text with any words before a date, and a key may
    // wait in the stored state (`pending`).
    key: total ? `total:${usageText(total)}:last:${usageText(usage)}` : `${state.session}:${t}:${usageText(usage)}`,
    t,
    model: state.model ?? UNKNOWN_MODEL,
    inputTokens: usage.input - cached - cacheWrite,
    outputTokens: usage.output,
    reasoningTokens: Math.min(usage.reasoning, usage.output),
    cacheReadTokens: cached,
    cacheWrite5mTokens: cacheWrite,
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: null,
    sessionKey: state.session,
    projectKey: state.project,
  };
  return throughReplayFilter(parsed, String(Math.floor(t / 1000)), state);
}

export const codexParser: LineParser<CodexFileState> = {
  kind: 'lines',
  source: 'codex',
  initialState(filePath: string, context: ParseContext): CodexFileState {
    const fileName = filePath.split(/[\\/]/).pop() ?? filePath;
    return {
      model: null,
      previousTotal: null,
      session: context.nameDigest(fileName),
      project: '',
      metaSeen: false,
      replay: 'none',
      replaySecond: null,
      pending: null,
    };
  },
  parseLine: parseCodexLine,
  stateForStorage(state: CodexFileState, normalizeModel: (rawModel: string) => string): CodexFileState {
    // A logged model may be a fine-tune id naming an organisation and project: only the price data's
    // name is kept between runs, which prices and reports the same as the logged one.
    return {
      ...state,
      model: state.model === null ? null : normalizeModel(state.model),
      pending: state.pending === null ? null : { ...state.pending, model: normalizeModel(state.pending.model) },
    };
  },
  lineMarkers: ['"turn_context"', '"token_count"', '"session_meta"'],
};

/** `rollout-*.jsonl.zst`: the same lines as the plain rollout, read whole as the plain file would be. */
export const codexCompressedParser: WholeFileParser = {
  kind: 'whole',
  source: 'codex',
  compression: 'zstd',
  parseFile(text: string, filePath: string, context: ParseContext): ParsedUsage[] {
    const state = codexParser.initialState(filePath.replace(/\.zst$/i, ''), context);
    const markers = codexParser.lineMarkers ?? [];
    const usages: ParsedUsage[] = [];
    for (const line of text.split('\n')) {
      if (!markers.some((marker) => line.includes(marker))) continue;
      usages.push(...parseCodexLine(line.endsWith('\r') ? line.slice(0, -1) : line, state, context));
    }
    return usages;
  },
};
