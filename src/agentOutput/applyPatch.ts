// Lines of a Codex `apply_patch` patch, per file (docs/metrics.md, Agent output). The format is Codex's own
// (openai/codex codex-rs/apply-patch/src/parser.rs at 0ffd5a8ddfc0f230d413bbbc802141d32e23dab2, its Lark grammar):
//   *** Begin Patch
//   *** Add File: <path>        then `+line` for each line of the new file
//   *** Delete File: <path>     nothing else: the removed content is not in the patch
//   *** Update File: <path>     optionally `*** Move to: <path>`, then chunks: `@@ [context]`, ` context`,
//                               `-removed`, `+added`, optionally `*** End of File`
//   *** End Patch
// Markers may carry surrounding whitespace, as Codex's lenient parser allows. Pure: text in, counts out.
import { trimLine, type EditLines } from './lines';

export interface PatchFileLines extends EditLines {
  /** The path as the patch names it (relative to the working folder, or absolute); where the file is now. */
  path: string;
  /** `*** Delete File`: the patch holds no removed lines, so `removedLines` is 0 unless the caller knows the content. */
  deleted: boolean;
}

const BEGIN = '*** Begin Patch';
const ADD = '*** Add File: ';
const DELETE = '*** Delete File: ';
const UPDATE = '*** Update File: ';
const MOVE = '*** Move to: ';

/** Per-file lines of the first patch in `text` (a heredoc or other text around it is ignored); [] when there is none. */
export function applyPatchLines(text: string): PatchFileLines[] {
  const begin = text.indexOf(BEGIN);
  if (begin === -1) return [];
  const files: PatchFileLines[] = [];
  let current: PatchFileLines | undefined;
  for (const raw of text.slice(begin + BEGIN.length).split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const marker = line.trim();
    if (marker.startsWith('***')) {
      if (marker.startsWith('*** End Patch')) break;
      const header = headerOf(marker);
      if (header) {
        current = { path: header.path, deleted: header.deleted, addedLines: [], removedLines: 0 };
        files.push(current);
      } else if (marker.startsWith(MOVE) && current) {
        current.path = marker.slice(MOVE.length).trim();
      }
      continue;
    }
    if (!current || line.length === 0) continue;
    const sign = line[0];
    if (sign !== '+' && sign !== '-') continue;
    const content = trimLine(line.slice(1));
    if (content.trim().length === 0) continue;
    if (sign === '+') current.addedLines.push(content);
    else current.removedLines++;
  }
  return files.filter((file) => file.path.length > 0);
}

/**
 * The sections of `files` that name the same file merged into one, in the order first named: Codex applies a patch's
 * sections one after the other, each to the file as the one before left it (apply_hunks_to_files in
 * codex-rs/apply-patch/src/lib.rs), so two `Update File` sections of one file, or a `Delete File` then an `Add File`
 * of it, are all one edit of that file. `deleted` is the last section's.
 */
export function filesOfPatch(files: readonly PatchFileLines[]): PatchFileLines[] {
  const byPath = new Map<string, PatchFileLines>();
  for (const file of files) {
    const earlier = byPath.get(file.path);
    if (!earlier) {
      byPath.set(file.path, { ...file, addedLines: [...file.addedLines] });
      continue;
    }
    for (const line of file.addedLines) earlier.addedLines.push(line);
    earlier.removedLines += file.removedLines;
    earlier.deleted = file.deleted;
  }
  return [...byPath.values()];
}

function headerOf(marker: string): { path: string; deleted: boolean } | undefined {
  if (marker.startsWith(ADD)) return { path: marker.slice(ADD.length).trim(), deleted: false };
  if (marker.startsWith(UPDATE)) return { path: marker.slice(UPDATE.length).trim(), deleted: false };
  if (marker.startsWith(DELETE)) return { path: marker.slice(DELETE.length).trim(), deleted: true };
  return undefined;
}
