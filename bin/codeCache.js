// Runs a CommonJS bundle compiled from V8's code cache, kept beside it (FILE.cache). The first run compiles
// the source as usual and, at exit, saves the code of every function it ran; later runs skip the parse. A cache
// that V8 refuses (another Node version, other flags) is replaced the same way. Node 22 has
// module.enableCompileCache() for this; Node 20 does not.
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { Script } from 'node:vm'

/** Returns whether the code came from the cache. */
export function runWithCodeCache(file) {
  const cacheFile = `${file}.cache`
  let cachedData
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    // none yet
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData })
  const fromCache = cachedData !== undefined && !script.cachedDataRejected
  if (!fromCache) {
    process.once('exit', () => {
      try {
        // Several processes may start at once: each writes its own file and renames it, so none reads half.
        const partial = `${cacheFile}.${process.pid}`
        writeFileSync(partial, script.createCachedData())
        renameSync(partial, cacheFile)
      } catch {
        // Only a slower next start.
      }
    })
  }
  const module = { exports: {} }
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file))
  return fromCache
}
