import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentEditEvent, AgentRetentionEvent, LedgerEvent } from '../../../src/ledger/events';
import { readLedger } from '../../../src/ledger/reader';
import { ledgerDir, segmentsDir } from '../../../src/ledger/segments';
import { importerDir } from '../../../src/ledger/storageLocation';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { EmittedIndex, OpaqueIds } from '../../../src/importers/emittedIndex';
import { rollupDaily } from '../../../src/report/rollup';
import { claudeEditResult, claudeFailedEdit, claudeToolUse, claudeWriteResult, codexPatchCall, codexPatchOutput, type ClaudeSession } from './agentEditFixtures';
import { appendLines, codexSessionMeta, codexTokenCount, failReadsOnce, tempDir, writeLines } from './fixtures';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const EDIT_AT = Date.UTC(2026, 2, 1, 10, 0, 0);
const iso = (t: number) => new Date(t).toISOString();
const pricer = { keptModelName: (raw: string) => raw };

interface World {
  home: string;
  storage: string;
  project: string;
  log: string;
  session: ClaudeSession;
  run(now: number): ReturnType<typeof runImport>;
}

/** A home with a Claude Code transcript, a project the agent edits, and a ledger; imports run at a chosen time. */
function world(projectName = 'proj'): World {
  const home = tempDir('agent-home');
  const storage = tempDir('agent-storage');
  const project = path.join(tempDir('agent-work'), projectName);
  fs.mkdirSync(project, { recursive: true });
  const session: ClaudeSession = { sessionId: 'session-1', cwd: project, model: 'claude-sonnet-4-20250514' };
  const log = path.join(home, '.claude', 'projects', 'encoded-project', 'session-1.jsonl');
  const options = (now: number): RunImportOptions => ({ storageDir: storage, secret: 'agent-secret', pricer, env: {}, homeDir: home, platform: 'linux', now: () => now });
  return { home, storage, project, log, session, run: (now) => runImport(options(now)) };
}

/** A Codex rollout whose turn calls apply_patch (adding notes.md, 2 lines) and logs its response; the output comes later. */
function codexPatchRollout(w: World): string {
  const rollout = path.join(w.home, '.codex', 'sessions', '2026', '03', '01', 'rollout-2026-03-01T10-00-00-abc.jsonl');
  const patch = ['*** Begin Patch', '*** Add File: notes.md', '+first', '+second', '*** End Patch'].join('\n');
  writeLines(rollout, [
    codexSessionMeta(iso(EDIT_AT - 5000), 'thread-1', { cwd: w.project }),
    JSON.stringify({ timestamp: iso(EDIT_AT - 4000), type: 'turn_context', payload: { cwd: w.project, model: 'gpt-5.2' } }),
    codexPatchCall(iso(EDIT_AT - 1000), 'call_1', patch),
    codexTokenCount(iso(EDIT_AT - 500), { input: 100, output: 10 }, { input: 100, output: 10 }),
  ]);
  return rollout;
}

async function agentEvents(storage: string): Promise<{ edits: AgentEditEvent[]; retention: AgentRetentionEvent[]; all: LedgerEvent[] }> {
  const { events } = await readLedger(storage);
  return {
    edits: events.filter((event): event is AgentEditEvent => event.kind === 'agentEdit'),
    retention: events.filter((event): event is AgentRetentionEvent => event.kind === 'agentRetention'),
    all: events,
  };
}

/** Ledger lines holding `text`, copies included. */
function writtenLines(storage: string, text: string): number {
  const dir = segmentsDir(storage);
  return fs.readdirSync(dir).reduce((sum, name) => sum + fs.readFileSync(path.join(dir, name), 'utf8').split('\n').filter((line) => line.includes(text)).length, 0);
}

