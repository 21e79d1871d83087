// The contract between a source's pure parser and the incremental import machinery.
// Parsers see raw log text and return raw usage; the machinery hashes ids, normalizes models
// and writes UsageEvents, so no raw string from another tool's log reaches the ledger.
import type * as z from 'zod';
import type { ParsedEdit } from '../agentOutput/types';
import type { UsageSource } from '../ledger/events';
import type { TokenCounts } from '../pricing/types';
import type { ParsedLimit } from './limitImport';
import type { RejectReason } from './usageBounds';

/**
 * One logical model response as a parser found it, with its tokens in the one convention of
 * docs/metrics.md (Agent and chat usage). Strings here are raw and private.
 */
export interface ParsedUsage extends TokenCounts {
  /** The source's own unique id for the response (deduplication key before hashing). */
  key: string;
  /** Epoch ms of the response. */
  t: number;
  /** Model name as logged. */
  model: string;
  tokensKnown: boolean;
  reportedCostUSD: number | null;
  /** Raw session identifier (hashed before storage). */
  sessionKey: string;
  /** Raw project identifier, e.g. a folder name (hashed before storage). */
  projectKey: string;
  /**
   * Optional (added for Claude Code): set where one response is also logged under another key, e.g. a
   * sidechain transcript replaying its parent's messages with new request ids. Copies with the same
   * `key`, or with the same `responseId` where one of them is a replay, count once: the machinery keeps
   * the non-replay copy, else the one with the largest token total.
   */
  copyOf?: { responseId: string; replay: boolean };
  /**
   * Optional: the key an earlier Assay gave this record, where a parser's keys changed (Codex: keys without the
   * session). A record dated before the change reached this install is found in the emitted index under it too, so a
   * record written under its old key is not written again under its new one (emittedIndex.ts, `legacyKeysBefore`).
   */
  legacyKey?: string;
}

/** What a parser may do besides reading its input (made per import run by `parseContext` in rawJson.ts). */
export interface ParseContext {
  /** Keyed digest of a path-derived name (project folder, file name, working directory) the parser must remember. */
  nameDigest(name: string): string;
  /** Counts a line the parser recognised as a usage record but could not use (e.g. no readable time). */
  reject(reason: RejectReason): void;
  /**
   * Reports one file edit the agent applied (added for agent output; the contract, and how the edit is
   * found again later, is in src/agentOutput/types.ts). Returns nothing: usage records are still returned.
   */
  edit(edit: ParsedEdit): void;
  /**
   * Reports a plan limit the log shows (added for plan limits: src/money/limits.ts parses the record into numbers,
   * enums and times only). Returns nothing: usage records are still returned.
   */
  limit(limit: ParsedLimit): void;
}

/** Sources whose files only grow: read new complete lines from the last byte offset. */
export type LineParser<State> = LineParserBase<State> & (ResumesStoredState<State> | ReplaysFromStart);

/**
 * Optional (added so that a parser fix reaches logs already read): how many times a fix changed what lines or files this
 * parser had already read yield, keeping their keys and `copyOf.responseId`s. Each log an earlier revision read is read
 * once more from its start, and a record whose fields changed is written again under its id (emittedIndex.ts, `admit`);
 * unchanged records write nothing. A fix that changes a key or a response id cannot be brought to old logs so: their
 * records would be met under the new one and written again. (`ParsedUsage.legacyKey` does not help there: it is looked
 * up only for records dated before the first run of 0.1.0.)
 */
interface ParserRevision {
  revision?: number;
}

interface LineParserBase<State> extends ParserRevision {
  kind: 'lines';
  source: UsageSource;
  /** JSON-serializable parser state, persisted per file between runs (e.g. Codex's current model). */
  initialState(filePath: string, context: ParseContext): State;
  parseLine(line: string, state: State, context: ParseContext): ParsedUsage[];
  /**
   * Optional: the state as persisted in `importers/state.json`, which may hold no raw string from the
   * log. A parser that keeps a model between lines stores it under the name the ledger keeps (`keptModelName`).
   */
  stateForStorage?(state: State, keptModelName: (rawModel: string) => string): State;
  /**
   * Optional (added for speed): lines containing none of these strings are skipped before being
   * decoded, as `parseLine` would return nothing for them. Most bytes of a log are prompts and tool output.
   */
  lineMarkers?: readonly string[];
}

interface ResumesStoredState<State> {
  /**
   * What a state read back from `importers/state.json` must be for a run to go on from it. That file is taken as found
   * (edited by hand, or by another build): a state this parser would not have written makes the file read again from
   * its start, which writes nothing twice, where resuming it could make the parser throw on every later line.
   */
  storedState: z.ZodType<State>;
  replayFromStart?: undefined;
}

interface ReplaysFromStart {
  /**
   * Added for agent output: lines depend on earlier lines in ways the stored state cannot keep (Codex's waiting patch
   * calls and working folder are paths and code). The machinery then rebuilds the state by parsing the file from its
   * start (discarding what that yields) before it reads new lines, and finds a pending edit again by parsing from the
   * start to the edit's line. A stored state is never resumed.
   */
  replayFromStart: true;
  storedState?: undefined;
}

/** Sources whose files are rewritten: re-parse the whole file when it changed, upsert by key. */
export interface WholeFileParser extends ParserRevision {
  kind: 'whole';
  source: UsageSource;
  parseFile(text: string, filePath: string, context: ParseContext): ParsedUsage[];
  /**
   * Optional (added for compressed logs): how the file is stored. The import machinery decompresses it
   * (zstd.ts), so the decoder stays out of the extension host, which loads this table for its watchers.
   */
  compression?: 'zstd';
  /**
   * Optional (added for SQLite stores): the file is a SQLite database, opened read-only in memory by the
   * import machinery (sqliteReader.ts), which runs `sql` and hands its rows here instead of `parseFile`.
   */
  sqlite?: SqliteQuery;
}

export interface SqliteQuery {
  /** The query, or the query for the tables the database has (a table a newer writer added, read when present). */
  sql: string | ((tables: ReadonlySet<string>) => string);
  /**
   * Optional (added for OpenClaw, which stores large rows as zstd frames): the machinery decompresses every
   * BLOB cell of the rows before `parseRows` sees them, into bytes of at most this many (null when it cannot).
   */
  zstdCellBytes?: number;
  parseRows(rows: unknown[][], filePath: string, context: ParseContext): ParsedUsage[];
}

export type UsageParser = LineParser<unknown> | WholeFileParser;
