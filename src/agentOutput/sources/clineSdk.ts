// File edits in Cline SDK sessions (`~/.cline/data/sessions/<id>/<id>.messages.json`, Cline from 2026-06; the
// usage notes are in src/importers/sources/cline.ts). Verified against cline/cline at
// 21cb8d2525bcedf1f4b6890b27a74a14fe7451e4, sdk/packages:
// - Messages (shared/src/llms/messages.ts MessageWithMetadata) hold Anthropic-style blocks: the assistant's
//   `{type: "tool_use", id, name, input}`, answered in a later user message by `{type: "tool_result",
//   tool_use_id, name, content, is_error?}`.
// - The file tools (core/src/extensions/tools/constants.ts, definitions.ts, schemas.ts, executors/):
//   `editor` with `input {path, old_text?, new_text, insert_line?}`: with `insert_line` it inserts
//   `new_text`; without `old_text` it creates the file with `new_text`; else it replaces `old_text` once;
//   `apply_patch` with `input {input: <apply_patch patch>}`. A tool's result `content` is the JSON of
//   ToolOperationResult `{query, result, success, error?}`: `success: false` wrote nothing. The editor's
//   `result` names the absolute path it wrote (`Edited <path>`, `File created successfully at: <path>`,
//   `Inserted content at line <n> in <path>.`, executors/editor.ts), which resolves a relative `path`;
//   apply_patch's names paths as the patch does (relative to a folder this file does not name).
// - A call without a result yet is still running, or was cut off: it is not counted.
import { isAbsolute } from 'node:path';
import * as z from 'zod';
import { applyPatchLines } from '../applyPatch';
import { nonBlankLines, type EditLines } from '../lines';
import type { ParsedEdit } from '../types';
import { replacementLines } from './editText';

const ToolUse = z.object({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string(), input: z.record(z.string(), z.unknown()) });
const ToolResult = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.unknown().optional(),
  is_error: z.boolean().optional().catch(undefined),
});
const Message = z.object({
  role: z.string(),
  ts: z.number().int().positive().optional().catch(undefined),
  content: z.array(z.unknown()),
  modelInfo: z.object({ id: z.string().min(1) }).optional().catch(undefined),
});
const OperationResult = z.object({ success: z.boolean(), result: z.string().optional().catch(undefined) });
const EditorInput = z.object({
  path: z.string().min(1),
  old_text: z.string().nullable().optional().catch(undefined),
  new_text: z.string(),
  insert_line: z.unknown().optional(),
});
const PatchInput = z.object({ input: z.string() });

/** What the importer knows of the session. */
export interface ClineSdkContext {
  sessionKey: string;
  defaultModel: string;
  /** `ParsedUsage.key` of the usage record of this assistant message (from its id, else its time). */
  responseKey(message: { id?: unknown; ts?: unknown }): string;
}

interface Outcome {
  success: boolean;
  /** The tool's result text. */
  result: string;
  /** When the result was logged. */
  ts: number | undefined;
}

/** Each tool call's outcome, by call id. */
function outcomes(messages: readonly unknown[]): Map<string, Outcome> {
  const found = new Map<string, Outcome>();
  for (const entry of messages) {
    const message = Message.safeParse(entry);
    if (!message.success) continue;
    for (const block of message.data.content) {
      const result = ToolResult.safeParse(block);
      if (!result.success) continue;
      let operation: z.infer<typeof OperationResult> | undefined;
      try {
        const parsed = OperationResult.safeParse(typeof result.data.content === 'string' ? JSON.parse(result.data.content) : undefined);
        operation = parsed.success ? parsed.data : undefined;
      } catch {
        operation = undefined;
      }
      found.set(result.data.tool_use_id, {
        success: result.data.is_error !== true && operation?.success !== false,
        result: operation?.result ?? '',
        ts: message.data.ts,
      });
    }
  }
  return found;
}

/** The absolute path an editor result names, e.g. `Edited /a/b.ts\n…`. */
const WRITTEN_PATH = /^(?:Edited |File created successfully at: |Inserted content at line \d+ in )(.+?)\.?$/;

interface FileLines extends EditLines {
  filePath: string;
}

function editorFile(input: Record<string, unknown>, result: string): FileLines | undefined {
  const editor = EditorInput.safeParse(input);
  if (!editor.success) return undefined;
  const { path, old_text: oldText, new_text: newText, insert_line: insertLine } = editor.data;
  const lines = insertLine != null || oldText == null ? { addedLines: nonBlankLines(newText), removedLines: 0 } : replacementLines(oldText, newText);
  const written = WRITTEN_PATH.exec(result.split('\n')[0])?.[1];
  return { filePath: isAbsolute(path) || !written ? path : written, ...lines };
}

/** The file edits the session's successful editor and apply_patch calls made. */
export function clineSdkEdits(messages: readonly unknown[], context: ClineSdkContext): ParsedEdit[] {
  const results = outcomes(messages);
  const edits: ParsedEdit[] = [];
  for (const entry of messages) {
    const message = Message.safeParse(entry);
    if (!message.success || message.data.role !== 'assistant') continue;
    for (const block of message.data.content) {
      const call = ToolUse.safeParse(block);
      if (!call.success) continue;
      const outcome = results.get(call.data.id);
      if (!outcome?.success) continue;
      let files: FileLines[] = [];
      if (call.data.name === 'editor') {
        const file = editorFile(call.data.input, outcome.result);
        files = file ? [file] : [];
      } else if (call.data.name === 'apply_patch') {
        const patch = PatchInput.safeParse(call.data.input);
        files = patch.success ? applyPatchLines(patch.data.input).map((file) => ({ ...file, filePath: file.path })) : [];
      }
      const t = outcome.ts ?? message.data.ts;
      if (t === undefined) continue;
      files.forEach((file, index) => {
        if (file.addedLines.length === 0 && file.removedLines === 0) return;
        edits.push({
          key: files.length === 1 ? call.data.id : `${call.data.id}#${index}`,
          t,
          model: message.data.modelInfo?.id ?? context.defaultModel,
          responseKey: context.responseKey(entry as { id?: unknown; ts?: unknown }),
          sessionKey: context.sessionKey,
          filePath: file.filePath,
          addedLines: file.addedLines,
          removedLines: file.removedLines,
        });
      });
    }
  }
  return edits;
}
