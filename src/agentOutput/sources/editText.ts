// Lines of the edit formats that several agents log besides unified diffs (which ../lines.ts counts):
// an old and a new text (Gemini CLI's `replace` arguments), SEARCH/REPLACE blocks (Cline's
// `replace_in_file`, Roo Code's and Kilo Code's `apply_diff`). Pure: text in, counts out.
import { nonBlankLines, type EditLines } from '../lines';

/**
 * Lines an edit that replaced `oldText` by `newText` added and removed, without a line diff: a non-blank
 * line present in both texts (as many times) is unchanged, the other new lines are added and the other
 * old lines removed. Agents put context lines around the lines they change in both texts; those cancel.
 * A line only moved within the edit counts as unchanged, where a line diff would count it added and
 * removed.
 */
export function replacementLines(oldText: string, newText: string): EditLines {
  const unmatched = new Map<string, number>();
  let removedLines = 0;
  for (const line of nonBlankLines(oldText)) {
    unmatched.set(line, (unmatched.get(line) ?? 0) + 1);
    removedLines++;
  }
  const addedLines: string[] = [];
  for (const line of nonBlankLines(newText)) {
    const left = unmatched.get(line) ?? 0;
    if (left > 0) {
      unmatched.set(line, left - 1);
      removedLines--;
    } else {
      addedLines.push(line);
    }
  }
  return { addedLines, removedLines };
}

function addInto(total: EditLines, part: EditLines): void {
  for (const line of part.addedLines) total.addedLines.push(line);
  total.removedLines += part.removedLines;
}

// Markers as Cline parses them (cline/cline apps/vscode/src/core/assistant-message/diff.ts at
// 791d2389966d927396830470c51d456d04687b69): `------- SEARCH` / `=======` / `+++++++ REPLACE`, and the
// legacy `<<<<<<< SEARCH` / `>>>>>>> REPLACE` that Roo Code and Kilo Code's apply_diff still use.
const SEARCH_START = /^(?:-{3,}|<{3,}) SEARCH>?$/;
const SEARCH_END = /^={3,}$/;
const REPLACE_END = /^(?:\+{3,}|>{3,}) REPLACE>?$/;
// Roo Code's apply_diff opens a SEARCH section with `:start_line:N` (and `:end_line:N`), then `-------`
// (RooCodeInc/Roo-Code src/core/diff/strategies/multi-search-replace.ts).
// Spaces with no number between them are one run: `\s*-?\d*\s*` split a line of spaces and a letter between its two runs
// every way before failing, a time that grows with the square of the line's length (12 s for 80,000 spaces).
const LINE_HINT = /^:(?:start|end)_line:\s*(?:(?:-\d*|\d+)\s*)?$/;
const HINT_END = /^-{3,}$/;

/**
 * Lines of SEARCH/REPLACE blocks: each complete block is one replacement of its SEARCH text by its
 * REPLACE text. Undefined when the text holds no complete block (it is some other format).
 */
export function searchReplaceLines(text: string): EditLines | undefined {
  const total: EditLines = { addedLines: [], removedLines: 0 };
  let blocks = 0;
  let section: 'none' | 'search' | 'replace' = 'none';
  let afterHint = false;
  let search: string[] = [];
  let replace: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (SEARCH_START.test(line)) {
      section = 'search';
      search = [];
      replace = [];
      afterHint = false;
      continue;
    }
    if (section === 'search') {
      if (SEARCH_END.test(line)) {
        section = 'replace';
      } else if (search.length === 0 && LINE_HINT.test(line)) {
        afterHint = true;
      } else if (search.length === 0 && afterHint && HINT_END.test(line)) {
        afterHint = false;
      } else {
        search.push(line);
      }
    } else if (section === 'replace') {
      if (REPLACE_END.test(line)) {
        addInto(total, replacementLines(search.join('\n'), replace.join('\n')));
        blocks++;
        section = 'none';
      } else {
        replace.push(line);
      }
    }
  }
  return blocks > 0 ? total : undefined;
}
