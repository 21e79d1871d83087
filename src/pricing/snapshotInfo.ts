// Provenance of the bundled price snapshot (./modelPrices.json), which as JSON cannot say it itself.
//
// The prices of every entry that @pydantic/genai-prices 0.1.8 (a curated price list whose providers cite their vendors'
// price pages; npm, 2026-09-23) lists are its prices in force on PRICE_SNAPSHOT_DATE, in LiteLLM's fields:
// test/unit/pricing/snapshotSources.test.ts holds each entry to it, category by category. That list and the 64 entries
// checked against the vendors' pages on 2025-12-01 agreed on every price they share. What the snapshot cannot say:
// - long-context rates from a threshold other than 200K are left out (OpenAI's from 272K for gpt-5.4, gpt-5.5, gpt-5.6
//   and gpt-6 models): Assay prices such a request at the standard rates, below what it cost;
// - xAI bills its long-context rates from 200,000 prompt tokens, Assay above 200,000: one token apart;
// - DeepSeek's off-peak discounts: every hour is priced at the standard rate;
// - DeepSeek V3.2 (`deepseek-chat`, `deepseek-reasoner`), the hosted (`groq/`, `together_ai/`), local and older entries
//   are not in that list: their prices are those of 2025-12-01.
// The new entries were also priced through ccusage 20.0.24's own copy of LiteLLM's prices (a Claude Code log per model):
// input and output agreed for every model both know, but for two. Grok 4.20's cache read and long-context rates differ;
// Vercel's AI Gateway lists xAI's own rates as this snapshot has them. GLM-5.3 Flash differs by a factor of two in every
// category, so it is left out. ccusage bills cache reads of the GPT-5 `-pro` models at a tenth of input, where OpenAI
// lists no cached-input price for them (this snapshot bills them as input), and 5-minute cache writes of models without
// a write price at 1.25 × input (this snapshot: as input).

/** The day the bundled prices are those in force on. */
export const PRICE_SNAPSHOT_DATE = '2026-12-05';
