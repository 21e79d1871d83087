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
// - a sub-agent (`source.subagent.thread_spawn.parent_thread_id`, or `source.subagent: "review"`) has its own rollout,
//   which alone holds its calls: the parent's counts are the parent's calls only. A forked or spawned session
//   (`session_meta.payload.forked_from_id`, or a thread_spawn parent) in a legacy rollout starts by copying its parent's
//   history, token counts included, each line stamped as it is written (codex-rs/rollout/src/recorder.rs at
//   05eb6e5e8b57cdd7c732baa6782a3ea26a3cfac3, JsonlWriter::write_rollout_item), so the copies follow each other within
//   milliseconds, across a second's tick when they are many (ccusage #1501), and the child's running total goes on from
//   its parent's. The child's own counts are a model call apart: a child whose first two counts are under REPLAY_GAP_MS
//   apart skips that leading run of counts. A paginated rollout (`history_mode: "paginated"`, what Codex CLI 0.171.0
//   writes) copies no count: a forked sub-agent drops them (codex-rs/core/src/agent/control/spawn.rs,
//   spawn_forked_thread, which at 37a985e98fcef7f8c6166bdef6766d59d490ce39 still kept every event) and a fork names its
//   parent's rollout in `session_meta.payload.history_base` instead of copying it. Checked on what 0.171.0 writes.
//   Either way the child's first count is counted at once, keyed under its parent's session: a copy of the parent's
//   only response, copied alone, is then that response's record. A copied first count (within REPLAY_GAP_MS of the
//   session_meta lines copied before it) is keyed more exactly, as the parent's file keyed its own first count, which
//   those lines tell (firstCountSession): a fork of a fork copies its parent's copy of the grandparent's session_meta
//   too, and its first count is then the grandparent's first response, which the grandparent and the parent keep under
//   the grandparent's session; a parent whose session_meta names no parent kept its first count under its own. A fork's
//   own first count keeps the parent's session, as earlier versions keyed it, so a rollout read again whole (compressed
//   by Codex since) writes it under the same id.
// - A fork whose session_meta names no parent (a Codex build that forked, on an Esc-Esc backtrack, before it wrote
//   `forked_from_id`: not checked against openai/codex's history, whose snapshot is too large to fetch here; nothing else
//   writes a second session_meta of another id before a count) is told by the copied session_meta. When a count follows
//   that line within REPLAY_GAP_MS it is copied history, and the file reads as a named fork's; when the first count comes
//   later it is the fork's own, the source having had no response, and the file reads as a session of its own, keyed as
//   before such forks were told.
// - Since 2026 Codex compresses cold rollouts to `<name>.jsonl.zst` (one zstd stream of the same lines)
//   and deletes the plain file; a resumed session is decompressed back to `.jsonl` and the `.zst`
//   removed, and a `.zst` beside a plain file is ignored (openai/codex codex-rs/rollout/src/compression.rs
//   at 3846901efe60c2dd33ff2038a66f6863882fe60d: RolloutFile::from_path, materialize_rollout_for_append).
//   Compressed files are never appended to, so they are read whole, with the plain name's session.
// Keys are the session and the usage counters when a running total exists (it only grows within a session), so a
// copied history of the same session (an archived or compressed copy) yields the same ids and counts once. Before
// 0.1.0 the keys had no session, and two sessions whose counters met (two new sessions with the same first request)
// counted once: those keys are each record's `legacyKey`, under which an earlier Assay may have written it.
//
// Agent edits (docs/metrics.md, Agent output). Codex edits files with its `apply_patch` tool, whose patch format is
// parsed in agentOutput/applyPatch.ts. Rollouts record (openai/codex codex-rs/rollout/src/policy.rs at
// 851c9d5ef023ef39288bd3cb9bde3bdee8812d93: response items are always persisted, PatchApplyEnd only in the
// extended mode):
// - the call, a `response_item` whose payload is a `custom_tool_call` named `apply_patch` (`input`: the patch), a
//   `function_call` (`arguments`: JSON holding the patch, as `input` or inside a shell `command`), or a
//   `local_shell_call` (`action.command`), each with a `call_id`; patch paths are relative to the turn's `cwd`
//   (codex-rs/apply-patch/src/parser.rs at 0ffd5a8ddfc0f230d413bbbc802141d32e23dab2, Hunk::resolve_path) or to a
//   shell call's `workdir`;
// - its output, a `custom_tool_call_output` or `function_call_output` with the same `call_id`, whose text (or JSON
//   `{output, metadata: {exit_code}}`) starts the apply_patch summary "Success. Updated the following files:" when
//   the patch applied (codex-rs/apply-patch/src/lib.rs at 1fd7a5d857cfdb6946a99625eb86ee57c9a9cb84, print_summary);
//   a failed patch writes nothing;
// - in the extended mode, `event_msg` `patch_apply_end {call_id, success, changes: {<absolute path>: {type: "add",
//   content} | {type: "delete", content} | {type: "update", unified_diff, move_path}}}`
//   (codex-rs/protocol/src/protocol.rs, PatchApplyEndEvent and FileChange).
// One edit per file, keyed by call id and path, so a call seen both ways counts once. The patch of a call waits in
// memory for its output (never in the stored state: it holds paths and code), so this parser asks the machinery to
// read a resumed file from its start again (`replayFromStart`).
import * as path from 'node:path';
import { applyPatchLines, filesOfPatch } from '../../agentOutput/applyPatch';
import { countDiffLines, nonBlankLines } from '../../agentOutput/lines';
import type { LineParser, ParseContext, ParsedUsage, WholeFileParser } from '../types';
import { parseCodexRateLimits } from '../../money/limits';
import { asRecord, asString, parseJsonLine, parseTimestamp, remembered, tokenCount, type JsonRecord, UNKNOWN_MODEL } from '../rawJson';

