// Kimi CLI (MoonshotAI/kimi-cli, the Python `kimi` agent that Kimi Code followed) agent logs. Verified against
// MoonshotAI/kimi-cli at 4a550effdfcb29a25a5d325bf935296cc50cd417; ccusage 20.0.24 reads the same lines (its adapter:
// ryoppippi/ccusage rust/crates/ccusage/src/adapter/kimi/parser.rs at 5816e640e8824986f33427203da164b01394a161):
// - Share folder `$KIMI_SHARE_DIR`, else `~/.kimi` (src/kimi_cli/share.py `get_share_dir`). One folder per session,
//   `sessions/<md5 of the work directory>/<session id>/` (metadata.py `WorkDirMeta.sessions_dir`, session.py), holding
//   `wire.jsonl`; each subagent instance keeps its own in `subagents/<agent id>/wire.jsonl` (subagents/store.py).
// - `wire.jsonl` starts with `{"type": "metadata", "protocol_version"}`, then one record per wire message,
//   `{"timestamp": <epoch seconds, float>, "message": {"type": <class name>, "payload": {...}}}`, appended as the
//   message is recorded (wire/file.py `WireFile.append_message`, wire/__init__.py `_WireRecorder`).
// - After each step's model call the agent sends a `StatusUpdate` whose `token_usage` is that call's usage,
//   `{"input_other", "output", "input_cache_read", "input_cache_creation"}` (soul/kimisoul.py, step 2e.5; kosong
//   chat_provider `TokenUsage`: `input_other` is the prompt without cache reads and writes, `output` the whole
//   completion), and `message_id`, the provider's response id. Other `StatusUpdate`s carry no `token_usage`. A context
//   compaction's model call is not logged (soul/compaction.py keeps its usage to itself), so it cannot be counted.
// - No record names the model: it is the config's `default_model` or `--model` at the time, and the config may
//   have changed since. Each step counts under an unknown model (unpriced), as Grok Build turns without a model do.
//   ccusage 20.0.24 and tokscale name every step after a `model` key in `~/.kimi/config.json`, which Kimi CLI's
//   config does not have, so they call them all `kimi-for-coding`.
// - A subagent's messages are also sent to its parent's log wrapped in `SubagentEvent` (subagents/runner.py
//   `_make_ui_loop_fn`). Since the subagent store (kimi-cli ff09e97c, 2026-03-23) the wrapper names the instance
//   (`agent_id`) and the subagent's own log holds the same steps: those wrapped copies are skipped. Before it the
//   wrapper had only `task_tool_call_id` (tools/multiagent/task.py) and the parent's log was the only copy: counted.
// - Resuming a session appends to its log. Forking one (session_fork.py) copies the parent's lines, times and
//   message ids kept, into a new session's `wire.jsonl`: a step is known by its message id and tokens (else its time
//   and tokens), not by its session, so the copy counts once. ccusage 20.0.24 (checked by running it) keys steps by
//   session and counts the copy again; it reads subagents' own logs but skips every wrapped step, older builds' too.
import * as z from 'zod';
import type { LineParser, ParseContext, ParsedUsage } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, UNKNOWN_MODEL, type JsonRecord, storedDigest } from '../rawJson';
import { kosongUsage, type KosongTokens } from './kimiCode';

export interface KimiCliFileState {
  /** Keyed digest of the session folder's name (for a subagent's log, its parent session's). */
  session: string;
  /** Keyed digest of the work directory's folder (an md5 of its path) above the session folder. */
  project: string;
}

/**
 * The `StatusUpdate` payload a record carries, unwrapping subagent events; undefined for any other record, and for a
 * subagent's step whose own log holds it too.
 */
function statusPayload(message: JsonRecord | undefined): JsonRecord | undefined {
  let current = message;
  while (current?.type === 'SubagentEvent') {
    const wrapper = asRecord(current.payload);
    if (!wrapper || asString(wrapper.agent_id) !== undefined) return undefined;
    current = asRecord(wrapper.event);
  }
  return current?.type === 'StatusUpdate' ? asRecord(current.payload) : undefined;
}

/** `sessions/<work dir hash>/<session>/wire.jsonl` and its `subagents/<agent>/wire.jsonl`: one `StatusUpdate` per step. */
export const kimiCliWireParser: LineParser<KimiCliFileState> = {
  kind: 'lines',
  source: 'kimi-cli',
  storedState: z.object({ session: storedDigest, project: storedDigest }),
  initialState(filePath: string, context: ParseContext): KimiCliFileState {
    const parts = filePath.split(/[\\/]/).filter((part) => part.length > 0);
    const sessionAt = parts[parts.length - 3] === 'subagents' ? parts.length - 4 : parts.length - 2;
    return { session: context.nameDigest(parts[sessionAt] ?? ''), project: context.nameDigest(parts[sessionAt - 1] ?? '') };
  },
  parseLine(line: string, state: KimiCliFileState, context: ParseContext): ParsedUsage[] {
    const record = asRecord(parseJsonLine(line, context));
    const status = statusPayload(asRecord(record?.message));
    const usage = asRecord(status?.token_usage);
    if (!record || !status || !usage) return [];
    const tokens: KosongTokens = [tokenCount(usage.input_other), tokenCount(usage.input_cache_read), tokenCount(usage.input_cache_creation), tokenCount(usage.output)];
    if (tokens.every((count) => count === 0)) return [];
    const t = typeof record.timestamp === 'number' ? parseTimestamp(record.timestamp) : undefined;
    if (t === undefined) {
      context.reject('timestamp');
      return [];
    }
    const messageId = asString(status.message_id);
    const key = `${messageId === undefined ? `t|${t}` : `id|${messageId}`}|${tokens.join('|')}`;
    return [kosongUsage(tokens, { key, t, model: UNKNOWN_MODEL, sessionKey: state.session, projectKey: state.project })];
  },
  lineMarkers: ['"token_usage"'],
};
