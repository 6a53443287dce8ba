// vitest globalSetup: the end-to-end tests drive the built app, so build web/dist once if it is stale.
import { ensureWebBuilt } from '../../src/webApp.ts'

export default function setup(): void {
  ensureWebBuilt((line) => console.log(line))
}
