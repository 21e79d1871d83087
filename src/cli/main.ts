// The `assay` command: bundled to dist/cliMain.js, which the installed command (dist/cli.js, bin.ts) runs.
import { runCli } from './run';

// A reader that stops early (`assay report daily | head -1`) closes the pipe: that is the reader's
// choice, not an error, so the command ends quietly instead of dying on EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

void runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdoutIsTTY: process.stdout.isTTY === true,
}).then((status) => {
  process.exitCode = status;
});
