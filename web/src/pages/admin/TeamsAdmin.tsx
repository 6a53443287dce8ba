import { Outlet } from 'react-router'

export function TeamsAdmin() {
  return (
    <main className="page">
      <h1>TeamsAdmin</h1>
      <Outlet />
    </main>
  )
}
