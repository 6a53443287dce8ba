import { Outlet } from 'react-router'

export function OrganizationsAdmin() {
  return (
    <main className="page">
      <h1>OrganizationsAdmin</h1>
      <Outlet />
    </main>
  )
}
