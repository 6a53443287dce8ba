// vitest globalSetup: tests that start real processes run the compiled server (dist/server), and the
// end-to-end tests drive the built app (dist/web): build each once if it is stale.
import { ensureServerBuilt } from '../../bin/build.js'
import { ensureWebBuilt } from '../../src/webApp.ts'

export default async function setup(): Promise<void> {
  await ensureServerBuilt((line) => console.log(line))
  ensureWebBuilt((line) => console.log(line))
}
