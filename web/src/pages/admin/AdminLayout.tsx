import { Outlet } from 'react-router'

export function AdminLayout() {
  return (
    <main className="page">
      <h1>AdminLayout</h1>
      <Outlet />
    </main>
  )
}
