// The account page's two-factor section in Chromium: an agent turns two-factor sign-in on with a code from the app (every other
// session ends), and turning it off needs the password and a code — a wrong one of either is refused.
import { generate } from 'otplib'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage, seriousA11yViolations } from '../support/browser.ts'
import { Client } from '../support/client.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

describe('the Security page in Chromium', () => {
  let t: TestServer
  let browser: Browser
  beforeAll(async () => {
    t = await startServer('sqlite')
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('turns two-factor sign-in on and off, asking for the password and a code to turn it off', async () => {
    const elsewhere = await new Client(t.url).as('john@example.com')
    const { page, problems } = await openPage(browser, t.url)
    await page.goto('/login')
    await page.getByLabel('Email').fill('john@example.com')
    await page.getByLabel('Password').fill('demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((url) => !url.pathname.startsWith('/login'))
    await page.getByRole('link', { name: 'Account' }).click()
    await page.getByRole('heading', { name: 'Account settings', level: 1 }).waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click()
    const secret = (await page.getByLabel('Secret key').textContent())!.trim()
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/)
    await page
      .getByLabel('Code from the app')
      .fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) }))
    await page.getByRole('button', { name: 'Confirm and turn on' }).click()
    await page.getByRole('status').filter({ hasText: 'Two-factor sign-in is on' }).waitFor()
    const recovery = await page
      .getByRole('list', { name: 'Recovery codes' })
      .getByRole('listitem')
      .allTextContents()
    expect(recovery).toHaveLength(10)
    expect(await seriousA11yViolations(page)).toEqual([])
    // Every other session ended; this one goes on.
    expect((await elsewhere.get('/api/v1/auth/me')).status).toBe(401)
    await page.getByRole('button', { name: 'I have saved them' }).click()

    // Turning it off: a wrong password is refused, so is a wrong code; the password and a recovery code work.
    await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).waitFor()
    const off = page.getByRole('form', { name: 'Two-factor sign-in' })
    problems.expect((text) => text.includes('403'))
    await off.getByLabel('Current password').fill('not-my-password')
    await off.getByLabel('Code from the app, or a recovery code').fill(recovery[0]!)
    await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click()
    await off.getByRole('alert').filter({ hasText: 'The current password is not correct' }).waitFor()
    problems.expect((text) => text.includes('403'))
    await off.getByLabel('Current password').fill('demo-password')
    await off.getByLabel('Code from the app, or a recovery code').fill('123456')
    await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click()
    await off.getByRole('alert').filter({ hasText: 'The code is not correct' }).waitFor()
    await off.getByLabel('Code from the app, or a recovery code').fill(recovery[0]!)
    await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click()
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).waitFor()
    const user = await t.app.db.read
      .selectFrom('users')
      .select('totp_enabled')
      .where('email', '=', 'john@example.com')
      .executeTakeFirstOrThrow()
    expect(user.totp_enabled).toBe(0)
    expect(problems.errors).toEqual([])
  })
})
