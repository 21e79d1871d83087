// File edits in Gemini CLI chat recordings (the format notes of src/importers/sources/gemini.ts say where
// they live). Verified against google-gemini/gemini-cli at 5411f113cafae26161b4969b0237b8e1e024e2c2:
// - A `type: "gemini"` message carries `toolCalls: ToolCallRecord[]` (packages/core/src/services/
//   chatRecordingTypes.ts): `{id, name, args, result, status, timestamp, resultDisplay, ...}`, recorded
//   once the calls completed (core/geminiChat.ts recordCompletedToolCalls), so `status` is final:
//   `success`, `error` or `cancelled` (scheduler/types.ts CoreToolCallStatus). Only `success` wrote.
// - The file tools are `replace` (EDIT_TOOL_NAME) and `write_file` (tools/definitions/base-declarations.ts).
//   On success their `resultDisplay` is a FileDiff (tools/tools.ts): `{fileDiff, fileName, filePath,
//   originalContent, newContent, diffStat, isNewFile}`, where `fileDiff` is jsdiff's createPatch of the
//   file before and after (tools/edit.ts, tools/write-file.ts) and `filePath` the absolute path written.
//   Gemini's own rewind reads these fields back (packages/cli/src/ui/utils/rewindFileOps.ts).
//   Exception: `replace` creating a file (empty `old_string`) shows the string `Created <path>`; the
//   content is then its `args.new_string` and the path `args.file_path`.
// - Recordings before 2026-01-07 (#15714, 57012ae5b3) kept a string `resultDisplay` only, so an edit's
//   FileDiff was dropped: the lines then come from the arguments, `replace`'s `old_string` and
//   `new_string` (replacementLines), and `write_file`'s `content` when it created the file (its
//   result says `Successfully created`); an overwrite of an existing file, whose old content is not
//   logged, is not counted.
// A path that is not absolute (arguments are resolved against a folder the recording does not name) is
// not counted either.
import { isAbsolute } from 'node:path';
import * as z from 'zod';
import { parseLoggedDateTime } from '../../calendar/dates';
import { countDiffLines, nonBlankLines, type EditLines } from '../lines';
import type { ParsedEdit } from '../types';
import { replacementLines } from './editText';

const EDIT_TOOL = 'replace';
const WRITE_TOOL = 'write_file';

const FileDiff = z.object({ fileDiff: z.string(), filePath: z.string() });

const ToolCall = z.object({
  id: z.string().min(1),
  name: z.string(),
  status: z.string(),
  timestamp: z.string().optional().catch(undefined),
  args: z.record(z.string(), z.unknown()).optional().catch(undefined),
  resultDisplay: z.unknown().optional(),
  result: z.unknown().optional(),
});
type ToolCall = z.infer<typeof ToolCall>;

const Message = z.object({
  id: z.string().min(1),
  timestamp: z.string().optional().catch(undefined),
  toolCalls: z.array(z.unknown()),
});

/** What the importer knows of the message the calls belong to. */
export interface GeminiMessageContext {
  /** `ParsedUsage.key` of this message's usage record. */
  responseKey: string;
  sessionKey: string;
  model: string;
  /** Epoch ms for calls without their own timestamp (the message's, else the session start). */
  fallbackTime: number | undefined;
}

function stringArg(call: ToolCall, name: string): string | undefined {
  const value = call.args?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The text of the call's function response, e.g. `Successfully created and wrote to new file: …`. */
function resultOutput(result: unknown): string {
  if (!Array.isArray(result)) return '';
  for (const part of result) {
    const output = (part as { functionResponse?: { response?: { output?: unknown } } } | null)?.functionResponse?.response?.output;
    if (typeof output === 'string') return output;
  }
  return '';
}

interface FoundEdit extends EditLines {
  filePath: string;
}

function editOf(call: ToolCall): FoundEdit | undefined {
  const display = FileDiff.safeParse(call.resultDisplay);
  if (display.success) return { filePath: display.data.filePath, ...countDiffLines(display.data.fileDiff) };
  const filePath = stringArg(call, 'file_path');
  if (!filePath) return undefined;
  if (call.name === EDIT_TOOL) {
    const oldString = stringArg(call, 'old_string');
    const newString = stringArg(call, 'new_string');
    if (oldString === undefined || newString === undefined) return undefined;
    return { filePath, ...replacementLines(oldString, newString) };
  }
  const content = stringArg(call, 'content');
  if (content === undefined || !resultOutput(call.result).startsWith('Successfully created')) return undefined;
  return { filePath, addedLines: nonBlankLines(content), removedLines: 0 };
}

/** The file edits of one recorded `gemini` message: one per successful `replace` or `write_file` call. */
export function geminiEdits(message: unknown, context: GeminiMessageContext): ParsedEdit[] {
  const parsed = Message.safeParse(message);
  if (!parsed.success) return [];
  const messageTime = parseLoggedDateTime(parsed.data.timestamp);
  const edits: ParsedEdit[] = [];
  for (const entry of parsed.data.toolCalls) {
    const call = ToolCall.safeParse(entry);
    if (!call.success || call.data.status !== 'success') continue;
    if (call.data.name !== EDIT_TOOL && call.data.name !== WRITE_TOOL) continue;
    const found = editOf(call.data);
    if (!found || !isAbsolute(found.filePath)) continue;
    if (found.addedLines.length === 0 && found.removedLines === 0) continue;
    const t = parseLoggedDateTime(call.data.timestamp) ?? messageTime ?? context.fallbackTime;
    if (t === undefined) continue;
    edits.push({
      // Message ids are UUIDs; call ids (`<tool>__<tool>_<ms>_<n>`) alone could repeat across sessions.
      key: `${parsed.data.id}/${call.data.id}`,
      t,
      model: context.model,
      responseKey: context.responseKey,
      sessionKey: context.sessionKey,
      filePath: found.filePath,
      addedLines: found.addedLines,
      removedLines: found.removedLines,
    });
  }
  return edits;
}
