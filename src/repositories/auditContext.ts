// Where the current request came from, for the audit columns of every event written while serving it. Carried
// by AsyncLocalStorage so that the commands, which know nothing of HTTP, need not pass it along; the HTTP layer
// enters it once per request, and jobs and the command line run without one (their events have no IP).
import { AsyncLocalStorage } from 'node:async_hooks'

export interface AuditContext {
  ip: string | null
  userAgent: string | null
}

const storage = new AsyncLocalStorage<AuditContext>()

export function runWithAuditContext<T>(context: AuditContext, fn: () => T): T {
  return storage.run(context, fn)
}

export function currentAuditContext(): AuditContext {
  return storage.getStore() ?? { ip: null, userAgent: null }
}
