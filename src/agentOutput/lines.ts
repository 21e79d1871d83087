// Counting the lines of an agent's edit (docs/metrics.md, Agent output): non-blank lines only, each compared
// and kept with its trailing whitespace trimmed, so re-indented line ends or CRLF files do not change a count.
// Pure: text in, counts out. Shared by every source's parser.

export interface EditLines {
  /** Non-blank added lines, trailing whitespace trimmed, in order. */
  addedLines: string[];
  /** Non-blank removed lines. */
  removedLines: number;
}

/** A line as it is compared: trailing whitespace (and a CR of a CRLF file) removed. */
export function trimLine(line: string): string {
  return line.trimEnd();
}

/** The non-blank lines of a text (a created file's content, a deleted file's), trimmed. */
export function nonBlankLines(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = trimLine(line);
    if (trimmed.trim().length > 0) lines.push(trimmed);
  }
  return lines;
}

function addDiffLine(into: EditLines, line: string): void {
  const marker = line.charCodeAt(0);
  if (marker !== PLUS && marker !== MINUS) return;
  const text = trimLine(line.slice(1));
  if (text.trim().length === 0) return;
  if (marker === PLUS) into.addedLines.push(text);
  else into.removedLines++;
}

const PLUS = 0x2b;
const MINUS = 0x2d;

/**
 * Lines of diff hunks given as arrays of prefixed lines (`+added`, `-removed`, ` context`, `\ No newline…`):
 * jsdiff's `structuredPatch` hunks, which Claude Code logs as `toolUseResult.structuredPatch[].lines`.
 */
export function countHunkLines(hunks: readonly (readonly string[])[]): EditLines {
  const counted: EditLines = { addedLines: [], removedLines: 0 };
  for (const hunk of hunks) for (const line of hunk) addDiffLine(counted, line);
  return counted;
}

const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;

/**
 * Lines of a unified diff (`--- a`, `+++ b`, `@@ -1,3 +1,4 @@` hunks). A hunk's header says how many old and
 * new lines follow, so an added line that itself starts with `++ ` is not taken for a file header. Hunk
 * headers without counts (`@@` alone, as some tools write) run until the next header.
 */
export function countDiffLines(diff: string): EditLines {
  const counted: EditLines = { addedLines: [], removedLines: 0 };
  let oldLeft = 0;
  let newLeft = 0;
  let open = false; // inside a hunk whose header gave no counts
  for (const raw of diff.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (oldLeft > 0 || newLeft > 0) {
      const marker = line.charCodeAt(0);
      if (marker === PLUS) newLeft--;
      else if (marker === MINUS) oldLeft--;
      else if (marker !== 0x5c) {
        // context (` `, or an empty line some writers leave for an empty context line)
        oldLeft--;
        newLeft--;
      }
      addDiffLine(counted, line);
      continue;
    }
    if (line.startsWith('@@')) {
      const header = HUNK_HEADER.exec(line);
      if (header) {
        oldLeft = header[1] === undefined ? 1 : Number(header[1]);
        newLeft = header[2] === undefined ? 1 : Number(header[2]);
        open = false;
      } else {
        open = true;
      }
      continue;
    }
    if (open) {
      if (line.startsWith('--- ') || line.startsWith('+++ ') || line.startsWith('diff ')) open = false;
      else addDiffLine(counted, line);
    }
  }
  return counted;
}
