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

export type ReportRow = InlineRow | UsageRow;
