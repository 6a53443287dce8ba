#!/usr/bin/env node
// Runs any TypeScript file of the project (benchmarks, scripts) through tsx: `node bin/run-ts.js bench/x.ts`.
import { register } from 'tsx/esm/api'
import { pathToFileURL } from 'node:url'
import { resolve } from 'node:path'

register()
const [file, ...rest] = process.argv.slice(2)
if (!file) {
  console.error('usage: node bin/run-ts.js <file.ts> [args…]')
  process.exit(64)
}
process.argv = [process.argv[0], resolve(file), ...rest]
await import(pathToFileURL(resolve(file)).href)
