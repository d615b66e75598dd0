#!/usr/bin/env bash
# API fuzzing: schemathesis (from PyPI) against the served OpenAPI document, with a write
# token of the demo organization. Starts a release `kehilla serve --demo` on a scratch SQLite
# database, makes the token through the UI as the demo owner, runs every check, stops.
# Not part of CI; the result is recorded in docs/security.md.
#
#   scripts/api-fuzz.sh [max examples per operation]   (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-50}"
venv="${KEHILLA_SCHEMATHESIS_VENV:-/var/tmp/kehilla-schemathesis}"
[ -x "$venv/bin/st" ] || { python3 -m venv "$venv"; "$venv/bin/pip" install -q schemathesis; }
cargo build -q --release -p kehilla
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
KEHILLA_DATABASE_URL="sqlite://$work/kehilla.sqlite3?mode=rwc" KEHILLA_DATA_DIR="$work/data" \
  KEHILLA_LISTEN="127.0.0.1:$port" KEHILLA_BASE_URL="$base" KEHILLA_LOG_LEVEL=warn \
  target/release/kehilla serve --demo >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.5; done
jar="$work/cookies"
csrf() { curl -s -b "$jar" -c "$jar" "$base$1" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1; }
curl -s -b "$jar" -c "$jar" -o /dev/null -X POST "$base/login" \
  --data-urlencode "csrf_token=$(csrf /login)" \
  --data-urlencode "email=dana@yad-beyad.example" --data-urlencode "password=kehilla-demo-2026"
token="$(curl -s -b "$jar" -c "$jar" -X POST "$base/orgs/yad-beyad/settings/tokens" \
  --data-urlencode "csrf_token=$(csrf /orgs/yad-beyad/settings/tokens)" \
  --data-urlencode "name=schemathesis" --data-urlencode "scope=write" |
  sed -n 's/.*id="new-token" readonly dir="ltr" value="\([^"]*\)".*/\1/p' | head -1)"
[ -n "$token" ] || { echo "no API token could be made"; exit 1; }
# Every operation on the demo organization (a random `{org}` would only meet 404s). Every check
# runs (schemathesis enables them all by default; `--checks all` on the command line would also
# override the per-operation settings below).
# Where valid data can still be refused for a reason no JSON Schema can state, a 422 is an
# expected answer to schema-valid data — on these operations only (docs/security.md):
#  - ids in a body that are well formed but name nothing of the organization (a post's media
#    and channels, a list member's person);
#  - a phone number libphonenumber's metadata refuses;
#  - an uploaded file whose bytes are not a picture or a video the server can read.
# And the upload is a multipart form, in which every field is text: "a number" or "null"
# where the document says string is only the text "7.1e16" or "null", so schema-violating
# data cannot be written there; the negative check is left out for it.
cat >"$work/schemathesis.toml" <<TOML
[parameters]
org = "yad-beyad"

[[operations]]
include-operation-id = ["createPost", "updatePost", "addListMember", "createPerson", "updatePerson"]
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]

[[operations]]
include-operation-id = "uploadMedia"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
checks.negative_data_rejection.enabled = false
TOML
"$venv/bin/st" --config-file "$work/schemathesis.toml" run "$base/api/openapi.json" \
  --header "Authorization: Bearer $token" \
  --max-examples "$examples" --workers 2
