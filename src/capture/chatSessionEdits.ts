// The file edits named in lines newly appended to a Copilot Chat session operation log (`chatSessions/*.jsonl`),
// for matching against changes the editor saw (./agentEditMatch.ts). Pure.
//
// Verified against microsoft/vscode: src/vs/workbench/contrib/chat/common/model/chatSessionOperationLog.ts
// (03d43368c3ce601d54d8eceb01b11cf9758b9e4a) and objectMutationLog.ts (047238f9fe1b7661362b3f27cfbddd503339cb1b).
// Each line is one entry: `{kind: 0, v: session}` (the whole session, also after a compaction),
// `{kind: 1, k: path, v}` (a value set), `{kind: 2, k: path, v?: items, i?}` (array items pushed, after
// truncating at `i`), `{kind: 3, k: path}`. A response's parts are compared as whole values (responsePartSchema),
// so a `textEditGroup` that gained edits is written again whole, in a `kind: 2` push to its response from its
// index on; a new request arrives whole in a push to `requests`. Either way every line that carries a group
// carries all of it: `{kind: "textEditGroup", uri: {scheme, authority?, path, ...}, edits: TextEdit[][], done?,
// isExternalEdit?}`, TextEdit `{text, range}` (src/vs/workbench/contrib/chat/common/model/chatModel.ts). So new
// lines alone say which edits were applied, without replaying the session: each group is found wherever it
// sits in a line's value. A group seen again (it is rewritten each time it grows) names its edits again;
// matching takes a change once, so that is harmless.
//
// Not read: groups marked `isExternalEdit` (another agent wrote the file on disk; the editor reloads it) and
// `notebookEditGroup` parts. A line longer than MAX_LINE_CHARS is skipped (a session compacted into one huge
// line; its recent groups were in earlier appended lines).
import * as z from 'zod';

const MAX_LINE_CHARS = 16 * 1024 * 1024;
/** Entry → v → requests → [i] → response → [j] is the deepest place a group sits (a `kind: 0` line). */
const MAX_DEPTH = 6;

const LoggedUri = z.object({
  scheme: z.string().max(64),
  authority: z.string().max(1024).optional().catch(undefined),
  path: z.string().max(32_768),
});

const TextEditGroup = z.object({
  kind: z.literal('textEditGroup'),
  uri: LoggedUri,
  edits: z.array(z.array(z.unknown())),
  isExternalEdit: z.boolean().optional().catch(undefined),
});

const LoggedTextEdit = z.object({ text: z.string() });

/** One file's edits as a response logged them: the file's URI parts and the new text of each edit. */
export interface LoggedEditGroup {
  uri: z.infer<typeof LoggedUri>;
  texts: string[];
}

function collectGroups(value: unknown, depth: number, into: LoggedEditGroup[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    if (depth < MAX_DEPTH) for (const item of value) collectGroups(item, depth + 1, into);
    return;
  }
  if ((value as { kind?: unknown }).kind === 'textEditGroup') {
    const group = TextEditGroup.safeParse(value);
    if (!group.success || group.data.isExternalEdit === true) return;
    const texts: string[] = [];
    for (const batch of group.data.edits) {
      for (const entry of batch) {
        const edit = LoggedTextEdit.safeParse(entry);
        if (edit.success && edit.data.text.length > 0) texts.push(edit.data.text);
      }
    }
    if (texts.length > 0) into.push({ uri: group.data.uri, texts });
    return;
  }
  if (depth >= MAX_DEPTH) return;
  for (const child of Object.values(value)) collectGroups(child, depth + 1, into);
}

/** The edit groups in complete lines of an operation log; a line that is not JSON is skipped. */
export function loggedEditGroups(lines: string): LoggedEditGroup[] {
  const groups: LoggedEditGroup[] = [];
  for (const line of lines.split('\n')) {
    if (line.length === 0 || line.length > MAX_LINE_CHARS) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof entry === 'object' && entry !== null && 'v' in entry) collectGroups(entry.v, 1, groups);
  }
  return groups;
}
