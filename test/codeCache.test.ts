// mail:pipe runs from V8's code cache (bin/codeCache.js): the first run writes it, later runs use it, and a
// cache V8 refuses is replaced rather than trusted.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

const loader = pathToFileURL(join(import.meta.dirname, '..', 'bin', 'codeCache.js')).href

function run(file: string): { fromCache: boolean; output: unknown } {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { runWithCodeCache } = await import(${JSON.stringify(loader)})
       const fromCache = runWithCodeCache(${JSON.stringify(file)})
       console.log(JSON.stringify({ fromCache, output: globalThis.ran }))`,
    ],
    { encoding: 'utf8' },
  )
  return JSON.parse(out)
}

describe('the code cache of mail:pipe', () => {
  it('is written by the first run, used by the next, and replaced when V8 refuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-codecache-'))
    const file = join(dir, 'bundle.cjs')
    writeFileSync(
      file,
      `const path = require('node:path')\nfunction add(a, b) { return a + b }\n` +
        `globalThis.ran = { sum: add(2, 3), name: path.basename(__filename), exported: typeof module.exports }\n`,
    )
    const expected = { sum: 5, name: 'bundle.cjs', exported: 'object' }
    expect(run(file)).toEqual({ fromCache: false, output: expected })
    expect(existsSync(`${file}.cache`)).toBe(true)
    expect(run(file)).toEqual({ fromCache: true, output: expected })

    writeFileSync(`${file}.cache`, Buffer.from('not a code cache'))
    expect(run(file)).toEqual({ fromCache: false, output: expected })
    expect(readFileSync(`${file}.cache`).toString()).not.toBe('not a code cache')
    expect(run(file)).toEqual({ fromCache: true, output: expected })
  })
})
