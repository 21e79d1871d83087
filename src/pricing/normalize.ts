// Model names as tools log them (docs/privacy.md: `model` is an allowlisted category), named two ways.
// The ledger keeps a model's own name (ModelNames.keep): the price data's name when the log wrote one,
// else the vendor's own id of the logged name (canonicalUnknown below) when that is a plausible public
// model id (privacy/allowlists.ts `publicModelId`), so every spelling of a model is one name, and a
// dated, preview or newer model keeps its name and is priced when a price for it arrives (prices are
// applied at report time); else `other`. A private or free-text name from a log never reaches the
// ledger. A report prices each kept name as the price data's name for it (ModelNames.normalize).
//
// Candidates are tried in a fixed breadth-first order: the whole name, then the name without
// each leading `provider/` segment; each of those, then every rewrite below (dates, version pins,
// tags, aliases). The first candidate that is a price-data name wins. A second pass then accepts
// a unique hosted `provider/name` key whose last segment matches (e.g. Groq's Llama ids).
import { OTHER, publicModelId } from '../privacy/allowlists';
import { isLocalModel, LOCAL_PROVIDERS } from './localProviders';
import type { PriceData } from './priceData';

export type ModelNormalizer = (rawModel: string) => string;

const MAX_RAW_LENGTH = 256;
const MAX_CANDIDATES = 64;
const MAX_MEMO_ENTRIES = 1024;


/** Logged names that no mechanical rule maps onto the vendor's name. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  // GitHub Copilot's id for Claude Opus 4.1.
  ['claude-opus-41', 'claude-opus-4-1'],
]);

const BEDROCK_VERSION = /-v\d+:\d+$/;
/** Bedrock ids: `us.anthropic.claude-…`, `anthropic.claude-…`, `meta.llama…`. */
const BEDROCK_VENDOR_PREFIX = /^(?:(?:us|eu|apac|au|jp|ca|global)\.)?(?:anthropic|meta|mistral|amazon|cohere|deepseek|openai|qwen)\./;
/** Ollama's `name:tag` (e.g. `qwen2.5-coder:7b`) without a provider prefix. */
const OLLAMA_TAG = /^[^:/]+:[^:/]+$/;
const LOCAL_PREFIX = /^(?:ollama|ollama_chat)\//;

const withoutBedrockVendor = (name: string): string => name.replace(BEDROCK_VENDOR_PREFIX, '');
const vertexDateAsAnthropic = (name: string): string => name.replace(/@(\d{8})$/, '-$1'); // claude-sonnet-4-5@20250929
const withoutVertexPin = (name: string): string => name.replace(/@[^@]*$/, ''); // gemini-1.5-pro@002, @latest
const withoutTag = (name: string): string => name.replace(/:[^:/]*$/, ''); // Ollama tags, OpenRouter variants (:free, :thinking)
// OpenRouter and Copilot write Anthropic versions with dots (claude-sonnet-4.5, claude-3.7-sonnet).
const claudeDashes = (name: string): string => (name.startsWith('claude-') ? name.replace(/(\d)\.(?=\d)/g, '$1-') : name);

const REWRITES: ReadonlyArray<(name: string) => string> = [
  (name) => ALIASES.get(name) ?? name,
  withoutBedrockVendor,
  vertexDateAsAnthropic,
  withoutVertexPin,
  (name) => name.replace(/-v\d+(?::\d+)?$/, ''), // Bedrock: …-20241022-v2:0
  withoutTag,
  (name) => name.replace(/-\d{8}$/, ''), // Anthropic: -20250929
  (name) => name.replace(/-\d{4}-\d{2}-\d{2}$/, ''), // OpenAI: -2025-04-14
  (name) => name.replace(/-\d{2}-\d{4}$/, ''), // Gemini previews: -09-2025
  (name) => name.replace(/-\d{2}-\d{2}$/, ''), // Gemini previews: -06-05
  (name) => name.replace(/-\d{4}$/, ''), // Mistral and older OpenAI: -2501, -0125
  (name) => name.replace(/-latest$/, ''),
  (name) => name.replace(/-(?:thinking|thought)$/, ''),
  (name) => name.replace(/-(?:preview|exp)$/, ''),
  claudeDashes,
];

/**
 * Rewrites that change how a name is written, never which model it names: the vendor's own id has no
 * Bedrock region or version, Vertex pin or OpenRouter variant, and Anthropic's versions use dashes.
 * Dates stay: a dated id may have a price of its own (gpt-4o-2024-05-13), and report-time pricing
 * still finds the undated price for it.
 */
const SPELLING_REWRITES: ReadonlyArray<(name: string) => string> = [
  withoutBedrockVendor,
  (name) => name.replace(BEDROCK_VERSION, ''), // only with its `:n`: a bare `-v3` is part of names (deepseek-v3)
  vertexDateAsAnthropic,
  withoutVertexPin,
  withoutTag,
  claudeDashes,
];

/**
 * One name for a model the price data does not know, whichever host or spelling logged it:
 * `openai/gpt-5.2` and `gpt-5.2` are both `gpt-5.2`; `anthropic/claude-sonnet-4.7`,
 * `claude-sonnet-4.7` and `claude-sonnet-4-7` are all `claude-sonnet-4-7`. A hosted `provider/` prefix
 * names who served the model, not which model it is, so it goes (a later price file's hosted key is
 * still found through its last segment); a local provider's prefix stays, because a local model is
 * priced as local (money/localModels.ts) and must not meet a hosted price, while a namespace after it goes. Undefined when the name is
 * not a public model id (a fine-tune id, a path, free text, more than two prefixes).
 */