interface RawUsage {
  input: number;
  cached: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
  total: number;
}

export interface CodexFileState {
  /** As logged while a file is read; stored under the name the ledger keeps (see `stateForStorage`). */
  model: string | null;
  previousTotal: RawUsage | null;
  session: string;
  project: string;
  metaSeen: boolean;
  /** Replay handling for legacy forked/subagent sessions (see header). */
  replay: 'none' | 'detecting' | 'skipping';
  /** Epoch ms of the latest count of the child's leading run, while it is detected or skipped. */
  replayAt: number | null;
  /**
   * Digest of the parent session of a forked or subagent session, until its first count: that count, which may be the
   * parent's only response copied, is keyed under the parent's session.
   */
  parentSession?: string;
  /**
   * The session_meta lines a legacy fork copied before its first count, in order (at most MAX_COPIED_METAS): its
   * parent's own first one, then those the parent had copied. Its first count is a copy of its parent's first count,
   * keyed as the parent's file keys it (firstCountSession).
   */
  copiedMetas?: CopiedMeta[];
  /**
   * Time of the last session_meta a legacy fork copied before its first count: a copied count follows it within
   * REPLAY_GAP_MS, the fork's own first count a model call later.
   */
  copiedMetaAt?: number;
  /** A fork whose session_meta names no parent (see header), told by the copied session_meta of another session before any count. */
  unnamedFork?: true;
  /** A count of this file was counted: a session_meta after it is not a copied history's. */
  counted?: true;
  /** Working folder of the current turn (raw path: in memory only, never stored). */
  cwd?: string | null;
  /** apply_patch calls waiting for their output, by call id (raw: in memory only, never stored). */
  patchCalls?: Record<string, PatchCall>;
}

/** What a copied session_meta says of the session whose file it began: digests of its id and of the parent it names. */
interface CopiedMeta {
  session?: string;
  parent?: string;
  paginated: boolean;
}

/** Far more generations of forks than anyone makes; a file naming more is not a fork's history. */
const MAX_COPIED_METAS = 16;

/**
 * The session a legacy fork's first count is keyed under: the one its parent's file keyed its own first count under,
 * which that file's copied session_meta lines (`copied`, the parent's first) tell, as this parser read them there. A
 * parent that names no parent is a session of its own (a fork Codex wrote before `forked_from_id` existed too); a
 * paginated one keyed it under its parent; a legacy one under its own parent's, found the same way one line further.
 */
function firstCountSession(copied: readonly CopiedMeta[], parentSession: string): string {
  const [parent, ...earlier] = copied;
  if (parent === undefined) return parentSession;
  if (parent.parent === undefined) return parent.session ?? parentSession;
  if (parent.paginated || earlier.length === 0) return parent.parent;
  return firstCountSession(earlier, parent.parent);
}

interface PatchCall {
  patch: string;
  /** Folder the patch's relative paths resolve against. */
  folder: string | null;
  model: string;
  /** Key of the response that made the call: the token count that follows the call. */
  responseKey?: string;
  /** That response's legacy key (ParsedUsage.legacyKey). */
  legacyResponseKey?: string;
}

