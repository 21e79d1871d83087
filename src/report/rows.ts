// Rows of `assay report daily --json` and of the dashboard's data: a public interface.
// Add fields, never rename or remove them (docs/report-json.md).

export interface RetentionCell {
  /** Acceptances whose checkpoint outcome is known. */
  known: number;
  /** Accepted characters of those known acceptances. */
  chars: number;
  /** Accepted-and-retained characters at the checkpoint. */
  arc: number;
  /** Known acceptances that no later edit touched. */
  unchanged: number;
  /** Known acceptances with retention >= 0.67. */
  mostlyRetained: number;
}

export interface InlineRow {
  /** Local calendar day, YYYY-MM-DD, in the report's time zone. */
  date: string;
  kind: 'inline';
  languageId: string;
  provider: string;
  acceptances: { full: number; word: number; line: number };
  acceptedChars: number;
  acceptedLines: number;
  opportunities: number;
  typedChars: number;
  aiChars: number;
  /**
   * Changes an agent applied to open documents that its own log names (Copilot Chat's agent mode), and their
   * inserted characters: neither typed nor AI, so not in the AI share (docs/metrics.md, Typed and AI characters).
   */
  agentEditsInEditor: number;
  agentCharsInEditor: number;
  /** Keyed by checkpoint seconds ("30", "120", ...). */
  retention: Record<string, RetentionCell>;
}

export interface UsageRow {
  date: string;
  kind: 'usage';
  source: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Null when the model has no price (unpriced, never $0), or when no request of the row logged its tokens. */
  costUSD: number | null;
  requests: number;
  /**
   * Requests whose source logged the request but not its tokens (docs/metrics.md, Agent and chat usage; some Copilot Chat
   * versions): their tokens count as 0 above, so token totals and cost are lower bounds when this is > 0.
   */
  requestsWithoutTokens: number;
}

/** Agent edits of one usage row whose checkpoint was measured (docs/metrics.md, Agent output). */
export interface AgentRetentionCell {
  /** Edits whose checkpoint outcome is known. */
  known: number;
  /** Non-blank lines those edits added. */
  linesAdded: number;
  /** Of those, lines still in their file at the checkpoint. */
  linesKept: number;
}

/** What agents wrote in one usage row's (date, source, model): docs/metrics.md, Agent output. */
export interface AgentOutputFigures {
  /** File edits the agents applied. */
  agentEdits: number;
  /** Non-blank lines those edits added. */
  linesAdded: number;
  /** Non-blank lines those edits removed. */
  linesRemoved: number;
  /** Keyed by checkpoint seconds ("3600", "86400", "604800"); a checkpoint with no known edit has no key. */
  agentRetention: Record<string, AgentRetentionCell>;
  /** Tokens of responses whose edits kept no line at 1 day. */
  wasteTokens: number;
}

/** A usage row as `assay report --json` prints it. */
export type ReportUsageRow = UsageRow & AgentOutputFigures;

/** A row of the report; its usage rows are ReportUsageRow in `assay report --json` (reportJson.ts). */
export type ReportRow = InlineRow | UsageRow;
