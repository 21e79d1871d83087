// GitHub Copilot's billing terms, in one place with their sources (docs/money.md, Plans). All from github/docs:
// - Since 2026-06-01 every Copilot plan is billed in GitHub AI Credits (1 credit = $0.01): tokens at each model's
//   per-token price, drawn from credits included with the plan. Included credits per seat per month, from
//   data/variables/copilot.yml at 033f54269bd7173fc17e57fa3f2a1a22c53966d6: Pro 1,000 base + 500 flex = 1,500,
//   Pro+ 3,900 + 3,100 = 7,000, Max 10,000 + 10,000 = 20,000, Business 1,900, Enterprise 3,900 (pooled across the
//   organisation's seats; promotional 3,000 and 7,000 for Business and Enterprise are not assumed here).
// - Pro and Pro+ subscribers on an annual plan who stayed on request-based billing keep a monthly premium request
//   allowance, 300 (Pro) and 1,500 (Pro+), extra requests at $0.04, counters reset on the 1st at 00:00:00 UTC
//   (content/copilot/reference/copilot-billing/request-based-billing-legacy/copilot-requests.md at
//   c58c6e16caeb425e186badce33aba1e55a227835; additional_premium_requests in copilot.yml above). A chat prompt costs
//   one premium request times the model's multiplier, the rates "effective June 1, 2026" in
//   data/tables/copilot/annual-subscriber-model-multipliers.yml at 66c16f668f09c5e322d339f82a6163c1dfa76e5b
//   (GPT-5.5 there is "TBD", so it has no multiplier here).
// Read from those sources on 2026-12-02.

export const EXTRA_PREMIUM_REQUEST_USD = 0.04;

export interface CopilotPlanTerms {
  /** Matches `assay.seats[].plan` (src/pricing/seats.ts ids). */
  plan: string;
  /** AI Credits included per seat per month, in USD (credits ÷ 100); null when GitHub states none. */
  includedCreditsUSD: number | null;
  /** Premium requests per month on request-based (legacy annual) billing; null when the plan has none. */
  premiumRequestAllowance: number | null;
}

export const COPILOT_PLAN_TERMS: ReadonlyMap<string, CopilotPlanTerms> = new Map(
  [
    { plan: 'copilot-free', includedCreditsUSD: null, premiumRequestAllowance: null },
    { plan: 'copilot-pro', includedCreditsUSD: 15, premiumRequestAllowance: 300 },
    { plan: 'copilot-pro-plus', includedCreditsUSD: 70, premiumRequestAllowance: 1_500 },
    { plan: 'copilot-max', includedCreditsUSD: 200, premiumRequestAllowance: null },
    { plan: 'copilot-business', includedCreditsUSD: 19, premiumRequestAllowance: null },
    { plan: 'copilot-enterprise', includedCreditsUSD: 39, premiumRequestAllowance: null },
  ].map((terms) => [terms.plan, terms]),
);

/** Premium requests per prompt on request-based billing, by the docs' model name. */
const MULTIPLIERS_BY_DOCS_NAME: ReadonlyArray<readonly [string, number]> = [
  ['Claude Haiku 4.5', 0.33],
  ['Claude Opus 4.5', 15],
  ['Claude Opus 4.6', 27],
  ['Claude Opus 4.7', 27],
  ['Claude Sonnet 4.5', 6],
  ['Claude Sonnet 4.6', 9],
  ['Gemini 2.5 Pro', 1],
  ['Gemini 3 Flash', 0.33],
  ['Gemini 3 Pro', 6],
  ['Gemini 3.1 Pro', 6],
  ['GPT-4o', 0.33],
  ['GPT-4o mini', 0.33],
  ['GPT-4.1', 1],
  ['GPT-5.1', 3],
  ['GPT-5.1-Codex', 3],
  ['GPT-5.1-Codex-Mini', 0.33],
  ['GPT-5.1-Codex-Max', 3],
  ['GPT-5.2', 3],
  ['GPT-5.2-Codex', 3],
  ['GPT-5.3-Codex', 6],
  ['GPT-5.4', 6],
  ['GPT-5.4 mini', 6],
  ['GPT-5 mini', 0.33],
  ['Grok Code Fast 1', 0.33],
  ['Raptor mini', 0.33],
];

/**
 * One spelling for a model name from the docs ("Claude Sonnet 4.5"), from Copilot Chat's logs ("claude-sonnet-4.5")
 * or as the ledger keeps it ("claude-sonnet-4-5"): lowercase, every run of characters other than letters and digits
 * one hyphen.
 */
export function modelKey(model: string): string {
  return model
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const MULTIPLIERS: ReadonlyMap<string, number> = new Map(MULTIPLIERS_BY_DOCS_NAME.map(([name, multiplier]) => [modelKey(name), multiplier]));

/**
 * A version or variant suffix of a model key that the docs' names leave out, as the price data's names do
 * (pricing/normalize.ts): Anthropic's `-20250929`, OpenAI's `-2025-04-14` (Copilot Chat's OpenTelemetry file names
 * the dated model that answered), Gemini preview dates (`-preview-06-05`), xAI's `-0825`, `-preview`, `-thinking`.
 * The ledger keeps a model's own name, so a key is tried without them, one at a time, only while it has no multiplier.
 */
const VARIANT_SUFFIX = /-(?:\d{8}|\d{2}-\d{2}|\d{2}-\d{4}|\d{4}|latest|thinking|thought|preview|exp)$/;

/** Premium requests one prompt to `model` costs, or undefined when the docs give no multiplier for it. */
export function premiumRequestMultiplier(model: string): number | undefined {
  for (let key = modelKey(model); ; ) {
    const multiplier = MULTIPLIERS.get(key);
    if (multiplier !== undefined) return multiplier;
    const shorter = key.replace(VARIANT_SUFFIX, '');
    if (shorter === key) return undefined;
    key = shorter;
  }
}
