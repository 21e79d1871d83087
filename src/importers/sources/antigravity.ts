// Antigravity CLI (Google's `agy` coding agent), whose source is closed and whose SQLite rows are protobuf without a
// published schema: read as ccusage 20.0.24 reads it. The field numbers and their meanings below are ccusage's, worked
// out from real databases, not Google's. Reference: ccusage/ccusage rust/adapters/antigravity/src/parser.rs at
// 0a67b461419e4e412a640a5e337b27423f0342b0 (field numbers, token arithmetic, model names) and, for the folders,
// oksure/ccusage rust/adapters/antigravity/src/paths.rs at b6502714878fa4197c0117824ab6d103dcf4ea0c (the roots the
// 20.0.24 binary embeds; ccusage/ccusage's newer paths.rs reads more). Each point was checked by running the 20.0.24
// binary (`ANTIGRAVITY_DATA_DIR=<folder> ccusage antigravity daily --json --offline -z UTC`) on databases of this
// shape (test/fixtures/importers/antigravity/README.md).
// - One SQLite database per conversation, `conversations/<conversation id>.db` (folders: discovery.ts).
// - `gen_metadata(idx, data)`: one row per generation. `data` field 1 is the chat-model message: 4 its usage, 9 its
//   generation info (4: a timestamp), 17 retries (each one's field 2 a usage), 19 or else 21 the model's display
//   name, 3 a numeric model id. A row naming no model takes the last model an earlier row named.
// - `steps(idx, metadata)`: one row per step. `metadata` field 9 is a usage, 28 retries, 8 or else 1 a timestamp,
//   24 the model (12 or else 8 its name, 1 its numeric id). A step naming no model takes the last model any
//   generation row names.
// - A usage: 2 input (no cache inside), 3 output with reasoning, 4 cache writes, 5 cache reads, 9 reasoning, 10 output
//   without reasoning, 1 a numeric model id, and three ids: 11 the response's, 12 the provider's message's, 7 a
//   message's. Output is at least visible output plus reasoning. A usage without any token is not a call.
// - Timestamp messages are `{1: seconds, 2: nanos}`. A call without its own time takes that of another copy of it
//   (a shared id), else the conversation's (`trajectory_metadata_blob` field 2), else ccusage takes the file's
//   modification time, which is not the call's: Assay counts such a call as undated and skips it.
// - Steps and generations often hold the same call: copies sharing any id are one call, each count the largest of
//   the copies', dated by their own time before the conversation's, the earliest on a tie. ccusage joins copies
//   across conversations the same way; Assay keys a call by its best id (response, else provider, else message), so a
//   copy in another database counts once when that id is the same (a subagent's copy is), not when only a lesser id
//   is shared.
// - Model names as ccusage gives them (`antigravityModelName`), including its hand-made map of Antigravity's
//   `MODEL_PLACEHOLDER_M<n>` ids; a call with no model anywhere is ccusage's `gemini-internal-model`, Assay's unknown
//   model (unpriced).
// - ccusage stops the whole report at a row it cannot decode; Assay counts the row (`fields`) and reads the rest.
// - The machinery runs one statement, so the three tables are read together: a database lacking one (ccusage needs
//   only `gen_metadata`; the CLI's databases hold all three, as the readers that list its tables observed) is counted as
//   not this tool's and not read.
// No protobuf library: the only one among the dependencies is an unexported internal of @opentelemetry/otlp-transformer
// (reachable only by a deep import of its build folder), and these rows need no schema, only the four wire types. The
// reader below is total: it returns undefined on any malformed input, never throws, and descends only the fixed
// message paths above, so a hostile row costs at most one pass over its bytes per path.
import * as path from 'node:path';
import type { ParseContext, ParsedUsage, SqliteQuery, WholeFileParser } from '../types';
import { UNKNOWN_MODEL } from '../rawJson';

/** One decoded field: a varint's value, or a length-delimited field's bytes (fixed-width fields are skipped). */
interface ProtoField {
  number: number;
  varint?: number;
  bytes?: Uint8Array;
}

const MAX_VARINT_BYTES = 10;
const MAX_FIELD_NUMBER = 2 ** 32 - 1;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a varint at `at`: [value, next offset], or undefined when truncated or longer than 64 bits. */
function readVarint(bytes: Uint8Array, at: number): [number, number] | undefined {
  let value = 0;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (at + i >= bytes.length) return undefined;
    const byte = bytes[at + i];
    const payload = byte & 0x7f;
    if (i === MAX_VARINT_BYTES - 1 && payload > 1) return undefined;
    value += payload * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return [value, at + i + 1];
  }
  return undefined;
}

