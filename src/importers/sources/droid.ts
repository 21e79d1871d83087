// Factory Droid session settings. Droid is a closed binary, so the format is the one ccusage's adapter reads,
// ryoppippi/ccusage rust/crates/ccusage/src/adapter/droid/{paths,parser,loader}.rs at
// 5816e640e8824986f33427203da164b01394a161 (20.0.11), checked against the ccusage 20.0.24 binary
// (`ccusage droid daily --json`) on test/fixtures/importers/droid and the cross-check's corpus:
// - Every `*.settings.json` below `$DROID_SESSIONS_DIR` (a comma list), else `~/.factory/sessions`, at any depth.
//   The file is named `<session id>.settings.json` and sits beside the session's transcript `<session id>.jsonl`.
// - One JSON object, rewritten in place as the session goes on: `model`, `providerLock`, `providerLockTimestamp`
//   (ISO) and `tokenUsage {inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens, thinkingTokens}`, the
//   session's running totals. There is no record per model call, so a session is one record, dated as ccusage
//   dates it: `providerLockTimestamp`, else the file's modification time.
// - ccusage counts the five fields apart (input without cache, output without thinking); a `totalTokens` above
//   their sum adds the rest to output when output is 0, else to thinking. A session counting no token is not
//   usage. A file that is not JSON is skipped and counted (ccusage 20.0.11 stopped there; 20.0.24 skips it). A
//   session found in two folders (a backup) counts once, as the copy read last: the copy Droid still writes
//   changes last (ccusage keeps the copy dated last).
// - `model` may be a custom model's label, `custom:<name>[<provider>]-<n>`: the prefix and bracketed parts are
//   dropped, as ccusage drops them. Without `model` ccusage looks for `Model:` in the transcript's text; Assay
//   does not read transcripts' messages (they hold prompts and code), so such a session counts as an unknown model.
// - A manual `/compact` ends the session and goes on in a new one whose totals start as a copy of the old one's
//   (checked in @factory/cli-linux-x64 0.225.2, the JavaScript inside the binary: `compactToNewSession` calls
//   `createInactiveSessionWithId({parentSessionId, source: "compact", inheritTokenUsage: getTokenUsage()})`, which
//   writes the copy as the new `tokenUsage`; `createSessionWithId` has the same `inheritTokenUsage` branch). ccusage adds
//   both sessions' totals, counting the old session's tokens again at each compaction. The settings do not name the old
//   session: the new transcript's first line does, `{"type":"session_start",…,"parent":"<old id>",…}`, and both files go
//   to the sessions folder of the session's working directory (`getSessionSettingsPath`, `getSessionMessagesPath`). So
//   Assay reads that first line alone (a bounded head, never kept) and counts the new session's totals less the
//   parent's `<parent>.settings.json` in the same folder. A fork (`forkSession`: rewind, `/btw`) also names a `parent`
//   but starts its totals at zero (`tokenUsage: void 0`); its first line always holds `forkedAtMessageId`, so a line
//   with that field subtracts nothing. Without the transcript, its first line, or the parent's settings in the folder (a
//   parent whose working directory changed before the compaction keeps its files in the old directory's folder), the
//   session counts whole, as ccusage counts it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFile } from '../../files/boundedRead';
import { DROID_SETTINGS_SUFFIX } from '../discovery';
import type { ParseContext, ParsedUsage, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, UNKNOWN_MODEL, type JsonRecord } from '../rawJson';
import { MAX_WHOLE_FILE_BYTES } from '../usageBounds';

/** How much of a transcript's start Assay reads for its first line, `session_start`: a title, ids and a path. */
const TRANSCRIPT_HEAD_BYTES = 64 * 1024;
/** The `tokenUsage` fields a compacted session copies from its parent, `totalTokens` with them when Droid writes it. */
const USAGE_FIELDS = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'thinkingTokens', 'totalTokens'];

/**
 * `text` without its `[…]` parts, as `text.replace(/\[[^\]]*\]/g, '')` would drop them. That regex scans from every `[`
 * to the end of the text when no `]` follows, a time that grows with the square of the length: 23 s for a label of
 * 150,000 `[`, which a whole file may hold a thousand times over.
 */
function withoutBracketed(text: string): string {
  let kept = '';
  let from = 0;
  for (;;) {
    const open = text.indexOf('[', from);
    const close = open === -1 ? -1 : text.indexOf(']', open + 1);
    if (close === -1) return kept + text.slice(from);
    kept += text.slice(from, open);
    from = close + 1;
  }
}

/** A custom model's label as a model name: `custom:` and `[provider]` parts dropped, spaces as dashes. */
function modelName(value: unknown): string {
  const raw = asString(value)?.trim().replace(/^custom:/, '');
  if (raw === undefined) return UNKNOWN_MODEL;
  const name = withoutBracketed(raw).trim().replace(/[\s-]+/g, '-').replace(/^-+|-+$/g, '');
  return name.length > 0 ? name : UNKNOWN_MODEL;
}

