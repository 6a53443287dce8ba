#!/usr/bin/env node
// The `switchboard` command. Runs the compiled server in dist/server, compiling it first when it is missing or
// older than src/ (so a fresh clone needs no build step of its own). `mail:pipe` runs its own small build,
// which loads only mail intake, from V8's code cache: an MTA starts one process per message.
import { join } from 'node:path'
import { ensureServerBuilt, SERVER_DIST } from './build.js'
import { runWithCodeCache } from './codeCache.js'

const pipe = process.argv[2] === 'mail:pipe'
try {
  await ensureServerBuilt()
} catch (error) {
  console.error(`switchboard: ${error instanceof Error ? error.message : String(error)}`)
  // EX_TEMPFAIL for the MTA (it keeps the message and retries); EX_SOFTWARE otherwise.
  process.exit(pipe ? 75 : 70)
}
if (pipe) runWithCodeCache(join(SERVER_DIST, 'mail-pipe.cjs'))
else await import('../dist/server/cli.js')
