// The one file to edit for test/routeCoverage.test.ts, which fails on any route of the OpenAPI document that no
// page of the web app calls. Keys are 'METHOD /path' exactly as the document spells the path.
import type { WebHelper } from '../support/webApiCalls.ts'

/**
 * Reviewed: routes that no screen needs to call itself, each with its reason. Add one only with a reason a
 * reviewer would accept; a route a person would use belongs on a screen instead.
 */
export const API_ONLY: Record<string, string> = {
  'GET /healthz': 'for load balancers and monitoring, not people',
  'POST /api/tickets.json': 'osTicket-compatible intake for existing integrations (X-API-Key)',
  'POST /api/tickets.xml': 'osTicket-compatible intake for existing integrations (X-API-Key)',
  'POST /api/tickets.email': 'osTicket-compatible mail piping for existing scripts (X-API-Key)',
  'POST /api/tasks/cron': "osTicket's rcron.php for schedulers; the worker runs the same sweeps by itself",
  'GET /api/v1/tickets/{number}/tags': 'the ticket detail (GET /api/v1/tickets/{number}) carries the tags',
  'GET /api/v1/admin/webhooks/{id}': 'the webhook list already returns every field of each webhook',
  'GET /api/v1/tickets/{number}/attachments/{id}':
    'opened through the `url` the thread returns for each attachment, not a path the app builds',
  'GET /api/v1/tickets/{number}/attachments/{id}/preview':
    'shown through the `previewUrl` the thread returns for each image attachment',
  'GET /api/v1/kb/files/{id}': 'the short form of the `url` each article file has (…/files/{id}/{name})',
  'GET /api/v1/kb/files/{id}/{name}': 'opened and shown through the `url` each article file has',
}

/**
 * ⚠ SCREENS BEING BUILT THIS ROUND (issue 13): routes that have no screen yet. Not an allow-list: every entry
 * is a missing screen. The test fails once a page calls one of them, so that its entry is removed here; the
 * list must end empty.
 */
export const SCREENS_BEING_BUILT: Record<string, string> = {
  'GET /api/v1/auth/tokens': 'account: personal access tokens',
  'POST /api/v1/auth/tokens': 'account: personal access tokens',
  'DELETE /api/v1/auth/tokens/{id}': 'account: personal access tokens',
  'GET /api/v1/me/mail-alerts': 'account: mail-alert preferences',
  'PUT /api/v1/me/mail-alerts': 'account: mail-alert preferences',
  'GET /api/v1/admin/audit': 'admin: audit log',
  'GET /api/v1/admin/security': 'admin: security policy',
  'PUT /api/v1/admin/security': 'admin: security policy',
  'GET /api/v1/admin/failed-mail': 'admin: failed mail',
  'GET /api/v1/admin/failed-mail/{id}/raw': 'admin: failed mail',
  'POST /api/v1/admin/failed-mail/{id}/retry': 'admin: failed mail',
  'GET /api/v1/admin/api-keys': 'admin: API keys',
  'POST /api/v1/admin/api-keys': 'admin: API keys',
  'DELETE /api/v1/admin/api-keys/{id}': 'admin: API keys',
  'GET /api/v1/admin/mail-templates': 'admin: mail templates',
  'PUT /api/v1/admin/mail-templates/{key}': 'admin: mail templates',
  'POST /api/v1/admin/mailboxes': 'admin: IMAP mailboxes',
}

/**
 * Web functions and components that take a resource path and call the API on it, with the requests each makes
 * ('' is the path itself, '/{id}' one of its items). The scanner cannot see through a path passed in as an
 * argument, so a new helper of this kind is listed here.
 */
export const WEB_HELPERS: WebHelper[] = [
  { name: 'useAdminList', arg: 0, calls: [['GET', '']] },
  {
    name: 'useAdminSave',
    arg: 0,
    calls: [
      ['POST', ''],
      ['PATCH', '/{id}'],
    ],
  },
]
