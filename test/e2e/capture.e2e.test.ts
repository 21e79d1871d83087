// End to end: a person types, accepts ghost text (Tab and Ctrl+Right), pastes, undoes and edits
// in a real VS Code (code-server 4.100.3) with Assay installed as a user would have it; then the
// `assay` CLI must report exactly what happened, and nothing private may reach Assay's storage.
//
// The session (the ghost-assistant fixture suggests SUGGESTION after `hello `):
//   file starts as "const TOPSECRET_code_77 = 1;\n", cursor on the empty line 2.
//   A  type `hello ` (typed 6), Tab: full accept of 30 chars, 2 lines.
//      ~3.5 s after A (between A's 2 s and 5 s checkpoints) select `gamma` and delete it (a deletion).
//   B  Enter at the end of A (typed 1, inserted exactly at A's end: does not touch A), type `hello `
//      (typed 6), Ctrl+Right: word accept of `alpha`, 5 chars, 1 line. Escape hides the rest.
//   C  Enter (typed 1, at B's end: does not touch B), `hello ` (typed 6), Tab: full accept of 30 chars,
//      2 lines, then Ctrl+Z undoes it within a fraction of a second (an undo, C's characters are gone).
//   D  Escape, Enter (typed 1), Ctrl+V of PASTE_TEXT (a paste: neither typed nor AI).
//   E  type `xyz(`: 3 typed + `()` from auto-closing, which docs/metrics.md counts as 2 typed.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { InlineRow, ReportRow } from '../../src/report/rows';
import { launchBrowser, RunningBrowser } from '../harness/browser';
import { loadCodeServerInstall } from '../harness/codeServerInstall';
import { globalStorageDir, RunningCodeServer, startCodeServer, workbenchUrl } from '../harness/codeServer';
import { GHOST_ASSISTANT_DIR, REPO_ROOT, stageAssayExtension } from '../harness/extensions';
import { ARTIFACTS_DIR, filesUnder, sleep, waitForAssayActivated } from './workbench';

const SUGGESTION = 'alpha beta gamma\ndelta epsilon'; // what the fixture suggests: 30 chars, 2 lines
const PASTE_TEXT = 'PASTED_qv19\nok'; // 14 chars, 2 lines
const INITIAL_TEXT = 'const TOPSECRET_code_77 = 1;\n';
const CHECKPOINTS = [2, 5];
/** Strings from names, paths and document text: none may appear in anything Assay stores. */
const PRIVATE_STRINGS = ['secret-folder-zq81', 'private-name-xk42', 'TOPSECRET_code_77', 'PASTED_qv19', 'delta epsilon'];

// Expected figures (docs/metrics.md), from the session above:
const FULL = SUGGESTION.length; // 30
const WORD = 'alpha'.length; // 5
const EXPECTED = {
  acceptances: { full: 2, word: 1, line: 0 }, // A and C by Tab (C counts although undone), B by Ctrl+Right
  acceptedChars: FULL + WORD + FULL, // A + B + C, net inserted characters
  acceptedLines: 2 + 1 + 2, // non-blank lines: A 2, B 1 (`alpha`), C 2
  aiChars: FULL + WORD + FULL, // AI characters are the acceptances' net characters
  typedChars: 6 + (1 + 6) + (1 + 6) + 1 + (3 + 2), // A, B, C, D's Enter, E's `xyz` + `()`
  retention: {
    // At 2 s nothing has touched A or B yet; C was undone (0 retained, touched).
    '2': { known: 3, chars: FULL + WORD + FULL, arc: FULL + WORD + 0, unchanged: 2, mostlyRetained: 2 },
    // At 5 s A has lost `gamma` (25 of 30 = 0.83 >= 0.67: mostly retained, not unchanged).
    '5': { known: 3, chars: FULL + WORD + FULL, arc: FULL - 'gamma'.length + WORD + 0, unchanged: 1, mostlyRetained: 2 },
  },
};
const EXPECTED_DOCUMENT = [
  'const TOPSECRET_code_77 = 1;',
  'hello alpha beta ', // A without `gamma`
  'delta epsilon',
  'hello alpha', // B
  'hello ', // C undone
  'PASTED_qv19',
  'okxyz()',
].join('\n');

/** Activity counters are written this long after a bucket's first activity (60 s by default). */
const ACTIVITY_FLUSH_SECONDS = 2;

