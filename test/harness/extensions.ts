// Extensions the harness installs unpacked into a profile's extensions dir.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The stand-in assistant whose ghost text is `alpha beta gamma\ndelta epsilon` after `hello `. */
export const GHOST_ASSISTANT_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'ghost-assistant');

/** What a packaged Assay contains (what `vsce package` would ship), built output included. */
const ASSAY_SHIPPED_FILES = ['package.json', 'dist', 'media', 'README.md', 'LICENSE', 'CHANGELOG.md'];

/**
 * Copies the built extension's shipped files into `<rootDir>/assay-staged` and returns that folder,
 * ready for `startCodeServer({ extensions })`. Throws when the build output is missing.
 */
export function stageAssayExtension(rootDir: string): string {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `node esbuild.mjs` first');
  }
  const staged = path.join(rootDir, 'assay-staged');
  fs.mkdirSync(staged, { recursive: true });
  for (const entry of ASSAY_SHIPPED_FILES) {
    const source = path.join(REPO_ROOT, entry);
    if (fs.existsSync(source)) fs.cpSync(source, path.join(staged, entry), { recursive: true });
  }
  return staged;
}
