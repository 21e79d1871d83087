// Loaded by the extension host in test mode (see test/harness/extensionTests.ts): runs every
// compiled integration test with mocha and settles when they are done. The spec reporter's
// summary ("N passing", "N failing") reaches the harness through the workbench's log forwarding.
import * as fs from 'node:fs';
import * as path from 'node:path';
// mocha's CommonJS build, because the package's main entry is an ES module, which not every
// extension host's module loader can require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha: typeof import('mocha') = require('mocha/lib/mocha.cjs');

function integrationTestFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.test.js'))
    .sort()
    .map((file) => path.join(dir, file));
}

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}

/** Runs every `*.test.js` under `dir` (the .vsix smoke suite reuses this with its own folder). */
export async function runMochaIn(dir: string): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    // The workbench's log forwarding does not render ANSI colours.
    color: false,
    timeout: 30_000,
    grep: process.env.ASSAY_TEST_GREP,
  });
  for (const file of integrationTestFiles(dir)) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
