#!/usr/bin/env bash
# Runs every test of Kehilla: the dependency check (cargo-deny, offline), formatting, lints,
# unit, integration (SQLite and PostgreSQL) and browser tests. Sets up what it needs on a fresh machine: Chromium and ChromeDriver from
# Debian's packages, and the PostgreSQL server at 127.0.0.1:5432 (started when it is not
# running). Fails when PostgreSQL or the browser cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

echo "== browser: chromium and chromedriver"
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  apt_install chromium chromium-driver
fi
chromium --version

echo "== a font with Hebrew letters and pdftotext, for the report's PDF"
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || ! command -v pdftotext >/dev/null 2>&1; then
  apt_install fonts-dejavu-core poppler-utils
fi

echo "== S3-compatible server (moto) and a DKIM verifier (dkimpy), from PyPI"
moto_venv="${KEHILLA_MOTO_VENV:-/var/tmp/kehilla-moto}"
if [ ! -x "$moto_venv/bin/moto_server" ] || ! "$moto_venv/bin/python" -c "import dkim" 2>/dev/null; then
  command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv
  [ -x "$moto_venv/bin/pip" ] || python3 -m venv "$moto_venv" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$moto_venv"; }
  "$moto_venv/bin/pip" install -q "moto[server]==5.2.5" "dkimpy==1.1.8"
fi
export KEHILLA_S3_SERVER="$moto_venv/bin/moto_server"
export KEHILLA_DKIM_PYTHON="$moto_venv/bin/python"
"$KEHILLA_S3_SERVER" --help >/dev/null

echo "== Bluesky PDS (@atproto/pds and a PLC directory, from npm) for the Bluesky tests"
if ! command -v npm >/dev/null 2>&1; then apt_install nodejs npm; fi
for tool in g++ make; do command -v "$tool" >/dev/null 2>&1 || apt_install build-essential; done
export KEHILLA_PDS_DIR="${KEHILLA_PDS_DIR:-/var/tmp/kehilla-pds}"
scripts/pds/install.sh "$KEHILLA_PDS_DIR"

echo "== PostgreSQL at 127.0.0.1:5432"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if ! command -v pg_isready >/dev/null 2>&1; then
  apt_install postgresql
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  version="$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1 || true)"
  if [ -z "$version" ]; then apt_install postgresql; version="$(ls /etc/postgresql | sort -n | tail -1)"; fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 0.5; done
fi
pg_isready -h 127.0.0.1 -p 5432
if ! psql "$TEST_DATABASE_URL" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'CREATE DATABASE test' >/dev/null
fi
psql "$TEST_DATABASE_URL" -qAtc 'SELECT version()'

# CI builds in a cache outside its fresh clone, so that a run does not start from cold.
if [ -n "${CI:-}" ] && [ -z "${CARGO_TARGET_DIR:-}" ]; then
  export CARGO_TARGET_DIR=/var/tmp/kehilla-ci-target
fi
export KEHILLA_REQUIRE_BROWSER=1
export RUST_BACKTRACE="${RUST_BACKTRACE:-0}"

echo "== cargo-deny: licences, bans and sources (offline)"
deny_root="${KEHILLA_TOOLS:-/var/tmp/kehilla-tools}"
if [ ! -x "$deny_root/bin/cargo-deny" ]; then
  cargo install -q cargo-deny --locked --version 0.20.2 --root "$deny_root"
fi
# The checks read every package of the lock file, those of other platforms too: fetch them
# (from the Rust registry) so that the check itself needs no network.
cargo fetch --locked -q
"$deny_root/bin/cargo-deny" --offline check licenses bans sources

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test (SQLite and PostgreSQL; headless Chromium)"
log="$(mktemp)"
set +e
cargo test --workspace --all-targets --locked 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
echo "Screenshots of the browser tests are in target/screenshots/."
# One closing line for the whole run: the sum over every test binary.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i == "passed;") p += $(i - 1); if ($i == "failed;") f += $(i - 1) } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
rm -f "$log"
exit "$status"
