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
    const refetchLists = () => {
      void client.invalidateQueries({ queryKey: ['tickets'] })
      void client.invalidateQueries({ queryKey: ['queues'] })
      void client.invalidateQueries({ queryKey: ['notifications'] })
    }
    source.addEventListener('ticket', (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as { ticketNumber: string }
      void client.invalidateQueries({ queryKey: ['ticket', data.ticketNumber] })
      refetchLists()
    })
    // Events may have been missed: the stream reconnected after the server or its database was away
    // (a second `ready`), or the server says so (`resync`). Refetch what is shown; the server has it all.
    let connected = false
    const catchUp = () => {
      void client.invalidateQueries({ queryKey: ['ticket'] })
      refetchLists()
    }
    source.addEventListener('ready', () => {
      if (connected) catchUp()
      connected = true
    })
    source.addEventListener('resync', catchUp)
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
