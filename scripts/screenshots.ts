// Saves screenshots of the agent queue, the ticket view, the portal and the admin console at phone width
// and desktop width, in light and dark mode, under docs/screenshots/. Builds dist/web first if it is stale.
// Run: node bin/run-ts.js scripts/screenshots.ts
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { ensureWebBuilt } from '../src/webApp.ts'
import { launchBrowser } from '../test/support/browser.ts'
import { Client } from '../test/support/client.ts'
import { startServer } from '../test/support/testServer.ts'

const OUT = new URL('../docs/screenshots/', import.meta.url).pathname
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const
const SCHEMES = ['light', 'dark'] as const

ensureWebBuilt()
mkdirSync(OUT, { recursive: true })
const t = await startServer('sqlite')
let browser: Browser | undefined
try {
  const api = new Client(t.url)
  const ken = await api.as('ken@example.com')
  const lena = await api.as('lena@example.com')
  const john = await api.as('john@example.com')
  const tickets = [
    [ken, 'Email server down for the whole office', 'Nobody can send or receive mail since 9am.'],
    [lena, 'Invoice PDF will not open', 'The link in the invoice email shows a blank page.'],
    [ken, 'New starter needs a laptop on Monday', 'Anna joins the sales team on Monday.'],
    [lena, 'VPN drops every hour', 'It reconnects after a minute but calls drop.'],
    [ken, 'Printer on floor 2 jams on every job', 'Paper tray 2, since the toner change.'],
  ] as const
  const numbers: string[] = []
  for (const [who, subject, message] of tickets) {
    const res = await who.post('/api/v1/tickets', { subject, message })
    numbers.push(res.body.ticket.number)
  }
  // Enough more for the queue to look like a working day: a mix of priorities and requesters.
  const more = [
    ['Password reset link expired', 'low'],
    ['Shared drive is read-only', 'high'],
    ['Teams calls have no audio', 'normal'],
    ['Card payment declined twice', 'emergency'],
    ['Monitor flickers after update', 'normal'],
    ['Request: access to the CRM', 'low'],
    ['Wi-Fi in meeting room 3 is slow', 'normal'],
    ['Refund for duplicate order', 'high'],
    ['Outlook keeps asking for the password', 'normal'],
    ['Phone line in reception is dead', 'emergency'],
  ] as const
  const johnId = (await john.get('/api/v1/auth/me')).body.user.id
  for (const [i, [subject, priority]] of more.entries()) {
    await john.post('/api/v1/tickets', {
      subject,
      message: `${subject}.`,
      priority,
      requester: { email: i % 2 ? 'ken@example.com' : 'lena@example.com' },
    })
  }
  await john.post('/api/v1/views', {
    name: 'Urgent, by due time',
    shared: false,
    filters: { priority: ['high', 'emergency'], statusCategory: ['open', 'pending', 'on_hold'] },
    sort: { sort: 'due', order: 'asc' },
    columns: ['number', 'subject', 'requester', 'priority', 'assignee', 'sla', 'updated'],
  })
  const main = numbers[0]!
  const detail = await john.get(`/api/v1/tickets/${main}`)
  await john.patch(`/api/v1/tickets/${main}`, {
    version: detail.body.ticket.version,
    priority: 'emergency',
    assigneeAgentId: johnId,
    note: 'Emergency: the whole office is affected. Checking the mail queue on mx1 now.',
  })
  await john.post(`/api/v1/tickets/${main}/messages`, {
    body: 'We are on it: the mail server has a full disk. We expect mail to flow again within the hour.',
  })

  browser = await launchBrowser()
  const shots: [string, string, (page: Page) => Promise<void>][] = [
    [
      'agent-queue',
      'john@example.com',
      async (page) => {
        await page.goto('/agent/queues/open')
        await page.getByRole('link', { name: 'Email server down for the whole office' }).waitFor()
      },
    ],
    [
      'agent-queue-bulk',
      'john@example.com',
      async (page) => {
        await page.goto('/agent/queues/open')
        await page.getByRole('checkbox', { name: 'Select Card payment declined twice' }).check()
        await page.getByRole('checkbox', { name: 'Select Phone line in reception is dead' }).check()
        await page.getByRole('form', { name: 'Bulk actions' }).getByText('2 selected').waitFor()
      },
    ],
    [
      'ticket-view',
      'john@example.com',
      async (page) => {
        await page.goto(`/agent/tickets/${main}`)
        await page.getByText('We are on it').waitFor()
      },
    ],
    [
      'portal',
      'ken@example.com',
      async (page) => {
        await page.goto(`/portal/tickets/${main}`)
        await page.getByText('We are on it').waitFor()
      },
    ],
    [
      'admin',
      'admin@example.com',
      async (page) => {
        await page.goto('/admin/agents')
        await page.getByRole('cell', { name: 'John Doe' }).or(page.getByRole('alert')).first().waitFor()
      },
    ],
    [
      'admin-sla',
      'admin@example.com',
      async (page) => {
        await page.goto('/admin/sla-plans')
        await page.getByRole('button', { name: 'Save SLA settings' }).waitFor()
      },
    ],
  ]
  for (const [name, email, open] of shots) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      for (const colorScheme of SCHEMES) {
        const context = await browser.newContext({ baseURL: t.url, viewport, colorScheme })
        const page = await context.newPage()
        await page.goto('/login')
        await page.getByLabel('Email').fill(email)
        await page.getByLabel('Password').fill('demo-password')
        await page.getByRole('button', { name: 'Sign in' }).click()
        await page.waitForURL((url) => !url.pathname.startsWith('/login'))
        await open(page)
        await page.waitForLoadState('networkidle').catch(() => undefined)
        const file = join(OUT, `${name}-${size}-${colorScheme}.png`)
        await page.screenshot({ path: file, fullPage: true })
        console.log(`saved ${file}`)
        await context.close()
      }
    }
  }
} finally {
  await browser?.close()
  await t.close()
}
process.exit(0)
