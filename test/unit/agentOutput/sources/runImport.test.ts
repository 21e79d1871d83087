import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentEditEvent, AgentRetentionEvent, UsageSource } from '../../../../src/ledger/events';
import { readLedger } from '../../../../src/ledger/reader';
import { ledgerDir } from '../../../../src/ledger/segments';
import { importerDir } from '../../../../src/ledger/storageLocation';
import { runImport } from '../../../../src/importers/runImport';
import { tempDir } from '../../importers/fixtures';
import { LINE_SECRET, PATH_SECRET } from './collect';

// The fixtures of test/fixtures/agent-output/, moved into a temporary home whose project the edits name, and
// imported as the editor would: lines written first, lines kept an hour later, after a person changed the files.
const FIXTURES = path.resolve(__dirname, '../../../../../test/fixtures/agent-output');
const HOUR = 3600 * 1000;

interface World {
  home: string;
  storage: string;
  project: string;
  run(now: number): Promise<unknown>;
}

function world(): World {
  const home = tempDir('h4-home');
  const storage = tempDir('h4-storage');
  const project = path.join(tempDir('h4-work'), PATH_SECRET, 'app');
  fs.mkdirSync(path.join(project, 'src'), { recursive: true });
  return {
    home,
    storage,
    project,
    run: (now) => runImport({ storageDir: storage, secret: 'h4-secret', pricer: { keptModelName: (raw) => raw }, env: {}, homeDir: home, platform: 'linux', now: () => now }),
  };
}

/** A fixture with its project folder replaced by the world's. */
function placed(fixture: string, loggedRoot: string, project: string): string {
  return fs.readFileSync(path.join(FIXTURES, fixture), 'utf8').split(loggedRoot).join(project);
}

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

async function agentEvents(storage: string, source: UsageSource) {
  const { events } = await readLedger(storage);
  return {
    edits: events.filter((e): e is AgentEditEvent => e.kind === 'agentEdit' && e.source === source),
    retention: events.filter((e): e is AgentRetentionEvent => e.kind === 'agentRetention' && e.source === source),
  };
}

function assertNothingPlanted(w: World): void {
  const written = [ledgerDir(w.storage), importerDir(w.storage)].flatMap((dir) =>
    fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)),
  );
  assert.ok(written.some((name) => name.endsWith('agent-edits.json')), 'pending checkpoints were written');
  for (const name of written) {
    const text = fs.readFileSync(name, 'latin1');
    for (const value of [PATH_SECRET, LINE_SECRET, w.project]) assert.ok(!text.includes(value), `${path.basename(name)} holds ${value}`);
  }
}

const added = (events: { linesAdded: number }[]) => events.map((e) => e.linesAdded).sort((a, b) => a - b);
const kept = (events: AgentRetentionEvent[]) => events.map((e) => [e.linesAdded, e.known, e.linesKept]).sort((a, b) => Number(a[0]) - Number(b[0]));