/** When ccusage dates the session: the provider lock's time, else when the file was last written. */
function sessionTime(settings: JsonRecord, filePath: string): number | undefined {
  const locked = typeof settings.providerLockTimestamp === 'string' ? parseTimestamp(settings.providerLockTimestamp.trim()) : undefined;
  if (locked !== undefined) return locked;
  // The parse contract hands over text only; the file's own time is the one other date the format offers.
  try {
    return Math.floor(fs.statSync(filePath).mtimeMs);
  } catch {
    return undefined;
  }
}

/**
 * The `tokenUsage` of the session `/compact` continued into this one: named by the first line of the transcript beside
 * `filePath`, its settings in the same folder. Undefined for a session that did not start from a compaction (a fork
 * names a parent too, but its totals start at zero), or when a file is missing or unreadable.
 */
function compactedParentUsage(filePath: string, session: string, context: ParseContext): JsonRecord | undefined {
  const dir = path.dirname(filePath);
  let head: string;
  try {
    head = readRegularFile(path.join(dir, `${session}.jsonl`), TRANSCRIPT_HEAD_BYTES, { head: true })?.toString('utf8') ?? '';
  } catch {
    return undefined;
  }
  const newline = head.indexOf('\n');
  // A first line longer than the head does not parse: the session then counts whole.
  // Not counted as a rejected line: the transcript and the parent's settings are not the file being parsed.
  const start = asRecord(parseJsonLine(newline === -1 ? head : head.slice(0, newline), context, false));
  if (start?.type !== 'session_start' || 'forkedAtMessageId' in start) return undefined;
  const parent = asString(start.parent);
  // A file name in this folder only: an id with a separator or a dot name would reach elsewhere.
  if (!parent || parent === session || /[/\\]/.test(parent) || parent === '.' || parent === '..') return undefined;
  try {
    const text = readRegularFile(path.join(dir, `${parent}${DROID_SETTINGS_SUFFIX}`), MAX_WHOLE_FILE_BYTES)?.toString('utf8');
    return text === undefined ? undefined : asRecord(asRecord(parseJsonLine(text, context, false))?.tokenUsage);
  } catch {
    return undefined;
  }
}

/**
 * This session's own share of its running totals: less the copy a compaction started it with, field by field and at
 * least 0. The parent is normally done once compacted (Droid goes on in the new session); a parent resumed after the
 * compaction has grown past the copy, so the child's share then comes out below its own use (an undercount, where
 * counting both whole would count the copy twice).
 */
function ownUsage(usage: JsonRecord, filePath: string, session: string, context: ParseContext): JsonRecord {
  const parent = compactedParentUsage(filePath, session, context);
  if (!parent) return usage;
  const own: JsonRecord = {};
  for (const field of USAGE_FIELDS) own[field] = Math.max(0, tokenCount(usage[field]) - tokenCount(parent[field]));
  return own;
}

function usageFromSettings(settings: JsonRecord, filePath: string, context: ParseContext): ParsedUsage | undefined {
  const name = path.basename(filePath);
  const session = name.slice(0, name.length - DROID_SETTINGS_SUFFIX.length);
  const totals = asRecord(settings.tokenUsage);
  if (!totals) return undefined;
  const usage = ownUsage(totals, filePath, session, context);
  const input = tokenCount(usage.inputTokens);
  const cacheWrite = tokenCount(usage.cacheCreationTokens);
  const cacheRead = tokenCount(usage.cacheReadTokens);
  let output = tokenCount(usage.outputTokens);
  let thinking = tokenCount(usage.thinkingTokens);
  const unaccounted = tokenCount(usage.totalTokens) - (input + output + cacheWrite + cacheRead + thinking);
  if (unaccounted > 0) {
    if (output === 0) output = unaccounted;
    else thinking += unaccounted;
  }
  if (input + output + cacheWrite + cacheRead + thinking === 0) return undefined;
  const t = sessionTime(settings, filePath);
  if (t === undefined) {
    context.reject('timestamp');
    return undefined;
  }
  return {
    key: session,
    t,
    model: modelName(settings.model),
    inputTokens: input,
    outputTokens: output + thinking,
    reasoningTokens: thinking,
    cacheReadTokens: cacheRead,
    cacheWrite5mTokens: cacheWrite,
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: null,
    sessionKey: session,
    projectKey: context.nameDigest(path.basename(path.dirname(filePath))),
  };
}

/** `<sessions>/**\/<session>.settings.json`: the session's running token totals, rewritten in place. */
export const droidSettingsParser: WholeFileParser = {
  kind: 'whole',
  source: 'factory-droid',
  // Revision 1: a session /compact continued no longer counts its parent's totals again (Droid 0.225.2). Logs read before are read again once (types.ts, ParserRevision).
  revision: 1,
  parseFile(text: string, filePath: string, context: ParseContext): ParsedUsage[] {
    const settings = asRecord(parseJsonLine(text, context));
    const usage = settings && usageFromSettings(settings, filePath, context);
    return usage ? [usage] : [];
  },
};
