// `npm start`: a throwaway VS Code (code-server 4.100.3) with Assay and the ghost-assistant
// fixture installed, a small sample workspace and 30 days of sample ledger data, served on
// 127.0.0.1:$PORT (default 8080) until Ctrl+C.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCodeServerInstall } from './codeServerInstall';
import { globalStorageDir, profilePaths, startCodeServer } from './codeServer';
import { GHOST_ASSISTANT_DIR, stageAssayExtension } from './extensions';
import { sampleEvents, seedSampleLedger } from './sampleLedger';

const SAMPLE_FILES: Record<string, string> = {
  'README.md': [
    '# Assay sample workspace',
    '',
    'This profile has two extensions: **Assay** and **Ghost Assistant**, a stand-in AI assistant.',
    '',
    '1. Open `src/greet.ts` and type `hello ` (with the trailing space) on an empty line.',
    '2. Grey ghost text `alpha beta gamma / delta epsilon` appears: press **Tab** to accept it,',
    '   or **Ctrl+Right** to accept one word.',
    '3. Keep typing, edit or delete part of what you accepted: Assay tracks how much of it is retained.',
    '4. Run **Assay: Open Dashboard** from the Command Palette (Ctrl+Shift+P). The ledger was seeded',
    '   with 30 days of sample data, so the charts are not empty.',
    '',
  ].join('\n'),
  'src/greet.ts': [
    'export function greet(name: string): string {',
    '  return `Hello, ${name}!`;',
    '}',
    '',
    '// Type `hello ` on the next line to get a suggestion from Ghost Assistant.',
    '',
  ].join('\n'),
  'src/stats.py': [
    'def mean(values):',
    '    return sum(values) / len(values) if values else 0.0',
    '',
    '# Type `hello ` on the next line to get a suggestion from Ghost Assistant.',
    '',
  ].join('\n'),
};

function writeSampleWorkspace(folder: string): void {
  for (const [name, text] of Object.entries(SAMPLE_FILES)) {
    const file = path.join(folder, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

async function main(): Promise<void> {
  const rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-start-'));
  const workspace = path.join(rootDir, 'sample-workspace');
  writeSampleWorkspace(workspace);
  const { userDataDir } = profilePaths(rootDir);
  const seeded = await seedSampleLedger(
    globalStorageDir(userDataDir, 'assay.assay'),
    sampleEvents({ days: 30, seed: 20_251_129, now: Date.now() }),
  );
  const port = Number(process.env.PORT ?? 8080);
  const server = await startCodeServer({
    install: loadCodeServerInstall('4.100.3'),
    rootDir,
    port,
    extensions: [stageAssayExtension(rootDir), GHOST_ASSISTANT_DIR],
  });
  process.on('exit', () => {
    if (!process.env.ASSAY_KEEP_TEST_DIRS) fs.rmSync(rootDir, { recursive: true, force: true });
  });
  console.log(`Seeded ${seeded} sample ledger events.`);
  console.log(`Profile (deleted on exit): ${rootDir}`);
  console.log(`\nOpen ${server.origin}/?folder=${encodeURIComponent(workspace)}\n`);
  console.log('Type `hello ` in a file for ghost text. Press Ctrl+C to stop.');
  // Runs until Ctrl+C: cleanup.ts stops code-server's process group on SIGINT/SIGTERM. `npm start` runs this under a
  // shell that passes on no signal, so when npm is ended by a signal (a `timeout`, a `kill` of its pid) this process
  // only sees its parent go away: it then ends as if it had been sent SIGTERM, instead of leaving code-server running.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 1000);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
