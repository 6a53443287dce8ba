// The built single-page app (web/dist): where it lives, whether it is older than its sources, and building it.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url))
export const WEB_DIST = join(WEB_ROOT, 'dist')

const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json', 'public']

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/** True when web/dist is missing or any source of the app changed after the last build. */
export function webBuildIsStale(): boolean {
  const built = join(WEB_DIST, 'index.html')
  if (!existsSync(built)) return true
  const builtAt = statSync(built).mtimeMs
  return SOURCES.some((s) => newestMtime(join(WEB_ROOT, s)) > builtAt)
}

/** Builds the app with Vite when it is stale, so `npm install && npm start` works on a fresh clone. */
export function ensureWebBuilt(log: (line: string) => void = console.log): void {
  if (!webBuildIsStale()) return
  log('Building the web app (web/dist)…')
  const result = spawnSync('npm', ['run', 'build', '--workspace', 'web'], {
    cwd: join(WEB_ROOT, '..'),
    stdio: 'inherit',
    // vitest sets NODE_ENV=test, which would give Vite React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  })
  if (result.status !== 0)
    throw new Error('Building the web app failed (npm run build); see the output above.')
}