/** Largest gap between two copied counts of a legacy fork's leading run (see header); its own calls are further apart. */
const REPLAY_GAP_MS = 1000;
/** apply_patch calls remembered per file; a call's output follows it (after approval at worst) within the turn. */
const MAX_PATCH_CALLS = 32;
const PATCH_BEGIN = '*** Begin Patch';
const PATCH_SUCCESS = 'Success. Updated the following files:';


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

/** The session a session_meta names as its parent: the one it was forked from, or a sub-agent's spawning thread. */
function parentOf(payload: JsonRecord): string | undefined {
  const source = asRecord(payload.source);
  return asString(payload.forked_from_id) ?? asString(asRecord(asRecord(asRecord(source?.subagent)?.thread_spawn))?.parent_thread_id);
}

function onSessionMeta(payload: JsonRecord, t: number | undefined, state: CodexFileState, context: ParseContext): void {
  // A fork repeats its parent's session_meta after its own: only the first one describes this file. The later ones, up
  // to the first count, say how the parent keyed the first count the fork copied (copiedMetas).
  if (state.metaSeen) {
    const copied = asString(payload.id);
    const copiedSession = copied === undefined ? undefined : context.nameDigest(copied);
    if (
      copiedSession !== undefined &&
      copiedSession !== state.session &&
      t !== undefined &&
      state.counted === undefined &&
      state.replay === 'none' &&
      state.parentSession === undefined
    ) {
      state.parentSession = copiedSession;
      state.replay = 'detecting';
      state.unnamedFork = true;
    }
    if (state.replay !== 'detecting' || state.parentSession === undefined) return;
    if (t !== undefined) state.copiedMetaAt = t;
    if ((state.copiedMetas?.length ?? 0) < MAX_COPIED_METAS) {
      const parent = parentOf(payload);
      (state.copiedMetas ??= []).push({
        ...(copiedSession ? { session: copiedSession } : {}),
        ...(parent ? { parent: context.nameDigest(parent) } : {}),
        paginated: payload.history_mode === 'paginated',
      });
    }
    return;
  }
  state.metaSeen = true;
  const id = asString(payload.id);
  if (id) state.session = context.nameDigest(id);
  const cwd = asString(payload.cwd);
  if (cwd) state.project = context.nameDigest(cwd);
  const parent = parentOf(payload);
  if (parent && state.replay === 'none' && state.previousTotal === null) {
    state.parentSession = context.nameDigest(parent);
    // Only a legacy rollout copies its parent's counts (see header).
    if (payload.history_mode !== 'paginated') state.replay = 'detecting';
  }
}

/** Applies the legacy fork replay rule to one counted response; returns what to emit now. */
function throughReplayFilter(usage: ParsedUsage, state: CodexFileState): ParsedUsage[] {
  const previous = state.replayAt;
  switch (state.replay) {
    case 'none':
      return [usage];
    case 'detecting':
      state.replayAt = usage.t;
      if (previous === null) return [usage];
      state.replay = usage.t - previous < REPLAY_GAP_MS ? 'skipping' : 'none';
      return state.replay === 'none' ? [usage] : [];
    case 'skipping':
      if (previous !== null && usage.t - previous < REPLAY_GAP_MS) {
        state.replayAt = usage.t;
        return [];
      }
      state.replay = 'none';
      return [usage];
  }
}

/** The patch text of an apply_patch call, found in any string of its arguments, and a shell call's `workdir`. */
function patchOf(value: unknown): { patch: string; workdir?: string } | undefined {
  if (typeof value === 'string') {
    if (!value.includes(PATCH_BEGIN)) return undefined;
    const trimmed = value.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      const inner = patchOf(safeJson(trimmed));
      if (inner) return inner;
    }
    return { patch: value };
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = patchOf(item);
      if (found) return found;
    }
    return undefined;
  }
  const record = asRecord(value);
  if (!record) return undefined;
  for (const field of Object.values(record)) {
    const found = patchOf(field);
    if (found) return { ...found, ...(asString(record.workdir) ? { workdir: asString(record.workdir) } : {}) };
  }
  return undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function onPatchCall(payload: JsonRecord, state: CodexFileState): void {
  const callId = asString(payload.call_id);
  const found = callId ? patchOf(payload.input ?? payload.arguments ?? payload.action) : undefined;
  if (!callId || !found) return;
  const workdir = found.workdir;
  const folder = workdir && path.isAbsolute(workdir) ? workdir : workdir && state.cwd ? path.resolve(state.cwd, workdir) : state.cwd ?? null;
  // No prototype: a logged id `__proto__` is a key like any other.
  const calls = (state.patchCalls ??= Object.create(null) as NonNullable<typeof state.patchCalls>);
  calls[callId] = { patch: found.patch, folder, model: state.model ?? UNKNOWN_MODEL };
  const ids = Object.keys(calls);
  if (ids.length > MAX_PATCH_CALLS) delete calls[ids[0]];
}

