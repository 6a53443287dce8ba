// Reads a Server-Sent Events stream over real HTTP and collects its events, for tests.
export interface SseEvent {
  event: string
  data: any
}

export class SseReader {
  readonly events: SseEvent[] = []
  private readonly controller = new AbortController()
  private waiters: (() => void)[] = []
  ready: Promise<void>

  constructor(url: string, token: string) {
    this.ready = this.open(url, token)
  }

  private async open(url: string, token: string): Promise<void> {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: this.controller.signal,
    })
    if (res.status !== 200 || !res.body) throw new Error(`SSE stream answered ${res.status}`)
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
    let buffer = ''
    let resolveReady!: () => void
    const readyPromise = new Promise<void>((r) => (resolveReady = r))
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read()
          if (done) return
          buffer += value
          let cut: number
          while ((cut = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, cut)
            buffer = buffer.slice(cut + 2)
            const lines = block.split('\n')
            const event = lines.find((l) => l.startsWith('event: '))?.slice(7)
            const data = lines.find((l) => l.startsWith('data: '))?.slice(6)
            if (!event || data === undefined) continue
            this.events.push({ event, data: JSON.parse(data) })
            if (event === 'ready') resolveReady()
            for (const w of this.waiters.splice(0)) w()
          }
        }
      } catch {
        // aborted
      }
    })()
    await readyPromise
  }

  /** Waits until an event matching `match` has arrived. */
  async waitFor(match: (e: SseEvent) => boolean): Promise<SseEvent> {
    for (;;) {
      const found = this.events.find(match)
      if (found) return found
      await new Promise<void>((r) => this.waiters.push(r))
    }
  }

  ticketEvents(): { type: string; ticketNumber: string; actorId?: number }[] {
    return this.events.filter((e) => e.event === 'ticket').map((e) => e.data)
  }

  close(): void {
    this.controller.abort()
  }
}