/** The agent's session: create a.ts (4 lines), edit b.ts (2 added, 1 removed), a failed edit. */
function agentSession(w: World): { a: string; b: string } {
  const a = path.join(w.project, 'a.ts');
  const b = path.join(w.project, 'b.ts');
  const t = (seconds: number) => iso(EDIT_AT + seconds * 1000);
  writeLines(w.log, [
    claudeToolUse(w.session, { timestamp: t(-2), messageId: 'msg_1', requestId: 'req_1', toolUseId: 'toolu_write', tool: 'Write', input: { file_path: a, content: '…' } }),
    claudeWriteResult(w.session, { timestamp: t(0), toolUseId: 'toolu_write', filePath: a, content: 'one\ntwo\n\nthree\nfour\n' }),
    claudeToolUse(w.session, { timestamp: t(1), messageId: 'msg_2', requestId: 'req_2', toolUseId: 'toolu_edit', tool: 'Edit', input: { file_path: b, old_string: 'old', new_string: 'new' } }),
    claudeEditResult(w.session, {
      timestamp: t(2),
      toolUseId: 'toolu_edit',
      filePath: b,
      oldString: 'old',
      newString: 'new\nnewer',
      originalFile: 'keep\nold\n',
      hunks: [{ oldStart: 1, oldLines: 2, newStart: 1, newLines: 3, lines: [' keep', '-old', '+new', '+newer'] }],
    }),
    claudeToolUse(w.session, { timestamp: t(3), messageId: 'msg_3', requestId: 'req_3', toolUseId: 'toolu_fail', tool: 'Edit', input: { file_path: b, old_string: 'x', new_string: 'y' } }),
    claudeFailedEdit(w.session, { timestamp: t(4), toolUseId: 'toolu_fail' }),
  ]);
  fs.writeFileSync(a, 'one\ntwo\n\nthree\nfour\n');
  fs.writeFileSync(b, 'keep\nnew\nnewer\n');
  return { a, b };
}