describe('agent output of Gemini CLI, Copilot Chat and Cline through runImport', () => {
  it('Gemini CLI: lines written, then kept an hour later, found again from the edit line of the log', async () => {
    const w = world();
    write(
      path.join(w.home, '.gemini', 'tmp', 'b'.repeat(64), 'chats', 'session-2026-06-02T09-00-ed170001.jsonl'),
      placed('gemini/session-2026-06-02T09-00-ed170001.jsonl', `/home/alice/${PATH_SECRET}/billing-app`, w.project),
    );
    await w.run(Date.parse('2026-06-02T09:05:00Z'));
    const { edits } = await agentEvents(w.storage, 'gemini-cli');
    assert.deepEqual(edits.map((e) => [e.linesAdded, e.linesRemoved]).sort(), [[0, 3], [3, 2], [4, 0], [5, 0]]);
    assert.ok(edits.every((e) => e.model.startsWith('gemini-2.5-')));

    // The person changed one of billing.ts's new lines, kept tax.ts and deleted created.ts.
    write(path.join(w.project, 'src/billing.ts'), `import { taxRate } from './tax'; // ${LINE_SECRET}\n  return round(sum * (1 + taxRate));\nexport const VERSION = 3;\n`);
    write(path.join(w.project, 'src/tax.ts'), `// ${LINE_SECRET} tax table\nexport const taxRate = 0.2;\n\nexport function withTax(x: number): number {\n  return x * (1 + taxRate);\n}\n`);
    write(path.join(w.project, 'NOTES.md'), '# Notes\n');
    await w.run(Date.parse('2026-06-02T10:05:00Z'));
    const { retention } = await agentEvents(w.storage, 'gemini-cli');
    assert.deepEqual(kept(retention.filter((r) => r.checkpoint === 3600 && r.linesAdded > 0)), [[3, true, 2], [4, true, 0], [5, true, 5]]);
    assertNothingPlanted(w);
  });

  it('Copilot Chat: edits of both copies of a session count once, and are measured an hour after the response', async () => {
    const w = world();
    const sessions = path.join(w.home, '.config', 'Code', 'User', 'workspaceStorage', '5f6e7d8c9b0a', 'chatSessions');
    for (const extension of ['.json', '.jsonl']) {
      const name = `7c1d2e3f-edit-4bbb-8ccc-000000000005${extension}`;
      write(path.join(sessions, name), placed(`copilot-chat/workspaceStorage/5f6e7d8c9b0a/chatSessions/${name}`, `/home/alice/${PATH_SECRET}/web`, w.project));
    }
    await w.run(Date.parse('2026-06-03T10:10:00Z'));
    const { edits } = await agentEvents(w.storage, 'copilot-chat');
    assert.deepEqual(added(edits), [2, 4, 4, 4], 'app.ts, util.ts, server.ts and README.md, once each');

    write(path.join(w.project, 'src/app.ts'), `const port = Number(process.env.PORT ?? 8080);\n  // ${LINE_SECRET} listen on all interfaces\n  server.listen(port, '0.0.0.0');\n`);
    await w.run(Date.parse('2026-06-03T10:00:42Z') + HOUR + 60_000);
    const { retention } = await agentEvents(w.storage, 'copilot-chat');
    const app = retention.find((r) => r.checkpoint === 3600 && r.linesKept > 0);
    assert.deepEqual([app?.linesAdded, app?.linesKept], [4, 3]);
    assert.ok(retention.filter((r) => r.checkpoint === 3600).every((r) => r.known), 'every file was looked at, the missing ones keeping 0');
    assertNothingPlanted(w);
  });

  it('Cline: relative paths are resolved against the workspace folder the task names', async () => {
    const w = world();
    write(
      path.join(w.home, '.config', 'Code', 'User', 'globalStorage', 'saoudrizwan.claude-dev', 'tasks', '1779264000000', 'ui_messages.json'),
      placed('cline/cline-task/ui_messages.json', `/home/alice/${PATH_SECRET}/billing-app`, w.project),
    );
    await w.run(Date.parse('2026-05-20T08:05:00Z'));
    assert.deepEqual(added((await agentEvents(w.storage, 'cline')).edits), [1, 2, 2, 3, 3]);

    write(path.join(w.project, 'src/tax.ts'), `// ${LINE_SECRET}\nexport const TAX_RATE = 0.2;\n`);
    await w.run(Date.parse('2026-05-20T09:10:00Z'));
    const { retention } = await agentEvents(w.storage, 'cline');
    assert.deepEqual(retention.filter((r) => r.checkpoint === 3600 && r.linesKept > 0).map((r) => [r.linesAdded, r.linesKept]), [[3, 2]]);
    assert.ok(retention.every((r) => r.known));
    assertNothingPlanted(w);
  });

  it('Roo Code: an edit whose path is relative to a folder the task does not name is written, its retention unknown', async () => {
    const w = world();
    write(
      path.join(w.home, '.config', 'Code', 'User', 'globalStorage', 'rooveterinaryinc.roo-cline', 'tasks', '1773151200000', 'ui_messages.json'),
      fs.readFileSync(path.join(FIXTURES, 'cline/roo-task/ui_messages.json'), 'utf8'),
    );
    await w.run(Date.parse('2026-03-10T14:05:00Z'));
    assert.deepEqual(added((await agentEvents(w.storage, 'roo-code')).edits), [2, 2]);
    await w.run(Date.parse('2026-03-10T15:10:00Z'));
    const { retention } = await agentEvents(w.storage, 'roo-code');
    assert.deepEqual(retention.map((r) => [r.checkpoint, r.known]), [[3600, false], [3600, false]]);
  });
});
