// The user-facing names of Assay's figures, one entry per measure, so that every view (the `assay`
// tables, and later the dashboard) calls one thing by one name and docs/metrics.md can be found from
// each. Plain data: how a view lays a figure out is the view's business.

type MeasureUnit = 'count' | 'tokens' | 'characters' | 'lines' | 'share' | 'usd' | 'day' | 'month' | 'name';

export interface Measure {
  /** Stable id: the report JSON field where the measure is one (docs/report-json.md). */
  id: string;
  label: string;
  /** The column header where space is short. */
  shortLabel: string;
  unit: MeasureUnit;
  definition: string;
  /** Where docs/metrics.md defines it in full. */
  docs: string;
}

const INLINE_DOCS = 'docs/metrics.md#inline-suggestions';
const CHARACTERS_DOCS = 'docs/metrics.md#typed-and-ai-characters';
const RETENTION_DOCS = 'docs/metrics.md#retention';
const USAGE_DOCS = 'docs/metrics.md#agent-and-chat-usage';
const COST_DOCS = 'docs/metrics.md#cost';

export const MEASURES = {
  acceptances: {
    id: 'acceptances',
    label: 'Acceptances',
    shortLabel: 'Accepts',
    unit: 'count',
    definition: 'Inline suggestions accepted in full, by next word or by next line.',
    docs: INLINE_DOCS,
  },
  acceptedChars: {
    id: 'acceptedChars',
    label: 'Accepted characters',
    shortLabel: 'Accepted',
    unit: 'characters',
    definition: 'Net characters the acceptances inserted.',
    docs: INLINE_DOCS,
  },
  acceptedLines: {
    id: 'acceptedLines',
    label: 'Accepted lines',
    shortLabel: 'Lines',
    unit: 'lines',
    definition: 'Non-blank lines the acceptances newly contributed.',
    docs: INLINE_DOCS,
  },
  suggestionRequests: {
    id: 'opportunities',
    label: 'Suggestion requests',
    shortLabel: 'Sugg. requests',
    unit: 'count',
    definition: 'Times the editor asked for an inline suggestion.',
    docs: INLINE_DOCS,
  },
  acceptanceRate: {
    id: 'acceptanceRate',
    label: 'Accepts per suggestion request',
    shortLabel: 'Accept rate',
    unit: 'share',
    definition: 'Acceptances ÷ suggestion requests (per request, not per suggestion shown).',
    docs: INLINE_DOCS,
  },
  typedChars: {
    id: 'typedChars',
    label: 'Typed characters',
    shortLabel: 'Typed',
    unit: 'characters',
    definition: 'Characters typed one at a time, auto-closed pairs and Enter with auto-indent.',
    docs: CHARACTERS_DOCS,
  },
  aiChars: {
    id: 'aiChars',
    label: 'AI characters',
    shortLabel: 'AI chars',
    unit: 'characters',
    definition: 'Characters inserted by accepting inline suggestions.',
    docs: CHARACTERS_DOCS,
  },
  aiShare: {
    id: 'aiShare',
    label: 'AI share',
    shortLabel: 'AI share',
    unit: 'share',
    definition: 'AI characters ÷ (AI characters + typed characters).',
    docs: CHARACTERS_DOCS,
  },
  agentEditsInEditor: {
    id: 'agentEditsInEditor',
    label: 'Agent edits in the editor',
    shortLabel: 'Agent edits',
    unit: 'count',
    definition: 'Changes to open documents that Copilot Chat’s agent applied, as its session log names them.',
    docs: CHARACTERS_DOCS,
  },
  agentCharsInEditor: {
    id: 'agentCharsInEditor',
    label: 'Written by agents in the editor',
    shortLabel: 'Agent chars',
    unit: 'characters',
    definition: 'Characters those agent edits inserted: neither typed nor AI, so not in the AI share.',
    docs: CHARACTERS_DOCS,
  },
  keptAt600: {
    id: 'keptAt600',
    label: 'Kept at 10 min',
    shortLabel: 'Kept 10 min',
    unit: 'share',
    definition: 'Share of accepted characters still present 600 s after acceptance, where that is known.',
    docs: RETENTION_DOCS,
  },
  inputTokens: {
    id: 'inputTokens',
    label: 'Input tokens',
    shortLabel: 'Input',
    unit: 'tokens',
    definition: 'Input tokens, excluding cached input.',
    docs: USAGE_DOCS,
  },
  outputTokens: {
    id: 'outputTokens',
    label: 'Output tokens',
    shortLabel: 'Output',
    unit: 'tokens',
    definition: 'Output tokens, including reasoning.',
    docs: USAGE_DOCS,
  },
  reasoningTokens: {
    id: 'reasoningTokens',
    label: 'Reasoning tokens',
    shortLabel: 'Reasoning',
    unit: 'tokens',
    definition: 'The reasoning part of the output tokens.',
    docs: USAGE_DOCS,
  },
  cacheReadTokens: {
    id: 'cacheReadTokens',
    label: 'Cache read tokens',
    shortLabel: 'Cache read',
    unit: 'tokens',
    definition: 'Cached input read.',
    docs: USAGE_DOCS,
  },
  cacheWriteTokens: {
    id: 'cacheWriteTokens',
    label: 'Cache write tokens',
    shortLabel: 'Cache write',
    unit: 'tokens',
    definition: 'Input written to a cache (5-minute and 1-hour writes together).',
    docs: USAGE_DOCS,
  },
  cacheTokens: {
    id: 'cacheTokens',
    label: 'Cache tokens',
    shortLabel: 'Cache',
    unit: 'tokens',
    definition: 'Cache read tokens + cache write tokens.',
    docs: USAGE_DOCS,
  },
  totalTokens: {
    id: 'totalTokens',
    label: 'Total tokens',
    shortLabel: 'Total',
    unit: 'tokens',
    definition: 'Input + output + cache read + cache write tokens (reasoning is inside output).',
    docs: USAGE_DOCS,
  },
  cost: {
    id: 'costUSD',
    label: 'Token cost',
    shortLabel: 'Cost',
    unit: 'usd',
    definition: 'Tokens priced at list prices; unpriced models are left out, never counted as $0.',
    docs: COST_DOCS,
  },
  agentResponses: {
    id: 'requests',
    label: 'Agent responses',
    shortLabel: 'Responses',
    unit: 'count',
    definition: 'Model responses logged by agent and chat tools.',
    docs: USAGE_DOCS,
  },
  agentResponsesWithoutTokens: {
    id: 'requestsWithoutTokens',
    label: 'Agent responses without tokens',
    shortLabel: 'No tokens',
    unit: 'count',
    definition: 'Agent responses logged without token counts; their tokens count as 0.',
    docs: USAGE_DOCS,
  },
  unpricedAgentResponses: {
    id: 'unpricedRequests',
    label: 'Unpriced agent responses',
    shortLabel: 'Unpriced',
    unit: 'count',
    definition: 'Agent responses with no cost: on a model without a price, or logged without tokens; their cost is not in any total.',
    docs: COST_DOCS,
  },
  agentLines: {
    id: 'linesAdded',
    label: 'Agent lines written / kept at 1 day',
    shortLabel: 'Lines +/kept',
    unit: 'lines',
    definition: 'Non-blank lines that agents’ own file edits added, and the share of them still in their file a day later (of the edits measured then).',
    docs: 'docs/metrics.md#agent-output',
  },
} as const satisfies Record<string, Measure>;

/** What figures are grouped by. */
export const DIMENSIONS = {
  date: { id: 'date', label: 'Date', shortLabel: 'Date', unit: 'day', definition: 'Local calendar day in the report\'s time zone.', docs: 'docs/report-json.md#rows' },
  month: { id: 'date', label: 'Month', shortLabel: 'Month', unit: 'month', definition: 'Calendar month (monthly reports).', docs: 'docs/report-json.md#rows' },
  languageId: { id: 'languageId', label: 'Language', shortLabel: 'Language', unit: 'name', definition: 'VS Code language id, or other.', docs: INLINE_DOCS },
  provider: { id: 'provider', label: 'Provider', shortLabel: 'Provider', unit: 'name', definition: 'The assistant credited with an inline suggestion (an attribution).', docs: INLINE_DOCS },
  source: { id: 'source', label: 'Source', shortLabel: 'Source', unit: 'name', definition: 'The agent or chat tool whose log a response came from.', docs: USAGE_DOCS },
  model: { id: 'model', label: 'Model', shortLabel: 'Model', unit: 'name', definition: 'Price-data model name, a public model id, or other.', docs: COST_DOCS },
} as const satisfies Record<string, Measure>;
