#!/usr/bin/env bash
# The tracked-link benchmark of docs/benchmarks.md: /l/{code} (redirect + click recorded) against
# the bare redirect /-/redirect of the same server in the same run, on SQLite, with wrk from the
# same machine; then a run stopped by SIGTERM under load, counting that every answered
# redirect left its click. Usage: scripts/bench-links.sh [seconds per run] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-15}"
conns="${2:-32}"
port=18098
base="http://127.0.0.1:$port"
ua="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk sqlite3 >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk sqlite3 >/dev/null; fi
fi
cargo build --release -p kehilla --locked
bin="${CARGO_TARGET_DIR:-target}/release/kehilla"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/data/kehilla.sqlite3"

"$bin" demo --data-dir "$work/data" >/dev/null
start() {
  "$bin" serve --data-dir "$work/data" --listen "127.0.0.1:$port" --log-level warn --job-workers 0 &
  pid=$!
  for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.1; done
}
clicks() { sqlite3 "$db" "SELECT COUNT(*) FROM clicks"; }
start
code="$(sqlite3 "$db" "SELECT code FROM links ORDER BY id LIMIT 1")"
echo "machine: $(nproc) cores; link /l/$code"

# Counts 302 answers, so that recorded clicks can be compared with answered redirects.
cat > "$work/count.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) found = 0 end
function response(status, headers, body) if status == 302 then found = found + 1 end end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("found") end
  io.write(string.format("redirects answered: %d\n", n))
end
LUA

for path in "/-/redirect" "/l/$code"; do
  echo
  echo "== GET $path, $conns connections, ${secs}s"
  wrk -t2 -c"$conns" -d"${secs}s" --latency -H "User-Agent: $ua" "$base$path" | grep -E "Requests/sec|99%|Latency |Non-2xx"
done

echo
echo "== SIGTERM under load"
before="$(clicks)"
wrk -t2 -c"$conns" -d"$((secs + 30))s" -H "User-Agent: $ua" -s "$work/count.lua" "$base/l/$code" > "$work/wrk.out" 2>&1 &
wrk_pid=$!
sleep "$secs"
kill -TERM "$pid"
wait "$pid" || true
kill -INT "$wrk_pid" 2>/dev/null || true
wait "$wrk_pid" || true
answered="$(awk '/redirects answered/ {print $3}' "$work/wrk.out")"
after="$(clicks)"
echo "redirects answered by the server: ${answered:-?}; clicks recorded: $((after - before))"
