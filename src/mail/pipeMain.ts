// The entry point of `switchboard mail:pipe` in the build (dist/server/mail-pipe.js): bin/switchboard.js loads
// it instead of the whole command line, so an MTA starting one process per message loads only mail intake.
import { mailPipeCommand } from './pipe.ts'

process.exit(await mailPipeCommand(process.argv.slice(3)))
