#!/usr/bin/env node
// The `switchboard` command. Runs the compiled server in dist/server, compiling it first when it is missing or
// older than src/ (so a fresh clone needs no build step of its own). `mail:pipe` runs its own small build,
// which loads only mail intake: an MTA starts one process per message.
import { ensureServerBuilt } from './build.js'

try {
  await ensureServerBuilt()
} catch (error) {
  console.error(`switchboard: ${error instanceof Error ? error.message : String(error)}`)
  // EX_TEMPFAIL for the MTA (it keeps the message and retries); EX_SOFTWARE otherwise.
  process.exit(process.argv[2] === 'mail:pipe' ? 75 : 70)
}
await import(process.argv[2] === 'mail:pipe' ? '../dist/server/mail-pipe.js' : '../dist/server/cli.js')
