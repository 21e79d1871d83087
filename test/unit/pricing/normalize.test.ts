import assert from 'node:assert/strict';
import { createPricer } from '../../../src/pricing/pricer';
import { bundledPriceData, mergePriceData } from '../../../src/pricing/priceData';

describe('model normalization', () => {
  const { normalizeModel } = createPricer();

  const table: ReadonlyArray<[tool: string, logged: string, expected: string]> = [
    ['Claude Code', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['Claude Code', 'claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['Claude Code', 'claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['Claude Code', 'claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['Claude Code', '<synthetic>', 'other'],
    ['Codex', 'gpt-5-codex', 'gpt-5-codex'],
    ['Codex', 'gpt-5', 'gpt-5'],
    ['Gemini CLI', 'gemini-2.5-pro', 'gemini-2.5-pro'],
    ['Gemini API', 'models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['Gemini preview', 'gemini-2.5-flash-lite-preview-06-17', 'gemini-2.5-flash-lite'],
    ['Copilot', 'gpt-4.1', 'gpt-4.1'],
    ['Copilot', 'claude-sonnet-4', 'claude-sonnet-4'],
    ['Copilot', 'claude-3.7-sonnet-thought', 'claude-3-7-sonnet'],
    ['Copilot', 'claude-opus-41', 'claude-opus-4-1'],
    ['OpenRouter', 'anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['OpenRouter', 'openrouter/anthropic/claude-3.7-sonnet:thinking', 'claude-3-7-sonnet'],
    ['OpenRouter, not in the snapshot: the vendor\'s id', 'qwen/qwen3-coder', 'qwen3-coder'],
    ['Vertex AI', 'claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['Bedrock', 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['Bedrock', 'anthropic.claude-3-5-sonnet-20241022-v2:0', 'claude-3-5-sonnet'],
    ['OpenAI dated', 'gpt-4.1-2025-04-14', 'gpt-4.1'],
    ['OpenAI dated, own price', 'gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'],
    ['case', 'Claude-Sonnet-4-5', 'claude-sonnet-4-5'],
    ['Ollama', 'qwen2.5-coder:7b', 'ollama/qwen2.5-coder'],
    ['Ollama', 'ollama/llama3.1:8b', 'ollama/llama3.1'],
    ['Ollama, hosted name too', 'codestral:22b', 'ollama/codestral'],
    ['Continue + Groq', 'llama-3.3-70b-versatile', 'groq/llama-3.3-70b-versatile'],
    ['Mistral', 'codestral-2501', 'codestral'],
    ['DeepSeek', 'deepseek/deepseek-chat', 'deepseek-chat'],
    ['newer than the snapshot: kept, priced when a price arrives', 'claude-opus-6-1', 'claude-opus-6-1'],
    ['Claude fast mode', 'claude-opus-4-6-fast', 'claude-opus-4-6-fast'],
    ['Codex review model', 'codex-auto-review', 'codex-auto-review'],
    ['newer OpenAI model', 'GPT-7.1', 'gpt-7.1'],
    // Models newer than the snapshot: one name however the tool writes it (issue #10).
    ['OpenRouter, newer Claude', 'anthropic/claude-opus-6.1', 'claude-opus-6-1'],
    ['OpenRouter with its own prefix', 'openrouter/anthropic/claude-opus-6.1:thinking', 'claude-opus-6-1'],
    ['Copilot, newer Claude', 'claude-sonnet-4.7', 'claude-sonnet-4-7'],
    ['OpenRouter, newer Claude, dashed', 'anthropic/claude-sonnet-4.7', 'claude-sonnet-4-7'],
    ['Copilot, dotted Claude', 'claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['Copilot, newer GPT', 'gpt-7.1', 'gpt-7.1'],
    ['Claude Code fast mode, OpenRouter spelling', 'anthropic/claude-opus-6.1-fast', 'claude-opus-6-1-fast'],
    ['OpenCode providerID/modelID', 'openai/gpt-7.2', 'gpt-7.2'],
    ['OpenCode providerID/modelID, known', 'anthropic/claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['OpenCode through OpenRouter', 'openrouter/openai/gpt-7.1', 'gpt-7.1'],
    ['OpenCode, Copilot provider', 'github-copilot/gpt-7.1', 'gpt-7.1'],
    ['OpenCode Zen', 'opencode/claude-opus-6-1', 'claude-opus-6-1'],
    ['Bedrock, newer Claude', 'bedrock/us.anthropic.claude-opus-6-1-v1:0', 'claude-opus-6-1'],
    ['Vertex AI, newer Claude', 'claude-opus-6-1@20270301', 'claude-opus-6-1-20270301'],
    ['a version that is part of the name', 'deepseek/deepseek-v4', 'deepseek-v4'],
    ['Ollama, newer model: stays local', 'ollama/qwen3-coder-next:30b', 'ollama/qwen3-coder-next'],
    ['Ollama tag, newer model: stays local', 'gemma4:12b', 'ollama/gemma4'],
    ['a local server: prefix kept', 'vllm/qwen3-coder-next', 'vllm/qwen3-coder-next'],
    ['LM Studio through OpenCode: prefix kept', 'lmstudio/qwen3-coder-next', 'lmstudio/qwen3-coder-next'],
    ["Ollama, a model pulled from a user's namespace: the namespace goes", 'ollama/acme-payroll/llama3.1:8b', 'ollama/llama3.1'],
    ["a local server, an organisation's folder: it goes", 'lmstudio/acme-payroll/qwen3-coder-next', 'lmstudio/qwen3-coder-next'],
    ['unknown', 'my-secret-internal-model', 'other'],
    ['a private model behind a known prefix', 'openai/acme-payroll-bot', 'other'],
    ['Fireworks account path', 'accounts/acme/models/claude-x', 'other'],
    ['fine-tune behind a provider', 'openai/ft:gpt-4o:acme::abc', 'other'],
    ['OpenAI fine-tune with organisation and project', 'ft:gpt-4o-mini:acme-corp:secret-project:abc123', 'other'],
    ['a path', '/home/alice/models/claude-x', 'other'],
    ['free text', 'claude for ACME payroll', 'other'],
    ['a private provider prefix too deep', 'a/b/c/claude-x', 'other'],
    ['empty', '  ', 'other'],
  ];

  for (const [tool, logged, expected] of table) {
    it(`${tool}: ${JSON.stringify(logged)} → ${expected}`, () => {
      assert.equal(normalizeModel(logged), expected);
    });
  }

  it('returns a price-data name, a public model id of a known family, or other: never a private string', () => {
    const known = new Set(createPricer().knownModels());
    const publicId = /^(?:[a-z0-9][a-z0-9_.-]*\/){0,2}(?:claude|gpt|codex|qwen|deepseek|gemma)[a-z0-9.-]*$/;
    for (const [, logged] of table) {
      const normalized = normalizeModel(logged);
      assert.ok(normalized === 'other' || known.has(normalized) || publicId.test(normalized), normalized);
      assert.doesNotMatch(normalized, /acme|secret|alice|payroll/);
    }
  });

  it('gives the same answer every time, and is idempotent', () => {
    for (const [, logged] of table) {
      const once = normalizeModel(logged);
      assert.equal(normalizeModel(logged), once);
      assert.equal(normalizeModel(once), once);
    }
  });

  it('gives a model the price data does not know one name, whichever host or spelling logged it', () => {
    const spellings = [
      ['anthropic/claude-sonnet-4.7', 'claude-sonnet-4.7', 'claude-sonnet-4-7', 'openrouter/anthropic/claude-sonnet-4.7', 'github-copilot/claude-sonnet-4.7'],
      ['openai/gpt-5.2', 'gpt-5.2', 'azure/gpt-5.2', 'openrouter/openai/gpt-5.2'],
    ];
    for (const names of spellings) {
      assert.deepEqual(new Set(names.map(normalizeModel)).size, 1, names.join(', '));
    }
  });

  it('keeps a local model apart from the hosted model of the same name', () => {
    assert.notEqual(normalizeModel('ollama/qwen3-coder-next:30b'), normalizeModel('qwen/qwen3-coder-next'));
  });

  it('maps an overlong name to other', () => {
    assert.equal(normalizeModel(`claude-sonnet-4-5${'-x'.repeat(200)}`), 'other');
    assert.equal(normalizeModel(`claude-opus-4-6${'-x'.repeat(30)}`), 'other');
  });

  it('prices a kept name once a price for it arrives, and leaves it unpriced (never $0) before', () => {
    const none = { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };
    const tokens = { standard: { ...none, inputTokens: 1_000_000 }, longContext: none };
    const model = normalizeModel('claude-opus-6-1');
    assert.equal(createPricer().costUSD(model, tokens), null);
    const later = createPricer({ overrides: { 'claude-opus-6-1': { inputPerMTok: 5, outputPerMTok: 25 } } });
    assert.equal(later.costUSD(model, tokens), 5);
  });

  it('prices every spelling of a new model once a price for its vendor id arrives', () => {
    const none = { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };
    const tokens = { standard: { ...none, inputTokens: 1_000_000 }, longContext: none };
    const later = createPricer({ overrides: { 'claude-sonnet-4-7': { inputPerMTok: 3, outputPerMTok: 15 } } });
    for (const logged of ['anthropic/claude-sonnet-4.7', 'claude-sonnet-4.7', 'openrouter/anthropic/claude-sonnet-4.7:thinking']) {
      assert.equal(later.costUSD(normalizeModel(logged), tokens), 3, logged);
    }
  });
});

describe('kept model names', () => {
  const pricer = createPricer();
  const kept: ReadonlyArray<[logged: string, keptAs: string]> = [
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929'],
    ['Claude-Sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5-20250929'],
    ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['gemini-2.5-flash-preview-04-17', 'gemini-2.5-flash-preview-04-17'],
    ['models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['gpt-4o-2024-08-06', 'gpt-4o-2024-08-06'],
    ['openai/gpt-4o', 'gpt-4o'],
    ['groq/llama-3.3-70b-versatile', 'groq/llama-3.3-70b-versatile'],
    ['qwen2.5-coder:7b', 'ollama/qwen2.5-coder'],
    ['ollama/acme-payroll/qwen3-coder-next:30b', 'ollama/qwen3-coder-next'],
    ['ft:gpt-4o:acme:secret-project:1', 'other'],
    ['<synthetic>', 'other'],
  ];
  for (const [logged, keptAs] of kept) {
    it(`keeps ${JSON.stringify(logged)} as ${keptAs}`, () => assert.equal(pricer.keptModelName(logged), keptAs));
  }

  it('is priced as the logged name is, and is idempotent', () => {
    for (const [logged] of kept) {
      const name = pricer.keptModelName(logged);
      assert.equal(pricer.normalizeModel(name), pricer.normalizeModel(logged), logged);
      assert.equal(pricer.keptModelName(name), name, logged);
    }
  });

  it('lets a later price file\'s price for a dated or preview model reach it, where the undated name was priced before', () => {
    const none = { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };
    const tokens = { standard: { ...none, inputTokens: 1_000_000 }, longContext: none };
    const name = pricer.keptModelName('gemini-2.5-flash-preview-04-17');
    const flash = pricer.costUSD('gemini-2.5-flash', tokens);
    assert.equal(pricer.costUSD(name, tokens), flash);
    const priceFile = new Map([['gemini-2.5-flash-preview-04-17', { input_cost_per_token: 2.8e-6, output_cost_per_token: 3e-6, litellm_provider: 'gemini' }]]);
    const later = createPricer({ priceData: mergePriceData(bundledPriceData(), priceFile) });
    assert.equal(later.costUSD(name, tokens), 2.8);
    assert.equal(later.costUSD('gemini-2.5-flash', tokens), flash, 'the undated model keeps its price');
    assert.notEqual(flash, 2.8);
  });
});

describe('kept model names price as the logged name', () => {
  const none = { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };
  const tokens = { standard: { ...none, inputTokens: 1_000_000, outputTokens: 1_000_000 }, longContext: none };

  it('keeps a local model served behind a hosted prefix local (bundled price data)', () => {
    const pricer = createPricer();
    const logged = 'litellm/ollama/qwen3-coder:30b';
    assert.equal(pricer.normalizeModel(logged), 'ollama/qwen3-coder');
    const kept = pricer.keptModelName(logged);
    assert.equal(pricer.normalizeModel(kept), pricer.normalizeModel(logged), `kept as ${kept}`);
    assert.equal(pricer.keptModelName(kept), kept);
  });

  it("keeps a price file's hosted name that a dated or variant id is priced as (OpenRouter through OpenCode)", () => {
    const entry = { input_cost_per_token: 0.55e-6, output_cost_per_token: 2.19e-6, litellm_provider: 'openrouter' };
    const priceData = mergePriceData(
      bundledPriceData(),
      new Map([
        ['openrouter/deepseek/deepseek-r1', entry],
        ['fireworks_ai/accounts/fireworks/models/deepseek-r1', { ...entry, input_cost_per_token: 3e-6, output_cost_per_token: 8e-6, litellm_provider: 'fireworks_ai' }],
      ]),
    );
    const pricer = createPricer({ priceData });
    for (const logged of ['openrouter/deepseek/deepseek-r1-0528', 'openrouter/deepseek/deepseek-r1:free']) {
      const kept = pricer.keptModelName(logged);
      assert.notEqual(pricer.costUSD(logged, tokens), null, logged);
      assert.equal(pricer.costUSD(kept, tokens), pricer.costUSD(logged, tokens), `${logged} kept as ${kept}`);
      assert.equal(pricer.keptModelName(kept), kept, logged);
    }
  });
});

describe('kept model names are idempotent', () => {
  it('writes every dot of a Claude version as a dash in one pass', () => {
    const pricer = createPricer();
    const kept = pricer.keptModelName('claude-sonnet-4.5.1');
    assert.equal(kept, 'claude-sonnet-4-5-1');
    assert.equal(pricer.keptModelName(kept), kept);
  });
});
