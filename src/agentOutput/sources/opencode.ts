// File edits of Kilo Code ≥ 7 and the Kilo CLI (OpenCode's storage; src/importers/sources/kilo.ts says where).
// Verified against Kilo-Org/kilocode packages/opencode/src at 1242bd9cfaa1482c9bb89430dd9ee94451d93515:
// - Table `part` (session/session.sql.ts): `id`, `message_id`, `session_id`, `data`, the JSON of the part
//   without its ids. A tool call is a ToolPart (session/message-v2.ts) `{type: "tool", callID, tool, state}`,
//   `state.status` `pending`, `running`, `completed` or `error`; only `completed` wrote. A completed state
//   has `input`, `metadata` and `time {start, end}`.
// - `edit` (tool/edit.ts): `metadata.filediff {file, before, after}`, the whole file before and after
//   (`metadata.diff` has its indentation trimmed for display, so it is not used); `input {filePath,
//   oldString, newString}` otherwise.
// - `write` (tool/write.ts): `input {filePath, content}`, `metadata.exists` whether it overwrote a file,
//   whose old content is not kept: only a created file is counted.
// - `apply_patch` (tool/apply_patch.ts): `metadata.files[] {filePath, type: add|update|delete|move,
//   before, after, movePath}`, one edit per file (a deleted file's `after` is empty).
// Before and after texts are compared with replacementLines (a line present in both, as many times, is
// unchanged), which differs from a line diff only for lines that moved.
import { isAbsolute } from 'node:path';
import * as z from 'zod';
import { nonBlankLines, type EditLines } from '../lines';
import type { ParsedEdit } from '../types';
import { replacementLines } from './editText';

const Completed = z.object({
  type: z.literal('tool'),
  tool: z.string(),
  state: z.object({
    status: z.literal('completed'),
    input: z.record(z.string(), z.unknown()).optional().catch(undefined),
    metadata: z.record(z.string(), z.unknown()).optional().catch(undefined),
    time: z.object({ end: z.number().int().positive() }),
  }),
});
type Completed = z.infer<typeof Completed>;

const FileDiff = z.object({ file: z.string(), before: z.string(), after: z.string() });
const EditInput = z.object({ filePath: z.string(), oldString: z.string(), newString: z.string() });
const WriteInput = z.object({ filePath: z.string(), content: z.string() });
const PatchFile = z.object({
  filePath: z.string(),
  before: z.string(),
  after: z.string(),
  movePath: z.string().optional().catch(undefined),
});

/** What the importer knows of the message the part belongs to. */
export interface KiloPartContext {
  /** `ParsedUsage.key` of the message (its id). */
  responseKey: string;
  sessionKey: string;
  model: string;
}

interface FileLines extends EditLines {
  filePath: string;
}

function filesOf(part: Completed): FileLines[] {
  const { input, metadata } = part.state;
  if (part.tool === 'edit') {
    const filediff = FileDiff.safeParse(metadata?.filediff);
    if (filediff.success) return [{ filePath: filediff.data.file, ...replacementLines(filediff.data.before, filediff.data.after) }];
    const edit = EditInput.safeParse(input);
    return edit.success ? [{ filePath: edit.data.filePath, ...replacementLines(edit.data.oldString, edit.data.newString) }] : [];
  }
  if (part.tool === 'write') {
    const write = WriteInput.safeParse(input);
    if (!write.success || metadata?.exists !== false) return [];
    return [{ filePath: write.data.filePath, addedLines: nonBlankLines(write.data.content), removedLines: 0 }];
  }
  if (part.tool === 'apply_patch' && Array.isArray(metadata?.files)) {
    const files: FileLines[] = [];
    for (const entry of metadata.files) {
      const file = PatchFile.safeParse(entry);
      if (!file.success) continue;
      // A deleted file's `after` is empty: all its lines count as removed.
      const { filePath, before, after, movePath } = file.data;
      files.push({ filePath: movePath ?? filePath, ...replacementLines(before, after) });
    }
    return files;
  }
  return [];
}

/** The file edits of one `part` row: none unless it is a completed edit, write or apply_patch call. */
export function kiloPartEdits(partId: string, data: unknown, context: KiloPartContext): ParsedEdit[] {
  const part = Completed.safeParse(data);
  if (!part.success) return [];
  const files = filesOf(part.data);
  const edits: ParsedEdit[] = [];
  files.forEach((file, index) => {
    if (!isAbsolute(file.filePath) || (file.addedLines.length === 0 && file.removedLines === 0)) return;
    edits.push({
      key: files.length === 1 ? partId : `${partId}#${index}`,
      t: part.data.state.time.end,
      model: context.model,
      responseKey: context.responseKey,
      sessionKey: context.sessionKey,
      filePath: file.filePath,
      addedLines: file.addedLines,
      removedLines: file.removedLines,
    });
  });
  return edits;
}