function canonicalUnknown(name: string): string | undefined {
  const local = ollamaName(name);
  if (local !== undefined || isLocalModel(name)) {
    const model = withoutTag(local ?? name);
    if (publicModelId(model) === undefined) return undefined;
    // Between the local provider and the model, a segment names whose model it is (a namespace pulled from, as in
    // `ollama/acme-payroll/llama3`): a user's or organisation's name, so it goes as a hosted prefix does.
    return `${model.slice(0, model.indexOf('/') + 1)}${model.slice(model.lastIndexOf('/') + 1)}`;
  }
  const slash = name.lastIndexOf('/');
  const model = SPELLING_REWRITES.reduce((spelled, rewrite) => rewrite(spelled), name.slice(slash + 1));
  // The prefixes are checked too (at most two, plain characters) though they are dropped: a deeper path is not a model id.
  return publicModelId(`${name.slice(0, slash + 1)}${model}`) === undefined ? undefined : model;
}

/** `ollama/<name>` for a name Ollama logged (with its prefix, or a bare `name:tag`), else undefined. */
function ollamaName(name: string): string | undefined {
  if (LOCAL_PREFIX.test(name)) return name.replace(LOCAL_PREFIX, 'ollama/');
  return OLLAMA_TAG.test(name) && !BEDROCK_VERSION.test(name) ? `ollama/${name}` : undefined;
}

/** Where to start: the whole name, then without each leading `provider/` segment. */
function roots(name: string): string[] {
  const local = ollamaName(name);
  if (local !== undefined) return [local];
  const segments = name.split('/');
  if (LOCAL_PROVIDERS.has(segments[0])) return [name];
  return segments.map((_, index) => segments.slice(index).join('/')).filter((root) => root.length > 0);
}

function candidates(name: string): string[] {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const root of roots(name)) {
    if (!seen.has(root)) {
      seen.add(root);
      queue.push(root);
    }
  }
  for (let index = 0; index < queue.length && queue.length < MAX_CANDIDATES; index++) {
    for (const rewrite of REWRITES) {
      const next = rewrite(queue[index]);
      if (next.length > 0 && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return queue.slice(0, MAX_CANDIDATES);
}

/** What a price data makes of logged model names (built once per price data; results are memoized). */
export interface ModelNames {
  /** The price data's name for a logged model: what it is priced as (`other` when it cannot be named). */
  normalize: ModelNormalizer;
  /**
   * The name the ledger keeps for a logged model: a price-data name the log wrote as such (with or without a hosted
   * `provider/` prefix), else the model's own name when it is a public model id (canonicalUnknown: one spelling,
   * dates and previews kept) priced as the logged name is, else what `normalize` makes of it. A dated or preview model is kept as itself, not as
   * the undated name it is priced as today, so a later price for it reaches it: prices are applied when a report is
   * made (docs/metrics.md, Cost).
   */
  keep: ModelNormalizer;
}

/** Both namers over these price-data names. */
export function createModelNames(priceData: PriceData): ModelNames {
  const byLowerName = new Map<string, string>();
  const hostedByLastSegment = new Map<string, string | null>();
  for (const [name, entry] of priceData) {
    const lower = name.toLowerCase();
    if (!byLowerName.has(lower)) byLowerName.set(lower, name);
    const slash = lower.lastIndexOf('/');
    if (slash >= 0 && !LOCAL_PROVIDERS.has(entry.litellm_provider ?? '') && !LOCAL_PROVIDERS.has(lower.split('/')[0])) {
      const last = lower.slice(slash + 1);
      // An ambiguous last segment (several hosts) matches nothing: guessing the host would guess the price.
      hostedByLastSegment.set(last, hostedByLastSegment.has(last) ? null : name);
    }
  }

  function priceName(name: string): string {
    const tried = candidates(name);
    for (const candidate of tried) {
      const found = byLowerName.get(candidate);
      if (found !== undefined) return found;
    }
    for (const candidate of tried) {
      const found = hostedByLastSegment.get(candidate);
      if (found) return found;
    }
    return canonicalUnknown(name) ?? OTHER;
  }

  function keptName(name: string): string {
    for (const root of roots(name)) {
      const found = byLowerName.get(root);
      if (found !== undefined) return found;
    }
    const priced = priceName(name);
    const own = canonicalUnknown(name);
    // The model's own name only where it is priced as the logged name is: a hosted price-data name reached through a
    // rewrite (`openrouter/deepseek/deepseek-r1` for `…-r1-0528` or `…-r1:free`) or a local model behind a hosted
    // prefix (`litellm/ollama/qwen3-coder:30b`) is named by the price data, or its price would change.
    return own !== undefined && priceName(own) === priced ? own : priced;
  }

  return { normalize: memoized(priceName), keep: memoized(keptName) };
}

/** `name` over trimmed, lowercase, bounded names, memoized: a run meets the same few names on every record. */
function memoized(name: (lowercase: string) => string): ModelNormalizer {
  const memo = new Map<string, string>();
  return (rawModel: string): string => {
    if (rawModel.length > MAX_RAW_LENGTH) return OTHER;
    let result = memo.get(rawModel);
    if (result === undefined) {
      const lowercase = rawModel.trim().toLowerCase();
      result = lowercase.length === 0 ? OTHER : name(lowercase);
      if (memo.size >= MAX_MEMO_ENTRIES) memo.clear();
      memo.set(rawModel, result);
    }
    return result;
  };
}

/** The price data's name for a logged model (ModelNames.normalize). */
export function createModelNormalizer(priceData: PriceData): ModelNormalizer {
  return createModelNames(priceData).normalize;
}
