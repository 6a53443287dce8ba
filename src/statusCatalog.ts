import type { Kysely } from 'kysely'
import type { DB } from './db/schema.ts'
import { STATUS_CATEGORIES, type StatusCategory } from './domain/tickets.ts'
import { listStatuses } from './repositories/directoryRepo.ts'

export interface TicketStatus {
  key: string
  name: string
  category: StatusCategory
  /** Order within the category; the catalog lists statuses by category, then position, then name. */
  position: number
}

/** The ticket statuses, held in memory: the table is tiny and read on every queue query. */
export class StatusCatalog {
  private byKey = new Map<string, TicketStatus>()

  async load(db: Kysely<DB>): Promise<void> {
    const rows = (await listStatuses(db)).filter((r): r is typeof r & { category: StatusCategory } =>
      (STATUS_CATEGORIES as readonly string[]).includes(r.category),
    )
    // Workflow order, the order every list of statuses (API and web selects) shows.
    rows.sort(
      (a, b) =>
        STATUS_CATEGORIES.indexOf(a.category) - STATUS_CATEGORIES.indexOf(b.category) ||
        a.position - b.position ||
        a.name.localeCompare(b.name),
    )
    this.byKey = new Map(rows.map((r) => [r.key, r]))
  }

  get(key: string): TicketStatus | undefined {
    return this.byKey.get(key)
  }

  /** The status's category; a status that has since been removed counts as open, so its tickets stay visible. */
  categoryOf(key: string): StatusCategory {
    return this.byKey.get(key)?.category ?? 'open'
  }

  keysIn(categories: readonly StatusCategory[]): string[] {
    return [...this.byKey.values()].filter((s) => categories.includes(s.category)).map((s) => s.key)
  }

  /** The status a reopened ticket goes back to. */
  reopenKey(): string {
    return this.byKey.has('open') ? 'open' : (this.keysIn(['open'])[0] ?? 'open')
  }

  all(): TicketStatus[] {
    return [...this.byKey.values()]
  }
}
