// The contract between each source's parser and the agent output machinery (docs/metrics.md, Agent output):
// what a parser reports for one file edit an agent made, and how the machinery finds it again later.
//
// How a parser reports edits: it calls `context.edit(edit)` (ParseContext in src/importers/types.ts) while it
// parses, from `parseLine`, `parseFile` or `parseRows`, beside returning its usage records as before. A
// parser that knows no edits never calls it.
//
// How an edit is found again when a checkpoint falls due (1 h, 1 day, 7 days later): the machinery stores
// no path and no line, only where the edit was logged, and parses that place again with a fresh parser:
// - line sources (`LineParser`): the machinery remembers the byte offset of the line the edit was reported
//   from and calls `parseLine(thatLine, initialState(logPath), context)`. So an edit must be complete
//   from its own line and the file's initial state: an absolute `filePath` (or one resolved from a
//   folder named on that same line), and its added lines. Lines that carry edits must match one of
//   the parser's `lineMarkers`, or the reader skips them unread.
// - whole-file and SQLite sources (`WholeFileParser`): the machinery parses the whole file (or runs the
//   query) again and takes the edit whose `key` matches. No locator is needed from the parser.
// If the log is gone, or the edit is no longer in it, the checkpoint is unknown, never 0.

/**
 * One file edit an agent applied, as a parser found it in a tool's log. Every string here is raw and
 * private: the machinery hashes `key`, `responseKey` and `sessionKey`, normalizes `model`, and keeps
 * `filePath` and `addedLines` only in memory while it measures; none of them reaches the ledger or
 * the import state.
 */
export interface ParsedEdit {
  /**
   * The tool call's own id (Claude Code `tool_use` id, Codex `call_id`, …), unique within the source.
   * A copy of the call (a resumed session copying its history, a file re-parsed whole) has the same
   * key and counts once. Several files changed by one call: one edit per file, keys `<call id>#<n>`
   * or `<call id>:<path digest>` — anything stable across re-parses of the same log.
   */
  key: string;
  /** Epoch ms when the edit was applied (the tool result's time, else the call's). */
  t: number;
  /** Model that asked for the edit, as logged (the machinery normalizes it as it does for usage). */
  model: string;
  /**
   * `ParsedUsage.key` of the response (of the same source) that asked for the edit, when the log links
   * them. Used for waste (tokens of responses whose edits kept nothing); absent: the edit counts, its
   * response is not judged.
   */
  responseKey?: string;
  /** The response's `ParsedUsage.legacyKey`, where it has one: an earlier Assay may have written the response under it. */
  legacyResponseKey?: string;
  /** Raw session identifier, as in `ParsedUsage.sessionKey`. */
  sessionKey: string;
  /** Absolute path of the edited file. Read again at each checkpoint, never stored. */
  filePath: string;
  /**
   * The non-blank lines the edit added, each with trailing whitespace trimmed, in order (use
   * `nonBlankLines` / `countDiffLines` from ./lines). Empty for a deletion.
   */
  addedLines: string[];
  /** How many non-blank lines the edit removed (a deleted file: all its non-blank lines). */
  removedLines: number;
}

/** Seconds after an edit at which its added lines are looked for again (docs/metrics.md, Agent output). */
export const AGENT_CHECKPOINTS = [3600, 86400, 604800] as const;
export type AgentCheckpoint = (typeof AGENT_CHECKPOINTS)[number];
/**
 * The checkpoint that decides what an edit achieved: cost per kept line, waste and the value of agent work count the
 * lines still there a day after the edit (docs/metrics.md, Agent output).
 */
export const KEPT_LINES_CHECKPOINT: AgentCheckpoint = 86400;
/** The same checkpoint as report rows key their retention cells. */
export const KEPT_LINES_CHECKPOINT_KEY = String(KEPT_LINES_CHECKPOINT);
