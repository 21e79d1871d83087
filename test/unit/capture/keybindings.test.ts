// Assay's keybindings take keys the editor binds itself (Tab, Ctrl+Right), to count accepts. Before the extension
// activates, none of its context keys is set: a binding that needs one of them unset would take the key then, where
// the editor's own binding would have done something else.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Keybinding {
  command: string;
  key: string;
  when: string;
}

const keybindings = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as { contributes: { keybindings: Keybinding[] } })
  .contributes.keybindings;

describe('Assay keybindings', () => {
  it('take a key only where a context key Assay sets says so, never because one of its keys is unset', () => {
    assert.ok(keybindings.length > 0);
    for (const binding of keybindings) {
      assert.doesNotMatch(binding.when, /!\s*assay\./, `${binding.key}: ${binding.when}`);
    }
  });

  it('accept the next word on Ctrl+Right where the editor\'s own rule does: the cursor before the ghost text', () => {
    const nextWord = keybindings.find((binding) => binding.command === 'assay.acceptNextWord');
    assert.ok(nextWord);
    const clauses = nextWord.when.split('||').map((clause) => clause.trim());
    assert.ok(clauses.some((clause) => /\bcursorBeforeGhostText\b/.test(clause) && !/assay\./.test(clause)), nextWord.when);
  });
});
