// The web app's API types (web/src/api/schema.d.ts) are generated from the OpenAPI document; this fails while the
// committed file is not what `npm run api:types` writes for today's routes, so a schema change cannot leave the
// web app typed against yesterday's API.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { API_TYPES_FILE, generateApiTypes } from '../scripts/apiTypes.ts'

describe('generated API types', () => {
  it('web/src/api/schema.d.ts matches the OpenAPI document (else run `npm run api:types`)', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8')
    const fresh = await generateApiTypes()
    if (committed !== fresh) {
      const a = committed.split('\n')
      const b = fresh.split('\n')
      const line = a.findIndex((l, i) => l !== b[i])
      expect.fail(
        `web/src/api/schema.d.ts is stale (first difference at line ${line + 1}: ` +
          `${JSON.stringify(a[line])} should be ${JSON.stringify(b[line])}); run \`npm run api:types\``,
      )
    }
  })
})
