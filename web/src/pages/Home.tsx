import { Navigate } from 'react-router'
import { homeFor, useMe } from '../auth.ts'

export function Home() {
  const me = useMe()
  return me.data ? <Navigate to={homeFor(me.data.user)} replace /> : null
}