/** Whether a tool output says the patch applied: its exit code when logged, else apply_patch's summary. */
function patchApplied(output: unknown): boolean {
  const text = typeof output === 'string' ? output : asString(asRecord(output)?.content) ?? '';
  const parsed = asRecord(text.trimStart().startsWith('{') ? safeJson(text) : undefined);
  const exitCode = asRecord(parsed?.metadata)?.exit_code;
  if (typeof exitCode === 'number') return exitCode === 0;
  return text.includes(PATCH_SUCCESS);
}

function editKey(callId: string, filePath: string, context: ParseContext): string {
  return `${callId}:${context.nameDigest(filePath)}`;
}

function onPatchOutput(payload: JsonRecord, t: number, state: CodexFileState, context: ParseContext): void {
  const callId = asString(payload.call_id);
  const call = callId ? remembered(state.patchCalls, callId) : undefined;
  if (!callId || !call) return;
  delete state.patchCalls?.[callId];
  if (!patchApplied(payload.output)) return;
  const folder = call.folder;
  const sections = applyPatchLines(call.patch).map((section) => ({
    ...section,
    path: path.isAbsolute(section.path) || folder === null ? section.path : path.resolve(folder, section.path),
  }));
  for (const file of filesOfPatch(sections)) {
    const filePath = file.path;
    context.edit({
      key: editKey(callId, filePath, context),
      t,
      model: call.model,
      ...(call.responseKey ? { responseKey: call.responseKey } : {}),
      ...(call.legacyResponseKey ? { legacyResponseKey: call.legacyResponseKey } : {}),
      sessionKey: state.session,
      filePath,
      addedLines: file.addedLines,
      removedLines: file.removedLines,
    });
  }
}

/** `patch_apply_end` with its changes (written in the extended persistence mode): absolute paths, exact content. */
function onPatchApplyEnd(payload: JsonRecord, t: number, state: CodexFileState, context: ParseContext): void {
  const callId = asString(payload.call_id);
  if (!callId) return;
  const call = remembered(state.patchCalls, callId);
  const changes = asRecord(payload.changes);
  const applied = payload.success === true || payload.status === 'completed';
  if (!applied || !changes || Object.keys(changes).length === 0) return;
  delete state.patchCalls?.[callId];
  for (const [changedPath, value] of Object.entries(changes)) {
    const change = asRecord(value);
    if (!change) continue;
    const content = asString(change.content) ?? '';
    const lines =
      change.type === 'add'
        ? { addedLines: nonBlankLines(content), removedLines: 0 }
        : change.type === 'delete'
          ? { addedLines: [], removedLines: nonBlankLines(content).length }
          : countDiffLines(asString(change.unified_diff) ?? '');
    const moved = asString(change.move_path) ?? changedPath;
    const filePath = path.isAbsolute(moved) || !state.cwd ? moved : path.resolve(state.cwd, moved);
    context.edit({
      key: editKey(callId, filePath, context),
      t,
      model: call?.model ?? state.model ?? UNKNOWN_MODEL,
      ...(call?.responseKey ? { responseKey: call.responseKey } : {}),
      ...(call?.legacyResponseKey ? { legacyResponseKey: call.legacyResponseKey } : {}),
      sessionKey: state.session,
      filePath,
      addedLines: lines.addedLines,
      removedLines: lines.removedLines,
    });
  }
}

function onResponseItem(payload: JsonRecord, timestamp: unknown, state: CodexFileState, context: ParseContext): void {
  const type = payload.type;
  if (type === 'custom_tool_call' || type === 'function_call' || type === 'local_shell_call') return onPatchCall(payload, state);
  if (type !== 'custom_tool_call_output' && type !== 'function_call_output') return;
  const t = parseTimestamp(timestamp);
  if (t !== undefined) onPatchOutput(payload, t, state, context);
}

