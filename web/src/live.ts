// One Server-Sent Events stream per signed-in tab. A ticket event makes the app refetch what it shows of
// that ticket (the event carries no content); presence events feed a small store the ticket page reads.
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useSyncExternalStore } from 'react'

export interface Viewer {
  id: number
  name: string
  state: 'viewing' | 'typing'
}

const presence = new Map<string, Viewer[]>()
const listeners = new Set<() => void>()

function setPresence(ticketNumber: string, viewers: Viewer[]) {
  presence.set(ticketNumber, viewers)
  for (const l of listeners) l()
}

export function usePresence(ticketNumber: string): Viewer[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => presence.get(ticketNumber) ?? NONE,
  )
}
const NONE: Viewer[] = []

export function useLiveEvents(enabled: boolean): void {
  const client = useQueryClient()
  useEffect(() => {
    if (!enabled) return
    const source = new EventSource('/api/v1/events')
    source.addEventListener('ticket', (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as { ticketNumber: string }
      void client.invalidateQueries({ queryKey: ['ticket', data.ticketNumber] })
      void client.invalidateQueries({ queryKey: ['tickets'] })
      void client.invalidateQueries({ queryKey: ['queues'] })
      void client.invalidateQueries({ queryKey: ['notifications'] })
    })
    // A ticket left this agent's queues (transferred or reassigned away): only the lists and counts change.
    source.addEventListener('queues', () => {
      void client.invalidateQueries({ queryKey: ['tickets'] })
      void client.invalidateQueries({ queryKey: ['queues'] })
    })
    source.addEventListener('presence', (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as { ticketNumber: string; viewers: Viewer[] }
      setPresence(data.ticketNumber, data.viewers)
    })
    return () => source.close()
  }, [enabled, client])
}

export { setPresence }
