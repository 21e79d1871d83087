// Agent edit lines shaped as Claude Code and Codex CLI write them (format notes and sources at the top of
// src/importers/sources/claudeCode.ts and codex.ts): a tool call, then its result.
export interface ClaudeSession {
  sessionId: string;
  cwd: string;
  model?: string;
}

export interface StructuredHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** The assistant line that calls a tool (one content block per line, with the response's usage). */
export function claudeToolUse(
  session: ClaudeSession,
  o: { timestamp: string; messageId: string; requestId: string; toolUseId: string; tool: string; input: Record<string, unknown>; output?: number },
): string {
  return JSON.stringify({
    parentUuid: 'a1a1a1a1-0000-4000-8000-000000000001',
    isSidechain: false,
    userType: 'external',
    cwd: session.cwd,
    sessionId: session.sessionId,
    version: '2.1.241',
    gitBranch: 'main',
    message: {
      model: session.model ?? 'claude-sonnet-4-20250514',
      id: o.messageId,
      type: 'message',
      role: 'assistant',
      content: [{ type: 'tool_use', id: o.toolUseId, name: o.tool, input: o.input }],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 4, cache_creation_input_tokens: 1200, cache_read_input_tokens: 30000, output_tokens: o.output ?? 250, service_tier: 'standard' },
    },
    requestId: o.requestId,
    type: 'assistant',
    uuid: `${o.toolUseId}-assistant`,
    timestamp: o.timestamp,
  });
}

function claudeResultLine(session: ClaudeSession, timestamp: string, toolUseId: string, content: string, toolUseResult: unknown, isError: boolean): string {
  return JSON.stringify({
    parentUuid: `${toolUseId}-assistant`,
    isSidechain: false,
    userType: 'external',
    cwd: session.cwd,
    sessionId: session.sessionId,
    version: '2.1.241',
    gitBranch: 'main',
    type: 'user',
    message: { role: 'user', content: [{ tool_use_id: toolUseId, type: 'tool_result', content, ...(isError ? { is_error: true } : {}) }] },
    uuid: `${toolUseId}-result`,
    timestamp,
    toolUseResult,
    sourceToolAssistantUUID: `${toolUseId}-assistant`,
  });
}

/** Edit's result: FileEditOutput (`replaceAll` with one hunk per replaced place). */
export function claudeEditResult(
  session: ClaudeSession,
  o: { timestamp: string; toolUseId: string; filePath: string; oldString: string; newString: string; originalFile: string; hunks: StructuredHunk[]; replaceAll?: boolean },
): string {
  return claudeResultLine(session, o.timestamp, o.toolUseId, `The file ${o.filePath} has been updated successfully.`, {
    filePath: o.filePath,
    oldString: o.oldString,
    newString: o.newString,
    originalFile: o.originalFile,
    structuredPatch: o.hunks,
    userModified: false,
    replaceAll: o.replaceAll ?? false,
  }, false);
}

/** Write's result: FileWriteOutput; a create has an empty patch and no original file. */
export function claudeWriteResult(
  session: ClaudeSession,
  o: { timestamp: string; toolUseId: string; filePath: string; content: string; originalFile?: string; hunks?: StructuredHunk[] },
): string {
  const create = o.originalFile === undefined;
  return claudeResultLine(
    session,
    o.timestamp,
    o.toolUseId,
    create ? `File created successfully at: ${o.filePath}` : `The file ${o.filePath} has been updated.`,
    { type: create ? 'create' : 'update', filePath: o.filePath, content: o.content, structuredPatch: o.hunks ?? [], originalFile: o.originalFile ?? null },
    false,
  );
}

/** MultiEdit's result (older Claude Code): `edits` and one patch for all of them. */
export function claudeMultiEditResult(
  session: ClaudeSession,
  o: { timestamp: string; toolUseId: string; filePath: string; originalFile: string; hunks: StructuredHunk[] },
): string {
  return claudeResultLine(session, o.timestamp, o.toolUseId, `Applied edits to ${o.filePath}`, {
    filePath: o.filePath,
    edits: [{ old_string: 'a', new_string: 'b', replace_all: false }],
    originalFileContents: o.originalFile,
    structuredPatch: o.hunks,
    userModified: false,
  }, false);
}

/** A failed call: the result is the error text, and the tool_result block says `is_error`. */
export function claudeFailedEdit(session: ClaudeSession, o: { timestamp: string; toolUseId: string }): string {
  return claudeResultLine(
    session,
    o.timestamp,
    o.toolUseId,
    '<tool_use_error>String to replace not found in file.\nString: nothing like this</tool_use_error>',
    'Error: String to replace not found in file.\nString: nothing like this',
    true,
  );
}

export function codexResponseItem(timestamp: string, payload: Record<string, unknown>): string {
  return JSON.stringify({ timestamp, type: 'response_item', payload });
}

/** An apply_patch call as a freeform custom tool (codex ≥ 0.5x) and its output. */
export function codexPatchCall(timestamp: string, callId: string, patch: string): string {
  return codexResponseItem(timestamp, { type: 'custom_tool_call', status: 'completed', call_id: callId, name: 'apply_patch', input: patch });
}

export function codexPatchOutput(timestamp: string, callId: string, files: string[], success = true): string {
  const output = success
    ? `Exit code: 0\nWall time: 0 seconds\nOutput:\nSuccess. Updated the following files:\n${files.map((file) => `M ${file}`).join('\n')}\n`
    : 'apply_patch verification failed: Failed to find expected lines in file';
  return codexResponseItem(timestamp, { type: 'custom_tool_call_output', call_id: callId, output });
}
