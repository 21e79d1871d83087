// Kimi Code (MoonshotAI/kimi-code, the `kimi` agent on Node that followed the Python Kimi CLI) agent logs. Verified
// against MoonshotAI/kimi-code at d723cc47ee43e5ca3c3c4ec2473f205d44acede2; ccusage 20.0.24 and tokscale
// (junhoyeo/tokscale crates/tokscale-core/src/sessions/kimi.rs at 027955203fd1bc36f82cf6a2ee53e329e81c7dbd) read the
// same lines:
// - Data folder `$KIMI_CODE_HOME`, else `~/.kimi-code` (apps/kimi-code/src/utils/paths.ts `getDataDir`). One folder
//   per session, `sessions/<work dir key>/<session id>/` (packages/agent-core/src/session/store/session-store.ts), and
//   in it one append-only log per agent, `agents/<agent id>/wire.jsonl` (`main`, and one per subagent:
//   packages/agent-core/src/session/index.ts). ccusage reads `sessions/*/*/agents/*/wire.jsonl` of each folder of
//   `$KIMI_DATA_DIR` (a comma list), else of `~/.kimi` and `~/.kimi-code`.
// - Each line is one record, `{"type", ...payload, "time": <epoch ms>}` (agent/records/index.ts `logRecord`,
//   records/persistence.ts; agent-core-v2/docs/wire-manifest.d.ts for the v2 engine, which writes the same records).
//   Every model call writes `{"type": "usage.record", "model", "usage": {"inputOther", "output", "inputCacheRead",
//   "inputCacheCreation"}, "usageScope"}` once (agent/usage/index.ts `UsageRecorder.record`; v2
//   agent/usage/usageOps.ts): `inputOther` is the prompt without cache reads and writes, `output` the whole
//   completion, reasoning included (packages/kosong/src/usage.ts `TokenUsage`). `usageScope` is `turn` for the
//   agent loop's steps (agent/turn/index.ts) and `session` for calls outside a turn, such as compacting the context
//   (agent/compaction/full.ts). Resuming a session replays records without writing them again (`logRecord` returns
//   while restoring). ccusage 20.0.24 and tokscale count only `turn` records; Assay counts every call the log holds.
// - `model` is the model's alias in Kimi Code's config: `kimi-code/<model id>` for the Kimi Code plan, `<provider
//   id>/<model id>` for refreshed providers (packages/oauth/src/managed-kimi-code.ts), any name for one the user
//   wrote. The `kimi-code/` prefix is dropped, as ccusage drops it. A model set only through environment variables
//   has the symbolic alias `__kimi_env_model__` (config/env-model.ts); the `llm.request` record written before each
//   call names the model actually sent (`model`), which tokscale takes for it, and so does Assay.
// - Forking a session (session-store.ts `truncateForkedSessionAtTurn`) copies its agents' logs into the new session
//   and cuts them at the fork's turn, records and times kept, and opening a session an older build wrote rewrites its
//   log whole (records/index.ts `replay`): a call is known by its agent, time, model and tokens, so such a copy
//   counts once.
// - Checked again against the newest release, @moonshot-ai/kimi-code 2.1.0 (npm bundle dist/main.mjs, agent-core-v2
//   only): same folders, wire protocol 1.5, `usage.record` as above plus its `agentId` (and `raw`, the provider's
//   own usage, inside `usage`); undone turns stay in the log behind an `agent.switched` record, so their calls still
//   count, and a corrupt log is cut to its valid prefix with the original kept as `wire.jsonl.bak`, which is not read.
import * as z from 'zod';
import type { LineParser, ParseContext, ParsedUsage } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, UNKNOWN_MODEL, storedDigest } from '../rawJson';

/** Kimi Code's alias for the model its environment variables configure (not a model name). */
const ENV_MODEL_ALIAS = '__kimi_env_model__';
const PLAN_ALIAS_PREFIX = 'kimi-code/';

export interface KimiCodeFileState {
  /** Keyed digest of the agent's folder name (`main` or a subagent id), which a fork's copy keeps. */
  agent: string;
  /** Keyed digest of the session folder's name. */
  session: string;
  /** Keyed digest of the work directory key above the session folder. */
  project: string;
  /** Model of the latest `llm.request`; stored under the name the ledger keeps (see `stateForStorage`). */
  requestModel: string | null;
}

function modelOf(alias: string | undefined, state: KimiCodeFileState): string {
  if (alias === undefined || alias === ENV_MODEL_ALIAS) return state.requestModel ?? UNKNOWN_MODEL;
  return alias.startsWith(PLAN_ALIAS_PREFIX) ? alias.slice(PLAN_ALIAS_PREFIX.length) : alias;
}

/** kosong's `TokenUsage` counts as `[input without cache, cache read, cache write, output]`. */
export type KosongTokens = readonly [number, number, number, number];

/**
 * One model call's record from kosong's counts, which Kimi Code and the Python Kimi CLI (./kimiCli.ts) both log:
 * output includes reasoning, which kosong does not count apart.
 */
export function kosongUsage(tokens: KosongTokens, call: Pick<ParsedUsage, 'key' | 't' | 'model' | 'sessionKey' | 'projectKey'>): ParsedUsage {
  return {
    ...call,
    inputTokens: tokens[0],
    outputTokens: tokens[3],
    reasoningTokens: 0,
    cacheReadTokens: tokens[1],
    cacheWrite5mTokens: tokens[2],
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: null,
  };
}

/** `sessions/<work dir>/<session>/agents/<agent>/wire.jsonl`: append-only records, one `usage.record` per model call. */
export const kimiCodeWireParser: LineParser<KimiCodeFileState> = {
  kind: 'lines',
  source: 'kimi-code',
  storedState: z.object({ agent: storedDigest, session: storedDigest, project: storedDigest, requestModel: z.string().nullable() }),
  initialState(filePath: string, context: ParseContext): KimiCodeFileState {
    const parts = filePath.split(/[\\/]/).filter((part) => part.length > 0);
    const at = (fromEnd: number) => parts[parts.length - fromEnd] ?? '';
    return { agent: context.nameDigest(at(2)), session: context.nameDigest(at(4)), project: context.nameDigest(at(5)), requestModel: null };
  },
  parseLine(line: string, state: KimiCodeFileState, context: ParseContext): ParsedUsage[] {
    const record = asRecord(parseJsonLine(line, context));
    if (record?.type === 'llm.request') {
      const model = asString(record.model)?.trim();
      if (model) state.requestModel = model;
      return [];
    }
    const usage = asRecord(record?.usage);
    if (!record || record.type !== 'usage.record' || !usage) return [];
    const tokens: KosongTokens = [tokenCount(usage.inputOther), tokenCount(usage.inputCacheRead), tokenCount(usage.inputCacheCreation), tokenCount(usage.output)];
    if (tokens.every((count) => count === 0)) return [];
    const t = typeof record.time === 'number' ? parseTimestamp(record.time) : undefined;
    if (t === undefined) {
      context.reject('timestamp');
      return [];
    }
    const model = modelOf(asString(record.model)?.trim() || undefined, state);
    return [kosongUsage(tokens, { key: `${state.agent}|${t}|${model}|${tokens.join('|')}`, t, model, sessionKey: state.session, projectKey: state.project })];
  },
  stateForStorage(state: KimiCodeFileState, keptModelName: (rawModel: string) => string): KimiCodeFileState {
    // An alias the user wrote may be free text: only the name the ledger keeps is kept between runs.
    return { ...state, requestModel: state.requestModel === null ? null : keptModelName(state.requestModel) };
  },
  lineMarkers: ['"usage.record"', '"llm.request"'],
};
