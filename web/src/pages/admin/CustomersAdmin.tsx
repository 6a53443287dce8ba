import { Outlet } from 'react-router'

export function CustomersAdmin() {
  return (
    <main className="page">
      <h1>CustomersAdmin</h1>
      <Outlet />
    </main>
  )
}