async function typeSlowly(page: Page, text: string): Promise<void> {
  // 60 ms apart, like quick typing: each key is its own edit, as a person's would be.
  await page.keyboard.type(text, { delay: 60 });
}

async function waitForGhostText(page: Page, what: string): Promise<void> {
  await page.waitForSelector('.ghost-text-decoration', { state: 'visible', timeout: 15_000 }).catch((error: unknown) => {
    throw new Error(`no ghost text appeared ${what}: ${String(error)}`);
  });
}

async function waitForNoGhostText(page: Page, what: string): Promise<void> {
  await page.waitForSelector('.ghost-text-decoration', { state: 'detached', timeout: 5_000 }).catch(() => {
    throw new Error(`ghost text still visible ${what}`);
  });
}

function runReport(storageDir: string): ReportRow[] {
  const stdout = execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'report', 'daily', '--json', '--storage', storageDir], {
    encoding: 'utf8',
  });
  const parsed = JSON.parse(stdout) as ReportRow[] | { rows: ReportRow[] };
  return Array.isArray(parsed) ? parsed : parsed.rows;
}

function inlineRows(rows: ReportRow[]): InlineRow[] {
  return rows.filter((row): row is InlineRow => row.kind === 'inline');
}

describe('capture in a real editor (code-server 4.100.3)', function () {
  let rootDir: string;
  let server: RunningCodeServer | undefined;
  let browser: RunningBrowser | undefined;
  let storageDir: string;
  let documentFile: string;
  let rows: InlineRow[] = [];

  /** The person's session; sets the timing facts the retention expectations rely on. */
  async function editingSession(page: Page): Promise<void> {
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 60_000 });
    // Typing before Assay's capture glue exists goes unrecorded.
    await waitForAssayActivated(page, server?.userDataDir ?? '');
    await page.click('.monaco-editor .view-lines');
    await page.keyboard.press('Control+End');

    // A: full accept, then `gamma` deleted between the 2 s and 5 s checkpoints.
    await typeSlowly(page, 'hello ');
    await waitForGhostText(page, 'after typing `hello ` (A)');
    await page.keyboard.press('Tab');
    const acceptedA = Date.now();
    await waitForNoGhostText(page, 'after Tab (A)');
    await sleep(acceptedA + 3_500 - Date.now());
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    await page.keyboard.press('Control+Shift+ArrowLeft');
    await page.keyboard.press('Delete');
    const editedA = Date.now() - acceptedA;
    assert.ok(editedA > 2_300 && editedA < 4_600, `the edit of A must fall between its checkpoints, came after ${editedA} ms`);

    // B: one word accepted with Ctrl+Right.
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await typeSlowly(page, 'hello ');
    await waitForGhostText(page, 'after typing `hello ` (B)');
    await page.keyboard.press('Control+ArrowRight');
    await sleep(300);
    await page.keyboard.press('Escape');
    await waitForNoGhostText(page, 'after Escape (B)');

    // C: full accept, undone at once.
    await page.keyboard.press('Enter');
    await typeSlowly(page, 'hello ');
    await waitForGhostText(page, 'after typing `hello ` (C)');
    await page.keyboard.press('Tab');
    await waitForNoGhostText(page, 'after Tab (C)');
    await sleep(300);
    await page.keyboard.press('Control+Z');
    await sleep(300);
    await page.keyboard.press('Escape');

    // D: paste; E: typing with an auto-closed pair.
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.evaluate((text) => navigator.clipboard.writeText(text), PASTE_TEXT);
    await page.keyboard.press('Control+V');
    await sleep(300);
    await typeSlowly(page, 'xyz(');

    await page.keyboard.press('Control+S');
    await waitForSave();
  }

  /** The saved file is the record of what the editor did; the screenshot should show it saved too. */
  async function waitForSave(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (fs.readFileSync(documentFile, 'utf8') === INITIAL_TEXT && Date.now() < deadline) await sleep(200);
    await sleep(300);
  }

  /** Polls the report until the activity counters and the last checkpoint are in, or gives up. */
  async function waitForReport(deadline: number): Promise<void> {
    for (;;) {
      try {
        rows = inlineRows(runReport(storageDir));
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      const total = rows.reduce((sum, row) => sum + row.typedChars, 0);
      const lastCheckpoint = rows.reduce((sum, row) => sum + (row.retention[String(CHECKPOINTS[1])]?.known ?? 0), 0);
      // Counters arrive in several flushes: wait for all of them, then compare exactly.
      if ((total >= EXPECTED.typedChars && lastCheckpoint >= 3) || Date.now() > deadline) return;
      await sleep(2_000);
    }
  }

  before(async function () {
    this.timeout(240_000);
    rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-e2e-'));
    const workspace = path.join(rootDir, 'secret-folder-zq81');
    documentFile = path.join(workspace, 'private-name-xk42.js');
    fs.mkdirSync(workspace, { recursive: true });
    fs.writeFileSync(documentFile, INITIAL_TEXT);

    server = await startCodeServer({
      install: loadCodeServerInstall('4.100.3'),
      rootDir,
      extensions: [stageAssayExtension(rootDir), GHOST_ASSISTANT_DIR],
      settings: {
        'assay.retention.checkpointsSeconds': CHECKPOINTS,
        'assay.ledger.flushIntervalMs': 500,
        'assay.capture.activityFlushSeconds': ACTIVITY_FLUSH_SECONDS,
        // Only the fixture's ghost text may appear: no suggest widget, hints or paste widgets.
        'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
        'editor.suggestOnTriggerCharacters': false,
        'editor.wordBasedSuggestions': 'off',
        'editor.parameterHints.enabled': false,
        'editor.hover.enabled': false,
        'editor.pasteAs.enabled': false,
        'editor.formatOnPaste': false,
        'editor.formatOnType': false,
        'editor.formatOnSave': false,
        'files.autoSave': 'off',
        'git.enabled': false,
      },
    });
    storageDir = globalStorageDir(server.userDataDir, 'assay.assay');
    browser = await launchBrowser(rootDir);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await browser.page.goto(
      workbenchUrl(server, workspace, [
        ['openFile', server.remoteUri(documentFile)],
        ['skipWelcome', 'true'],
      ]),
    );
    try {
      await editingSession(browser.page);
    } finally {
      fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
      await browser.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'e2e-capture.png') }).catch(() => undefined);
      console.log(`    document as saved: ${JSON.stringify(fs.readFileSync(documentFile, 'utf8'))}`);
    }
    // The last checkpoint (5 s) and the last counter flush come within seconds of the session's end.
    await waitForReport(Date.now() + 40_000);
    console.log(`    report rows: ${JSON.stringify(rows)}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (rootDir && !process.env.ASSAY_KEEP_TEST_DIRS) fs.rmSync(rootDir, { recursive: true, force: true });
  });

  it('the editor did what the session intended (precondition for the counts)', () => {
    assert.equal(fs.readFileSync(documentFile, 'utf8'), EXPECTED_DOCUMENT);
  });

  it('reports one inline row, for JavaScript and an unknown provider', () => {
    assert.deepEqual(
      rows.map((row) => [row.languageId, row.provider]),
      [['javascript', 'unknown']],
    );
  });

  it('counts acceptances by mode', () => {
    assert.deepEqual(rows[0]?.acceptances, EXPECTED.acceptances);
  });

  it('counts accepted characters and lines, and AI characters', () => {
    assert.deepEqual(
      { acceptedChars: rows[0]?.acceptedChars, acceptedLines: rows[0]?.acceptedLines, aiChars: rows[0]?.aiChars },
      { acceptedChars: EXPECTED.acceptedChars, acceptedLines: EXPECTED.acceptedLines, aiChars: EXPECTED.aiChars },
    );
  });

  it('counts typed characters, not pastes, undos or deletions', () => {
    assert.equal(rows[0]?.typedChars, EXPECTED.typedChars);
  });

  it('counts opportunities', () => {
    assert.ok((rows[0]?.opportunities ?? 0) > 0, `opportunities: ${rows[0]?.opportunities}`);
  });

  it('reports retention at each checkpoint', () => {
    assert.deepEqual(rows[0]?.retention, EXPECTED.retention);
  });

  it('stores no name, path or document text', () => {
    const files = [
      ...filesUnder(storageDir),
      ...filesUnder(path.join(server?.userDataDir ?? '', 'User', 'workspaceStorage')).filter((file) =>
        file.includes(`${path.sep}assay.assay${path.sep}`),
      ),
    ];
    assert.ok(files.length > 0, `nothing stored under ${storageDir}`);
    const leaks = files.flatMap((file) => {
      const content = fs.readFileSync(file, 'latin1');
      return PRIVATE_STRINGS.filter((secret) => content.includes(secret)).map((secret) => `${secret} in ${path.relative(rootDir, file)}`);
    });
    assert.deepEqual(leaks, []);
  });
});