/** The fields of one message, or undefined where ccusage's decoder fails (truncation, wire types 3/4/6/7, field 0). */
function decodeFields(bytes: Uint8Array): ProtoField[] | undefined {
  const fields: ProtoField[] = [];
  let at = 0;
  while (at < bytes.length) {
    const tag = readVarint(bytes, at);
    if (!tag) return undefined;
    const number = Math.floor(tag[0] / 8);
    if (number === 0 || number > MAX_FIELD_NUMBER) return undefined;
    at = tag[1];
    switch (tag[0] % 8) {
      case 0: {
        const value = readVarint(bytes, at);
        if (!value) return undefined;
        fields.push({ number, varint: value[0] });
        at = value[1];
        break;
      }
      case 1:
      case 5: {
        const width = tag[0] % 8 === 1 ? 8 : 4;
        if (at + width > bytes.length) return undefined;
        at += width;
        break;
      }
      case 2: {
        const length = readVarint(bytes, at);
        if (!length || length[1] + length[0] > bytes.length) return undefined;
        fields.push({ number, bytes: bytes.subarray(length[1], length[1] + length[0]) });
        at = length[1] + length[0];
        break;
      }
      default:
        return undefined;
    }
  }
  return fields;
}

/** As ccusage: a varint field's last occurrence. */
function varintField(fields: ProtoField[], number: number): number | undefined {
  for (let i = fields.length - 1; i >= 0; i--) if (fields[i].number === number && fields[i].varint !== undefined) return fields[i].varint;
  return undefined;
}

/** As ccusage: a message field's first occurrence. */
function bytesField(fields: ProtoField[], number: number): Uint8Array | undefined {
  return fields.find((field) => field.number === number && field.bytes !== undefined)?.bytes;
}

function bytesFields(fields: ProtoField[], number: number): Uint8Array[] {
  return fields.flatMap((field) => (field.number === number && field.bytes ? [field.bytes] : []));
}

