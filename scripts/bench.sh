#!/usr/bin/env bash
# The load run of docs/benchmarks.md: the login page and an authenticated page of the release
# build on SQLite, measured with wrk from the same machine, plus the resident memory of the
# server idle and under load. Usage: scripts/bench.sh [seconds per run] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-20}"
conns="${2:-32}"
port=18099
base="http://127.0.0.1:$port"

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; fi
fi
cargo build --release -p kehilla --locked
bin="${CARGO_TARGET_DIR:-target}/release/kehilla"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" demo --data-dir "$work/data" >/dev/null
"$bin" serve --data-dir "$work/data" --listen "127.0.0.1:$port" --log-level warn &
pid=$!
for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.1; done

rss() { awk -v k="$1" '$1 == k":" {print $2 " kB"}' "/proc/$pid/status"; }
sleep 1
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(uname -sr)"
echo "idle resident memory: $(rss VmRSS)"

# Log in as the demo owner the way a browser does: CSRF cookie first, then the form.
jar="$work/jar"
curl -fs -c "$jar" "$base/login" >/dev/null
csrf="$(awk '$6 == "kehilla_csrf" {print $7}' "$jar")"
curl -fs -b "$jar" -c "$jar" -o /dev/null \
  --data-urlencode "email=dana@yad-beyad.example" --data-urlencode "password=kehilla-demo-2026" \
  --data-urlencode "csrf_token=$csrf" "$base/login"
session="$(awk '$6 == "kehilla_session" {print $7}' "$jar")"
[ -n "$session" ] || { echo "login failed"; exit 1; }

echo
echo "== GET /login (anonymous), $conns connections, ${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" --latency "$base/login" | grep -E "Requests/sec|99%|Latency |Non-2xx"
echo
echo "== GET /orgs/yad-beyad (signed in), $conns connections, ${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: kehilla_session=$session; kehilla_csrf=$csrf" \
  "$base/orgs/yad-beyad" | grep -E "Requests/sec|99%|Latency |Non-2xx"
echo
echo "resident memory after load: $(rss VmRSS) (peak $(rss VmHWM))"
