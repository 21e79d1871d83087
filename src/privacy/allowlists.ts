// Allowlists for every categorical field that reaches the ledger (DESIGN §7): a value that
// is not listed becomes `other`, so a hostile or private string can never pass through.

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
export const UNKNOWN_PROVIDER = 'unknown';

export function allowLanguageId(languageId: string): string {
  return BUILT_IN_LANGUAGE_IDS.has(languageId) ? languageId : OTHER;
}

const PROVIDER_NAMES: ReadonlySet<string> = new Set([...KNOWN_ASSISTANT_EXTENSIONS.values(), UNKNOWN_PROVIDER]);

export function allowProvider(provider: string): string {
  return PROVIDER_NAMES.has(provider) ? provider : OTHER;
}

/**
 * The provider to credit for ghost text: the one known assistant that is active, else `unknown`
 * (DESIGN §3.1: which extension served a suggestion is not observable).
 */
export function providerFromActiveExtensions(activeExtensionIds: Iterable<string>): string {
  const providers = new Set<string>();
  for (const id of activeExtensionIds) {
    const provider = KNOWN_ASSISTANT_EXTENSIONS.get(id.toLowerCase());
    if (provider) providers.add(provider);
  }
  return providers.size === 1 ? [...providers][0] : UNKNOWN_PROVIDER;
}
