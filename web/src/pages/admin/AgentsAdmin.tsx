import { Outlet } from 'react-router'

export function AgentsAdmin() {
  return (
    <main className="page">
      <h1>AgentsAdmin</h1>
      <Outlet />
    </main>
  )
}
