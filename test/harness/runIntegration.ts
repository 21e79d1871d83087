// CLI: run the integration suite (test/integration) in code-server of one version.
//   node out/test/harness/runIntegration.js 4.100.3 [--settings file.json]
// Exits with the suite's exit code. ASSAY_TEST_GREP filters tests by title.
import * as fs from 'node:fs';
import { isCodeServerVersion, loadCodeServerInstall } from './codeServerInstall';
import { runExtensionTests } from './extensionTests';

function parseArguments(argv: string[]): { version: string; settings: Record<string, unknown> } {
  const [version, ...rest] = argv;
  let settings: Record<string, unknown> = {};
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--settings') settings = JSON.parse(fs.readFileSync(rest[++i], 'utf8')) as Record<string, unknown>;
    else throw new Error(`unknown argument ${rest[i]}`);
  }
  return { version, settings };
}

async function main(): Promise<void> {
  const { version, settings } = parseArguments(process.argv.slice(2));
  if (!isCodeServerVersion(version)) throw new Error(`usage: runIntegration <4.100.3|4.139.1> [--settings file.json]`);
  const env: Record<string, string> = {};
  if (process.env.ASSAY_TEST_GREP) env.ASSAY_TEST_GREP = process.env.ASSAY_TEST_GREP;
  process.exitCode = await runExtensionTests({ install: loadCodeServerInstall(version), settings, env });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
