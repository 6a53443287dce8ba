#!/usr/bin/env node
// `npm run build`: compiles the server (src/ → dist/server) with esbuild and the web app (web/ → dist/web) with
// Vite. bin/switchboard.js calls ensureServerBuilt() before it runs anything, so a stale or missing build is
// rebuilt first; this file is plain JavaScript so that it runs before anything is compiled.
//
// esbuild rather than tsc: it keeps our `.ts` import specifiers working without rewriting them, bundles the
// ~120 source modules into a few chunks (each `await import()` of the CLI becomes its own chunk, so a
// subcommand loads only its code), and takes about a second where tsc's emit takes many; `npm run typecheck`
// (tsc --noEmit) stays the type checker.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const SERVER_DIST = join(ROOT, 'dist', 'server')
/** Written last by a build; its mtime is when the build finished. */
const STAMP = join(SERVER_DIST, 'build.json')
const SERVER_SOURCES = ['src', 'package.json', 'package-lock.json', 'bin/build.js']
const LOCK = join(ROOT, 'dist', '.server-build-lock')

// Native addons, and optional drivers we do not ship, are never bundled.
const NATIVE = ['better-sqlite3', '@node-rs/argon2', 'pg-native']

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/** True when dist/server is missing or any server source changed after the last build. */
export function serverBuildIsStale() {
  if (!existsSync(STAMP)) return true
  const builtAt = statSync(STAMP).mtimeMs
  return SERVER_SOURCES.some((s) => newestMtime(join(ROOT, s)) > builtAt)
}

async function loadEsbuild() {
  try {
    return await import('esbuild')
  } catch {
    return undefined
  }
}

/** Compiles src/ into dist/server. */
export async function buildServer() {
  const esbuild = await loadEsbuild()
  if (!esbuild) throw new Error('esbuild is not installed: run `npm install` (it is a devDependency)')
  rmSync(SERVER_DIST, { recursive: true, force: true })
  const common = {
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    logLevel: 'warning',
  }
  // The server and every subcommand: our code bundled, packages loaded from node_modules as usual.
  await esbuild.build({
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: SERVER_DIST,
    splitting: true,
    packages: 'external',
    chunkNames: 'chunks/[name]-[hash]',
  })
  // `mail:pipe` runs once per message, started by the MTA: one self-contained, minified file (the packages
  // it needs included), because resolving and parsing hundreds of small package files was most of its start.
  // CommonJS, so that bin/codeCache.js can compile it from V8's code cache: parsing the 2.4 MB bundle was
  // 145 ms of a 450 ms start.
  await esbuild.build({
    ...common,
    format: 'cjs',
    entryPoints: { 'mail-pipe': 'src/mail/pipeMain.ts' },
    outExtension: { '.js': '.cjs' },
    outdir: SERVER_DIST,
    minify: true,
    external: NATIVE,
    define: { 'import.meta.url': '__sbModuleUrl' },
    banner: { js: "var __sbModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  })
  writeFileSync(STAMP, JSON.stringify({ builtAt: new Date().toISOString(), node: process.version }) + '\n')
}

/** Builds the web app into dist/web with Vite (run by Node itself: no shell, so it works the same on Windows). */
export function buildWeb() {
  const vitePackage = createRequire(join(ROOT, 'web', 'package.json')).resolve('vite/package.json')
  const vite = join(dirname(vitePackage), 'bin', 'vite.js')
  const result = spawnSync(process.execPath, [vite, 'build'], {
    cwd: join(ROOT, 'web'),
    stdio: 'inherit',
    // vitest sets NODE_ENV=test, which would give Vite React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  })
  if (result.status !== 0) throw new Error('Building the web app failed (vite build); see the output above.')
}

/**
 * Rebuilds dist/server when it is stale. Several processes may start at once (tests, an MTA delivering a burst
 * of mail): one builds, under a lock directory, while the others wait and then find the build fresh.
 */
export async function ensureServerBuilt(log = (line) => console.error(line)) {
  if (!serverBuildIsStale()) return
  if (!(await loadEsbuild())) {
    // A production install without devDependencies: run what was built, say that it is older.
    if (existsSync(join(SERVER_DIST, 'cli.js'))) {
      log('switchboard: dist/server is older than src/, and esbuild is not installed to rebuild it.')
      return
    }
    throw new Error('dist/server is missing and esbuild is not installed: run `npm install && npm run build`')
  }
  mkdirSync(dirname(LOCK), { recursive: true })
  for (;;) {
    try {
      mkdirSync(LOCK)
      break
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
      // A builder that died leaves its lock behind; a build takes seconds, so an old lock is abandoned.
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > 120_000)
        rmSync(LOCK, { force: true, recursive: true })
      await sleep(100)
    }
  }
  try {
    if (!serverBuildIsStale()) return
    log('Compiling the server (dist/server)…')
    await buildServer()
  } finally {
    rmSync(LOCK, { force: true, recursive: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const only = process.argv[2]
  if (only !== 'web') await buildServer()
  if (only !== 'server') buildWeb()
}
