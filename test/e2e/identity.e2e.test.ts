// Single sign-on, LDAP and API keys in Chromium (issue 18): an admin adds an OpenID Connect provider on its
// screen, makes and revokes an API key (shown once), saves LDAP settings; then someone signs in with the SSO
// button on the sign-in page against a real provider (oidc-provider) and lands in the agent panel.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage, seriousA11yViolations, signIn } from '../support/browser.ts'
import { TestOidcProvider } from '../support/oidcProvider.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

const SHOTS = process.env.SCREENSHOT_DIR

describe('single sign-on, LDAP and API keys in Chromium', () => {
  let t: TestServer
  let browser: Browser
  const idp = new TestOidcProvider()
  beforeAll(async () => {
    t = await startServer('sqlite')
    t.app.config.mail.publicUrl = t.url
    await idp.start(`${t.url}/api/v1/auth/oidc/corp/callback`)
    idp.accounts = { alice: { email: 'alice@corp.example', name: 'Alice Ward', groups: ['helpdesk'] } }
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
    await idp.stop()
  })

  it('sets up a provider, an API key and LDAP, then signs in with the SSO button', async () => {
    const { page, problems } = await openPage(browser, t.url)
    await signIn(page, 'admin@example.com')

    await page.goto('/admin/sso')
    await page.getByRole('heading', { name: 'Single sign-on' }).waitFor()
    const form = page.getByRole('form', { name: 'New provider' })
    await form.getByLabel('Name on the button').fill('Corp SSO')
    await form.getByLabel('Slug (in the URLs)').fill('corp')
    await form.getByLabel('Issuer URL').fill(idp.issuer)
    await form.getByLabel('Client ID').fill(idp.clientId)
    await form.getByLabel('Client secret').fill(idp.clientSecret)
    await form.getByLabel('Scopes').fill('openid email profile groups')
    await form.getByLabel('Allowed email domains (empty: any)').fill('corp.example')
    await form.getByRole('button', { name: 'Add a mapping' }).click()
    const mapping = form.getByRole('group', { name: 'Mapping 1' })
    await mapping.getByLabel('Group').fill('helpdesk')
    await mapping.getByLabel('Department').selectOption({ label: 'Support' })
    await page.getByRole('button', { name: 'Add provider' }).click()
    await page.getByRole('cell', { name: `${t.url}/api/v1/auth/oidc/corp/callback` }).waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/sso-admin.png`, fullPage: true })

    await page.goto('/admin/api-keys')
    const keyForm = page.getByRole('form', { name: 'New API key' })
    await keyForm.getByLabel('Name').fill('Chat bot')
    await keyForm.getByLabel('Allowed IP addresses or ranges (empty: any)').fill('127.0.0.0/8')
    await keyForm.getByRole('checkbox', { name: /tickets:read/ }).check()
    await page.getByRole('button', { name: 'Create API key' }).click()
    const shown = page.getByRole('status').filter({ hasText: 'shown only now' })
    const key = (await shown.locator('code').textContent())!
    expect(key).toMatch(/^sbk_/)
    const queue = await fetch(`${t.url}/api/v1/queues`, { headers: { authorization: `Bearer ${key}` } })
    expect(queue.status).toBe(200)
    await page.reload()
    await page.getByRole('button', { name: 'Revoke Chat bot' }).waitFor()
    expect(await page.getByText(key).count()).toBe(0)
    expect(await seriousA11yViolations(page)).toEqual([])
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/api-keys-admin.png`, fullPage: true })
    await page.getByRole('button', { name: 'Revoke Chat bot' }).click()
    await page.getByRole('button', { name: 'Revoke for good' }).click()
    await page.getByRole('cell', { name: /^Revoked/ }).waitFor()

    await page.goto('/admin/ldap')
    const ldap = page.getByRole('form', { name: 'LDAP settings' })
    await ldap.getByLabel('Directory URL').fill('ldap://127.0.0.1:1')
    await ldap.getByLabel('Search base', { exact: true }).fill('ou=people,dc=example,dc=test')
    await ldap.getByLabel('Service password').fill('a-service-password')
    await page.getByRole('button', { name: 'Save LDAP settings' }).click()
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/ldap-admin.png`, fullPage: true })

    // Someone else, in a fresh browser: the SSO button on the sign-in page.
    const visitor = await openPage(browser, t.url)
    idp.signInAs = 'alice'
    await visitor.page.goto('/login')
    const button = visitor.page.getByRole('link', { name: 'Sign in with Corp SSO' })
    await button.waitFor()
    expect(await seriousA11yViolations(visitor.page)).toEqual([])
    if (SHOTS) await visitor.page.screenshot({ path: `${SHOTS}/login-sso.png` })
    await button.click()
    await visitor.page.waitForURL(
      (url) => url.origin === new URL(t.url).origin && !url.pathname.startsWith('/login'),
    )
    const me = (await visitor.page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.json()))) as {
      user: { email: string; type: string }
    }
    expect(me.user).toMatchObject({ email: 'alice@corp.example', type: 'agent' })

    // A refusal comes back to the sign-in page with the reason.
    idp.accounts.mallory = { email: 'mallory@elsewhere.example', name: 'Mallory' }
    idp.signInAs = 'mallory'
    const stranger = await openPage(browser, t.url)
    await stranger.page.goto('/login')
    await stranger.page.getByRole('link', { name: 'Sign in with Corp SSO' }).click()
    await stranger.page
      .getByRole('alert')
      .filter({ hasText: 'addresses at that domain cannot sign in here' })
      .waitFor()

    expect([...problems.errors, ...visitor.problems.errors, ...stranger.problems.errors]).toEqual([])
  })
})
