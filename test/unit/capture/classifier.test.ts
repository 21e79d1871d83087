import assert from 'node:assert/strict';
import { classifyEdit, insertedChars, isTypedText } from '../../../src/capture/classifier';
import { insert, replace } from './sim';

// Rows of docs/real-vscode-testing.md "Observed editor behaviour": each action's change event.
const SUGGESTION = 'alpha beta gamma\ndelta epsilon';

describe('classifyEdit', () => {
  describe('observed VS Code change events', () => {
    it('Tab accept (30 chars, marked by the glue) is an accept', () => {
      assert.equal(SUGGESTION.length, 30);
      assert.equal(classifyEdit([insert(6, SUGGESTION)], undefined, true, false), 'accept');
    });

    it('each of the three word accepts alpha / space / beta is an accept, even the one-char space', () => {
      for (const text of ['alpha', ' ', 'beta']) {
        assert.equal(classifyEdit([insert(6, text)], undefined, true, false), 'accept');
      }
    });

    it("acceptNextLine's replacing second change (1.100.3) is an accept", () => {
      assert.equal(classifyEdit([replace(6, 17, SUGGESTION)], undefined, true, false), 'accept');
    });

    it('one typed character is typed, 1 char', () => {
      const changes = [insert(6, 'x')];
      assert.equal(classifyEdit(changes, undefined, false, false), 'typed');
      assert.equal(insertedChars(changes), 1);
    });

    it('Tab with editor.insertSpaces (up to the next tab stop) is typed, as a tab character is', () => {
      for (const text of ['\t', '  ', '    ', '        ']) assert.equal(classifyEdit([insert(6, text)], undefined, false, false), 'typed', JSON.stringify(text));
      assert.equal(classifyEdit([insert(6, ' '.repeat(9))], undefined, false, false), 'paste');
      assert.equal(classifyEdit([insert(6, '  x')], undefined, false, false), 'paste');
    });

    it('Ctrl+V (14 chars, two lines, no reason) is paste', () => {
      const changes = [insert(6, 'const a = 1;\nb')];
      assert.equal(classifyEdit(changes, undefined, false, false), 'paste');
      assert.equal(insertedChars(changes), 14);
    });

    it('Ctrl+Z right after an accept (delete 30, reason undo) is undo', () => {
      assert.equal(classifyEdit([replace(6, 30, '')], 'undo', false, false), 'undo');
    });

    it('an accept-marked change with an undo or redo reason is undo / redo, not an accept', () => {
      assert.equal(classifyEdit([replace(6, 30, '')], 'undo', true, false), 'undo');
      assert.equal(classifyEdit([insert(6, SUGGESTION)], 'redo', true, false), 'redo');
    });

    it('auto-closed ( inserts () and is typed, 2 chars', () => {
      const changes = [insert(6, '()')];
      assert.equal(classifyEdit(changes, undefined, false, false), 'typed');
      assert.equal(insertedChars(changes), 2);
    });

    it('Enter between {} with auto-indent (\\n    \\n) is typed, 6 chars', () => {
      const changes = [insert(6, '\n    \n')];
      assert.equal(classifyEdit(changes, undefined, false, false), 'typed');
      assert.equal(insertedChars(changes), 6);
    });
  });

  it('a selection replaced by one typed character is typed', () => {
    assert.equal(classifyEdit([replace(3, 12, 'q')], undefined, false, false), 'typed');
  });

  it('Enter on a line of auto-indentation only is typed: the editor removes that indentation in the same event', () => {
    const enter = { rangeOffset: 35, rangeLength: 0, text: '\n        ' };
    const trim = { rangeOffset: 27, rangeLength: 8, text: '' };
    assert.equal(classifyEdit([enter, trim], undefined, false, false), 'typed');
    assert.equal(classifyEdit([trim, enter], undefined, false, false), 'typed');
    assert.equal(insertedChars([enter, trim]), 9);
    assert.equal(classifyEdit([enter, { ...trim, rangeOffset: 20 }], undefined, false, false), 'largeEdit', 'a deletion elsewhere is another edit');
  });

  it('several changes inserting the same text (multi-cursor typing or deleting) are multiCursor', () => {
    assert.equal(classifyEdit([insert(40, 'x'), insert(20, 'x'), insert(2, 'x')], undefined, false, false), 'multiCursor');
    assert.equal(classifyEdit([replace(40, 1, ''), replace(20, 1, '')], undefined, false, false), 'multiCursor');
  });

  it('several changes with different texts (formatting, rename) are largeEdit', () => {
    assert.equal(classifyEdit([insert(40, '  '), replace(3, 1, ' ')], undefined, false, false), 'largeEdit');
  });

  it('a deletion (empty text, one change) is deletion', () => {
    assert.equal(classifyEdit([replace(5, 1, '')], undefined, false, false), 'deletion');
    assert.equal(classifyEdit([replace(5, 300, '')], undefined, false, false), 'deletion');
  });

  it('redo is redo whatever it inserts', () => {
    assert.equal(classifyEdit([insert(0, 'x')], 'redo', false, false), 'redo');
  });

  it('a paste-shaped edit in a notebook cell is notebook; typing there is still typing', () => {
    assert.equal(classifyEdit([insert(0, 'print(1)\n')], undefined, false, true), 'notebook');
    assert.equal(classifyEdit([insert(0, 'p')], undefined, false, true), 'typed');
  });
});

describe('isTypedText', () => {
  it('accepts one code point, the auto-closing pairs and newline-plus-indentation', () => {
    for (const text of ['a', ' ', '\n', '😀', '()', '[]', '{}', '""', "''", '``', '\n\t\t', '\r\n  ', '\n    \n']) {
      assert.equal(isTypedText(text), true, JSON.stringify(text));
    }
  });

  it('rejects multi-character text that no single keystroke produces', () => {
    for (const text of ['ab', '(]', '\nx', 'x\n', '😀😀', '(a)', '\n  }']) {
      assert.equal(isTypedText(text), false, JSON.stringify(text));
    }
  });
});
