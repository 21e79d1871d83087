// File edits in Copilot Chat session files (the format notes of src/importers/sources/copilotChat.ts say
// where they live and how the operation log is replayed).
//
// What is logged. Verified against microsoft/vscode src/vs/workbench/contrib/chat/common/model/chatModel.ts
// (00817b7f8e1cfff7ee8ff8ac8d23b50e4c131ac5) and chatSessionOperationLog.ts (03d43368c3ce601d54d8eceb01b11cf9758b9e4a):
// a request's `response` is the list of its response parts, as serialized; the `textEdit` progress for
// one file in one response is merged into one part `{kind: "textEditGroup", uri, edits: TextEdit[][],
// done, isExternalEdit?}` until that part is `done` (ResponseModel _mergeOrPushTextEditGroup), so a file
// the response edits again after that has a second part: `uri` is a serialized URI (`{$mid, scheme, path, fsPath?, authority?}`),
// each inner array one batch the tool streamed, each TextEdit `{text, range: {startLineNumber,
// startColumn, endLineNumber, endColumn}}` (1-based) applied after the ones before it; `done` is set
// when the tool said the file is finished. The editor applies these edits to the file as they arrive.
// Copilot Chat's writers (microsoft/vscode-copilot-chat at 31acd00a86424e2ee6e980e54919cf31fbf88030):
// replace_string_in_file (tools/node/abstractReplaceStringTool.tsx, editFileToolUtils.tsx) replaces the
// range of `oldString` by `newString`; apply_patch (tools/node/applyPatchTool.tsx) replaces the whole
// file; create_file and the code mapper (prompts/node/codeMapper/codeMapper.ts) write the file line by
// line, replacing each existing line.
//
// What cannot be known, and the rule used. The session file holds the new text and the range it
// replaced, not the replaced text, and not the file. So:
// - added lines: the non-blank lines of every edit's new text. Lines an edit rewrote unchanged count
//   as added too: the context lines a replace_string call repeats, and every line of a file that
//   apply_patch or the code mapper rewrote whole. Exact for created files.
// - removed lines: the lines each replaced range covered, `endLine - startLine`, plus the last line
//   when the range ends after its first column; blank or not (unknown), so an upper bound too.
// Both are therefore upper bounds for edits of existing files; a line rewritten unchanged is still in
// the file later, so it also counts as kept.
// Also: a group is counted when the tool finished the file (`done`) or the response completed;
// groups of cancelled or failed responses that the tool had not finished are not. Edits the user later
// undid in the editor (Keep/Undo, which later requests' `editedFileEvents` report per file) still count as
// written, and keep what is left of them. `isExternalEdit` groups (edits another agent made on disk,
// logged by that agent itself) and notebook edit groups are not counted. Only `file` URIs are.
import { isAbsolute } from 'node:path';
import * as z from 'zod';
import { nonBlankLines, type EditLines } from '../lines';
import type { ParsedEdit } from '../types';

/** ResponseModelState (microsoft/vscode chatService.ts): 0 pending, 1 complete, 2 cancelled, 3 failed, 4 needs input. */
const COMPLETE = 1;

const Position = z.number().int().min(1);
const TextEdit = z.object({
  text: z.string(),
  range: z.object({ startLineNumber: Position, startColumn: Position, endLineNumber: Position, endColumn: Position }),
});
type TextEdit = z.infer<typeof TextEdit>;

const FileUri = z.object({
  scheme: z.literal('file'),
  path: z.string(),
  fsPath: z.string().optional().catch(undefined),
  authority: z.string().optional().catch(undefined),
});

const TextEditGroup = z.object({
  kind: z.literal('textEditGroup'),
  uri: FileUri,
  edits: z.array(z.array(z.unknown())),
  done: z.boolean().optional().catch(undefined),
  isExternalEdit: z.boolean().optional().catch(undefined),
});

const Request = z.object({
  response: z.array(z.unknown()),
  modelState: z.object({ value: z.number() }).optional().catch(undefined),
  isCanceled: z.boolean().optional().catch(undefined),
  result: z.object({ timings: z.object({ totalElapsed: z.number().min(0) }).optional().catch(undefined) }).optional().catch(undefined),
});

/** What the importer knows of the request the edits belong to. */
export interface CopilotRequestContext {
  /** `ParsedUsage.key` of the request (its request id). */
  responseKey: string;
  sessionKey: string;
  model: string;
  /** Epoch ms the request was sent. */
  requestTime: number;
  /** Keyed digest of a path (ParseContext.nameDigest), to key one edit per file and request. */
  pathDigest(path: string): string;
}

/** The local path of a `file` URI as VS Code's URI.fsPath gives it (forward slashes kept). */
function localPath(uri: z.infer<typeof FileUri>): string {
  if (uri.fsPath) return uri.fsPath;
  if (uri.authority) return `//${uri.authority}${uri.path}`;
  return /^\/[A-Za-z]:/.test(uri.path) ? uri.path.slice(1) : uri.path;
}

function removedLines(edit: TextEdit): number {
  const { startLineNumber, startColumn, endLineNumber, endColumn } = edit.range;
  if (endLineNumber < startLineNumber || (endLineNumber === startLineNumber && endColumn <= startColumn)) return 0;
  return endLineNumber - startLineNumber + (endColumn > 1 ? 1 : 0);
}

/** Whether the response ended normally, so every group in it is finished. */
function completed(request: z.infer<typeof Request>): boolean {
  if (request.modelState) return request.modelState.value === COMPLETE;
  return request.isCanceled !== true && request.result !== undefined;
}

/** The file edits of one chat request: one per file its response edited. */
export function copilotChatEdits(request: unknown, context: CopilotRequestContext): ParsedEdit[] {
  const parsed = Request.safeParse(request);
  if (!parsed.success) return [];
  const finished = completed(parsed.data);
  const elapsed = parsed.data.result?.timings?.totalElapsed;
  // The edits were applied while the response ran: they all exist by the time it completed.
  const t = context.requestTime + (elapsed ?? 0);
  // One edit per file: all its groups, in order.
  const files = new Map<string, EditLines>();
  for (const part of parsed.data.response) {
    const group = TextEditGroup.safeParse(part);
    if (!group.success || group.data.isExternalEdit === true) continue;
    if (group.data.done !== true && !finished) continue;
    const filePath = localPath(group.data.uri);
    if (!isAbsolute(filePath)) continue;
    let lines = files.get(filePath);
    if (!lines) {
      lines = { addedLines: [], removedLines: 0 };
      files.set(filePath, lines);
    }
    for (const batch of group.data.edits) {
      for (const entry of batch) {
        const edit = TextEdit.safeParse(entry);
        if (!edit.success) continue;
        for (const line of nonBlankLines(edit.data.text)) lines.addedLines.push(line);
        lines.removedLines += removedLines(edit.data);
      }
    }
  }
  const edits: ParsedEdit[] = [];
  for (const [filePath, { addedLines, removedLines: removed }] of files) {
    if (addedLines.length === 0 && removed === 0) continue;
    edits.push({
      key: `${context.responseKey}:${context.pathDigest(filePath)}`,
      t,
      model: context.model,
      responseKey: context.responseKey,
      sessionKey: context.sessionKey,
      filePath,
      addedLines,
      removedLines: removed,
    });
  }
  return edits;
}
