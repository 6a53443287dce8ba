// Account settings and Mail preview in Chromium (issue 13). An agent turns two-factor sign-in on from the
// account page (the QR code, and the key read as text to compute the code with otplib), sees the recovery codes
// once, signs out, signs back in with a code, makes and revokes an access token, and ends a second browser's
// session from the sessions list. A newcomer without SMTP_URL resets a password by opening the link that
// Admin › Mail preview shows. axe-core on each page.
import { generate } from 'otplib'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage, seriousA11yViolations, signIn } from '../support/browser.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

const code = (secret: string, offsetSeconds = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds })

describe('account settings and Mail preview in Chromium', () => {
  let t: TestServer
  let browser: Browser
  beforeAll(async () => {
    t = await startServer('sqlite')
    t.app.config.mail.publicUrl = t.url
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  const sessionsTable = (page: Page) => page.getByRole('table', { name: 'Sessions' })

  it('enrols in two-factor, signs in with a code, and ends another session', async () => {
    const { page, problems } = await openPage(browser, t.url)
    await signIn(page, 'john@example.com')
    await page.getByRole('link', { name: 'Account' }).click()
    await page.getByRole('heading', { name: 'Account settings', level: 1 }).waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click()
    await page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor()
    const secret = (await page.getByLabel('Secret key').textContent())!.trim()
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/)
    expect(await seriousA11yViolations(page)).toEqual([])
    await page.getByLabel('Code from the app').fill(await code(secret))
    await page.getByRole('button', { name: 'Confirm and turn on' }).click()
    const recovery = await page
      .getByRole('list', { name: 'Recovery codes' })
      .getByRole('listitem')
      .allTextContents()
    expect(recovery).toHaveLength(10)
    await page.getByRole('button', { name: 'I have saved them' }).click()
    await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).waitFor()
    // Shown once: nothing on the page or from the server shows them again.
    expect(await page.getByRole('list', { name: 'Recovery codes' }).count()).toBe(0)

    // Sign out, then in again with the password and a code (the next time step: the confirm's is spent).
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL('**/login')
    await page.getByLabel('Email').fill('john@example.com')
    await page.getByLabel('Password').fill('demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByLabel('Code').fill(await code(secret, 30))
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((url) => !url.pathname.startsWith('/login'))

    // A second browser signs in with a recovery code.
    const other = await openPage(browser, t.url)
    await other.page.goto('/login')
    await other.page.getByLabel('Email').fill('john@example.com')
    await other.page.getByLabel('Password').fill('demo-password')
    await other.page.getByRole('button', { name: 'Sign in' }).click()
    await other.page.getByLabel('Code').fill(recovery[0]!)
    await other.page.getByRole('button', { name: 'Sign in' }).click()
    await other.page.waitForURL((url) => !url.pathname.startsWith('/login'))

    // Both sessions are listed, this one marked; the other one is signed out from here.
    await page.goto('/account')
    const rows = sessionsTable(page).getByRole('row')
    await expect.poll(() => rows.count()).toBe(3) // the header and two sessions
    await sessionsTable(page).getByText('(this device)').waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    const elsewhere = rows.filter({ hasNotText: 'this device' }).filter({ has: page.getByRole('button') })
    await elsewhere.getByRole('button', { name: /^Sign out / }).click()
    await expect.poll(() => rows.count()).toBe(2)
    expect((await other.context.request.get(`${t.url}/api/v1/auth/me`)).status()).toBe(401)
    expect((await page.context().request.get(`${t.url}/api/v1/auth/me`)).status()).toBe(200)

    // A personal access token: made with the password, shown once, listed, then revoked.
    const tokens = page.getByRole('region', { name: 'Personal access tokens' })
    await tokens.getByLabel('Token name').fill('ci script')
    await tokens.getByLabel('Current password').fill('demo-password')
    await tokens.getByRole('button', { name: 'Make token' }).click()
    const token = (await tokens.getByLabel('New access token').textContent())!.trim()
    expect(token).toMatch(/^sbp_/)
    const auth = { headers: { authorization: `Bearer ${token}` } }
    expect((await other.context.request.get(`${t.url}/api/v1/auth/me`, auth)).status()).toBe(200)
    await tokens.getByRole('button', { name: 'Revoke ci script' }).click()
    await tokens.getByText('You have no access tokens.').waitFor()
    expect((await other.context.request.get(`${t.url}/api/v1/auth/me`, auth)).status()).toBe(401)

    // Email alerts save as they change.
    const alerts = page.getByRole('region', { name: 'Email alerts' })
    await alerts.getByLabel('A ticket is assigned to me').uncheck()
    await alerts.getByRole('status').waitFor()
    await page.reload()
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: 'Email alerts' })
          .getByLabel('A ticket is assigned to me')
          .isChecked(),
      )
      .toBe(false)

    // Sign out everywhere ends this session too.
    await page.getByRole('button', { name: 'Sign out everywhere' }).click()
    await page.waitForURL('**/login')
    expect((await page.context().request.get(`${t.url}/api/v1/auth/me`)).status()).toBe(401)
    expect(problems.errors).toEqual([])
    expect(other.problems.errors).toEqual([])
    await other.context.close()
  })

  it('lets a newcomer without SMTP_URL finish a password reset from Mail preview', async () => {
    const visitor = await openPage(browser, t.url)
    await visitor.page.goto('/forgot-password')
    await visitor.page.getByLabel('Email').fill('lena@example.com')
    await visitor.page.getByRole('button', { name: 'Email me a link' }).click()
    await visitor.page.getByRole('status').waitFor()

    const { page, problems, context } = await openPage(browser, t.url)
    await signIn(page, 'admin@example.com')
    await page.getByRole('link', { name: 'Admin' }).click()
    const banner = page.getByRole('status').filter({ hasText: 'Mail is not being delivered' })
    await banner.getByRole('link', { name: 'Mail preview' }).click()
    await page.getByRole('heading', { name: 'Mail preview', level: 2 }).waitFor()
    await page
      .getByRole('button', { name: /password/i })
      .first()
      .click()
    await page
      .getByRole('cell', { name: /lena@example\.com/ })
      .first()
      .waitFor()
    const frame = page.frameLocator('iframe[title^="Message:"]')
    await frame
      .getByText(/reset-password#token=|set a new password/i)
      .first()
      .waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])

    const links = page.getByRole('navigation', { name: 'Links in this message' }).getByRole('link')
    const reset = links.filter({ hasText: '/reset-password#token=' })
    const [opened] = await Promise.all([context.waitForEvent('page'), reset.click()])
    await opened.waitForLoadState()
    await opened.getByLabel('New password (at least 10 characters)').fill('lena-new-password')
    await opened.getByLabel('New password again').fill('lena-new-password')
    await opened.getByRole('button', { name: 'Set new password' }).click()
    await opened.getByRole('status').filter({ hasText: 'Your new password is set' }).waitFor()

    await signIn(visitor.page, 'lena@example.com', 'lena-new-password')
    expect(visitor.page.url()).toContain('/portal')
    expect(problems.errors).toEqual([])
    expect(visitor.problems.errors).toEqual([])
  })
})
