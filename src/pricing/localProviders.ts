// Which models run on the user's machine or their own server: their names keep their provider prefix
// (normalize.ts), and money/localModels.ts prices their tokens as local hardware, not as a hosted API.

/**
 * Providers that run on the user's machine or their own server, as LiteLLM and the price data name them, and as
 * tools prefix their models (OpenCode's provider id for LM Studio is `lmstudio`).
 */
export const LOCAL_PROVIDERS: ReadonlySet<string> = new Set(['ollama', 'ollama_chat', 'lm_studio', 'lmstudio', 'llamafile', 'llamacpp', 'vllm', 'hosted_vllm', 'local']);
const LOCAL_PROVIDER_PREFIX = new RegExp(`^(?:${[...LOCAL_PROVIDERS].join('|')})/`);

export function isLocalModel(model: string): boolean {
  return LOCAL_PROVIDER_PREFIX.test(model);
}
