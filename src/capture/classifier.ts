// Classifies one `onDidChangeTextDocument` event as typed, an accept, or another edit class
// (docs/metrics.md, Typed and AI characters). Pure and allocation-free: it runs on every keystroke.
//
// Edge cases decided here:
// - "One character" is one code point: an emoji typed as a surrogate pair is typed (2 chars, the
//   UTF-16 length VS Code's offsets use).
// - An undo/redo reason wins over everything, including an accept mark: an undone accept is undo.
// - Enter on a line of auto-indent whitespace only is typed, though the editor removes that whitespace in the same
//   event (two changes).
// - Several changes in one event: `multiCursor` when every change inserts the same text (typing or
//   deleting at several cursors, also during an accept), `largeEdit` when the texts differ
//   (formatting, rename, organise imports, multi-edit snippets): a diagnostic split only, both
//   count as neither typed nor AI. A multi-change accept is still an accept (the engine handles it).
// - In a notebook cell, an edit that would be `paste` is `notebook`: cell contents are also
//   rewritten wholesale by notebook operations (split/join cells, kernel or extension edits),
//   which look exactly like a paste. Typing, accepts, deletion and undo/redo keep their classes.
// - Reloads from disk are reported by the glue through `documentReloaded`, not classified here.
import type { OtherEditClass } from '../ledger/events';
import type { EditReason, TextChange } from './types';

export type EditClass = 'typed' | 'accept' | OtherEditClass;

const AUTO_CLOSING_PAIRS: ReadonlySet<string> = new Set(['()', '[]', '{}', '""', "''", '``']);

function isSingleCodePoint(text: string): boolean {
  if (text.length === 1) return true;
  if (text.length !== 2) return false;
  const high = text.charCodeAt(0);
  const low = text.charCodeAt(1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

/** Enter, with whatever indentation (and second line, between braces) auto-indent added. */
function isNewlineWithIndent(text: string): boolean {
  const first = text.charCodeAt(0);
  const startsWithNewline = first === 10 || (first === 13 && text.charCodeAt(1) === 10);
  if (!startsWithNewline) return false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/**
 * The spaces one Tab key press inserts with `editor.insertSpaces` (up to the next tab stop). Tab sizes above 8 are
 * rare; a paste of a few spaces alone is rarer still.
 */
const MAX_TAB_SPACES = 8;

function isTabOfSpaces(text: string): boolean {
  if (text.length === 0 || text.length > MAX_TAB_SPACES) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== 32) return false;
  return true;
}

/** Text a single typing keystroke can produce (docs/metrics.md, Typed and AI characters). */
export function isTypedText(text: string): boolean {
  return isSingleCodePoint(text) || AUTO_CLOSING_PAIRS.has(text) || isNewlineWithIndent(text) || isTabOfSpaces(text);
}

/**
 * Enter on a line that holds only the indentation the editor added: the same event removes that indentation
 * (TextModel._trimAutoWhitespaceLines), a deletion that ends where the new line starts. Either order, as the editor
 * sends changes by descending offset.
 */
function isEnterLeavingAutoIndent(a: TextChange, b: TextChange): boolean {
  const [trim, enter] = a.text.length === 0 ? [a, b] : [b, a];
  return trim.text.length === 0 && trim.rangeLength > 0 && trim.rangeOffset + trim.rangeLength === enter.rangeOffset && enter.rangeLength === 0 && isNewlineWithIndent(enter.text);
}

/**
 * `accept` is true when the glue marked this event as the one caused by an inline-suggest accept
 * command it just ran. An event with no changes (VS Code sends those when only the dirty state
 * changes) is not an edit and must not be classified: the caller skips it.
 */
export function classifyEdit(
  changes: readonly TextChange[],
  reason: EditReason,
  accept: boolean,
  isNotebookCell: boolean,
): EditClass {
  if (reason === 'undo') return 'undo';
  if (reason === 'redo') return 'redo';
  if (accept) return 'accept';
  if (changes.length === 2 && isEnterLeavingAutoIndent(changes[0], changes[1])) return 'typed';
  if (changes.length > 1) {
    const text = changes[0].text;
    for (let i = 1; i < changes.length; i++) {
      if (changes[i].text !== text) return 'largeEdit';
    }
    return 'multiCursor';
  }
  const text = changes[0].text;
  if (text.length === 0) return 'deletion';
  if (isTypedText(text)) return 'typed';
  return isNotebookCell ? 'notebook' : 'paste';
}

/** Characters an event inserted (typed characters for `typed`, `otherChars` for other classes). */
export function insertedChars(changes: readonly TextChange[]): number {
  let total = 0;
  for (let i = 0; i < changes.length; i++) total += changes[i].text.length;
  return total;
}
