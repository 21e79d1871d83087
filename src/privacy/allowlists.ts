// Allowlists for every categorical field that reaches the ledger (docs/privacy.md): a value that
// is not listed becomes `other`, so a hostile or private string can never pass through.
import * as z from 'zod';

/** Language ids contributed by VS Code's built-in extensions. */
const BUILT_IN_LANGUAGE_IDS: ReadonlySet<string> = new Set([
  'bat', 'bibtex', 'c', 'clojure', 'code-text-binary', 'coffeescript', 'cpp', 'csharp', 'css', 'cuda-cpp',
  'dart', 'diff', 'dockercompose', 'dockerfile', 'fsharp', 'git-commit', 'git-rebase', 'github-issues', 'go',
  'groovy', 'handlebars', 'hlsl', 'html', 'ignore', 'ini', 'jade', 'java', 'javascript', 'javascriptreact',
  'json', 'jsonc', 'jsonl', 'julia', 'juliamarkdown', 'latex', 'less', 'log', 'lua', 'makefile', 'markdown',
  'objective-c', 'objective-cpp', 'perl', 'perl6', 'php', 'plaintext', 'powershell', 'properties', 'pug',
  'python', 'r', 'razor', 'restructuredtext', 'raku', 'ruby', 'rust', 'scss', 'search-result', 'shaderlab',
  'shellscript', 'snippets', 'sql', 'swift', 'tex', 'toml', 'typescript', 'typescriptreact', 'vb', 'xml',
  'xsl', 'yaml',
]);

/** Assistant extensions whose ghost text Assay can attribute when exactly one of them is active. */
export const KNOWN_ASSISTANT_EXTENSIONS: ReadonlyMap<string, string> = new Map([
  ['github.copilot', 'copilot'],
  ['github.copilot-chat', 'copilot'],
  ['codeium.codeium', 'codeium'],
  ['codeium.windsurfpyright', 'codeium'],
  ['tabnine.tabnine-vscode', 'tabnine'],
  ['supermaven.supermaven', 'supermaven'],
  ['amazonwebservices.amazon-q-vscode', 'amazon-q'],
  ['continue.continue', 'continue'],
  ['tabbyml.vscode-tabby', 'tabby'],
  ['sourcegraph.cody-ai', 'cody'],
  ['google.geminicodeassist', 'gemini-code-assist'],
]);

export const OTHER = 'other';
const UNKNOWN_PROVIDER = 'unknown';

export function allowLanguageId(languageId: string): string {
  return BUILT_IN_LANGUAGE_IDS.has(languageId) ? languageId : OTHER;
}

const PROVIDER_NAMES: ReadonlySet<string> = new Set([...KNOWN_ASSISTANT_EXTENSIONS.values(), UNKNOWN_PROVIDER]);

export function allowProvider(provider: string): string {
  return PROVIDER_NAMES.has(provider) ? provider : OTHER;
}

/**
 * The provider to credit for ghost text: the one known assistant that is active, else `unknown`
 * (which extension served a suggestion is not observable: docs/metrics.md, Inline suggestions).
 */
export function providerFromActiveExtensions(activeExtensionIds: Iterable<string>): string {
  const providers = new Set<string>();
  for (const id of activeExtensionIds) {
    const provider = KNOWN_ASSISTANT_EXTENSIONS.get(id.toLowerCase());
    if (provider) providers.add(provider);
  }
  return providers.size === 1 ? [...providers][0] : UNKNOWN_PROVIDER;
}

/**
 * Vendor families whose model ids are public names. A logged model outside the price data is kept
 * under its own name only when it starts with one of these (after any `provider/` segments), so a
 * model released after the bundled price snapshot keeps its name and is priced once a price
 * arrives, while a fine-tune id (`ft:gpt-4o:acme-corp:secret-project:x`), a path or free text
 * becomes `other`.
 */
const PUBLIC_MODEL_FAMILIES =
  /^(?:claude|gpt|chatgpt|o[1-9]|codex|gemini|gemma|llama|codellama|mistral|mixtral|codestral|devstral|magistral|ministral|pixtral|qwen|qwq|deepseek|grok|kimi|glm|command|phi|nova|minimax|sonar|jamba|granite|starcoder|copilot|cursor|swe|composer)(?:[-.]|\d|$)/;
const PUBLIC_MODEL_ID = /^(?:[a-z0-9][a-z0-9_.-]{0,30}\/){0,2}[a-z0-9][a-z0-9.-]*$/;
const MAX_MODEL_ID_LENGTH = 64;

/** `model` (already lowercase) when it is a plausible public model id (docs/privacy.md), else undefined. */
export function publicModelId(model: string): string | undefined {
  if (model.length > MAX_MODEL_ID_LENGTH || !PUBLIC_MODEL_ID.test(model)) return undefined;
  const lastSegment = model.slice(model.lastIndexOf('/') + 1);
  return PUBLIC_MODEL_FAMILIES.test(lastSegment) ? model : undefined;
}

/** A team id is a label the organisation chooses; it is sent with OpenTelemetry exports, so it is kept to plain characters. */
export const OtlpTeamId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);
