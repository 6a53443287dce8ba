// The entry point of `switchboard mail:pipe` in the build (dist/server/mail-pipe.cjs): bin/switchboard.js loads
// it instead of the whole command line, so an MTA starting one process per message loads only mail intake.
// CommonJS (see bin/build.js), hence no top-level await.
import { mailPipeCommand } from './pipe.ts'

void mailPipeCommand(process.argv.slice(3)).then((code) => process.exit(code))
