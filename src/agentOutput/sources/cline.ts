// File edits in the `ui_messages.json` of Cline, Roo Code and Kilo Code tasks (the format notes of
// src/importers/sources/cline.ts say where they live).
//
// What is logged. An edit shows as a `tool` message whose `text` is the JSON of a ClineSayTool
// (cline/cline apps/vscode/src/shared/ExtensionMessage.ts at 791d2389966d927396830470c51d456d04687b69;
// RooCodeInc/Roo-Code packages/types/src/vscode-extension-host.ts at cb836567180a3ff1da6d082f3178b90c3bd22a70):
// `{tool: "editedExistingFile" | "newFileCreated" | "appliedDiff" | …, path, diff?, content?}`, `path` as
// `getReadablePath(cwd, path)` gives it: relative to the workspace folder, absolute outside it.
// - Cline (tools/handlers/WriteToFileToolHandler.ts, ApplyPatchHandler.ts): `content` holds the
//   replace_in_file SEARCH/REPLACE blocks, or write_to_file's whole new content, or apply_patch's whole
//   patch (one message per file it changes). An auto-approved edit is `say: "tool"`; one the user must
//   approve is `ask: "tool"`, whose answer the file does not record: a denial shows in the next
//   `api_req_started` request as the tool result `The user denied this operation.`
//   (core/prompts/responses.ts toolDenied). After a denial Cline skips the turn's other tools, so the
//   denied ask is the last edit before that request.
// - Roo Code and Kilo Code (src/core/tools/WriteToFileTool.ts, ApplyDiffTool.ts, EditTool.ts, …): always
//   `ask: "tool"`, approved by the user or automatically; recent versions log a unified diff of the
//   change in `content` (and apply_diff's SEARCH/REPLACE blocks in `diff`), older ones the new content
//   or a unified diff in `diff`. Since Roo-Code d7359ff228 (2026-02-18) an approved tool ask is marked
//   `isAnswered: true` (core/task/Task.ts handleWebviewAskResponse): in a file with such marks, an
//   unmarked ask was not approved. Roo stopped logging request text on 2025-10-17 (#8696); between
//   that and the marks, a denial cannot be seen and the edit counts as applied.
// - A `partial` message is still streaming; an ask with nothing after it awaits its answer: neither
//   counts yet (the file is parsed again when it changes).
//
// The lines, in order of preference: a unified diff in `content` or `diff` (exact); SEARCH/REPLACE
// blocks (replacementLines per block); an apply_patch patch (this file's section, ../applyPatch.ts);
// else the whole `content` of a created file or a whole-file write. A whole-file write over an existing
// file counts every line of the new content as added and none removed (the old content is not logged):
// an upper bound. Rows whose lines cannot be read (deletions, previews without content) are not counted.
//
// The path. Cline's first request names the workspace folder (`# Current Working Directory (<path>)
// Files`, core/task/index.ts formatFileDetailsHeader), as did Roo's before #8696 (`# Current Workspace
// Directory (<path>) Files`): relative paths are resolved against it. Otherwise the path stays relative
// and the machinery cannot look for the lines later.
import { isAbsolute, join } from 'node:path';
import * as z from 'zod';
import { applyPatchLines, filesOfPatch } from '../applyPatch';
import { countDiffLines, nonBlankLines, type EditLines } from '../lines';
import type { ParsedEdit } from '../types';
import { searchReplaceLines } from './editText';

const EDIT_TOOLS: ReadonlySet<string> = new Set(['editedExistingFile', 'newFileCreated', 'appliedDiff', 'insertContent', 'searchAndReplace']);
const WHOLE_CONTENT_TOOLS: ReadonlySet<string> = new Set(['editedExistingFile', 'newFileCreated']);
// Also the start of `The user denied this operation and provided the following feedback: …`.
const DENIED = 'The user denied this operation';
// The folder stops at a `(` too: with only `)` and line ends stopping it, each heading repeated in a request without them
// scanned to the end of the text, a time that grows with the square of its length (40 s for 870 KB).
const WORKSPACE_FOLDER = /# Current (?:Working|Workspace) Directory \(([^()\n]+)\) Files/;
const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/m;
const PATCH_BEGIN = '*** Begin Patch';

const Message = z.object({
  ts: z.number().int().positive(),
  type: z.enum(['ask', 'say']),
  ask: z.string().optional().catch(undefined),
  say: z.string().optional().catch(undefined),
  text: z.string().optional().catch(undefined),
  partial: z.boolean().optional().catch(undefined),
  isAnswered: z.boolean().optional().catch(undefined),
  modelInfo: z.object({ modelId: z.string().min(1) }).optional().catch(undefined),
});
type Message = z.infer<typeof Message>;

const SayTool = z.object({
  tool: z.string(),
  path: z.string().min(1),
  diff: z.string().optional().catch(undefined),
  content: z.string().optional().catch(undefined),
});
type SayTool = z.infer<typeof SayTool>;

