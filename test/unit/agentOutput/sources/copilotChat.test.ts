import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copilotChatSessionParser } from '../../../../src/importers/sources/copilotChat';
import { copilotChatEdits } from '../../../../src/agentOutput/sources/copilotChat';
import type { ParsedEdit } from '../../../../src/agentOutput/types';
import { byKey, collectingContext, LINE_SECRET, PATH_SECRET } from './collect';

// One session stored as VS Code stores it, twice: see test/fixtures/agent-output/copilot-chat/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../../test/fixtures/agent-output/copilot-chat');
const SESSION_DIR = 'workspaceStorage/5f6e7d8c9b0a/chatSessions';
const SESSION = '7c1d2e3f-edit-4bbb-8ccc-000000000005';
const ROOT = `/home/alice/${PATH_SECRET}/web`;

function parse(extension: '.json' | '.jsonl') {
  const relative = `${SESSION_DIR}/${SESSION}${extension}`;
  const text = fs.readFileSync(path.join(FIXTURES, relative), 'utf8');
  const { context, edits } = collectingContext();
  const usages = copilotChatSessionParser.parseFile(text, `/home/alice/.config/Code/User/${relative}`, context);
  return { usages, edits: byKey(edits) };
}

describe('Copilot Chat file edits', () => {
  const json = parse('.json');
  const editOf = (file: string): ParsedEdit | undefined => [...json.edits.values()].find((e) => e.filePath === `${ROOT}/${file}`);

  it('reports one edit per file a response edited, keyed by request and file', () => {
    assert.deepEqual([...json.edits.values()].map((e) => e.filePath.slice(ROOT.length + 1)).sort(), ['README.md', 'src/app.ts', 'src/server.ts', 'src/util.ts']);
    const app = editOf('src/app.ts');
    assert.ok(app?.key.startsWith('request_0a1b2c3d-0000-4000-8000-000000000001:'));
  });

  it('counts a replacement: every non-blank new line added, every line of the replaced range removed', () => {
    const app = editOf('src/app.ts');
    assert.ok(app);
    assert.deepEqual(app.addedLines, [
      'const port = Number(process.env.PORT ?? 8080);',
      `  // ${LINE_SECRET} listen on all interfaces`,
      "  server.listen(port, '0.0.0.0');",
      "  log('started');",
    ]);
    assert.equal(app.removedLines, 3, 'the range spans lines 10 to 12');
  });

  it('counts a file created line by line exactly', () => {
    const util = editOf('src/util.ts');
    assert.ok(util);
    assert.equal(util.addedLines.length, 4, 'the blank line is not counted');
    assert.equal(util.removedLines, 0, 'inserts replace nothing');
  });

  it('counts a whole-file rewrite as all its lines, an upper bound', () => {
    const server = editOf('src/server.ts');
    assert.ok(server);
    assert.equal(server.addedLines.length, 4);
    assert.equal(server.removedLines, 5, 'lines 1 to 5; the range ends at column 1 of line 6');
  });

  it('counts a cancelled response only for files the tool had finished', () => {
    assert.ok(editOf('README.md'));
    assert.equal(editOf('CHANGELOG.md'), undefined);
  });

  it('leaves out edits another agent made on disk and documents that are not files', () => {
    assert.equal(editOf('src/external.ts'), undefined);
    assert.ok([...json.edits.values()].every((e) => path.isAbsolute(e.filePath)));
  });

  it('dates edits when the response completed and links them to the request usage and model', () => {
    const app = editOf('src/app.ts');
    assert.ok(app);
    assert.equal(app.t, Date.parse('2026-06-03T10:00:00.000Z') + 42000);
    const usage = json.usages.find((u) => u.key === app.responseKey);
    assert.ok(usage);
    assert.equal(app.model, usage.model);
    assert.equal(app.sessionKey, usage.sessionKey);
    assert.equal(editOf('src/server.ts')?.model, 'gpt-5');
  });

  it('gives the operation log the same edits as the JSON copy of the session', () => {
    const log = parse('.jsonl');
    assert.deepEqual([...log.edits.keys()].sort(), [...json.edits.keys()].sort());
    for (const [key, edit] of log.edits) assert.deepEqual(edit, json.edits.get(key));
  });

  it('counts a file the response edited again after its first group was done as one edit of both groups', () => {
    // ResponseModel._mergeOrPushTextEditGroup starts a new group for a file once its group is done: two
    // replace_string_in_file calls on one file in one request leave two groups.
    const uri = { $mid: 1, scheme: 'file', path: `${ROOT}/src/app.ts`, fsPath: `${ROOT}/src/app.ts` };
    const lineEdit = (text: string, line: number) => ({ text, range: { startLineNumber: line, startColumn: 1, endLineNumber: line + 1, endColumn: 1 } });
    const request = {
      requestId: 'request_twice',
      modelState: { value: 1 },
      response: [
        { kind: 'textEditGroup', uri, edits: [[lineEdit('const a = 1;\n', 3)], []], done: true },
        { kind: 'toolInvocationSerialized' },
        { kind: 'textEditGroup', uri, edits: [[lineEdit('const b = 2;\nconst c = 3;\n', 10)], []], done: true },
      ],
    };
    const edits = copilotChatEdits(request, { responseKey: 'request_twice', sessionKey: 's', model: 'gpt-4.1', requestTime: Date.UTC(2026, 2, 1), pathDigest: () => 'digest' });
    assert.deepEqual(
      edits.map((edit) => [edit.key, edit.addedLines, edit.removedLines]),
      [['request_twice:digest', ['const a = 1;', 'const b = 2;', 'const c = 3;'], 2]],
    );
  });

  it('keeps paths and written lines out of usage records', () => {
    const stored = JSON.stringify(json.usages);
    assert.ok(!stored.includes(PATH_SECRET));
    assert.ok(!stored.includes(LINE_SECRET));
    assert.ok([...json.edits.values()].every((e) => !e.key.includes(PATH_SECRET)), 'keys hold a digest of the path');
  });
});
