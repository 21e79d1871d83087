// Provenance of the bundled price snapshot (./modelPrices.json), which as JSON cannot say it itself.
//
// 97 of its 120 entries are priced as @pydantic/genai-prices 0.1.8 (a curated price list whose providers cite their
// vendors' price pages; npm, published 2026-09-23) prices them on that day, in LiteLLM's fields:
// test/unit/pricing/snapshotSources.test.ts holds each of them to it, category by category. Claude's fast mode
// (`<model>-fast`) is priced from Claude Code's fast-mode page: $30/$150 per million on Opus 4.6 and 4.7, six times
// standard, and $10/$50 on Opus 4.8 and Opus 5, twice standard; cache reads and writes keep their multiples of the fast
// input rate, as Anthropic stacks its pricing modifiers. The list has Opus 4.8's (under GitHub Copilot) and Opus 5's
// (under OpenRouter), and the test holds those two to it and all four to their multiple. Fast mode on Opus 4.6 and 4.7
// was retired in mid-2026; their prices are those it was billed at. ccusage 20.0.24 bills `claude-opus-4-6-fast` at six
// times standard too. Fast mode on Opus 5.5 and Fable 5.2 is unpriced: no price for it was found. The other entries are
// those checked against the vendors' pages on 2025-12-01 that the list does not price as they are: DeepSeek V3.2
// (`deepseek-chat`, `deepseek-reasoner`: the list still has the earlier prices), `claude-sonnet-4` (the list has no
// long-context rates for it, Anthropic's page had $6/$22.50 above 200K), `devstral-medium`, `qwen3-coder-plus`,
// together_ai's Llama and the local models.
// What the snapshot cannot say:
// - long-context rates from a threshold other than 200K are left out (OpenAI's from 272K for gpt-5.4, gpt-5.5, gpt-5.6
//   and gpt-6 models): Assay prices such a request at the standard rates, below what it cost;
// - xAI bills its long-context rates from 200,000 prompt tokens, Assay above 200,000: one token apart;
// - DeepSeek's off-peak discounts: every hour is priced at the standard rate.
// The 52 entries taken from that list in December 2026 were also priced through ccusage 20.0.24's own copy of LiteLLM's
// prices (a Claude Code log per model). Of the 53 first taken, ccusage knew 50, and input and output agreed for all but
// GLM-5.3 Flash, which differs by a factor of two in every category and was left out. Grok 4.20's and 4.3's cache-read rates and Grok 4.20's
// long-context rates differ; Vercel's AI Gateway lists xAI's own rates as this snapshot has them. ccusage bills cache
// reads of the GPT-5 `-pro` models at a tenth of input, where OpenAI lists no cached-input price for them (this snapshot
// bills them as input), and 5-minute cache writes of models without a write price at 1.25 × input (this snapshot: as
// input).

/** The day of the newest prices in the snapshot: those of its source's release. */
export const PRICE_SNAPSHOT_DATE = '2026-09-23';
