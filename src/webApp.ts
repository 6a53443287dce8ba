// The built single-page app (dist/web): where it lives, whether it is older than its sources, and building it.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The checkout: the nearest folder above this module with a package.json (this file runs from src/ or dist/server/). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  return dir
}

export const PROJECT_ROOT = projectRoot()
export const WEB_ROOT = join(PROJECT_ROOT, 'web')
export const WEB_DIST = join(PROJECT_ROOT, 'dist', 'web')

// ../src/shared: the vocabularies the app imports as @shared/ (web/vite.config.ts).
const SOURCES = ['src', '../src/shared', 'index.html', 'vite.config.ts', 'package.json', 'public']

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/** True when dist/web is missing or any source of the app changed after the last build. */
export function webBuildIsStale(): boolean {
  const built = join(WEB_DIST, 'index.html')
  if (!existsSync(built)) return true
  const builtAt = statSync(built).mtimeMs
  return SOURCES.some((s) => newestMtime(join(WEB_ROOT, s)) > builtAt)
}

/** Builds the app with Vite when it is stale, so `npm install && npm start` works on a fresh clone. */
export function ensureWebBuilt(log: (line: string) => void = console.log): void {
  if (!webBuildIsStale()) return
  log('Building the web app (dist/web)…')
  // Node runs the build script itself: no shell and no `npm` command, which Windows spells npm.cmd.
  const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'build.js'), 'web'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  })
  if (result.status !== 0)
    throw new Error('Building the web app failed (npm run build); see the output above.')
}
