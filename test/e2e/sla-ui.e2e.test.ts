// SLA countdowns and canned responses in Chromium: an admin writes a canned response in the admin console, an
// agent sees the SLA countdown on the queue row and inserts the canned response (variables filled) in the composer.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/client.ts'
import { launchBrowser, openPage, seriousA11yViolations, signIn, type Problems } from '../support/browser.ts'
import { startServer, type TestServer } from '../support/testServer.ts'

describe('SLA countdowns and canned responses in Chromium', () => {
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

  it('shows a readable SLA countdown on queue rows and inserts a canned response in the composer', async () => {
    const subject = 'Invoice PDF will not open'
    const ken = await new Client(t.url).as('ken@example.com')
    const opened = await ken.post('/api/v1/tickets', { subject, message: 'The attachment is blank.' })
    expect(opened.status).toBe(201)
    const number = opened.body.ticket.number as string

    // The admin writes a canned response with variables.
    const admin = await openPage(browser, t.url)
    const all: Problems[] = [admin.problems]
    await signIn(admin.page, 'admin@example.com')
    await admin.page.getByRole('link', { name: 'Admin' }).click()
    await admin.page.getByRole('link', { name: 'Canned responses' }).click()
    const form = admin.page.getByRole('form', { name: 'New canned response' })
    await form.getByLabel('Title').fill('Looking into it')
    await form
      .getByLabel('Body')
      .fill('Hello {{requester.name}}, we are looking into ticket {{ticket.number}}.')
    await admin.page.getByRole('button', { name: 'Create canned response' }).click()
    await admin.page.getByRole('cell', { name: 'Looking into it', exact: true }).waitFor()
    expect(await seriousA11yViolations(admin.page)).toEqual([])

    // A help topic and a status, through the same kind of form.
    await admin.page.getByRole('link', { name: 'Help topics' }).click()
    const topicForm = admin.page.getByRole('form', { name: 'New help topic' })
    await topicForm.getByLabel('Name').fill('Refunds')
    await topicForm.getByLabel(/^Department/).selectOption({ label: 'Billing' })
    await admin.page.getByRole('button', { name: 'Create help topic' }).click()
    await admin.page.getByRole('row', { name: /Refunds.*Billing/ }).waitFor()
    expect(await seriousA11yViolations(admin.page)).toEqual([])
    await admin.page.getByRole('link', { name: 'Statuses' }).click()
    const statusForm = admin.page.getByRole('form', { name: 'New status' })
    await statusForm.getByLabel('Key').fill('awaiting_parts')
    await statusForm.getByLabel('Name').fill('Awaiting parts')
    await statusForm.getByLabel('Category').selectOption({ value: 'on_hold' })
    await admin.page.getByRole('button', { name: 'Create status' }).click()
    await admin.page.getByRole('cell', { name: 'Awaiting parts', exact: true }).waitFor()
    expect(await seriousA11yViolations(admin.page)).toEqual([])
    await admin.page.getByRole('link', { name: 'SLA plans' }).click()
    const planForm = admin.page.getByRole('form', { name: 'New SLA plan' })
    await planForm.getByLabel('Name').fill('Premium')
    await planForm.getByLabel('Emergency: First response (minutes)').fill('15')
    await planForm.getByLabel('Emergency: Resolution (minutes)').fill('120')
    await admin.page.getByRole('button', { name: 'Create SLA plan' }).click()
    await admin.page.getByRole('cell', { name: 'Premium', exact: true }).waitFor()
    expect(await seriousA11yViolations(admin.page)).toEqual([])
    await admin.page.getByRole('link', { name: 'Schedules' }).click()
    const scheduleForm = admin.page.getByRole('form', { name: 'New schedule' })
    await scheduleForm.getByLabel('Name').fill('Weekend desk')
    await scheduleForm.getByLabel('Time zone').fill('Europe/Berlin')
    await scheduleForm.getByLabel('Saturday opens').fill('10:00')
    await scheduleForm.getByLabel('Saturday closes').fill('14:00')
    await admin.page.getByRole('button', { name: 'Create schedule' }).click()
    await admin.page.getByRole('row', { name: /Weekend desk.*Europe\/Berlin.*Sat 10:00–14:00/ }).waitFor()
    expect(await seriousA11yViolations(admin.page)).toEqual([])
    await admin.page.getByRole('link', { name: 'Rules' }).click()
    const ruleForm = admin.page.getByRole('form', { name: 'New rule' })
    await ruleForm.getByLabel('Name').fill('Tag refunds')
    await ruleForm.getByRole('button', { name: 'Add condition' }).click()
    await ruleForm.getByLabel('Condition 1 value').fill('refund')
    await ruleForm.getByLabel('Action 1 value').fill('refund')
    await admin.page.getByRole('button', { name: 'Create rule' }).click()
    await admin.page.getByRole('row', { name: /Tag refunds.*ticket\.created.*add tag/ }).waitFor()
    expect(await seriousA11yViolations(admin.page)).toEqual([])

    // An agent sees the countdown as text on the queue row.
    const john = await openPage(browser, t.url)
    all.push(john.problems)
    await signIn(john.page, 'john@example.com')
    await john.page.goto('/agent/queues/open')
    const row = john.page.getByRole('row').filter({ hasText: subject })
    await row.getByText(/^(At risk: due|Due) in \d+ (d|h|min)/).waitFor()
    expect(await seriousA11yViolations(john.page)).toEqual([])

    // ...and in the ticket view, then inserts the canned response with its variables filled in.
    await row.getByRole('link', { name: subject }).click()
    await john.page
      .getByText(/^(At risk: due|Due) in \d+ (d|h|min)/)
      .first()
      .waitFor()
    await john.page.getByLabel('Insert canned response').selectOption({ label: 'Looking into it' })
    const message = john.page.getByLabel('Message')
    await expect
      .poll(async () => (await message.innerText()).trim())
      .toBe(`Hello Ken Adams, we are looking into ticket ${number}.`)
    expect(await seriousA11yViolations(john.page)).toEqual([])

    const api = await new Client(t.url).as('admin@example.com')
    const rules = (await api.get('/api/v1/admin/rules')).body.items
    expect(rules.find((r: { name: string }) => r.name === 'Tag refunds')).toMatchObject({
      event: 'ticket.created',
      conditions: [{ field: 'subject', op: 'contains', value: 'refund' }],
      actions: [{ type: 'add_tag', value: 'refund' }],
    })
    const plans = (await api.get('/api/v1/admin/sla-plans')).body.items
    expect(plans.find((p: { name: string }) => p.name === 'Premium').targets.emergency).toEqual({
      firstResponseMinutes: 15,
      nextResponseMinutes: null,
      resolutionMinutes: 120,
      hours: '24x7',
    })

    for (const p of all) expect(p.errors).toEqual([])
  })

  it('creates, lists and edits a select custom field in the admin console', async () => {
    const admin = await openPage(browser, t.url)
    await signIn(admin.page, 'admin@example.com')
    await admin.page.getByRole('link', { name: 'Admin' }).click()
    await admin.page.getByRole('link', { name: 'Custom fields' }).click()
    await admin.page.getByRole('heading', { name: 'Custom fields' }).waitFor()

    const form = admin.page.getByRole('form', { name: 'New custom field' })
    await form.getByLabel(/^Key/).fill('plan_tier')
    await form.getByLabel(/^Label/).fill('Plan')
    await form.getByLabel(/^Type/).selectOption({ label: 'Select (one option)' })
    await form.getByLabel('Options (one a line)').fill('Free\nPro\n\nEnterprise')
    await form.getByLabel('Shown to customers', { exact: true }).uncheck()
    await form.getByLabel('Required on create', { exact: true }).check()
    await admin.page.getByRole('button', { name: 'Create custom field' }).click()
    await admin.page
      .getByRole('row', {
        name: /plan_tier.*Plan.*Select \(one option\).*Free, Pro, Enterprise.*Agents only/,
      })
      .waitFor()
    expect(await seriousA11yViolations(admin.page)).toEqual([])

    // The API's refusal is shown as its message, and the form keeps what was typed.
    admin.problems.expect((text, url) => text.includes('409') && url.endsWith('/api/v1/admin/custom-fields'))
    await form.getByLabel(/^Key/).fill('plan_tier')
    await form.getByLabel(/^Label/).fill('Plan again')
    await form.getByLabel(/^Type/).selectOption({ value: 'text' })
    await admin.page.getByRole('button', { name: 'Create custom field' }).click()
    await admin.page.getByRole('alert').filter({ hasText: 'A field with that key exists.' }).waitFor()
    expect(await form.getByLabel(/^Label/).inputValue()).toBe('Plan again')
    expect(await seriousA11yViolations(admin.page)).toEqual([])

    // Edit: key and type are fixed; the label and options change, saved with Enter from the keyboard.
    await admin.page.getByRole('button', { name: 'Edit Plan', exact: true }).click()
    const editForm = admin.page.getByRole('form', { name: 'Edit Plan' })
    expect(await editForm.getByLabel(/^Key/).isDisabled()).toBe(true)
    expect(await editForm.getByLabel(/^Type/).isDisabled()).toBe(true)
    await editForm.getByLabel('Options (one a line)').fill('Free\nPro\nEnterprise\nTrial')
    await editForm.getByLabel(/^Label/).fill('Customer plan')
    await editForm.getByLabel(/^Label/).press('Enter')
    await admin.page
      .getByRole('row', { name: /plan_tier.*Customer plan.*Free, Pro, Enterprise, Trial/ })
      .waitFor()
    await admin.page.getByRole('form', { name: 'New custom field' }).waitFor()
    expect(await seriousA11yViolations(admin.page)).toEqual([])

    const api = await new Client(t.url).as('admin@example.com')
    const fields = (await api.get('/api/v1/admin/custom-fields')).body.items
    expect(fields.filter((f: { key: string }) => f.key === 'plan_tier')).toEqual([
      expect.objectContaining({
        key: 'plan_tier',
        label: 'Customer plan',
        type: 'select',
        options: ['Free', 'Pro', 'Enterprise', 'Trial'],
        clientVisible: false,
        agentVisible: true,
        requiredOnCreate: true,
        requiredToClose: false,
        isActive: true,
      }),
    ])

    // A help topic asks for the field: its form is chosen with a checkbox per custom field.
    await admin.page.getByRole('link', { name: 'Help topics' }).click()
    const topicForm = admin.page.getByRole('form', { name: 'New help topic' })
    await topicForm.getByLabel('Name').fill('Upgrades')
    await topicForm.getByRole('checkbox', { name: 'Customer plan (required)' }).check()
    await admin.page.getByRole('button', { name: 'Create help topic' }).click()
    await admin.page.getByRole('row', { name: /Upgrades.*plan_tier/ }).waitFor()
    expect(await seriousA11yViolations(admin.page)).toEqual([])
    const topics = (await api.get('/api/v1/admin/topics')).body.items
    expect(topics.find((x: { name: string }) => x.name === 'Upgrades')).toMatchObject({
      fields: ['plan_tier'],
    })

    // Disabling a field keeps its settings; enabling brings it back as it was.
    await admin.page.getByRole('link', { name: 'Custom fields' }).click()
    await admin.page.getByRole('button', { name: 'Disable Customer plan' }).click()
    await admin.page.getByRole('row', { name: /plan_tier.*Disabled/ }).waitFor()
    expect(await seriousA11yViolations(admin.page)).toEqual([])
    const disabled = (await api.get('/api/v1/admin/custom-fields')).body.items
    expect(disabled.find((f: { key: string }) => f.key === 'plan_tier')).toMatchObject({
      isActive: false,
      requiredOnCreate: true,
      options: ['Free', 'Pro', 'Enterprise', 'Trial'],
    })
    expect(
      (await api.get('/api/v1/custom-fields')).body.items.some((f: { key: string }) => f.key === 'plan_tier'),
    ).toBe(false)
    await admin.page.getByRole('button', { name: 'Enable Customer plan' }).click()
    await admin.page.getByRole('row', { name: /plan_tier.*Active/ }).waitFor()
    expect(admin.problems.errors).toEqual([])
  })

  // SLA settings, escalations and agent vacation in the console; each case leaves the server as it was.
  const everyPriority = (target: Record<string, unknown>) =>
    Object.fromEntries(['low', 'normal', 'high', 'emergency'].map((p) => [p, target]))
  const hourly = everyPriority({
    firstResponseMinutes: 60,
    nextResponseMinutes: null,
    resolutionMinutes: 480,
    hours: '24x7',
  })

  it('changes the default SLA plan and auto-close days on the SLA plans page', async () => {
    const api = await new Client(t.url).as('admin@example.com')
    const before = (await api.get('/api/v1/admin/sla-settings')).body
    const gold = await api.post('/api/v1/admin/sla-plans', { name: 'Gold (settings)', targets: hourly })
    expect(gold.status).toBe(201)

    const admin = await openPage(browser, t.url)
    await signIn(admin.page, 'admin@example.com')
    await admin.page.goto('/admin/sla-plans')
    const form = admin.page.getByRole('form', { name: 'SLA settings' })
    await expect.poll(() => form.getByLabel(/^Auto-close/).inputValue()).toBe(String(before.autoCloseDays))
    await form.getByLabel('Default SLA plan').selectOption({ label: 'Gold (settings)' })
    await form.getByLabel(/^Auto-close resolved tickets after/).fill('14')
    await form.getByRole('button', { name: 'Save SLA settings' }).click()
    await admin.page.getByText('SLA settings saved.').waitFor()
    expect(await seriousA11yViolations(admin.page)).toEqual([])
    expect((await api.get('/api/v1/admin/sla-settings')).body).toEqual({
      autoCloseDays: 14,
      defaultPlanId: gold.body.id,
    })

    // A fresh load shows what the server holds.
    await admin.page.reload()
    await expect.poll(() => form.getByLabel('Default SLA plan').inputValue()).toBe(String(gold.body.id))
    expect(await form.getByLabel(/^Auto-close/).inputValue()).toBe('14')

    expect((await api.request('PUT', '/api/v1/admin/sla-settings', before)).status).toBe(200)
    expect(admin.problems.errors).toEqual([])
    await admin.context.close()
  })

  it('adds and removes escalations of an SLA plan', async () => {
    const api = await new Client(t.url).as('admin@example.com')
    const team = await api.post('/api/v1/admin/teams', { name: 'Escalation desk' })
    expect(team.status).toBe(201)
    const plan = await api.post('/api/v1/admin/sla-plans', { name: 'Escalating', targets: hourly })
    expect(plan.status).toBe(201)
    const agents = (await api.get('/api/v1/admin/agents')).body.items as { id: number; name: string }[]
    const alex = agents.find((a) => a.name === 'Alex Kim')!
    const escalationsOf = async () =>
      (
        (await api.get('/api/v1/admin/sla-plans')).body.items as { id: number; escalations: unknown[] }[]
      ).find((p) => p.id === plan.body.id)?.escalations

    const admin = await openPage(browser, t.url)
    const { page } = admin
    await signIn(page, 'admin@example.com')
    await page.goto('/admin/sla-plans')
    await page.getByRole('button', { name: 'Edit Escalating' }).click()
    const form = page.getByRole('form', { name: 'Edit Escalating' })
    await form.getByRole('button', { name: 'Add escalation' }).click()
    await form.getByLabel('Escalation 1 when').selectOption({ label: 'Breached' })
    await form.getByLabel('Escalation 1 action').selectOption({ label: 'Notify a team' })
    await form.getByLabel('Escalation 1 team').selectOption({ label: 'Escalation desk' })
    await form.getByRole('button', { name: 'Add escalation' }).click()
    await form.getByLabel('Escalation 2 when').selectOption({ label: 'At risk' })
    await form.getByLabel('Escalation 2 action').selectOption({ label: 'Reassign' })
    await form.getByLabel('Escalation 2 agent').selectOption({ label: 'Alex Kim' })
    await form.getByRole('button', { name: 'Add escalation' }).click()
    await form.getByLabel('Escalation 3 action').selectOption({ label: 'Reassign' })
    expect(await form.getByLabel('Escalation 3 agent').inputValue()).toBe('') // auto-assign
    expect(await seriousA11yViolations(page)).toEqual([])
    await form.getByRole('button', { name: 'Save SLA plan' }).click()
    await page
      .getByRole('row', {
        name: /Escalating.*Breached: notify Escalation desk; At risk: reassign to Alex Kim; Breached: auto-assign/,
      })
      .waitFor()
    expect(await escalationsOf()).toEqual([
      { on: 'breached', type: 'notify_team', value: team.body.team.id },
      { on: 'at_risk', type: 'reassign', value: alex.id },
      { on: 'breached', type: 'reassign', value: null },
    ])

    // Editing again lists the saved rows; removing the first one keeps the others.
    await page.getByRole('button', { name: 'Edit Escalating' }).click()
    expect(await form.getByLabel('Escalation 1 team').inputValue()).toBe(String(team.body.team.id))
    await form.getByRole('button', { name: 'Remove escalation 1' }).click()
    expect(await form.getByLabel('Escalation 1 agent').inputValue()).toBe(String(alex.id))
    await form.getByRole('button', { name: 'Save SLA plan' }).click()
    await page
      .getByRole('row', { name: /Escalating.*At risk: reassign to Alex Kim; Breached: auto-assign/ })
      .waitFor()
    expect(await escalationsOf()).toEqual([
      { on: 'at_risk', type: 'reassign', value: alex.id },
      { on: 'breached', type: 'reassign', value: null },
    ])
    expect(admin.problems.errors).toEqual([])
    await admin.context.close()
  })

  it('puts an agent on vacation and back from the agents page, by keyboard', async () => {
    const onVacation = async () =>
      (
        await t.app.db.read
          .selectFrom('users')
          .select('on_vacation')
          .where('email', '=', 'alex@example.com')
          .executeTakeFirstOrThrow()
      ).on_vacation
    expect(await onVacation()).toBe(0)

    const admin = await openPage(browser, t.url)
    const { page } = admin
    await signIn(page, 'admin@example.com')
    await page.goto('/admin/agents')
    const row = page.getByRole('row', { name: /Alex Kim/ })
    await row.getByRole('cell', { name: 'Available', exact: true }).waitFor()
    await row.getByRole('button', { name: 'Start vacation for Alex Kim' }).focus()
    await page.keyboard.press('Enter')
    await row.getByRole('cell', { name: 'On vacation', exact: true }).waitFor()
    expect(await onVacation()).toBe(1)
    const api = await new Client(t.url).as('admin@example.com')
    const listed = (await api.get('/api/v1/admin/agents')).body.items as {
      name: string
      onVacation: boolean
    }[]
    expect(listed.find((a) => a.name === 'Alex Kim')?.onVacation).toBe(true)
    expect(await seriousA11yViolations(page)).toEqual([])

    await row.getByRole('button', { name: 'End vacation for Alex Kim' }).focus()
    await page.keyboard.press('Space')
    await row.getByRole('cell', { name: 'Available', exact: true }).waitFor()
    expect(await onVacation()).toBe(0)

    // A refusal shows the server's message (the answer is faked here: the console offers no refusable change).
    await page.route('**/api/v1/admin/agents/*/availability', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'not_found', message: 'No such agent.' } }),
      }),
    )
    admin.problems.expect((text) => text.includes('404'))
    await row.getByRole('button', { name: 'Start vacation for Alex Kim' }).click()
    await page.getByRole('alert').filter({ hasText: 'No such agent.' }).waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    expect(await onVacation()).toBe(0)
    expect(admin.problems.errors).toEqual([])
    await admin.context.close()
  })
})
