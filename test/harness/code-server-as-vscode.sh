#!/usr/bin/env bash
# The executable @vscode/test-electron's runTests is pointed at here (see codeServerAsVscode.ts).
exec node "$(dirname "${BASH_SOURCE[0]}")/../../out/test/harness/codeServerAsVscode.js" "$@"