/** What the importer knows of the task. */
export interface ClineTaskContext {
  /** The task id, the session of its edits. */
  taskId: string;
  /** Model for messages that do not name one (Roo and Kilo log none). */
  defaultModel: string;
  /**
   * Whether the tool logs unified diffs (Roo Code, Kilo Code). Cline never does: its `content` is `diff || content`
   * (WriteToFileToolHandler.ts), so a file it wrote that shows a diff (a .patch, a changelog) is that file's text.
   */
  logsUnifiedDiffs: boolean;
  /** `ParsedUsage.key` of the usage record of the `api_req_started` message logged at `ts`. */
  responseKey(ts: number): string;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function requestText(message: Message): string {
  const request = (parseJson(message.text) as { request?: unknown } | undefined)?.request;
  return typeof request === 'string' ? request : '';
}

function isApiRequest(message: Message): boolean {
  return message.type === 'say' && message.say === 'api_req_started';
}

function workspaceFolder(messages: readonly Message[]): string | undefined {
  for (const message of messages) {
    if (!isApiRequest(message)) continue;
    const folder = WORKSPACE_FOLDER.exec(requestText(message))?.[1]?.trim();
    if (folder && isAbsolute(folder)) return folder;
  }
  return undefined;
}

function editLines(tool: SayTool, logsUnifiedDiffs: boolean): EditLines | undefined {
  for (const text of logsUnifiedDiffs ? [tool.content, tool.diff] : []) {
    if (text !== undefined && HUNK_HEADER.test(text)) return countDiffLines(text);
  }
  for (const text of [tool.diff, tool.content]) {
    const blocks = text === undefined ? undefined : searchReplaceLines(text);
    if (blocks) return blocks;
  }
  if (tool.content?.trimStart().startsWith(PATCH_BEGIN)) {
    const files = filesOfPatch(applyPatchLines(tool.content));
    return files.find((file) => file.path === tool.path) ?? (files.length === 1 ? files[0] : undefined);
  }
  if (tool.content !== undefined && WHOLE_CONTENT_TOOLS.has(tool.tool)) return { addedLines: nonBlankLines(tool.content), removedLines: 0 };
  return undefined;
}

function toolOf(message: Message): SayTool | undefined {
  if (message.partial === true) return undefined;
  const tool = SayTool.safeParse(parseJson(message.text));
  return tool.success && EDIT_TOOLS.has(tool.data.tool) ? tool.data : undefined;
}

/** A row that matters here: a request, or a tool row (with its edit, when it is one). */
interface Row {
  message: Message;
  tool?: SayTool;
}

/** Requests and tool rows; the rest (text, reasoning, commands…) is skipped before being validated. */
function rowsOf(entries: readonly unknown[]): Row[] {
  const rows: Row[] = [];
  for (const entry of entries) {
    const kind = entry as { say?: unknown; ask?: unknown } | null;
    if (kind?.say !== 'api_req_started' && kind?.say !== 'tool' && kind?.ask !== 'tool') continue;
    const message = Message.safeParse(entry);
    if (!message.success) continue;
    rows.push(isApiRequest(message.data) ? { message: message.data } : { message: message.data, tool: toolOf(message.data) });
  }
  return rows;
}

/** The file edits a task's messages record as applied. */
export function clineTaskEdits(entries: readonly unknown[], context: ClineTaskContext): ParsedEdit[] {
  const rows = rowsOf(entries);
  const folder = workspaceFolder(rows.map((row) => row.message));
  const marksAnswers = rows.some((row) => row.message.type === 'ask' && row.message.isAnswered === true);
  const unanswered = marksAnswers ? [] : unansweredVerdicts(rows);
  const edits: ParsedEdit[] = [];
  let response: Message | undefined;
  for (let index = 0; index < rows.length; index++) {
    const { message, tool } = rows[index];
    if (isApiRequest(message)) response = message;
    if (!tool || !applied(rows, index, marksAnswers, unanswered)) continue;
    const lines = editLines(tool, context.logsUnifiedDiffs);
    if (!lines || (lines.addedLines.length === 0 && lines.removedLines === 0)) continue;
    edits.push({
      key: `${context.taskId}:edit:${message.ts}`,
      t: message.ts,
      model: message.modelInfo?.modelId ?? response?.modelInfo?.modelId ?? context.defaultModel,
      ...(response === undefined ? {} : { responseKey: context.responseKey(response.ts) }),
      sessionKey: context.taskId,
      filePath: isAbsolute(tool.path) || !folder ? tool.path : join(folder, tool.path),
      addedLines: lines.addedLines,
      removedLines: lines.removedLines,
    });
  }
  return edits;
}

/** Whether the edit of the tool row at `index` was applied (see the header); `unanswered` is `unansweredVerdicts(rows)`. */
function applied(rows: readonly Row[], index: number, marksAnswers: boolean, unanswered: readonly boolean[]): boolean {
  const message = rows[index].message;
  if (message.type === 'say' || message.isAnswered === true) return true;
  return !marksAnswers && unanswered[index];
}

/**
 * Per row, whether an ask there that no answer marks was applied: the next request says so unless it denies it, or
 * another edit ask comes before that request; with no request after it, it was not. In one backward pass: a scan
 * forward from each ask took time growing with the square of a task's unanswered asks (9 s for 20,000).
 */
function unansweredVerdicts(rows: readonly Row[]): boolean[] {
  const verdicts = new Array<boolean>(rows.length).fill(false);
  let requestLater = false;
  for (let index = rows.length - 2; index >= 0; index--) {
    const next = rows[index + 1];
    if (isApiRequest(next.message)) {
      verdicts[index] = !requestText(next.message).includes(DENIED);
      requestLater = true;
    } else {
      verdicts[index] = next.tool ? requestLater : verdicts[index + 1];
    }
  }
  return verdicts;
}
