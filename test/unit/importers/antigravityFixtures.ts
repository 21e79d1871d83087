// Antigravity CLI conversation databases for tests and the ccusage cross-check, encoded the way ccusage's own test
// fixtures encode them (ccusage/ccusage rust/adapters/antigravity/src/parser.rs at
// 0a67b461419e4e412a640a5e337b27423f0342b0, `test_support`: `model_usage_blob`, `metadata_blob`,
// `step_metadata_blob`, `trajectory_metadata_blob`, `create_database`), with the field meanings ccusage gives them
// (src/importers/sources/antigravity.ts). Real databases hold more (the conversation's text in further fields and
// columns): `extra` plants such text where the reader must not look.
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';

export interface AgyUsage {
  modelId?: number;
  input?: number;
  /** Output with reasoning (field 3). */
  totalOutput?: number;
  cacheWrite?: number;
  cacheRead?: number;
  reasoning?: number;
  /** Output without reasoning (field 10). */
  visibleOutput?: number;
  messageId?: string;
  responseId?: string;
  providerMessageId?: string;
}

/** Seconds since the epoch and nanoseconds. */
export type AgyTime = [number, number];

export interface AgyRow {
  model?: string;
  usage?: AgyUsage;
  time?: AgyTime;
  retries?: AgyUsage[];
  /** Text in a field the reader never reads (a prompt, a path). */
  extra?: string;
}

function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

const varintField = (number: number, value: number) => [...varint(number * 8), ...varint(value)];

function bytesField(number: number, value: number[] | string): number[] {
  const bytes = typeof value === 'string' ? [...Buffer.from(value, 'utf8')] : value;
  return [...varint(number * 8 + 2), ...varint(bytes.length), ...bytes];
}

function usageBlob(usage: AgyUsage): number[] {
  const out: number[] = [];
  if (usage.modelId !== undefined) out.push(...varintField(1, usage.modelId));
  const counts: [number, number | undefined][] = [[2, usage.input], [3, usage.totalOutput], [4, usage.cacheWrite], [5, usage.cacheRead], [9, usage.reasoning], [10, usage.visibleOutput]];
  for (const [field, value] of counts) if (value) out.push(...varintField(field, value));
  if (usage.messageId !== undefined) out.push(...bytesField(7, usage.messageId));
  if (usage.responseId !== undefined) out.push(...bytesField(11, usage.responseId));
  if (usage.providerMessageId !== undefined) out.push(...bytesField(12, usage.providerMessageId));
  return out;
}

const timeBlob = ([seconds, nanos]: AgyTime) => [...varintField(1, seconds), ...varintField(2, nanos)];
const retryBlob = (usage: AgyUsage) => bytesField(2, usageBlob(usage));

/** A `gen_metadata.data` blob (ccusage's `metadata_blob`), the prompt text in chat-model field 2. */
export function generationBlob(row: AgyRow): Uint8Array {
  const chat: number[] = [];
  if (row.extra !== undefined) chat.push(...bytesField(2, row.extra));
  if (row.usage) {
    if (row.usage.modelId !== undefined) chat.push(...varintField(3, row.usage.modelId));
    chat.push(...bytesField(4, usageBlob(row.usage)));
  }
  if (row.time) chat.push(...bytesField(9, bytesField(4, timeBlob(row.time))));
  for (const retry of row.retries ?? []) chat.push(...bytesField(17, retryBlob(retry)));
  if (row.model !== undefined) chat.push(...bytesField(19, row.model));
  return Uint8Array.from(bytesField(1, chat));
}

/** A `steps.metadata` blob (ccusage's `step_metadata_blob`), the step's text in field 20. */
export function stepBlob(row: AgyRow): Uint8Array {
  const out: number[] = [];
  if (row.time) out.push(...bytesField(8, timeBlob(row.time)));
  if (row.usage) out.push(...bytesField(9, usageBlob(row.usage)));
  if (row.extra !== undefined) out.push(...bytesField(20, row.extra));
  if (row.model !== undefined) out.push(...bytesField(24, bytesField(12, row.model)));
  for (const retry of row.retries ?? []) out.push(...bytesField(28, retryBlob(retry)));
  return Uint8Array.from(out);
}

/** A `trajectory_metadata_blob.data` blob: the conversation's time in field 2. */
export function trajectoryBlob(time: AgyTime): Uint8Array {
  return Uint8Array.from(bytesField(2, timeBlob(time)));
}

export interface AgyConversation {
  generations: (AgyRow | Uint8Array)[];
  steps?: (AgyRow | Uint8Array)[];
  trajectory?: AgyTime;
  /** Text in a column the reader never reads. */
  stepText?: string;
}

/** Writes `file` as ccusage's `create_database` does (idx from 1), with a `status` and a text column on steps. */
export async function writeConversation(file: string, conversation: AgyConversation): Promise<void> {
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database();
  db.run('CREATE TABLE gen_metadata (idx INTEGER PRIMARY KEY, data BLOB NOT NULL)');
  db.run('CREATE TABLE steps (idx INTEGER PRIMARY KEY, step_type INTEGER, status INTEGER, metadata BLOB, content TEXT)');
  db.run('CREATE TABLE trajectory_metadata_blob (data BLOB)');
  conversation.generations.forEach((row, index) => {
    db.run('INSERT INTO gen_metadata VALUES (?, ?)', [index + 1, row instanceof Uint8Array ? row : generationBlob(row)]);
  });
  (conversation.steps ?? []).forEach((row, index) => {
    db.run('INSERT INTO steps VALUES (?, 15, 3, ?, ?)', [index + 1, row instanceof Uint8Array ? row : stepBlob(row), conversation.stepText ?? null]);
  });
  if (conversation.trajectory) db.run('INSERT INTO trajectory_metadata_blob VALUES (?)', [trajectoryBlob(conversation.trajectory)]);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, db.export());
  db.close();
}