/** As ccusage: a text field's last occurrence, if it is UTF-8 and not blank. */
function textField(fields: ProtoField[], number: number): string | undefined {
  for (let i = fields.length - 1; i >= 0; i--) {
    const bytes = fields[i].bytes;
    if (fields[i].number !== number || bytes === undefined) continue;
    try {
      const text = utf8.decode(bytes);
      return text.trim().length > 0 ? text : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const nonZero = (value: number | undefined) => (value === 0 ? undefined : value);

interface Usage {
  modelId?: number;
  input: number;
  totalOutput: number;
  cacheWrite: number;
  cacheRead: number;
  reasoning: number;
  visibleOutput: number;
  /** `response:<id>`, `provider:<id>`, `message:<id>`, in that order of preference (ccusage's identity keys). */
  identities: string[];
}

function decodeUsage(bytes: Uint8Array): Usage | undefined {
  const fields = decodeFields(bytes);
  if (!fields) return undefined;
  const ids: [string, number][] = [['response', 11], ['provider', 12], ['message', 7]];
  return {
    modelId: nonZero(varintField(fields, 1)),
    input: varintField(fields, 2) ?? 0,
    totalOutput: varintField(fields, 3) ?? 0,
    cacheWrite: varintField(fields, 4) ?? 0,
    cacheRead: varintField(fields, 5) ?? 0,
    reasoning: varintField(fields, 9) ?? 0,
    visibleOutput: varintField(fields, 10) ?? 0,
    identities: ids.flatMap(([kind, number]) => {
      const id = textField(fields, number);
      return id ? [`${kind}:${id}`] : [];
    }),
  };
}

/** Epoch ms of a `{1: seconds, 2: nanos}` message; undefined when it is malformed, null when it holds no time. */
function decodeTimestamp(bytes: Uint8Array): number | null | undefined {
  const fields = decodeFields(bytes);
  if (!fields) return undefined;
  const seconds = varintField(fields, 1);
  if (seconds === undefined || seconds <= 0 || seconds > Number.MAX_SAFE_INTEGER / 1000) return null;
  return seconds * 1000 + Math.floor(Math.min(varintField(fields, 2) ?? 0, 999_999_999) / 1_000_000);
}

/** A row's usages (its own, then its retries'), model and time; undefined when any part ccusage decodes is malformed. */
interface RowMetadata {
  name?: string;
  modelId?: number;
  usages: Usage[];
  time: number | null;
}

function decodeRetries(list: Uint8Array[]): Usage[] | undefined {
  const usages: Usage[] = [];
  for (const retry of list) {
    const fields = decodeFields(retry);
    if (!fields) return undefined;
    const usage = bytesField(fields, 2);
    if (usage === undefined) continue;
    const decoded = decodeUsage(usage);
    if (!decoded) return undefined;
    usages.push(decoded);
  }
  return usages;
}

function decodeRow(own: Uint8Array | undefined, retries: Uint8Array[], time: Uint8Array | undefined): Omit<RowMetadata, 'name' | 'modelId'> | undefined {
  const usage = own === undefined ? undefined : decodeUsage(own);
  const retryUsages = decodeRetries(retries);
  const at = time === undefined ? null : decodeTimestamp(time);
  if ((own !== undefined && !usage) || !retryUsages || at === undefined) return undefined;
  return { usages: usage ? [usage, ...retryUsages] : retryUsages, time: at };
}

type Generation = RowMetadata & { usageModelId?: number };

function decodeGeneration(data: Uint8Array): Generation | undefined {
  const root = decodeFields(data);
  const chatModel = root && bytesField(root, 1);
  const fields = chatModel && decodeFields(chatModel);
  if (!fields) return undefined;
  const info = bytesField(fields, 9);
  const infoFields = info === undefined ? [] : decodeFields(info);
  if (!infoFields) return undefined;
  const ownUsage = bytesField(fields, 4);
  const row = decodeRow(ownUsage, bytesFields(fields, 17), bytesField(infoFields, 4));
  if (!row) return undefined;
  return {
    ...row,
    name: textField(fields, 19) ?? textField(fields, 21),
    modelId: nonZero(varintField(fields, 3)),
    usageModelId: ownUsage === undefined ? undefined : row.usages[0]?.modelId,
  };
}

function decodeStep(metadata: Uint8Array): RowMetadata | undefined {
  const fields = decodeFields(metadata);
  if (!fields) return undefined;
  const modelInfo = bytesField(fields, 24);
  const modelFields = modelInfo === undefined ? [] : decodeFields(modelInfo);
  if (!modelFields) return undefined;
  const row = decodeRow(bytesField(fields, 9), bytesFields(fields, 28), bytesField(fields, 8) ?? bytesField(fields, 1));
  if (!row) return undefined;
  return { ...row, name: textField(modelFields, 12) ?? textField(modelFields, 8), modelId: nonZero(varintField(modelFields, 1)) };
}

/** ccusage's `model_name_from_id`: Antigravity's numeric model ids (placeholders are `1000 + n`). */
function modelNameFromId(id: number): string {
  const known: Record<number, string> = {
    246: 'gemini-2.5-pro',
    312: 'gemini-2.5-flash',
    313: 'gemini-2.5-flash-thinking',
    329: 'gemini-2.5-flash-thinking',
    330: 'gemini-2.5-flash-lite',
    281: 'claude-4-sonnet',
    282: 'claude-4-sonnet',
    290: 'claude-4-opus',
    291: 'claude-4-opus',
    333: 'claude-4.5-sonnet',
    334: 'claude-4.5-sonnet',
    340: 'claude-4.5-haiku',
    341: 'claude-4.5-haiku',
    342: 'model_openai_gpt_oss_120b_medium',
    1318: 'gemini-3.8-flash-high',
    1319: 'gemini-3.8-flash-medium',
    1320: 'gemini-3.8-flash-low',
    1298: 'gemini-3.7-flash-high',
    1299: 'gemini-3.7-flash-medium',
    1300: 'gemini-3.7-flash-low',
    1071: 'gemini-3.6-flash-high',
    1072: 'gemini-3.6-flash-medium',
    1073: 'gemini-3.6-flash-low',
  };
  return known[id] ?? (id >= 1000 ? `model_placeholder_m${id - 1000}` : `antigravity-model-${id}`);
}

/**
 * Display names and placeholder ids ccusage maps by hand (its `normalize_antigravity_model`), lower-cased. A Map: a
 * logged name such as `constructor` or `__proto__` must not find a member every plain object inherits.
 */
const MODEL_NAMES: ReadonlyMap<string, string> = new Map(Object.entries({
  'gemini 3.8 flash': 'gemini-3.8-flash',
  'gemini 3.8 flash thinking': 'gemini-3.8-flash',
  'gemini 3.7 flash': 'gemini-3.7-flash',
  'gemini 3.7 flash thinking': 'gemini-3.7-flash',
  'gemini 3.7 pro': 'gemini-3.7-pro',
  'gemini 3.7 pro thinking': 'gemini-3.7-pro',
  'gemini 3.6 flash': 'gemini-3.6-flash',
  'gemini 3 flash': 'gemini-3.6-flash',
  'gemini 3.6 pro': 'gemini-3.6-pro',
  'gemini 3 pro': 'gemini-3-pro',
  'gemini 3 pro thinking': 'gemini-3-pro',
  'gemini 2.5 flash': 'gemini-2.5-flash',
  'gemini 2.5 pro': 'gemini-2.5-pro',
  'gemini 2.0 flash': 'gemini-2.0-flash',
  'gemini 2 flash': 'gemini-2.0-flash',
  'gemini 2.0 pro': 'gemini-2.0-pro',
  'gemini 1.5 flash': 'gemini-1.5-flash',
  'gemini 1.5 pro': 'gemini-1.5-pro',
  model_placeholder_m318: 'gemini-3.8-flash-high',
  model_placeholder_m319: 'gemini-3.8-flash-medium',
  model_placeholder_m320: 'gemini-3.8-flash-low',
  model_placeholder_m298: 'gemini-3.7-flash-high',
  model_placeholder_m299: 'gemini-3.7-flash-medium',
  model_placeholder_m300: 'gemini-3.7-flash-low',
  model_placeholder_m71: 'gemini-3.6-flash-high',
  model_placeholder_m72: 'gemini-3.6-flash-medium',
  model_placeholder_m73: 'gemini-3.6-flash-low',
  model_placeholder_m26: 'claude-opus-4-6',
  model_placeholder_m35: 'claude-sonnet-4-6',
  model_placeholder_m36: 'gemini-3.1-pro',
  model_placeholder_m37: 'gemini-3.1-pro',
  model_placeholder_m16: 'gemini-3.1-pro',
  model_placeholder_m18: 'gemini-3-flash-preview',
  model_placeholder_m84: 'gemini-3-flash-preview',
  model_placeholder_m47: 'gemini-3-flash-preview',
  model_placeholder_m132: 'gemini-3.5-flash-high',
  model_placeholder_m133: 'gemini-3.5-flash-high',
  model_placeholder_m187: 'gemini-3.5-flash-extra-low',
  model_placeholder_m20: 'gemini-3.5-flash-medium',
  model_openai_gpt_oss_120b_medium: 'gpt-oss-120b-medium',
  'gemini-pro-default': 'gemini-3.1-pro',
  'gemini-pro-agent': 'gemini-3.1-pro',
  'gemini-3-flash-agent': 'gemini-3.5-flash-high',
  'gemini-3-flash-agent-a': 'gemini-3.5-flash-high',
  'gemini-3-flash-agent-b': 'gemini-3.5-flash-high',
  'gemini-3-flash-a': 'gemini-3.5-flash-high',
  'gemini-3-flash-b': 'gemini-3.5-flash-high',
  'gemini-3-flash-c': 'gemini-3-flash-preview',
  'gemini-3-flash': 'gemini-3-flash-preview',
  'gemini-3.5-flash-low': 'gemini-3.5-flash-medium',
  'gemini-3.1-pro-high': 'gemini-3.1-pro',
  'gemini-3.1-pro-low': 'gemini-3.1-pro',
  'gemini-3-pro-high': 'gemini-3-pro',
  'gemini-3-pro-low': 'gemini-3-pro',
  'claude 3.7 sonnet': 'claude-3-7-sonnet',
  'claude 3.7 sonnet thinking': 'claude-3-7-sonnet',
  'claude 3.5 sonnet': 'claude-3-5-sonnet',
  'claude 3.5 haiku': 'claude-3-5-haiku',
  'claude 3 opus': 'claude-3-opus',
}));

/** The effort variants ccusage keeps apart before it drops a parenthesised suffix. */
const EFFORT_VARIANTS = /^gemini (3\.[678]) flash \((high|medium|low)\)$/;

/** ccusage's `normalize_antigravity_model`: undefined for a blank name; an unknown name stays as written (trimmed). */
export function antigravityModelName(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return undefined;
  const lower = trimmed.toLowerCase();
  const effort = EFFORT_VARIANTS.exec(lower);
  if (effort) return `gemini-${effort[1]}-flash-${effort[2]}`;
  const paren = lower.indexOf('(');
  const base = paren >= 0 ? lower.slice(0, paren).trim() : lower;
  const mapped = MODEL_NAMES.get(base);
  if (mapped) return mapped;
  const dashed = base.replaceAll(' ', '-');
  return /^(gemini|claude|gpt)-/.test(dashed) ? dashed : trimmed;
}

const rowModel = (row: { name?: string; modelId?: number }) =>
  (row.name === undefined ? undefined : antigravityModelName(row.name)) ?? (row.modelId === undefined ? undefined : antigravityModelName(modelNameFromId(row.modelId)));

/** One call as ccusage merges it: time rank 3 = the row's own time, 1 = the conversation's, 0 = none. */
interface Call {
  key: string;
  identities: Set<string>;
  model?: string;
  input: number;
  output: number;
  reasoning: number;
  totalOutput: number;
  cacheWrite: number;
  cacheRead: number;
  t: number;
  rank: number;
  idRank: number;
}

function callOf(usage: Usage, context: { model?: string; time: number | null }, found: Map<string, [number, number]>, conversationTime: number | null, fallbackKey: string): Call {
  const own: [number, number] | undefined = context.time === null ? undefined : [context.time, 3];
  const shared = usage.identities.map((identity) => found.get(identity)).find((entry) => entry !== undefined);
  const [t, rank] = own ?? shared ?? (conversationTime === null ? [0, 0] : [conversationTime, 1]);
  const totalOutput = Math.max(usage.totalOutput, usage.visibleOutput + usage.reasoning);
  const output = Math.max(usage.visibleOutput, totalOutput - usage.reasoning);
  for (const identity of usage.identities) {
    const seen = found.get(identity);
    if (!seen || rank > seen[1] || (rank === seen[1] && t < seen[0])) found.set(identity, [t, rank]);
  }
  const best = usage.identities[0];
  return {
    key: best ?? fallbackKey,
    identities: new Set(usage.identities),
    model: (usage.modelId === undefined ? undefined : antigravityModelName(modelNameFromId(usage.modelId))) ?? (context.model && antigravityModelName(context.model)),
    input: usage.input,
    output,
    reasoning: Math.max(usage.reasoning, totalOutput - output),
    totalOutput,
    cacheWrite: usage.cacheWrite,
    cacheRead: usage.cacheRead,
    t,
    rank,
    idRank: best === undefined ? 0 : 3 - ['response:', 'provider:', 'message:'].findIndex((kind) => best.startsWith(kind)),
  };
}

/** ccusage's `merge_usage_event`: each count the larger, a model where there was none, the better-ranked earlier time. */
function merge(target: Call, copy: Call): void {
  target.input = Math.max(target.input, copy.input);
  target.output = Math.max(target.output, copy.output);
  target.cacheWrite = Math.max(target.cacheWrite, copy.cacheWrite);
  target.cacheRead = Math.max(target.cacheRead, copy.cacheRead);
  target.reasoning = Math.max(target.reasoning, copy.reasoning);
  target.totalOutput = Math.max(target.totalOutput, copy.totalOutput, target.output + target.reasoning);
  target.model ??= copy.model;
  if (copy.rank > target.rank || (copy.rank === target.rank && copy.t < target.t)) {
    target.t = copy.t;
    target.rank = copy.rank;
  }
  if (copy.idRank > target.idRank) {
    target.key = copy.key;
    target.idRank = copy.idRank;
  }
  for (const identity of copy.identities) target.identities.add(identity);
}

/** ccusage's `deduplicate_events`: a call sharing any id with earlier ones joins the first of them, and joins them. */
function deduplicate(calls: Call[]): Call[] {
  const slots: (Call | undefined)[] = [];
  const slotOf = new Map<string, number>();
  for (const call of calls) {
    const matching = [...new Set([...call.identities].flatMap((identity) => slotOf.get(identity) ?? []))].sort((a, b) => a - b);
    if (matching.length === 0) {
      for (const identity of call.identities) slotOf.set(identity, slots.length);
      slots.push(call);
      continue;
    }
    const target = slots[matching[0]] as Call;
    // Only ids that led elsewhere are pointed at the target (its own already lead there): pointing all of them on each
    // join made a conversation whose calls all share one id take time growing with the square of its calls.
    for (const index of matching.slice(1)) {
      const other = slots[index];
      slots[index] = undefined;
      if (!other) continue;
      merge(target, other);
      for (const identity of other.identities) slotOf.set(identity, matching[0]);
    }
    merge(target, call);
    for (const identity of call.identities) slotOf.set(identity, matching[0]);
  }
  return slots.filter((call): call is Call => call !== undefined);
}

/** Table tag of each row the query returns. */
const GENERATION = 0;
const STEP = 1;
const TRAJECTORY = 2;

/** The three tables ccusage reads, in its order; other columns (the conversation's text) are never read. */
const CONVERSATION_SQL =
  `SELECT ${GENERATION}, idx, data FROM gen_metadata ` +
  `UNION ALL SELECT ${STEP}, idx, metadata FROM steps WHERE metadata IS NOT NULL ` +
  `UNION ALL SELECT ${TRAJECTORY}, rowid, data FROM trajectory_metadata_blob ` +
  'ORDER BY 1, 2';

function parseConversation(rows: unknown[][], filePath: string, context: ParseContext): ParsedUsage[] {
  const conversation = path.basename(filePath, '.db');
  let conversationTime: number | null = null;
  const generations: (Generation & { idx: number })[] = [];
  const steps: (RowMetadata & { idx: number })[] = [];
  for (const [table, idx, blob] of rows) {
    if (!(blob instanceof Uint8Array) || typeof idx !== 'number') {
      context.reject('fields');
    } else if (table === TRAJECTORY) {
      const fields = decodeFields(blob);
      const time = fields && bytesField(fields, 2);
      const at = time === undefined ? null : decodeTimestamp(time);
      if (fields === undefined || at === undefined) context.reject('fields');
      else conversationTime ??= at;
    } else if (table === GENERATION) {
      const generation = decodeGeneration(blob);
      if (generation) generations.push({ ...generation, idx });
      else context.reject('fields');
    } else {
      const step = decodeStep(blob);
      if (step) steps.push({ ...step, idx });
      else context.reject('fields');
    }
  }
  let lastNamed: string | undefined;
  for (const generation of generations) lastNamed = rowModel(generation) ?? lastNamed;
  const found = new Map<string, [number, number]>();
  const calls: Call[] = [];
  const collect = (row: RowMetadata & { idx: number }, table: string, model: string | undefined) => {
    row.usages.forEach((usage, ordinal) => {
      const tokens = usage.input + usage.totalOutput + usage.cacheWrite + usage.cacheRead + usage.reasoning + usage.visibleOutput;
      if (tokens > 0) calls.push(callOf(usage, { model, time: row.time }, found, conversationTime, `${conversation}#${table}${row.idx}.${ordinal}`));
    });
  };
  for (const step of steps) collect(step, 's', rowModel(step) ?? lastNamed);
  let current: string | undefined;
  for (const generation of generations) {
    const usageModel = generation.usageModelId === undefined ? undefined : antigravityModelName(modelNameFromId(generation.usageModelId));
    current = rowModel(generation) ?? usageModel ?? current;
    collect(generation, 'g', current);
  }
  return deduplicate(calls).flatMap((call): ParsedUsage[] => {
    if (call.rank === 0) {
      context.reject('timestamp');
      return [];
    }
    return [
      {
        key: call.key,
        t: call.t,
        model: call.model ?? UNKNOWN_MODEL,
        inputTokens: call.input,
        outputTokens: call.totalOutput,
        reasoningTokens: call.totalOutput - call.output,
        cacheReadTokens: call.cacheRead,
        cacheWrite5mTokens: call.cacheWrite,
        cacheWrite1hTokens: 0,
        tokensKnown: true,
        reportedCostUSD: null,
        sessionKey: conversation,
        projectKey: '',
      },
    ];
  });
}

const antigravityConversationQuery: SqliteQuery = {
  sql: CONVERSATION_SQL,
  parseRows: parseConversation,
};

/** `conversations/<id>.db`: read through `sqlite` by the import machinery, never as text. */
export const antigravityConversationParser: WholeFileParser = {
  kind: 'whole',
  source: 'antigravity',
  sqlite: antigravityConversationQuery,
  parseFile: () => [],
};
