import { useEffect } from 'react'
import { NavLink, Outlet } from 'react-router'
import { useCurrentUser } from '../Shell.tsx'
import { MailDeliveryBanner } from './MailPreviewAdmin.tsx'

const SECTIONS = [
  ['departments', 'Departments'],
  ['teams', 'Teams'],
  ['agents', 'Agents'],
  ['customers', 'Customers'],
  ['organizations', 'Organisations'],
  ['statuses', 'Statuses'],
  ['topics', 'Help topics'],
  ['custom-fields', 'Custom fields'],
  ['sla-plans', 'SLA plans'],
  ['schedules', 'Schedules'],
  ['rules', 'Rules'],
  ['canned-responses', 'Canned responses'],
  ['email', 'Email'],
  ['webhooks', 'Webhooks'],
  ['satisfaction', 'Satisfaction'],
  ['mail-preview', 'Mail preview'],
  ['api-keys', 'API keys'],
  ['sso', 'Single sign-on'],
  ['ldap', 'LDAP'],
  ['mailboxes', 'Mailboxes'],
  ['failed-mail', 'Failed mail'],
  ['mail-templates', 'Mail templates'],
  ['audit', 'Audit log'],
  ['security', 'Security policy'],
] as const

export function AdminLayout() {
  const me = useCurrentUser()
  useEffect(() => {
    document.title = 'Admin · Switchboard'
  }, [])
  if (!me.user.isAdmin)
    return (
      <main className="page">
        <h1>Admin</h1>
        <p role="alert" className="error">
          Only admins can use the admin console.
        </p>
      </main>
    )
  return (
    <main className="page admin">
      <h1>Admin</h1>
      <nav aria-label="Admin sections" className="admin-tabs">
        <ul>
          {SECTIONS.map(([path, name]) => (
            <li key={path}>
              <NavLink to={`/admin/${path}`}>{name}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <MailDeliveryBanner />
      <Outlet />
    </main>
  )
}

export function ActiveCell({ active }: { active: boolean }) {
  return <td>{active ? 'Active' : 'Disabled'}</td>
}
