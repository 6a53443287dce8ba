import { Outlet } from 'react-router'

export function DepartmentsAdmin() {
  return (
    <main className="page">
      <h1>DepartmentsAdmin</h1>
      <Outlet />
    </main>
  )
}
