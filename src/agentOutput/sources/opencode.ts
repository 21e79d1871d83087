// File edits of OpenCode and of the tools built on it (Kilo Code ≥ 7 and the Kilo CLI): tool parts of its
// SQLite database (src/importers/sources/opencode.ts and kilo.ts say where). Both write one ToolPart shape
// (session/message-v2.ts in Kilo-Org/kilocode packages/opencode/src at 1242bd9cfaa1482c9bb89430dd9ee94451d93515
// and in anomalyco/opencode packages/opencode/src at 007a9409bafea06d6b9084ff1f6d1fe9f5e3a803; table `part` in
// session/session.sql.ts at 063e8306d9895af9bdd175306cfa4fa3291fd83a, beside `message`):
// - Table `part` (session/session.sql.ts): `id`, `message_id`, `session_id`, `data`, the JSON of the part
//   without its ids. A tool call is `{type: "tool", callID, tool, state}`, `state.status` `pending`,
//   `running`, `completed` or `error`; only `completed` wrote. A completed state has `input`, `metadata` and
//   `time {start, end}`.
// - `edit` (tool/edit.ts), `input {filePath, oldString, newString, replaceAll?}`. Kilo's `metadata.filediff` is
//   `{file, before, after}`, the whole file before and after. OpenCode's (anomalyco/opencode tool/edit.ts at
//   00937b92a3d7d378d71a0179c0836235ee882952) is Snapshot.FileDiff `{file, patch, additions, deletions}`: `patch`
//   is jsdiff's createTwoFilesPatch of the whole file after `trimDiff`, which strips the indentation common to
//   its lines for display, so the lines are taken from `input` (inserted verbatim), and from `patch` only for
//   `replaceAll`, whose occurrences `input` does not count. `metadata.diff` is trimmed too and never used.
// - `write` (tool/write.ts; anomalyco/opencode at 0761b3a14393c8443fe72a81eb87acc2a567c2ab): `input {filePath,
//   content}`, `metadata.exists` whether it overwrote a file, whose old content is not kept: only a created
//   file is counted.
// - `apply_patch` (tool/apply_patch.ts): `metadata.files[]`, one per file of the patch in its order. Kilo's are
//   `{filePath, type: add|update|delete|move, before, after, movePath}` (a deleted file's `after` is empty).
//   OpenCode's (anomalyco/opencode at 024479bdcd39d6883be50d1d4755442bb0e28875) are `{filePath, relativePath,
//   type, patch, additions, deletions, movePath?}` with a trimmed `patch`: their lines come from
//   `input.patchText` (the Codex patch format, ../applyPatch.ts), section by section, except a deleted file's,
//   which only its `patch` holds.
// Before and after texts are compared with replacementLines (a line present in both, as many times, is
// unchanged), which differs from a line diff only for lines that moved.
import { isAbsolute } from 'node:path';
import * as z from 'zod';
import { applyPatchLines } from '../applyPatch';
import { countDiffLines, nonBlankLines, type EditLines } from '../lines';
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
const FilePatch = z.object({ file: z.string(), patch: z.string() });
const EditInput = z.object({ filePath: z.string(), oldString: z.string(), newString: z.string(), replaceAll: z.boolean().optional().catch(undefined) });
const WriteInput = z.object({ filePath: z.string(), content: z.string() });
const PatchFile = z.object({
  filePath: z.string(),
  before: z.string(),
  after: z.string(),
  movePath: z.string().optional().catch(undefined),
});
const PatchedFile = z.object({
  filePath: z.string(),
  type: z.enum(['add', 'update', 'delete', 'move']),
  patch: z.string(),
  movePath: z.string().optional().catch(undefined),
});
const PatchInput = z.object({ patchText: z.string() });

/** What the importer knows of the message the part belongs to. */
export interface OpenCodePartContext {
  /** `ParsedUsage.key` of the message (its id). */
  responseKey: string;
  sessionKey: string;
  model: string;
}

interface FileLines extends EditLines {
  filePath: string;
}

function editFiles({ input, metadata }: Completed['state']): FileLines[] {
  const filediff = FileDiff.safeParse(metadata?.filediff);
  if (filediff.success) return [{ filePath: filediff.data.file, ...replacementLines(filediff.data.before, filediff.data.after) }];
  const edit = EditInput.safeParse(input);
  if (!edit.success) return [];
  const patch = FilePatch.safeParse(metadata?.filediff);
  // OpenCode resolves a relative `filePath` against its working folder; the diff names the absolute path.
  const filePath = patch.success ? patch.data.file : edit.data.filePath;
  if (edit.data.replaceAll === true) return patch.success ? [{ filePath, ...countDiffLines(patch.data.patch) }] : [];
  return [{ filePath, ...replacementLines(edit.data.oldString, edit.data.newString) }];
}

function patchFiles({ input, metadata }: Completed['state']): FileLines[] {
  if (!Array.isArray(metadata?.files)) return [];
  const files: FileLines[] = [];
  const patched: z.infer<typeof PatchedFile>[] = [];
  for (const entry of metadata.files) {
    const file = PatchFile.safeParse(entry);
    if (file.success) {
      // A deleted file's `after` is empty: all its lines count as removed.
      const { filePath, before, after, movePath } = file.data;
      files.push({ filePath: movePath ?? filePath, ...replacementLines(before, after) });
      continue;
    }
    const withPatch = PatchedFile.safeParse(entry);
    if (withPatch.success) patched.push(withPatch.data);
  }
  if (patched.length === 0) return files;
  const patchText = PatchInput.safeParse(input);
  const sections = patchText.success ? applyPatchLines(patchText.data.patchText) : [];
  const inOrder = sections.length === patched.length && sections.every((section, index) => section.deleted === (patched[index].type === 'delete'));
  patched.forEach((file, index) => {
    // The patch text keeps the indentation that `patch` lost; a section list that does not line up with the files is not trusted.
    const lines = inOrder && file.type !== 'delete' ? sections[index] : countDiffLines(file.patch);
    files.push({ filePath: file.movePath ?? file.filePath, addedLines: lines.addedLines, removedLines: lines.removedLines });
  });
  return files;
}

function filesOf(part: Completed): FileLines[] {
  const { input, metadata } = part.state;
  if (part.tool === 'edit') return editFiles(part.state);
  if (part.tool === 'write') {
    const write = WriteInput.safeParse(input);
    if (!write.success || metadata?.exists !== false) return [];
    return [{ filePath: write.data.filePath, addedLines: nonBlankLines(write.data.content), removedLines: 0 }];
  }
  if (part.tool === 'apply_patch') return patchFiles(part.state);
  return [];
}

/** The file edits of one `part` row: none unless it is a completed edit, write or apply_patch call. */
export function openCodePartEdits(partId: string, data: unknown, context: OpenCodePartContext): ParsedEdit[] {
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
