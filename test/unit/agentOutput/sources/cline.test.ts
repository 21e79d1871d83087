import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clineSdkSessionParser, clineTaskParser, kiloCodeTaskParser, rooCodeTaskParser } from '../../../../src/importers/sources/cline';
import type { WholeFileParser } from '../../../../src/importers/types';
import type { ParsedEdit } from '../../../../src/agentOutput/types';
import { clineTaskEdits } from '../../../../src/agentOutput/sources/cline';
import { byKey, collectingContext, LINE_SECRET, PATH_SECRET } from './collect';

// Task files shaped as Cline and Roo Code write them: see test/fixtures/agent-output/cline/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../../test/fixtures/agent-output/cline');
const STORAGE = `/home/alice/.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks`;

function parse(parser: WholeFileParser, task: string, file = 'ui_messages.json', edit: (text: string) => string = (text) => text) {
  const text = edit(fs.readFileSync(path.join(FIXTURES, task, file), 'utf8'));
  const { context, edits } = collectingContext();
  const usages = parser.parseFile(text, `${STORAGE}/${task}/${file}`, context);
  const keyed = byKey(edits);
  return { usages, edits: keyed, of: (file: string): ParsedEdit[] => [...keyed.values()].filter((e) => e.filePath === file) };
}

describe('Cline, Roo Code and Kilo Code file edits', () => {
  describe('Cline', () => {
    const CWD = `/home/alice/${PATH_SECRET}/billing-app`;
    const run = parse(clineTaskParser, 'cline-task');

    it('counts auto-approved edits and approved asks, not denied, unanswered or still streaming ones', () => {
      assert.deepEqual(
        [...run.edits.values()].map((e) => e.filePath.replace(`/home/alice/${PATH_SECRET}/`, '')).sort(),
        ['billing-app/src/a.ts', 'billing-app/src/b.ts', 'billing-app/src/billing.ts', 'billing-app/src/tax.ts', 'shared/config.ts'],
      );
      assert.equal(run.of(`${CWD}/src/billing.ts`).length, 1, 'the denied second edit of billing.ts is not counted');
    });

    it('counts SEARCH/REPLACE blocks as the lines they change, context lines cancelling', () => {
      const [billing] = run.of(`${CWD}/src/billing.ts`);
      assert.deepEqual(billing.addedLines, [
        '  const sum = items.reduce((a, b) => a + b, 0);',
        `  return sum * (1 + TAX_RATE); // ${LINE_SECRET}`,
        "import { TAX_RATE } from './tax';",
      ]);
      assert.equal(billing.removedLines, 1);
    });

    it("counts a created file's content", () => {
      const [tax] = run.of(`${CWD}/src/tax.ts`);
      assert.deepEqual(tax.addedLines, [`// ${LINE_SECRET}`, 'export const TAX_RATE = 0.2;', 'export const TAX_NAME = "VAT";']);
      assert.equal(tax.removedLines, 0);
    });

    it("takes each file's own section of an apply_patch patch, and skips the deletion", () => {
      const [a] = run.of(`${CWD}/src/a.ts`);
      assert.deepEqual([a.addedLines, a.removedLines], [['  return 2;', `  // ${LINE_SECRET}`], 1]);
      const [b] = run.of(`${CWD}/src/b.ts`);
      assert.deepEqual([b.addedLines, b.removedLines], [['export const b = 1;', 'export const c = 2;'], 0]);
    });

    it('resolves paths against the workspace folder the first request names, and keeps absolute ones', () => {
      assert.ok([...run.edits.values()].every((e) => path.isAbsolute(e.filePath)));
      assert.equal(run.of(`/home/alice/${PATH_SECRET}/shared/config.ts`)[0]?.removedLines, 1);
    });

    it('finds the workspace folder after a request that repeats its heading 30,000 times without a folder', () => {
      const heading = '# Current Working Directory (';
      const hostile = parse(clineTaskParser, 'cline-task', undefined, (text) => text.replace(heading, heading.repeat(30_001)));
      assert.deepEqual([...hostile.edits.values()], [...run.edits.values()]);
    });

    it('dates an edit by its row and links it to the request that produced it', () => {
      const [tax] = run.of(`${CWD}/src/tax.ts`);
      const usage = run.usages.find((u) => u.key === tax.responseKey);
      assert.ok(usage, 'the usage record of the api_req_started before the row');
      assert.ok(tax.t > usage.t);
      assert.equal(tax.model, 'claude-sonnet-4-5-20250929');
      assert.equal(tax.sessionKey, 'cline-task');
    });

    it('counts every line of a file it created that shows a diff, where Roo Code logs a created file as a diff', () => {
      const shown = ['# Upgrade notes', '```diff', '@@ -1,2 +1,2 @@', '-import a from "a";', '+import b from "b";', ' export {};', '```', 'Then run the tests.'];
      const asRooLogsIt = ['@@ -0,0 +1,8 @@', ...shown.map((line) => `+${line}`)];
      const created = (content: string[], logsUnifiedDiffs: boolean) =>
        clineTaskEdits(
          [
            { ts: 1772359200000, type: 'say', say: 'api_req_started', text: JSON.stringify({ request: '# Current Working Directory (/home/dev/proj) Files' }) },
            { ts: 1772359201000, type: 'say', say: 'tool', text: JSON.stringify({ tool: 'newFileCreated', path: 'docs/UPGRADE.md', content: content.join('\n') }) },
          ],
          { taskId: 't1', defaultModel: 'm', responseKey: (ts) => `r${ts}`, logsUnifiedDiffs },
        ).map((edit) => [edit.addedLines, edit.removedLines]);
      assert.deepEqual(created(shown, false), [[shown, 0]]);
      assert.deepEqual(created(asRooLogsIt, true), [[shown, 0]]);
    });

    it('keeps paths and written lines out of usage records', () => {
      const stored = JSON.stringify(run.usages);
      assert.ok(!stored.includes(PATH_SECRET) && !stored.includes(LINE_SECRET));
      assert.ok([...run.edits.keys()].every((key) => !key.includes(PATH_SECRET)));
    });
  });

  describe('Roo Code with answered asks (2026-02 on)', () => {
    const run = parse(rooCodeTaskParser, 'roo-task');

    it('counts asks marked answered from their unified diff, and not an unmarked ask', () => {
      const [app] = run.of('src/app.ts');
      assert.deepEqual(app.addedLines, [`app.get('/health', (req, res) => res.send('ok')); // ${LINE_SECRET}`, 'app.listen(Number(process.env.PORT ?? 3000));']);
      assert.equal(app.removedLines, 1);
      assert.equal(run.of('src/app.ts').length, 1, 'the unanswered rewrite of app.ts is not counted');
      const [routes] = run.of('src/routes.ts');
      assert.deepEqual([routes.addedLines.length, routes.removedLines], [2, 0]);
    });

    it('leaves a path relative when the task names no folder, and names no model', () => {
      assert.ok([...run.edits.values()].every((e) => !path.isAbsolute(e.filePath)));
      assert.ok([...run.edits.values()].every((e) => e.model === 'unknown'));
    });

    it('reads Kilo Code task files the same way', () => {
      const kilo = parse(kiloCodeTaskParser, 'roo-task');
      assert.deepEqual([...kilo.edits.values()], [...run.edits.values()]);
    });
  });

  describe('Roo Code before answered asks (request text logged)', () => {
    const run = parse(rooCodeTaskParser, 'roo-legacy-task');
    const UTIL = `/home/alice/${PATH_SECRET}/legacy-roo/lib/util.py`;

    it('counts an ask the next request does not deny, resolved against the workspace folder', () => {
      const edits = run.of(UTIL);
      assert.equal(edits.length, 1, 'the denied write_to_file is not counted');
      assert.deepEqual(edits[0].addedLines, ['def mul(a, b):', `    return a * b  # ${LINE_SECRET}`]);
      assert.equal(edits[0].removedLines, 0, "apply_diff's :start_line: hint and separator are not lines");
    });

    it('reads a task that ends with 50,000 edit asks no request answers, none of them applied', () => {
      const asks = Array.from({ length: 50_000 }, (_, i) => ({
        ts: 1749718810000 + i,
        type: 'ask',
        ask: 'tool',
        text: JSON.stringify({ tool: 'editedExistingFile', path: `lib/generated_${i}.py`, diff: '@@ -1,1 +1,1 @@\n-old\n+new' }),
      }));
      const hostile = parse(rooCodeTaskParser, 'roo-legacy-task', undefined, (text) => JSON.stringify([...(JSON.parse(text) as unknown[]), ...asks]));
      assert.deepEqual([...hostile.edits.values()], [...run.edits.values()]);
    });

    it('counts the edit of an apply_diff whose SEARCH section opens with a line hint of 200,000 spaces and no number', () => {
      const hostile = parse(rooCodeTaskParser, 'roo-legacy-task', undefined, (text) => text.replace(':start_line:5', `:start_line:${' '.repeat(200_000)}five`));
      const edits = hostile.of(UTIL);
      assert.equal(edits.length, 1);
      assert.deepEqual(edits[0].addedLines, run.of(UTIL)[0].addedLines);
    });
  });

  describe('Cline SDK sessions (2026-06 on)', () => {
    const SESSION = '1785000000000_ab12c';
    const ROOT = `/home/alice/${PATH_SECRET}/sdk-app`;
    const run = parse(clineSdkSessionParser, `sdk-session/${SESSION}`, `${SESSION}.messages.json`);
    const call = (id: string) => run.edits.get(id);

    it('counts successful editor and apply_patch calls, not failed or unanswered ones', () => {
      assert.deepEqual([...run.edits.keys()].sort(), ['toolu_create1', 'toolu_edit1', 'toolu_insert1', 'toolu_patch1#0', 'toolu_patch1#1']);
    });

    it('counts a replacement, a created file and an insertion', () => {
      assert.deepEqual([call('toolu_edit1')?.addedLines, call('toolu_edit1')?.removedLines], [[`  log('starting'); // ${LINE_SECRET}`], 0]);
      assert.deepEqual([call('toolu_create1')?.addedLines.length, call('toolu_create1')?.removedLines], [3, 0]);
      // With insert_line the editor inserts new_text and ignores old_text.
      assert.deepEqual([call('toolu_insert1')?.addedLines, call('toolu_insert1')?.removedLines], [["import { log } from './log';"], 0]);
    });

    it("resolves an editor's relative path from the path its result names; apply_patch paths stay as the patch gives them", () => {
      assert.equal(call('toolu_insert1')?.filePath, `${ROOT}/src/index.ts`);
      assert.deepEqual([call('toolu_patch1#0')?.filePath, call('toolu_patch1#0')?.removedLines], ['src/util.ts', 1]);
    });

    it('links an edit to the usage record of the message that called the tool, dated by its result', () => {
      const edit = call('toolu_edit1');
      const usage = run.usages.find((u) => u.key === edit?.responseKey);
      assert.ok(edit && usage);
      assert.equal(usage.key, 'msg_a1');
      assert.equal(edit.model, usage.model);
      assert.ok(edit.t > usage.t);
    });
  });
});
