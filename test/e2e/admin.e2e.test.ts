// The admin console in Chromium: create, edit, disable departments, teams, agents, customers, organisations.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations, signIn, type Problems } from '../support/browser.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

describe('the admin console in Chromium', () => {
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

  it('creates, edits and disables what an admin manages, and stays accessible', async () => {
    const { page, problems } = await openPage(browser, t.url)
    const all: Problems[] = [problems]
    await signIn(page, 'admin@example.com')
    await page.getByRole('link', { name: 'Admin' }).click()

    // Departments: create, rename, disable.
    await page.getByRole('heading', { name: 'Departments' }).waitFor()
    await page.getByRole('cell', { name: 'Billing', exact: true }).first().waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    const departmentForm = page.getByRole('form', { name: 'New department' })
    await departmentForm.getByLabel('Name').fill('Facilities')
    await departmentForm.getByLabel('Parent department').selectOption({ label: 'Support' })
    await page.getByRole('button', { name: 'Create department' }).click()
    await page.getByRole('button', { name: 'Edit Facilities' }).click()
    await page
      .getByRole('form', { name: 'Edit Facilities' })
      .getByLabel('Name')
      .fill('Facilities and Buildings')
    await page.getByRole('button', { name: 'Save department' }).click()
    await page.getByRole('button', { name: 'Disable Facilities and Buildings' }).click()
    await page
      .getByRole('alertdialog', { name: 'Disable Facilities and Buildings?' })
      .getByRole('button', { name: 'Disable' })
      .click()
    await page.getByRole('button', { name: 'Enable Facilities and Buildings' }).waitFor()

    // Organisations.
    await page.getByRole('link', { name: 'Organisations' }).click()
    await page.getByRole('form', { name: 'New organisation' }).getByLabel('Name').fill('Globex Trading')
    await page.getByRole('button', { name: 'Create organisation' }).click()
    await page.getByRole('cell', { name: 'Globex Trading', exact: true }).waitFor()

    // Customers: create one in Acme, then disable them.
    await page.getByRole('link', { name: 'Customers' }).click()
    const customerForm = page.getByRole('form', { name: 'New customer' })
    await customerForm.getByLabel('Name').fill('Omar Fox')
    await customerForm.getByLabel('Email').fill('omar@example.com')
    await customerForm.getByLabel('Organisation').selectOption({ label: 'Globex Trading' })
    await page.getByRole('button', { name: 'Create customer' }).click()
    await page.getByRole('cell', { name: 'omar@example.com', exact: true }).waitFor()
    await page.getByRole('button', { name: 'Disable Omar Fox' }).click()
    await page.getByRole('button', { name: 'Enable Omar Fox' }).waitFor()

    // Agents: a new agent with a role in Billing, then a role in Support too.
    await page.getByRole('link', { name: 'Agents' }).click()
    const agentForm = page.getByRole('form', { name: 'New agent' })
    await agentForm.getByLabel('Name').fill('Ola Berg')
    await agentForm.getByLabel('Email').fill('ola@example.com')
    await agentForm.getByLabel('Password').fill('ola-password-1')
    await agentForm.getByLabel('Role in Billing').selectOption({ label: 'Limited Access' })
    await page.getByRole('button', { name: 'Create agent' }).click()
    await page.getByRole('cell', { name: 'ola@example.com', exact: true }).waitFor()
    await page.getByRole('button', { name: 'Edit Ola Berg' }).click()
    await page.getByRole('form', { name: 'Edit Ola Berg' }).getByLabel('Role in Support').selectOption({
      label: 'View Only',
    })
    await page.getByRole('button', { name: 'Save agent' }).click()
    await page
      .getByRole('cell', {
        name: /Billing: Limited Access; Support: View Only|Support: View Only; Billing: Limited Access/,
      })
      .waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])

    // Teams: one with Ola in it.
    await page.getByRole('link', { name: 'Teams' }).click()
    const teamForm = page.getByRole('form', { name: 'New team' })
    await teamForm.getByLabel('Name').fill('Night shift')
    await teamForm.getByLabel('Ola Berg').check()
    await page.getByRole('button', { name: 'Create team' }).click()
    await page.getByRole('row', { name: /Night shift.*Ola Berg/ }).waitFor()

    // What the console did is what the API now says.
    const api = await new Client(t.url).as('admin@example.com')
    const agents = (await api.get('/api/v1/admin/agents')).body.items
    const ola = agents.find((a: { email: string }) => a.email === 'ola@example.com')
    expect(
      ola.memberships.map((m: { departmentName: string; role: string }) => [m.departmentName, m.role]).sort(),
    ).toEqual([
      ['Billing', 'limited_access'],
      ['Support', 'view_only'],
    ])
    const departments = (await api.get('/api/v1/admin/departments')).body.items
    expect(departments.find((d: { name: string }) => d.name === 'Facilities and Buildings')).toMatchObject({
      isActive: false,
    })
    expect(
      (
        await new Client(t.url).post('/api/v1/auth/login', {
          email: 'ola@example.com',
          password: 'ola-password-1',
        })
      ).status,
    ).toBe(200)

    // Agents who are not admins are kept out.
    const john = await openPage(browser, t.url)
    all.push(john.problems)
    await signIn(john.page, 'john@example.com')
    expect(await john.page.getByRole('link', { name: 'Admin' }).count()).toBe(0)
    await john.page.goto('/admin/agents')
    await john.page.getByRole('alert').filter({ hasText: 'Only admins' }).waitFor()

    for (const p of all) expect(p.errors).toEqual([])
  })
})
