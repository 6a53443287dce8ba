// The admin kit in Chromium (issue 13): an admin creates, edits and disables a resource of each kind through
// the one list-and-edit page, confirms a delete in an accessible dialog (focus inside, back on the opener
// after) and undoes it; the new settings screens work; and axe-core finds nothing serious on any admin page.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { receiveEmail } from '../../src/mail/receiveEmail.ts'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations, signIn } from '../support/browser.ts'
import { DOVECOT_PASSWORD, startDovecot, type Dovecot } from '../support/dovecot.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

// A string, evaluated in the page: the test's TypeScript has no DOM types.
const focusedLabel = (page: Page) =>
  page.evaluate<string>(
    `(() => { const el = document.activeElement; return el ? (el.getAttribute('aria-label') ?? el.textContent ?? '').trim() : '' })()`,
  )

describe('the admin kit in Chromium', () => {
  let t: TestServer
  let browser: Browser
  let dovecot: Dovecot
  beforeAll(async () => {
    dovecot = await startDovecot()
    t = await startServer('sqlite')
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
    await dovecot?.close()
  })

  it('creates, edits, disables, deletes with confirmation and undoes, on every kind of page', async () => {
    const { page, problems } = await openPage(browser, t.url)
    const api = await new Client(t.url).as('admin@example.com')
    await signIn(page, 'admin@example.com')

    // Departments: disabling asks first, and Undo enables again.
    await page.goto('/admin/departments')
    const newDepartment = page.getByRole('form', { name: 'New department' })
    await newDepartment.getByLabel('Name').fill('Returns')
    await page.getByRole('button', { name: 'Create department' }).click()
    await page.getByRole('button', { name: 'Edit Returns' }).click()
    await page.getByRole('form', { name: 'Edit Returns' }).getByLabel('Name').fill('Returns desk')
    await page.getByRole('button', { name: 'Save department' }).click()
    await page.getByRole('button', { name: 'Disable Returns desk' }).click()
    const dialog = page.getByRole('alertdialog', { name: 'Disable Returns desk?' })
    await dialog.waitFor()
    expect(await focusedLabel(page)).toBe('Cancel')
    expect(await seriousA11yViolations(page)).toEqual([])
    // Escape cancels, and focus goes back to the button that opened the dialog.
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await focusedLabel(page)).toBe('Disable Returns desk')
    await page.getByRole('button', { name: 'Disable Returns desk' }).click()
    await dialog.getByRole('button', { name: 'Disable' }).click()
    await page.getByRole('status').filter({ hasText: 'Returns desk disabled.' }).waitFor()
    await page.getByRole('button', { name: 'Enable Returns desk' }).waitFor()
    await page.getByRole('button', { name: 'Undo' }).click()
    await page.getByRole('button', { name: 'Disable Returns desk' }).waitFor()
    const departments = (await api.get('/api/v1/admin/departments')).body.items
    expect(departments.find((d: { name: string }) => d.name === 'Returns desk')).toMatchObject({
      isActive: true,
    })

    // Canned responses: a validation message under its field, then create, edit, delete, undo.
    await page.goto('/admin/canned-responses')
    const newCanned = page.getByRole('form', { name: 'New canned response' })
    await newCanned.getByLabel('Title').fill('   ')
    await page.getByRole('button', { name: 'Create canned response' }).click()
    await newCanned.getByText('Title cannot be empty').waitFor()
    expect(await newCanned.getByLabel('Title').getAttribute('aria-invalid')).toBe('true')
    await newCanned.getByLabel('Title').fill('Refund sent')
    await newCanned.getByLabel('Body').fill('We have sent your refund for {{ticket.number}}.')
    await page.getByRole('button', { name: 'Create canned response' }).click()
    await page.getByRole('cell', { name: 'Refund sent', exact: true }).waitFor()
    await page.getByRole('button', { name: 'Edit Refund sent' }).click()
    await page.getByRole('form', { name: 'Edit Refund sent' }).getByLabel('Title').fill('Refund issued')
    await page.getByRole('button', { name: 'Save canned response' }).click()
    await page.getByRole('cell', { name: 'Refund issued', exact: true }).waitFor()
    await page.getByRole('searchbox', { name: 'Find canned responses' }).fill('issued')
    expect(await page.getByRole('row').count()).toBe(2) // the header and the one match
    await page.getByRole('searchbox', { name: 'Find canned responses' }).fill('')
    await page.getByRole('button', { name: 'Delete Refund issued' }).click()
    await page
      .getByRole('alertdialog', { name: 'Delete Refund issued?' })
      .getByRole('button', { name: 'Delete' })
      .click()
    await page.getByRole('cell', { name: 'Refund issued', exact: true }).waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Undo' }).click()
    await page.getByRole('cell', { name: 'Refund issued', exact: true }).waitFor()
    const canned = (await api.get('/api/v1/admin/canned-responses')).body.items
    expect(canned.filter((c: { title: string }) => c.title === 'Refund issued')).toEqual([
      expect.objectContaining({ body: 'We have sent your refund for {{ticket.number}}.' }),
    ])

    // Organisations and teams: create, edit, disable (undo is offered, not needed).
    await page.goto('/admin/organizations')
    await page.getByRole('form', { name: 'New organisation' }).getByLabel('Name').fill('Initech')
    await page.getByRole('button', { name: 'Create organisation' }).click()
    await page.getByRole('button', { name: 'Edit Initech' }).click()
    await page.getByRole('form', { name: 'Edit Initech' }).getByLabel('Name').fill('Initech Ltd')
    await page.getByRole('button', { name: 'Save organisation' }).click()
    await page.getByRole('button', { name: 'Disable Initech Ltd' }).click()
    await page.getByRole('row', { name: /Initech Ltd.*Disabled/ }).waitFor()

    // IMAP mailboxes: create, test against a real server, change, disable, delete for good.
    await page.goto('/admin/mailboxes')
    const newMailbox = page.getByRole('form', { name: 'New mailbox' })
    await newMailbox.getByLabel('Name', { exact: true }).fill('Kit inbox')
    await newMailbox.getByLabel('Server', { exact: true }).fill('127.0.0.1')
    await newMailbox.getByLabel('Port', { exact: true }).fill(String(dovecot.port))
    await newMailbox.getByLabel('User name').fill('kit@example.com')
    await newMailbox.getByLabel('Password', { exact: true }).fill(DOVECOT_PASSWORD)
    await newMailbox.getByLabel(/^Department/).selectOption({ label: 'Billing' })
    await newMailbox.getByLabel('TLS (port 993)').uncheck()
    await page.getByRole('button', { name: 'Create mailbox' }).click()
    await page.getByRole('cell', { name: 'Kit inbox', exact: true }).waitFor()
    await page.getByRole('button', { name: 'Test connection of Kit inbox' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: /Kit inbox: connected, \d+ messages/ })
      .waitFor()
    await page.getByRole('button', { name: 'Edit Kit inbox' }).click()
    const editMailbox = page.getByRole('form', { name: 'Edit Kit inbox' })
    expect(await editMailbox.getByLabel('New password (empty: keep)').inputValue()).toBe('')
    await editMailbox.getByLabel('Name', { exact: true }).fill('Kit mailbox')
    await page.getByRole('button', { name: 'Save mailbox' }).click()
    await page.getByRole('cell', { name: 'Kit mailbox', exact: true }).waitFor()
    const stored = await t.app.db.read.selectFrom('mailboxes').select('password').executeTakeFirstOrThrow()
    expect(stored.password).toMatch(/^sealed:v1:/) // the empty field kept the password, still sealed
    await page.getByRole('button', { name: 'Test connection of Kit mailbox' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: /Kit mailbox: connected/ })
      .waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Disable Kit mailbox' }).click()
    await page.getByRole('row', { name: /Kit mailbox.*Disabled/ }).waitFor()
    await page.getByRole('button', { name: 'Delete Kit mailbox' }).click()
    await page
      .getByRole('alertdialog', { name: 'Delete Kit mailbox?' })
      .getByRole('button', { name: 'Delete' })
      .click()
    await page.getByRole('cell', { name: 'Kit mailbox', exact: true }).waitFor({ state: 'detached' })
    expect((await api.get('/api/v1/admin/mailboxes')).body.items).toEqual([])

    // Intake addresses: add, change, delete and undo (written again from the row).
    await page.goto('/admin/email')
    const newAddress = page.getByRole('form', { name: 'New address' })
    await newAddress.getByLabel('Address').fill('returns@example.com')
    await newAddress.getByLabel(/^Department/).selectOption({ label: 'Billing' })
    await page.getByRole('button', { name: 'Add address' }).click()
    await page.getByRole('button', { name: 'Edit returns@example.com' }).click()
    await page
      .getByRole('form', { name: 'Edit returns@example.com' })
      .getByLabel('Trusted authserv-ids')
      .fill('mx.example.com')
    await page.getByRole('button', { name: 'Save address' }).click()
    await page.getByRole('row', { name: /returns@example\.com.*Billing.*mx\.example\.com/ }).waitFor()
    await page.getByRole('button', { name: 'Delete returns@example.com' }).click()
    await page
      .getByRole('alertdialog', { name: 'Delete returns@example.com?' })
      .getByRole('button', { name: 'Delete' })
      .click()
    await page.getByRole('cell', { name: 'returns@example.com', exact: true }).waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Undo' }).click()
    await page.getByRole('row', { name: /returns@example\.com.*Billing.*mx\.example\.com/ }).waitFor()

    // Failed mail: read it raw, discard it, undo.
    const failed = await receiveEmail(
      t.app,
      Buffer.from('X-No-From: yes\r\nTo: support@example.com\r\nSubject: Kit lost\r\n\r\nLost.\r\n'),
      { source: 'pipe' },
    )
    if (failed.status !== 'failed') throw new Error(JSON.stringify(failed))
    await page.goto('/admin/failed-mail')
    const name = `message ${failed.inboundId}`
    await page.getByRole('button', { name: `View raw ${name}` }).click()
    await page.getByLabel(`Raw message ${failed.inboundId}`).getByText('Subject: Kit lost').waitFor()
    await page.getByRole('button', { name: `Delete ${name}` }).click()
    await page
      .getByRole('alertdialog', { name: `Delete ${name}?` })
      .getByRole('button', { name: 'Delete' })
      .click()
    await page.getByRole('button', { name: `View raw ${name}` }).waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Undo' }).click()
    await page.getByRole('button', { name: `View raw ${name}` }).waitFor()

    // Mail templates: edit one and preview it with sample data.
    await page.goto('/admin/mail-templates')
    await page.getByRole('button', { name: 'Edit Agent reply' }).click()
    const template = page.getByRole('form', { name: 'Edit Agent reply' })
    await template.getByLabel('Body').fill('Dear {{recipient.name}},\n{{message}}')
    await template.getByRole('button', { name: 'Preview' }).click()
    await page.frameLocator('iframe[title="Preview of the HTML part"]').getByText('Dear Ken Adams,').waitFor()
    await page.getByRole('button', { name: 'Save template' }).click()
    await page.getByRole('row', { name: /Agent reply.*Edited/ }).waitFor()
    await page.getByRole('button', { name: 'Reset Agent reply to the default' }).click()
    await page.getByRole('row', { name: /Agent reply.*Default/ }).waitFor()

    // Security policy and the audit log.
    await page.goto('/admin/security')
    const policy = page.getByRole('form', { name: 'Security policy' })
    await expect.poll(() => policy.getByLabel('Session lifetime (hours)').inputValue()).toBe('720')
    await policy.getByLabel('Session lifetime (hours)').fill('168')
    await page.getByRole('button', { name: 'Save security policy' }).click()
    await page.getByText('Security policy saved.').waitFor()
    expect((await api.get('/api/v1/admin/security')).body.sessionLifetimeHours).toBe(168)
    await page.goto('/admin/audit')
    const filter = page.getByRole('search', { name: 'Filter the audit log' })
    await filter.getByLabel('Event type').fill('settings.*')
    await filter.getByRole('button', { name: 'Filter', exact: true }).click()
    await page.getByRole('row', { name: /settings\.security_changed.*sessionLifetimeHours/ }).waitFor()
    expect(await page.getByRole('row', { name: /auth\.login/ }).count()).toBe(0)

    expect(problems.errors).toEqual([])
  })

  it('leaves no serious axe-core violation on any admin page', async () => {
    const { page, problems } = await openPage(browser, t.url)
    await signIn(page, 'admin@example.com')
    await page.goto('/admin')
    const nav = page.getByRole('navigation', { name: 'Admin sections' })
    await nav.getByRole('link').first().waitFor()
    const paths = await nav
      .getByRole('link')
      .evaluateAll((links) => links.map((l) => l.getAttribute('href') ?? ''))
    expect(paths.length).toBeGreaterThanOrEqual(19)
    const found: string[] = []
    for (const path of paths) {
      await page.goto(path)
      await page.getByRole('heading', { level: 2 }).first().waitFor()
      // Every list of the page has loaded (a page may load several at once).
      await expect
        .poll(
          () =>
            page
              .getByRole('status')
              .filter({ hasText: /^Loading/ })
              .count(),
          { timeout: 30_000 },
        )
        .toBe(0)
      for (const v of await seriousA11yViolations(page)) found.push(`${path}: ${v}`)
    }
    expect(found).toEqual([])
    expect(problems.errors).toEqual([])
  })
})
