#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ for a set time each (default 60 s): cargo-fuzz (libFuzzer)
# on the nightly toolchain, without a sanitizer (Rust's checks find what matters here: panics,
# overflows, runaway loops). Not part of CI. A crash leaves its input in
# fuzz/artifacts/{target}/; turn it into a regression test before fixing it.
#
#   scripts/fuzz.sh [seconds] [target…]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-60}"
shift || true
tools="${KEHILLA_TOOLS:-/var/tmp/kehilla-tools}"
if [ ! -x "$tools/bin/cargo-fuzz" ]; then
  cargo install -q cargo-fuzz --locked --root "$tools"
fi
export PATH="$tools/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/kehilla-fuzz-target}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build -s none -O
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  [ -d "seeds/$t" ] && cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
  echo "== $t for ${seconds}s"
  cargo +nightly fuzz run -s none -O "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 |
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE|==[0-9]+== ERROR|SUMMARY|Done)" || true
done
