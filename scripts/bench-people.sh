#!/usr/bin/env bash
# The people benchmark of docs/benchmarks.md: import a generated CSV of N rows (default one
# million) with `kehilla import` on SQLite and on PostgreSQL, with the peak memory of the
# process, then count a three-condition segment over them. Usage: scripts/bench-people.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
pg_admin="${BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v /usr/bin/time >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
cargo build --release -p kehilla --locked
bin="${CARGO_TARGET_DIR:-target}/release/kehilla"
csv="$work/people.csv"
python3 scripts/gen-people.py "$n" "$csv"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; file: $n rows, $(du -h "$csv" | cut -f1)"
filter='{"op":"all","of":[{"op":"role","value":"donor"},{"op":"consent","channel":"email","purpose":"newsletter","state":"given"},{"op":"added_within","days":365}]}'

run() {
  local name="$1"; shift
  echo
  echo "== $name"
  "$bin" "$@" demo >/dev/null
  /usr/bin/time -f "peak resident memory: %M kB; wall %e s" "$bin" "$@" import "$csv" --org keren-or \
    --consent-channel email --consent-purpose newsletter --consent-basis "benchmark"
  for _ in 1 2 3; do "$bin" "$@" count --org keren-or "$filter"; done
}

run "SQLite" --data-dir "$work/data"

psql "$pg_admin" -qc "DROP DATABASE IF EXISTS kehilla_bench" -qc "CREATE DATABASE kehilla_bench" >/dev/null
run "PostgreSQL" --database-url "${pg_admin%/*}/kehilla_bench"
psql "$pg_admin" -qc "DROP DATABASE IF EXISTS kehilla_bench" >/dev/null
