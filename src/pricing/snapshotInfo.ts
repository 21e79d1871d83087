// Provenance of the bundled price snapshot (./modelPrices.json). JSON has no comments, so what a
// reader of the snapshot needs to know lives here and is shown wherever bundled prices are used.

/** The day the bundled prices were checked against the vendors' public price pages. */
export const PRICE_SNAPSHOT_DATE = '2025-12-01';

export const PRICE_SNAPSHOT_NOTE =
  `Bundled prices are public list prices (USD, pay-as-you-go API, no discounts or batch rates) as of ${PRICE_SNAPSHOT_DATE}. ` +
  'Models released later are unpriced until a price override (assay.pricing.overrides) or a price file ' +
  '(assay.pricing.priceFile, LiteLLM model_prices_and_context_window.json format) supplies them.';

/**
 * Simplifications in the snapshot, one line each, for the dashboard's "about prices" view.
 * Each is a place where a vendor's real bill can differ from Assay's estimate.
 */
export const PRICE_SNAPSHOT_CAVEATS: readonly string[] = [
  'Anthropic models on Bedrock and Vertex AI are priced at Anthropic API list prices (some regional endpoints cost about 10% more).',
  'Gemini context-cache storage (billed per hour) is not a token cost and is not included.',
  'qwen3-coder-plus is priced at its lowest input-length tier (up to 32K input tokens); longer prompts cost more.',
  'Hosted open-weight models (DeepSeek, Groq, Together AI) are priced at that host\'s list price; other hosts differ.',
  'ollama/* models run locally and are priced at $0 (hardware and electricity are not counted).',
];
