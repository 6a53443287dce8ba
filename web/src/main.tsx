import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router'
import { ApiError } from './api.ts'
import { AdminLayout } from './pages/admin/AdminLayout.tsx'
import { AgentsAdmin } from './pages/admin/AgentsAdmin.tsx'
import { AuditAdmin } from './pages/admin/AuditAdmin.tsx'
import { FailedMailAdmin } from './pages/admin/FailedMailAdmin.tsx'
import { MailboxesAdmin } from './pages/admin/MailboxesAdmin.tsx'
import { MailTemplatesAdmin } from './pages/admin/MailTemplatesAdmin.tsx'
import { SecurityAdmin } from './pages/admin/SecurityAdmin.tsx'
import { CannedAdmin } from './pages/admin/CannedAdmin.tsx'
import { CustomFieldsAdmin } from './pages/admin/CustomFieldsAdmin.tsx'
import { CustomersAdmin } from './pages/admin/CustomersAdmin.tsx'
import { DepartmentsAdmin } from './pages/admin/DepartmentsAdmin.tsx'
import { IntakeAddressesAdmin } from './pages/admin/IntakeAddressesAdmin.tsx'
import { OrganizationsAdmin } from './pages/admin/OrganizationsAdmin.tsx'
import { RulesAdmin } from './pages/admin/RulesAdmin.tsx'
import { SchedulesAdmin } from './pages/admin/SchedulesAdmin.tsx'
import { SlaPlansAdmin } from './pages/admin/SlaPlansAdmin.tsx'
import { StatusesAdmin } from './pages/admin/StatusesAdmin.tsx'
import { TeamsAdmin } from './pages/admin/TeamsAdmin.tsx'
import { TopicsAdmin } from './pages/admin/TopicsAdmin.tsx'
import { WebhooksAdmin } from './pages/admin/WebhooksAdmin.tsx'
import { SatisfactionAdmin } from './pages/admin/SatisfactionAdmin.tsx'
import { SatisfactionTimeReport } from './pages/agent/SatisfactionTimeReport.tsx'
import { SatisfactionLinkPage } from './pages/portal/SatisfactionLinkPage.tsx'
import { ApiKeysAdmin } from './pages/admin/ApiKeysAdmin.tsx'
import { IdentityProvidersAdmin } from './pages/admin/IdentityProvidersAdmin.tsx'
import { LdapAdmin } from './pages/admin/LdapAdmin.tsx'
import { AgentLayout } from './pages/agent/AgentLayout.tsx'
import { KbPage } from './pages/agent/KbPage.tsx'
import { DashboardPage } from './pages/agent/DashboardPage.tsx'
import { MacrosPage } from './pages/agent/MacrosPage.tsx'
import { NewTicketPage } from './pages/agent/NewTicketPage.tsx'
import { SignaturePage } from './pages/agent/SignaturePage.tsx'
import { QueuePage } from './pages/agent/QueuePage.tsx'
import { TicketPage } from './pages/agent/TicketPage.tsx'
import { MyTasksPage } from './ticket/MyTasksPage.tsx'
import { HelpArticle, HelpCategory, HelpHome, HelpLayout } from './pages/help/HelpCenter.tsx'
import { Home } from './pages/Home.tsx'
import { LoginPage } from './pages/LoginPage.tsx'
import { NotFound } from './pages/NotFound.tsx'
import { NotificationsPage } from './pages/NotificationsPage.tsx'
import { ForgotPasswordPage, ResetPasswordPage } from './pages/PasswordResetPages.tsx'
import { CheckStatusPage } from './pages/portal/CheckStatusPage.tsx'
import { MyTickets } from './pages/portal/MyTickets.tsx'
import { NewTicket } from './pages/portal/NewTicket.tsx'
import { PortalTicket } from './pages/portal/PortalTicket.tsx'
import { TicketLinkPage } from './pages/portal/TicketLinkPage.tsx'
import { RouteError } from './pages/RouteError.tsx'
import { SecurityPage } from './pages/SecurityPage.tsx'
import { MailPreviewAdmin } from './pages/admin/MailPreviewAdmin.tsx'
import { Shell } from './pages/Shell.tsx'
import { TicketRedirect } from './pages/TicketRedirect.tsx'
import './styles.css'

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A 4xx will not get better by asking again.
      retry: (count, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
})

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  // For customers without their password: no sign-in needed, so outside the Shell.
  { path: '/portal/check-status', element: <CheckStatusPage />, errorElement: <RouteError /> },
  { path: '/forgot-password', element: <ForgotPasswordPage />, errorElement: <RouteError /> },
  { path: '/reset-password', element: <ResetPasswordPage />, errorElement: <RouteError /> },
  { path: '/portal/ticket-link', element: <TicketLinkPage />, errorElement: <RouteError /> },
  { path: '/portal/satisfaction', element: <SatisfactionLinkPage />, errorElement: <RouteError /> },
  // The help center is readable signed out, so it has a frame of its own.
  {
    path: '/help',
    element: <HelpLayout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HelpHome /> },
      { path: 'categories/:slug', element: <HelpCategory /> },
      { path: 'articles/:slug', element: <HelpArticle /> },
    ],
  },
  {
    element: <Shell />,
    errorElement: <RouteError />,
    children: [
      { path: '/', element: <Home /> },
      { path: '/notifications', element: <NotificationsPage /> },
      { path: '/account', element: <SecurityPage /> },
      { path: '/account/security', element: <SecurityPage /> },
      { path: '/portal', element: <MyTickets /> },
      { path: '/portal/new', element: <NewTicket /> },
      { path: '/portal/tickets/:number', element: <PortalTicket /> },
      { path: '/tickets/:number', element: <TicketRedirect /> },
      {
        path: '/agent',
        element: <AgentLayout />,
        children: [
          { index: true, element: <Navigate to="/agent/queues/open" replace /> },
          { path: 'queues/:key', element: <QueuePage /> },
          { path: 'search', element: <QueuePage /> },
          { path: 'tickets/:number', element: <TicketPage /> },
          { path: 'macros', element: <MacrosPage /> },
          { path: 'tasks', element: <MyTasksPage /> },
          { path: 'new', element: <NewTicketPage /> },
          { path: 'signature', element: <SignaturePage /> },
          { path: 'kb', element: <KbPage /> },
          { path: 'reports/satisfaction-time', element: <SatisfactionTimeReport /> },
          { path: 'reports', element: <DashboardPage /> },
        ],
      },
      {
        path: '/admin',
        element: <AdminLayout />,
        children: [
          { index: true, element: <Navigate to="/admin/departments" replace /> },
          { path: 'departments', element: <DepartmentsAdmin /> },
          { path: 'teams', element: <TeamsAdmin /> },
          { path: 'agents', element: <AgentsAdmin /> },
          { path: 'customers', element: <CustomersAdmin /> },
          { path: 'organizations', element: <OrganizationsAdmin /> },
          { path: 'statuses', element: <StatusesAdmin /> },
          { path: 'canned-responses', element: <CannedAdmin /> },
          { path: 'topics', element: <TopicsAdmin /> },
          { path: 'custom-fields', element: <CustomFieldsAdmin /> },
          { path: 'sla-plans', element: <SlaPlansAdmin /> },
          { path: 'schedules', element: <SchedulesAdmin /> },
          { path: 'rules', element: <RulesAdmin /> },
          { path: 'email', element: <IntakeAddressesAdmin /> },
          { path: 'webhooks', element: <WebhooksAdmin /> },
          { path: 'satisfaction', element: <SatisfactionAdmin /> },
          { path: 'mail-preview', element: <MailPreviewAdmin /> },
          { path: 'api-keys', element: <ApiKeysAdmin /> },
          { path: 'sso', element: <IdentityProvidersAdmin /> },
          { path: 'ldap', element: <LdapAdmin /> },
          { path: 'mailboxes', element: <MailboxesAdmin /> },
          { path: 'failed-mail', element: <FailedMailAdmin /> },
          { path: 'mail-templates', element: <MailTemplatesAdmin /> },
          { path: 'audit', element: <AuditAdmin /> },
          { path: 'security', element: <SecurityAdmin /> },
        ],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
])

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
)
