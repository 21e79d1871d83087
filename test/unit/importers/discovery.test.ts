import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { claudeProjectRoots, codexSessionRoots, discoverFiles, withCopilotOtelFile } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { tempDir, writeLines } from './fixtures';

describe('discovery', () => {
  it('resolves Claude Code and Codex folders as the tools do', () => {
    const context = { env: {}, homeDir: '/home/u', platform: 'linux' as const };
    assert.deepEqual(claudeProjectRoots(context), ['/home/u/.config/claude/projects', '/home/u/.claude/projects']);
    assert.deepEqual(claudeProjectRoots({ ...context, env: { XDG_CONFIG_HOME: '/x' } })[0], '/x/claude/projects');
    assert.deepEqual(claudeProjectRoots({ ...context, env: { CLAUDE_CONFIG_DIR: '~/a, /b/projects' } }), ['/home/u/a/projects', '/b/projects']);
    assert.deepEqual(codexSessionRoots(context), ['/home/u/.codex/sessions', '/home/u/.codex/archived_sessions']);
    assert.deepEqual(codexSessionRoots({ ...context, env: { CODEX_HOME: '/c' } }), ['/c/sessions', '/c/archived_sessions']);
  });

  it('finds each source in its default folders and nothing else there', () => {
    const home = tempDir('discovery');
    const user = path.join(home, '.config', 'Code', 'User');
    const files = {
      claude: path.join(home, '.claude', 'projects', 'p', 's.jsonl'),
      codex: path.join(home, '.codex', 'sessions', '2026', '01', '02', 'rollout-x.jsonl'),
      gemini: path.join(home, '.gemini', 'tmp', 'hash', 'chats', 'session-1.jsonl'),
      geminiLegacy: path.join(home, '.gemini', 'tmp', 'hash', 'chats', 'session-0.json'),
      copilot: path.join(user, 'workspaceStorage', 'ws1', 'chatSessions', 'c.jsonl'),
      cline: path.join(user, 'globalStorage', 'saoudrizwan.claude-dev', 'tasks', 't1', 'ui_messages.json'),
      roo: path.join(user, 'globalStorage', 'rooveterinaryinc.roo-cline', 'tasks', 't2', 'ui_messages.json'),
      continue: path.join(home, '.continue', 'dev_data', '0.2.0', 'tokensGenerated.jsonl'),
    };
    const noise = [
      path.join(user, 'workspaceStorage', 'ws1', 'workspace.json'),
      path.join(user, 'globalStorage', 'saoudrizwan.claude-dev', 'tasks', 't1', 'api_conversation_history.json'),
      path.join(home, '.continue', 'dev_data', '0.2.0', 'autocomplete.jsonl'),
      path.join(home, '.claude', 'settings.json'),
    ];
    for (const file of [...Object.values(files), ...noise]) writeLines(file, ['{}']);
    const result = discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env: {}, homeDir: home, platform: 'linux' }, discover: true });
    const found = result.files.map((f) => `${f.source} ${path.relative(home, f.path)}`).sort();
    const expected = [
      ['claude-code', files.claude],
      ['codex', files.codex],
      ['gemini-cli', files.gemini],
      ['gemini-cli', files.geminiLegacy],
      ['copilot-chat', files.copilot],
      ['cline', files.cline],
      ['roo-code', files.roo],
      ['continue', files.continue],
    ].map(([source, file]) => `${source} ${path.relative(home, file)}`).sort();
    assert.deepEqual(found, expected);
    assert.ok(!result.foundSources.has('kilo-code'));
    assert.ok(result.foundSources.has('roo-code'));
  });

  it("honours Cline's CLINE_DIR, CLINE_DATA_DIR and CLINE_SESSION_DATA_DIR as Cline resolves them", () => {
    // cline/cline sdk/packages/shared/src/storage/paths.ts at 21cb8d2525bcedf1f4b6890b27a74a14fe7451e4:
    // sessions = CLINE_SESSION_DATA_DIR || (CLINE_DATA_DIR || (CLINE_DIR || ~/.cline)/data)/sessions.
    const home = tempDir('discovery-cline');
    const sdkFile = (root: string) => path.join(root, 's1', 's1.messages.json');
    const taskFile = (root: string) => path.join(root, 't1', 'ui_messages.json');
    const viaClineDir = path.join(home, 'profile', 'data');
    const viaDataDir = path.join(home, 'shared-data');
    const viaSessionDir = path.join(home, 'only-sessions');
    for (const file of [
      sdkFile(path.join(viaClineDir, 'sessions')),
      taskFile(path.join(viaClineDir, 'tasks')),
      sdkFile(path.join(viaDataDir, 'sessions')),
      taskFile(path.join(viaDataDir, 'tasks')),
      sdkFile(viaSessionDir),
    ]) writeLines(file, ['{}']);
    const clineFiles = (env: Record<string, string | undefined>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((f) => f.source === 'cline')
        .map((f) => path.relative(home, f.path))
        .sort();
    assert.deepEqual(clineFiles({}), []);
    assert.deepEqual(clineFiles({ CLINE_DIR: ` ${path.join(home, 'profile')} ` }), [
      'profile/data/sessions/s1/s1.messages.json',
      'profile/data/tasks/t1/ui_messages.json',
    ]);
    assert.deepEqual(clineFiles({ CLINE_DIR: path.join(home, 'profile'), CLINE_DATA_DIR: viaDataDir }), [
      'shared-data/sessions/s1/s1.messages.json',
      'shared-data/tasks/t1/ui_messages.json',
    ]);
    assert.deepEqual(clineFiles({ CLINE_DATA_DIR: viaDataDir, CLINE_SESSION_DATA_DIR: viaSessionDir }), [
      'only-sessions/s1/s1.messages.json',
      'shared-data/tasks/t1/ui_messages.json',
    ]);
  });

  it("reads Roo Code's and Kilo Code's customStoragePath tasks as well as their globalStorage tasks", () => {
    // RooCodeInc/Roo-Code src/utils/storage.ts at cb836567180a3ff1da6d082f3178b90c3bd22a70:
    // getTaskDirectoryPath = <customStoragePath || globalStorage>/tasks/<task id>.
    const home = tempDir('discovery-roo');
    const globalTask = path.join(home, '.config', 'Code', 'User', 'globalStorage', 'rooveterinaryinc.roo-cline', 'tasks', 't1', 'ui_messages.json');
    const customTask = path.join(home, 'roo-store', 'tasks', 't2', 'ui_messages.json');
    const kiloTask = path.join(home, 'kilo-store', 'tasks', 't3', 'ui_messages.json');
    for (const file of [globalTask, customTask, kiloTask]) writeLines(file, ['[]']);
    const found = (customStoragePaths: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env: {}, homeDir: home, platform: 'linux', customStoragePaths }, discover: true })
        .files.filter((f) => f.source === 'roo-code' || f.source === 'kilo-code')
        .map((f) => `${f.source} ${path.relative(home, f.path)}`)
        .sort();
    assert.deepEqual(found({}), [`roo-code ${path.relative(home, globalTask)}`]);
    assert.deepEqual(found({ 'roo-code': '~/roo-store', 'kilo-code': path.join(home, 'kilo-store') }), [
      `kilo-code ${path.relative(home, kiloTask)}`,
      `roo-code ${path.relative(home, globalTask)}`,
      `roo-code ${path.relative(home, customTask)}`,
    ]);
  });

  it('reads Copilot Chat\'s OpenTelemetry file when that exporter is on, and its session files as well', () => {
    const home = tempDir('discovery-otel');
    const otelFile = path.join(home, 'telemetry', 'copilot-otel.jsonl');
    const sessionFile = path.join(home, '.config', 'Code', 'User', 'workspaceStorage', 'ws1', 'chatSessions', 'c.jsonl');
    const neighbour = path.join(home, 'telemetry', 'other-tool.jsonl');
    for (const file of [otelFile, sessionFile, neighbour]) writeLines(file, ['{}']);
    const copilotFiles = (env: Record<string, string | undefined>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'copilot-chat')
        .map((file) => file.path);

    assert.deepEqual(copilotFiles({}), [sessionFile]);
    assert.deepEqual(copilotFiles(withCopilotOtelFile({}, otelFile)).sort(), [sessionFile, otelFile].sort());
    assert.deepEqual(copilotFiles({ COPILOT_OTEL_ENABLED: 'false', COPILOT_OTEL_FILE_EXPORTER_PATH: otelFile }), [sessionFile]);
  });
});