describe('agent output through runImport', () => {
  it('records lines written, then lines kept at 1 h and 1 day as the person changes the files, and 7 days as unknown when no import ran in time', async () => {
    const w = world();
    const { a, b } = agentSession(w);

    const first = await w.run(EDIT_AT + 60_000);
    const { edits } = await agentEvents(w.storage);
    let { retention } = await agentEvents(w.storage);
    assert.deepEqual(edits.map((edit) => [edit.linesAdded, edit.linesRemoved, edit.model]).sort(), [[2, 1, 'claude-sonnet-4-20250514'], [4, 0, 'claude-sonnet-4-20250514']]);
    assert.deepEqual(retention, []);
    assert.equal(first.nextCheckpointAt, EDIT_AT + HOUR);

    // The person rewrites two of a.ts's lines and keeps b.ts.
    fs.writeFileSync(a, 'one\nTWO\n\nthree\n');
    await w.run(EDIT_AT + HOUR + 5 * 60_000);
    ({ retention } = await agentEvents(w.storage));
    assert.deepEqual(retention.map((r) => [r.checkpoint, r.known, r.linesAdded, r.linesKept]).sort(), [[3600, true, 2, 2], [3600, true, 4, 2]]);

    // A day later a.ts is gone and b.ts lost one line.
    fs.rmSync(a);
    fs.writeFileSync(b, 'keep\nnewer\n');
    await w.run(EDIT_AT + DAY + HOUR);
    ({ retention } = await agentEvents(w.storage));
    const day = retention.filter((r) => r.checkpoint === 86400);
    assert.deepEqual(day.map((r) => [r.known, r.linesAdded, r.linesKept]).sort(), [[true, 2, 1], [true, 4, 0]]);

    // No import between 7 and 14 days: the 7-day checkpoint is unknown, never 0 kept.
    const late = await w.run(EDIT_AT + 15 * DAY);
    ({ retention } = await agentEvents(w.storage));
    assert.deepEqual(retention.filter((r) => r.checkpoint === 604800).map((r) => r.known), [false, false]);
    assert.equal(late.nextCheckpointAt, null);

    const { all } = await agentEvents(w.storage);
    const [row] = rollupDaily(all, { timeZone: 'UTC' }).usage;
    assert.deepEqual(
      { edits: row.agent.agentEdits, added: row.agent.linesAdded, removed: row.agent.linesRemoved, retention: row.agent.agentRetention },
      {
        edits: 2,
        added: 6,
        removed: 1,
        retention: { '3600': { known: 2, linesAdded: 6, linesKept: 4 }, '86400': { known: 2, linesAdded: 6, linesKept: 1 } },
      },
    );
    // msg_1's only edit (a.ts) kept nothing at 1 day: its tokens are waste; msg_2's edit kept a line.
    assert.equal(row.agent.wasteTokens, 4 + 1200 + 30000 + 250);
  });

  it("counts a line a resumed session copies into its own transcript once, and a checkpoint whose log is gone as unknown", async () => {
    const w = world();
    agentSession(w);
    await w.run(EDIT_AT + 60_000);
    const resumed = path.join(path.dirname(w.log), 'session-2.jsonl');
    writeLines(resumed, fs.readFileSync(w.log, 'utf8').trimEnd().split('\n'));
    await w.run(EDIT_AT + 2 * 60_000);
    assert.equal((await agentEvents(w.storage)).edits.length, 2);
    // Not even written again: the ledger would count it once anyway, but would grow with every resume.
    assert.equal(writtenLines(w.storage, '"kind":"agentEdit"'), 2);

    fs.rmSync(w.log);
    fs.rmSync(resumed);
    await w.run(EDIT_AT + HOUR + 60_000);
    const { retention } = await agentEvents(w.storage);
    assert.deepEqual(retention.map((r) => [r.checkpoint, r.known]), [[3600, false], [3600, false]]);
  });

  it('writes no edit again when its log is read whole months later (a resumed session copying its history)', async () => {
    const w = world();
    agentSession(w);
    await w.run(EDIT_AT + 60_000);
    await w.run(EDIT_AT + 90 * DAY);
    const resumed = path.join(path.dirname(w.log), 'session-2.jsonl');
    writeLines(resumed, fs.readFileSync(w.log, 'utf8').trimEnd().split('\n'));
    await w.run(EDIT_AT + 91 * DAY);
    assert.equal(writtenLines(w.storage, '"kind":"agentEdit"'), 2);
  });

  it('measures as unknown an edit of a file the kernel makes up as it is read, without taking the import down', async function () {
    if (process.platform !== 'linux') this.skip();
    const w = world();
    // A path any log may name: it says it holds 0 bytes, and reading it to its end takes gigabytes.
    const pagemap = '/proc/self/pagemap';
    writeLines(w.log, [
      claudeToolUse(w.session, { timestamp: iso(EDIT_AT - 2000), messageId: 'msg_1', requestId: 'req_1', toolUseId: 'toolu_write', tool: 'Write', input: { file_path: pagemap, content: '…' } }),
      claudeWriteResult(w.session, { timestamp: iso(EDIT_AT), toolUseId: 'toolu_write', filePath: pagemap, content: 'one\ntwo\n' }),
    ]);
    await w.run(EDIT_AT + 60_000);
    // The run that measures the checkpoint runs in a process of its own with its memory capped, so that reading the file
    // whole fails that process, not this one.
    const runImportModule = path.join(__dirname, '..', '..', '..', 'src', 'importers', 'runImport.js');
    const options = { storageDir: w.storage, secret: 'agent-secret', env: {}, homeDir: w.home, platform: 'linux' };
    const script = `require(${JSON.stringify(runImportModule)}).runImport({ ...${JSON.stringify(options)}, pricer: { keptModelName: (raw) => raw }, now: () => ${EDIT_AT + HOUR + 60_000} })`;
    const checkpoint = spawnSync('sh', ['-c', 'ulimit -v 4000000 && exec "$0" -e "$1"', process.execPath, script], { encoding: 'utf8' });
    assert.equal(checkpoint.status, 0, checkpoint.stderr);
    const { retention } = await agentEvents(w.storage);
    assert.deepEqual(retention.map((r) => [r.checkpoint, r.known]), [[3600, false]]);
  });

  it('still measures the checkpoints of edits first met in a run that failed while saving', async () => {
    const w = world();
    agentSession(w);
    // A folder where the agent edits are saved makes their save fail, as a full disk would.
    const pendingPath = path.join(importerDir(w.storage), 'agent-edits.json');
    fs.mkdirSync(path.join(pendingPath, 'blocker'), { recursive: true });
    await assert.rejects(w.run(EDIT_AT + 60_000));

    fs.rmSync(pendingPath, { recursive: true });
    await w.run(EDIT_AT + 2 * 60_000);
    await w.run(EDIT_AT + HOUR + 5 * 60_000);
    const { edits, retention } = await agentEvents(w.storage);
    assert.equal(edits.length, 2);
    assert.deepEqual(retention.map((r) => [r.checkpoint, r.known, r.linesKept]).sort(), [[3600, true, 2], [3600, true, 4]]);
  });

  it('still measures the checkpoints of pending edits after a run that could not read them (a scanner held the file)', async () => {
    const w = world();
    agentSession(w);
    await w.run(EDIT_AT + 60_000);
    // Half an hour on, the agent writes another file, and the run meets the pending edits held by another process.
    const c = path.join(w.project, 'c.ts');
    const later = iso(EDIT_AT + 30 * 60_000);
    writeLines(path.join(path.dirname(w.log), 'session-2.jsonl'), [
      claudeToolUse(w.session, { timestamp: later, messageId: 'msg_4', requestId: 'req_4', toolUseId: 'toolu_c', tool: 'Write', input: { file_path: c, content: '…' } }),
      claudeWriteResult(w.session, { timestamp: later, toolUseId: 'toolu_c', filePath: c, content: 'five\n' }),
    ]);
    fs.writeFileSync(c, 'five\n');
    const busy = failReadsOnce(path.join(importerDir(w.storage), 'agent-edits.json'), 'EBUSY');
    try {
      await w.run(EDIT_AT + 31 * 60_000).catch(() => undefined);
    } finally {
      busy.restore();
    }
    assert.ok(busy.failed(), 'the pending edits were read');
    await w.run(EDIT_AT + 32 * 60_000);
    await w.run(EDIT_AT + HOUR + 5 * 60_000);
    const { edits, retention } = await agentEvents(w.storage);
    assert.equal(edits.length, 3);
    assert.deepEqual(retention.map((r) => [r.checkpoint, r.known, r.linesKept]).sort(), [[3600, true, 2], [3600, true, 4]]);
  });

  it('writes the edits of a run that failed while saving the import state once, and measures them once', async () => {
    const w = world();
    agentSession(w);
    const statePath = path.join(importerDir(w.storage), 'state.json');
    fs.mkdirSync(path.join(statePath, 'blocker'), { recursive: true });
    await assert.rejects(w.run(EDIT_AT + 60_000));

    fs.rmSync(statePath, { recursive: true });
    await w.run(EDIT_AT + 2 * 60_000);
    assert.equal(writtenLines(w.storage, '"kind":"agentEdit"'), 2);
    await w.run(EDIT_AT + HOUR + 5 * 60_000);
    const { retention } = await agentEvents(w.storage);
    assert.deepEqual(retention.map((r) => [r.checkpoint, r.known, r.linesKept]).sort(), [[3600, true, 2], [3600, true, 4]]);
  });

  it('finds a Codex edit again across runs: the call, its output and the checkpoint each in another run', async () => {
    const w = world();
    const rollout = codexPatchRollout(w);
    await w.run(EDIT_AT);
    assert.equal((await agentEvents(w.storage)).edits.length, 0);

    appendLines(rollout, [codexPatchOutput(iso(EDIT_AT), 'call_1', ['notes.md'])]);
    fs.writeFileSync(path.join(w.project, 'notes.md'), 'first\nsecond\n');
    await w.run(EDIT_AT + 60_000);
    const { edits } = await agentEvents(w.storage);
    assert.deepEqual(edits.map((edit) => [edit.source, edit.model, edit.linesAdded]), [['codex', 'gpt-5.2', 2]]);

    fs.writeFileSync(path.join(w.project, 'notes.md'), 'first\nchanged\n');
    await w.run(EDIT_AT + HOUR + 60_000);
    const { retention } = await agentEvents(w.storage);
    assert.deepEqual(retention.map((r) => [r.source, r.checkpoint, r.known, r.linesKept]), [['codex', 3600, true, 1]]);
  });

  it('never counts more lines kept than the edit added, when its log read again now yields more lines (an older Assay wrote it)', async () => {
    const w = world();
    const rollout = codexPatchRollout(w);
    appendLines(rollout, [codexPatchOutput(iso(EDIT_AT), 'call_1', ['notes.md'])]);
    fs.writeFileSync(path.join(w.project, 'notes.md'), 'first\nsecond\n');
    await w.run(EDIT_AT + 60_000);
    // What an older parser, which counted fewer of the patch's lines, left pending.
    const pendingPath = path.join(importerDir(w.storage), 'agent-edits.json');
    const pending = JSON.parse(fs.readFileSync(pendingPath, 'utf8')) as { edits: Array<{ added: number }> };
    pending.edits[0].added = 1;
    fs.writeFileSync(pendingPath, JSON.stringify(pending));
    await w.run(EDIT_AT + HOUR + 60_000);
    const { retention } = await agentEvents(w.storage);
    assert.deepEqual(retention.map((r) => [r.checkpoint, r.known, r.linesAdded, r.linesKept]), [[3600, true, 1, 1]]);
  });

  it('takes a Codex tool output whose call id is an object member name (toString) for an unknown call, not a bad line', async () => {
    const w = world();
    const rollout = codexPatchRollout(w);
    appendLines(rollout, [codexPatchOutput(iso(EDIT_AT), 'toString', ['notes.md']), codexPatchOutput(iso(EDIT_AT), 'call_1', ['notes.md'])]);
    fs.writeFileSync(path.join(w.project, 'notes.md'), 'first\nsecond\n');
    const summary = await w.run(EDIT_AT + 60_000);
    assert.deepEqual(summary.sources.find((source) => source.source === 'codex')?.rejectedLines, {});
    assert.deepEqual((await agentEvents(w.storage)).edits.map((edit) => edit.linesAdded), [2]);
  });

  it("judges the waste of a Codex response an earlier Assay wrote under its key without the session", async () => {
    const w = world();
    const rollout = codexPatchRollout(w);
    await w.run(EDIT_AT);
    // The index as an earlier Assay left it: the response under the id of its key without the session.
    const indexFile = EmittedIndex.filePath(w.storage, 'codex');
    const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as { records: [string, number, number, number][] };
    const [[, ...entry]] = index.records;
    const legacyId = new OpaqueIds('agent-secret', 'codex:').of('total:100/0/0/10/0/110:last:100/0/0/10/0/110');
    fs.writeFileSync(indexFile, JSON.stringify({ v: 1, records: { [legacyId]: entry }, responses: {}, aliases: {} }));

    // The upgraded Assay reads the patch's output; a day later nothing of the edit is left.
    appendLines(rollout, [codexPatchOutput(iso(EDIT_AT), 'call_1', ['notes.md'])]);
    fs.writeFileSync(path.join(w.project, 'notes.md'), 'first\nsecond\n');
    await w.run(EDIT_AT + 60_000);
    fs.rmSync(path.join(w.project, 'notes.md'));
    await w.run(EDIT_AT + DAY + HOUR);
    const day = (await agentEvents(w.storage)).retention.filter((r) => r.checkpoint === 86400);
    assert.deepEqual(day.map((r) => [r.known, r.linesKept, r.wasteTokens]), [[true, 0, 110]]);
  });

  it('writes no project, file or line text to the ledger or the import state', async () => {
    const planted = { project: 'PLANTED-project-zebra', file: 'planted-file-okapi.ts', line: 'const plantedSecretLine = "narwhal";' };
    const w = world(planted.project);
    const file = path.join(w.project, planted.file);
    writeLines(w.log, [
      claudeToolUse(w.session, { timestamp: iso(EDIT_AT - 1000), messageId: 'msg_p', requestId: 'req_p', toolUseId: 'toolu_p', tool: 'Write', input: { file_path: file, content: planted.line } }),
      claudeWriteResult(w.session, { timestamp: iso(EDIT_AT), toolUseId: 'toolu_p', filePath: file, content: `${planted.line}\n` }),
    ]);
    fs.writeFileSync(file, `${planted.line}\n`);
    // A Codex patch still waiting for its output when the run ends: its paths and lines stay in memory only.
    const rollout = path.join(w.home, '.codex', 'sessions', '2026', '03', '01', 'rollout-2026-03-01T10-00-00-abc.jsonl');
    writeLines(rollout, [
      codexSessionMeta(iso(EDIT_AT - 5000), 'thread-1', { cwd: w.project }),
      JSON.stringify({ timestamp: iso(EDIT_AT - 4000), type: 'turn_context', payload: { cwd: w.project, model: 'gpt-5.2' } }),
      codexPatchCall(iso(EDIT_AT - 1000), 'call_1', ['*** Begin Patch', `*** Add File: ${planted.file}`, `+${planted.line}`, '*** End Patch'].join('\n')),
    ]);
    const assertNothingPlanted = () => {
      const written = [ledgerDir(w.storage), importerDir(w.storage)].flatMap((dir) =>
        fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)),
      );
      assert.ok(written.some((name) => name.endsWith('agent-edits.json')));
      for (const name of written) {
        const text = fs.readFileSync(name, 'latin1');
        for (const value of [...Object.values(planted), 'narwhal', 'toolu_p', w.project]) {
          assert.ok(!text.includes(value), `${path.basename(name)} holds ${value}`);
        }
      }
    };
    await w.run(EDIT_AT + 60_000);
    assertNothingPlanted();
    await w.run(EDIT_AT + HOUR + 60_000);
    assert.equal((await agentEvents(w.storage)).retention[0]?.linesKept, 1);
    assertNothingPlanted();
  });
});