const CODEX_MARKERS = ['"turn_context"', '"token_count"', '"session_meta"', PATCH_BEGIN, PATCH_SUCCESS, '"patch_apply_end"'];

function parseCodexLine(line: string, state: CodexFileState, context: ParseContext): ParsedUsage[] {
  if (!CODEX_MARKERS.some((marker) => line.includes(marker))) return [];
  const entry = asRecord(parseJsonLine(line, context));
  const payload = asRecord(entry?.payload);
  if (!entry || !payload) return [];
  if (entry.type === 'session_meta') {
    const cwd = asString(payload.cwd);
    if (cwd && !state.cwd) state.cwd = cwd;
    onSessionMeta(payload, parseTimestamp(entry.timestamp), state, context);
    return [];
  }
  if (entry.type === 'turn_context') {
    const model = modelOf(payload);
    if (model) state.model = model;
    const cwd = asString(payload.cwd);
    if (cwd) state.cwd = cwd;
    if (cwd && state.project === '') state.project = context.nameDigest(cwd);
    return [];
  }
  if (entry.type === 'response_item') {
    onResponseItem(payload, entry.timestamp, state, context);
    return [];
  }
  if (entry.type === 'event_msg' && payload.type === 'patch_apply_end') {
    const t = parseTimestamp(entry.timestamp);
    if (t !== undefined) onPatchApplyEnd(payload, t, state, context);
    return [];
  }
  if (entry.type !== 'event_msg' || payload.type !== 'token_count') return [];
  // Plan limits ride on every token count (src/money/limits.ts); the import writes each figure once.
  for (const limit of parseCodexRateLimits(entry) ?? []) context.limit(limit);
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
  // A child session's first count may be its parent's only response, copied alone (no run to tell it by): keyed under
  // the parent's session, it is that response's record. The child's own first response meets a parent's record only
  // where the parent logged the same running total and the same counts.
  let keySession = state.session;
  if (state.parentSession !== undefined) {
    const copied = state.copiedMetaAt !== undefined && t - state.copiedMetaAt < REPLAY_GAP_MS;
    // Copied: the parent's first count, keyed as the parent's file keyed it. Else the fork's own, keyed as before the
    // copied lines were read for it: under the parent's session (header), and an unnamed fork's under its own, whose
    // file then reads as a session of its own.
    if (copied) keySession = firstCountSession(state.copiedMetas ?? [], state.parentSession);
    else if (state.unnamedFork) state.replay = 'none';
    else keySession = state.parentSession;
  }
  state.counted = true;
  delete state.parentSession;
  delete state.copiedMetas;
  delete state.copiedMetaAt;
  delete state.unnamedFork;
  const parsed: ParsedUsage = {
    // The parsed time, not the logged text: V8 dates text with any words before a date.
    key: total ? `${keySession}:total:${usageText(total)}:last:${usageText(usage)}` : `${state.session}:${t}:${usageText(usage)}`,
    ...(total ? { legacyKey: `total:${usageText(total)}:last:${usageText(usage)}` } : {}),
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
  for (const call of Object.values(state.patchCalls ?? {})) {
    if (call.responseKey !== undefined) continue;
    call.responseKey = parsed.key;
    if (parsed.legacyKey !== undefined) call.legacyResponseKey = parsed.legacyKey;
  }
  return throughReplayFilter(parsed, state);
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
      replayAt: null,
    };
  },
  parseLine: parseCodexLine,
  stateForStorage(state: CodexFileState, keptModelName: (rawModel: string) => string): CodexFileState {
    // A logged model may be a fine-tune id naming an organisation and project: only the name the ledger keeps is kept
    // between runs, which prices and reports the same as the logged one.
    // The working folder and waiting patches hold paths and code: they are rebuilt by reading the file again.
    const { cwd: _cwd, patchCalls: _patchCalls, ...stored } = state;
    return {
      ...stored,
      model: state.model === null ? null : keptModelName(state.model),
    };
  },
  lineMarkers: CODEX_MARKERS,
  replayFromStart: true,
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
      try {
        usages.push(...parseCodexLine(line.endsWith('\r') ? line.slice(0, -1) : line, state, context));
      } catch {
        // As a plain rollout's line that throws is (incremental.ts, ReadingCollector.parse): counted, and only that line lost.
        context.reject('fields');
      }
    }
    return usages;
  },
};
