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
export const SCREENS_BEING_BUILT: Record<string, string> = {}

const KIT = 'an admin-kit page: adminResource(path) returns the list/create/update/remove calls'
/**
 * Reviewed: routes a page calls through a path the scanner cannot follow (the admin kit's resource objects, a
 * path built from a name or from the API's own answer). Each names the page; the e2e tests exercise them.
 */
export const CALLED_INDIRECTLY: Record<string, string> = {
  'POST /api/v1/admin/departments': `DepartmentsAdmin, ${KIT}`,
  'PATCH /api/v1/admin/departments/{id}': `DepartmentsAdmin, ${KIT}`,
  'POST /api/v1/admin/teams': `TeamsAdmin, ${KIT}`,
  'PATCH /api/v1/admin/teams/{id}': `TeamsAdmin, ${KIT}`,
  'POST /api/v1/admin/customers': `CustomersAdmin, ${KIT}`,
  'PATCH /api/v1/admin/customers/{id}': `CustomersAdmin, ${KIT}`,
  'POST /api/v1/admin/organizations': `OrganizationsAdmin, ${KIT}`,
  'PATCH /api/v1/admin/organizations/{id}': `OrganizationsAdmin, ${KIT}`,
  'POST /api/v1/admin/statuses': `StatusesAdmin, ${KIT}`,
  'PATCH /api/v1/admin/statuses/{key}': `StatusesAdmin, ${KIT}`,
  'POST /api/v1/admin/canned-responses': `CannedAdmin, ${KIT}`,
  'PATCH /api/v1/admin/canned-responses/{id}': `CannedAdmin, ${KIT}`,
  'DELETE /api/v1/admin/canned-responses/{id}': `CannedAdmin, ${KIT}`,
  'GET /api/v1/admin/mailboxes': `MailboxesAdmin, ${KIT}`,
  'POST /api/v1/admin/mailboxes': `MailboxesAdmin, ${KIT}`,
  'PATCH /api/v1/admin/mailboxes/{id}': `MailboxesAdmin, ${KIT}`,
  'DELETE /api/v1/admin/mailboxes/{id}': `MailboxesAdmin, ${KIT}`,
  'GET /api/v1/admin/intake-addresses': `IntakeAddressesAdmin, ${KIT}`,
  'PUT /api/v1/admin/intake-addresses/{address}': `IntakeAddressesAdmin, ${KIT}`,
  'DELETE /api/v1/admin/intake-addresses/{address}': `IntakeAddressesAdmin, ${KIT}`,
  'GET /api/v1/admin/identity-providers/{id}': 'IdentityProvidersAdmin loads the provider it edits',
  'GET /api/v1/auth/oidc/{provider}/start':
    'SsoButtons: each provider of /auth/oidc/providers links to its start',
  'GET /api/v1/auth/oidc/{provider}/callback': 'the identity provider sends the browser here, not a page',
  'PATCH /api/v1/tickets/{number}/time/{id}': 'the ticket Time card edits an entry by the id in its row',
  'GET /api/v1/reports/overview': 'DashboardPage: useReport(name) builds /api/v1/reports/<name>',
  'GET /api/v1/reports/sla': 'DashboardPage: useReport(name) builds /api/v1/reports/<name>',
  'GET /api/v1/reports/agents': 'DashboardPage: useReport(name) builds /api/v1/reports/<name>',
  'GET /api/v1/reports/backlog': 'DashboardPage: useReport(name) builds /api/v1/reports/<name>',
  'GET /api/v1/reports/tickets.csv': 'the Export CSV links of the dashboard and the queue (reportsApi.ts)',
}

/** Calls the scanner sees but cannot resolve to one route (a path built from a name), each with its routes. */
export const UNRESOLVED_CALLS: Record<string, string> = {
  'GET /api/v1/reports/* (web/src/pages/agent/DashboardPage.tsx)':
    'the four reports listed in CALLED_INDIRECTLY',
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
