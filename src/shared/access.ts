// What a personal access token or an API key may do, with the words the account and admin screens show. Which
// routes each scope opens is src/commands/accessTokens.ts and src/commands/apiKeys.ts; src/shared/ files
// import nothing (the web app bundles them too).

/** A personal access token's scopes: reading needs `read`, changing `write`, admin routes `admin` besides. */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]
export const TOKEN_SCOPE_LABELS: Record<TokenScope, string> = {
  read: 'Read',
  write: 'Write',
  admin: 'Admin',
}

/** tickets:create is osTicket's can_create_tickets; tasks:cron its can_exec_cron (POST /api/tasks/cron). */
export const API_KEY_SCOPES = [
  'tickets:create',
  'tickets:read',
  'tickets:write',
  'users:read',
  'users:write',
  'tasks:cron',
] as const
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number]

/** What each scope allows, for the OpenAPI document and the admin console. */
export const API_KEY_SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  'tickets:create':
    'open tickets: the osTicket-compatible API (X-API-Key), and POST /api/v1/tickets with Authorization: Bearer',
  'tickets:read': 'read tickets, queues, departments and statuses (GET /api/v1/tickets…, /api/v1/queues)',
  'tickets:write':
    'change tickets: open, reply, note, update, tag, follow (POST/PATCH/PUT/DELETE /api/v1/tickets…)',
  'users:read': 'read agents, customers and organisations (GET /api/v1/agents, /api/v1/admin/customers…)',
  'users:write': 'create and change customers and organisations (POST/PATCH /api/v1/admin/customers…)',
  'tasks:cron': "run one round of the periodic sweeps: POST /api/tasks/cron (osTicket's rcron.php)",
}
