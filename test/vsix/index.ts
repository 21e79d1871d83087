// Loaded by the extension host in test mode beside the empty runner extension (test/vsix/runner):
// the suite checks the Assay that `code-server --install-extension assay-<version>.vsix` installed.
import { runMochaIn } from '../integration/index';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
