// The OpenAPI document the server publishes at /api/v1/openapi.json, built in-process: the real route table on a
// throwaway SQLite file, so that generating the web app's types needs no running server. (Not `:memory:`: the
// reader and the writer are two connections, and each would get a database of its own.)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { buildServer } from '../src/server.ts'

export type OpenApiDocument = {
  openapi: string
  paths: Record<string, Record<string, unknown>>
  components?: Record<string, unknown>
}

export async function buildOpenApiDocument(): Promise<OpenApiDocument> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-openapi-'))
  const databaseUrl = `sqlite:${join(dir, 'openapi.db')}`
  const db = openDatabase(databaseUrl)
  try {
    await migrateToLatest(db)
    const app = await createApp({ ...loadConfig({}), databaseUrl }, db)
    const server = await buildServer(app)
    try {
      await server.ready()
      return server.swagger() as unknown as OpenApiDocument
    } finally {
      await server.close()
    }
  } finally {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
