#!/usr/bin/env bash
# `npm start`: installs what is missing (code-server 4.100.3 only, for speed), builds, and serves
# a throwaway VS Code with Assay and sample data on http://127.0.0.1:${PORT:-8080}.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ASSAY_REPO_ROOT"

ensure_debian_packages
ensure_node_modules
install_code_server "$CODE_SERVER_OLD"
note "building (logs: ${ASSAY_LOG_DIR#"$ASSAY_REPO_ROOT"/})"
node esbuild.mjs >"$ASSAY_LOG_DIR/esbuild.log" 2>&1 || { tail -n 20 "$ASSAY_LOG_DIR/esbuild.log"; exit 1; }
# Other parts of the tree may not type-check yet; tsc still emits, which is all this needs.
npx tsc -p . >"$ASSAY_LOG_DIR/typecheck.log" 2>&1 || note "tsc reported errors (see $ASSAY_LOG_DIR/typecheck.log); continuing"
exec node out/test/harness/launch.js
