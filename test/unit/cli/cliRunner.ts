// Runs the compiled command as a user would, with a home folder of its own so that no test reads
// the logs of tools installed on the machine running it.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const CLI = path.join(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export async function runAssay(args: string[], home: string, env: Record<string, string> = {}): Promise<CliResult> {
  const hermetic: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    // Where the command keeps its own ledger when it finds no editor's.
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    APPDATA: path.join(home, 'AppData', 'Roaming'),
  };
  // Nor the tools' folders or colour settings of the machine running the tests.
  for (const name of ['CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_CLI_HOME', 'CONTINUE_GLOBAL_DIR', 'CLINE_DIR', 'CLINE_DATA_DIR', 'COPILOT_OTEL_ENABLED', 'COPILOT_OTEL_FILE_EXPORTER_PATH', 'NO_COLOR', 'FORCE_COLOR']) {
    delete hermetic[name];
  }
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...hermetic, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
