// Every piece of SQL that differs between SQLite and PostgreSQL lives here, and is tested on both.
import { CompiledQuery, sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import type { DB } from './schema.ts'
import { reusable } from './reusable.ts'

export type Dialect = 'sqlite' | 'postgres'

/** The id the next ticket will get, reserved inside the caller's transaction. */
export async function nextTicketId(dialect: Dialect, trx: Kysely<DB>): Promise<number> {
  if (dialect === 'postgres') {
    const { rows } = await sql<{
      id: number
    }>`select nextval(pg_get_serial_sequence('tickets', 'id'))::integer as id`.execute(trx)
    return rows[0]!.id
  }
  // SQLite has one writer at a time (BEGIN IMMEDIATE), so max(id) + 1 cannot race.
  const { rows } = await sql<{ id: number }>`select coalesce(max(id), 0) + 1 as id from tickets`.execute(trx)
  return rows[0]!.id
}

async function takeTicketNumber(dialect: Dialect, trx: Kysely<DB>): Promise<number> {
  if (dialect === 'postgres') {
    const { rows } = await sql<{ n: string }>`select nextval('ticket_number_seq') as n`.execute(trx)
    return Number(rows[0]!.n)
  }
  const row = (await bumpTicketNumber(trx))[0]!
  return row.next - 1
}

// Every ticket created runs these two: compiled once (see reusable).
const bumpTicketNumber = reusable((db) =>
  db
    .updateTable('ticket_number_seq')
    .set((eb) => ({ next: eb('next', '+', 1) }))
    .where('id', '=', 1)
    .returning('next'),
)
const ticketWithNumber = reusable((db, number: string) =>
  db.selectFrom('tickets').select('id').where('number', '=', number),
)

/**
 * The number the next ticket gets (migration 0017): the counter's next value, skipping numbers already taken
 * (imported tickets keep theirs). On PostgreSQL a sequence, so concurrent tickets never wait on each other.
 */
export async function nextTicketNumber(dialect: Dialect, trx: Kysely<DB>): Promise<string> {
  for (;;) {
    const number = String(await takeTicketNumber(dialect, trx))
    const taken = (await ticketWithNumber(trx, number))[0]
    if (!taken) return number
  }
}

/** Moves the ticket number counter past `atLeast` (after writing tickets with numbers of their own). */
export async function advanceTicketNumbers(dialect: Dialect, db: Kysely<DB>, atLeast: number): Promise<void> {
  if (!Number.isSafeInteger(atLeast)) return
  if (dialect === 'postgres') {
    await sql`select setval('ticket_number_seq', greatest(${atLeast}::bigint, (select last_value from ticket_number_seq)))`.execute(
      db,
    )
    return
  }
  await db
    .updateTable('ticket_number_seq')
    .set({ next: sql`max(next, ${atLeast + 1})` })
    .where('id', '=', 1)
    .execute()
}

export interface SearchRow {
  ticketId: number
  /** Thread entry id, or null for the ticket's subject. */
  entryId: number | null
  content: string
  internal: boolean
}

/** Writes rows to SQLite's full-text index (see Database.indexForSearch for when). */
export async function insertSearchRows(trx: Kysely<DB>, rows: SearchRow[]): Promise<void> {
  // 4 parameters a row; SQLite allows 32,766 in one statement.
  for (let i = 0; i < rows.length; i += 1000) {
    const values = rows
      .slice(i, i + 1000)
      .map(
        (row) =>
          sql`(${row.entryId ?? -row.ticketId}, ${row.content}, ${row.ticketId}, ${row.internal ? 1 : 0})`,
      )
    await sql`insert or replace into ticket_search (rowid, content, ticket_id, internal)
      values ${sql.join(values)}`.execute(trx)
  }
}

/** Words of a user's query, stripped of every search-syntax character, so no input can be an operator. */
export function searchTerms(q: string): string[] {
  return q
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 16)
}

/**
 * How many thread entries (and, apart, subjects) a word search reads at most, newest first. A common word
 * matches hundreds of thousands of entries at a million tickets; gathering them all froze the server (SQLite
 * runs in the event loop's thread) for 15 s. A search finds its tickets among the newest matches instead.
 */
export const SEARCH_MATCHES_READ = 2000

/** The last word of a search matches as a prefix from this many characters on. */
export const MIN_PREFIX = 4

/**
 * A condition on `tickets.id` matching every term of `q` in the subject or a thread entry.
 * `includeNotes` is false for customers: an internal note must never make a ticket match for them.
 */
export function ticketMatches(dialect: Dialect, q: string, includeNotes: boolean): Expression<SqlBool> {
  const terms = searchTerms(q)
  if (terms.length === 0) return sql<SqlBool>`1 = 0`
  if (dialect === 'sqlite') {
    // Each term quoted (FTS5 string syntax), the last one as a prefix: "refund" "invo"*. A short prefix expands
    // to every word it begins and FTS5 merges all their lists: "the"* took 260 ms at 1M tickets, "the" 4 ms.
    // So a prefix needs four characters.
    const match = terms
      .map((t, i) => `"${t}"${i === terms.length - 1 && [...t].length >= MIN_PREFIX ? '*' : ''}`)
      .join(' ')
    const notes = includeNotes ? sql`` : sql`and internal = 0`
    // Entries have their own ids as rowids (newest highest), subjects minus the ticket id (newest lowest);
    // FTS5 walks its index in rowid order and stops at the LIMIT.
    return sql<SqlBool>`tickets.id in (
      select ticket_id from (select ticket_id from ticket_search where ticket_search match ${match}
        and rowid > 0 ${notes} order by rowid desc limit ${SEARCH_MATCHES_READ})
      union all
      select ticket_id from (select ticket_id from ticket_search where ticket_search match ${match}
        and rowid < 0 order by rowid limit ${SEARCH_MATCHES_READ}))`
  }
  const query = terms
    .map(
      (t, i) =>
        `'${t.replace(/'/g, "''")}'${i === terms.length - 1 && [...t].length >= MIN_PREFIX ? ':*' : ''}`,
    )
    .join(' & ')
  return sql<SqlBool>`tickets.id = any(array(${pgWordMatches(query, includeNotes)}))`
}

/**
 * PostgreSQL: the ids of tickets whose subject or thread has the words, newest matches first, as a set the
 * list joins (like SQLite's). Written as an OR beside the list's other conditions, the planner walked the
 * activity index through all million tickets testing each (1.2 s for a ticket number, over 5 s for a word).
 */
function pgWordMatches(query: string, includeNotes: boolean) {
  // Customers: entries a merge brought from another ticket never make a ticket match (the thread hides them).
  const kinds = includeNotes ? sql`` : sql`and e.kind <> 'note' and e.origin_ticket_id is null`
  return sql`select id from (select s.id from tickets s where s.subject_tsv @@ to_tsquery('simple', ${query})
                             order by s.id desc limit ${SEARCH_MATCHES_READ}) subjects
    union all
    select ticket_id from (select e.ticket_id from thread_entries e
                           where e.body_tsv @@ to_tsquery('simple', ${query}) ${kinds}
                           order by e.id desc limit ${SEARCH_MATCHES_READ}) entries`
}

/** PostgreSQL's tsquery of a search's words (every term, the last as a prefix from MIN_PREFIX characters). */
export function pgSearchQuery(q: string): string | undefined {
  const terms = searchTerms(q)
  if (terms.length === 0) return undefined
  return terms
    .map(
      (t, i) =>
        `'${t.replace(/'/g, "''")}'${i === terms.length - 1 && [...t].length >= MIN_PREFIX ? ':*' : ''}`,
    )
    .join(' & ')
}

/**
 * PostgreSQL: every ticket a search box finds, as one set of ids (`extra` are the other branches: number,
 * requester, tag, field value), so the list joins a few thousand candidates instead of filtering the table.
 */
export function pgSearchCandidates(q: string, includeNotes: boolean, extra: RawBuilder<unknown>[]) {
  const query = pgSearchQuery(q)
  const parts = [...(query ? [pgWordMatches(query, includeNotes)] : []), ...extra]
  if (parts.length === 0) return sql<SqlBool>`1 = 0`
  // = any(array(…)): the set is gathered first (an InitPlan) and the tickets read by primary key. With `in`,
  // the planner still walked the activity index for the LIMIT, testing a million tickets against the set.
  return sql<SqlBool>`tickets.id = any(array(${sql.join(parts, sql` union all `)}))`
}

/**
 * `users.name` starts with `prefix`, ignoring case, through the users_lower_name index: a range on SQLite
 * (binary collation; its lower() folds ASCII only, so both sides are folded by it), LIKE with
 * text_pattern_ops on PostgreSQL.
 */
export function namePrefix(dialect: Dialect, prefix: string): Expression<SqlBool> {
  if (dialect === 'sqlite') {
    return sql<SqlBool>`(lower(users.name) >= lower(${prefix})
      and lower(users.name) < lower(${prefix}) || char(1114111))`
  }
  const escaped = prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)
  return sql<SqlBool>`lower(users.name) like ${escaped + '%'}`
}

/** The query plan of a statement, one line per step, for tests that check index use. */
export async function explain(
  dialect: Dialect,
  db: Kysely<DB>,
  compiled: { sql: string; parameters: readonly unknown[] },
): Promise<string> {
  if (dialect === 'sqlite') {
    const { rows } = await db.executeQuery<{ detail: string }>({
      ...compiled,
      sql: `explain query plan ${compiled.sql}`,
      query: { kind: 'RawNode' } as never,
      queryId: { queryId: 'explain' },
    })
    return rows.map((r) => r.detail).join('\n')
  }
  const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>({
    ...compiled,
    sql: `explain ${compiled.sql}`,
    query: { kind: 'RawNode' } as never,
    queryId: { queryId: 'explain' },
  })
  return rows.map((r) => r['QUERY PLAN']).join('\n')
}

export interface SlaColumnsUpdate {
  id: number
  clock: string | null
  state: string | null
  alertAt: number | null
}

/**
 * Stores the swept SLA clocks of many tickets. PostgreSQL gets one UPDATE … FROM (VALUES …) per batch, since
 * a round trip per ticket is what a sweep would otherwise spend its time on; SQLite runs in-process, where a
 * prepared UPDATE per row costs microseconds.
 */
export async function updateSlaColumnsMany(
  dialect: Dialect,
  trx: Kysely<DB>,
  rows: SlaColumnsUpdate[],
): Promise<void> {
  if (rows.length === 0) return
  if (dialect === 'sqlite' || rows.length === 1) {
    for (const r of rows) {
      await trx
        .updateTable('tickets')
        .set({ sla_clock: r.clock, sla_state: r.state as never, sla_alert_at: r.alertAt })
        .where('id', '=', r.id)
        .execute()
    }
    return
  }
  const values = sql.join(
    rows.map((r) => sql`(${r.id}::integer, ${r.clock}::text, ${r.state}::text, ${r.alertAt}::bigint)`),
  )
  await sql`update tickets as t set sla_clock = v.clock, sla_state = v.state, sla_alert_at = v.alert_at
    from (values ${values}) as v(id, clock, state, alert_at) where t.id = v.id`.execute(trx)
}

/**
 * `tickets.status in (…)` for queue queries. On SQLite the column is written `+tickets.status`, which keeps the
 * planner from reading the queue through the (status, closed_at) index and then sorting every open ticket:
 * without statistics it cannot know that a handful of statuses covers most of the table. The newest-activity
 * indexes then give the rows already in order. PostgreSQL plans from its statistics.
 */
export function statusIn(dialect: Dialect, keys: string[]): Expression<SqlBool> {
  const list = sql.join(keys.map((k) => sql`${k}`))
  return dialect === 'sqlite'
    ? sql<SqlBool>`+tickets.status in (${list})`
    : sql<SqlBool>`tickets.status in (${list})`
}

/** A column of a bulk load: its name and, for PostgreSQL's typed arrays, its type. */
export interface BulkColumn {
  name: string
  type: 'integer' | 'bigint' | 'text'
}

/**
 * Inserts many rows (synthetic data, imports) with few statements. SQLite gets the same multi-row INSERT again
 * and again, so the connection's statement cache prepares it once; PostgreSQL gets one INSERT … SELECT FROM
 * unnest($1::integer[], $2::text[], …) per 5,000 rows: one parameter per column, so nothing large to parse.
 */
export async function bulkInsert(
  dialect: Dialect,
  db: Kysely<DB>,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const names = columns.map((c) => c.name).join(', ')
  if (dialect === 'postgres') {
    const arrays = columns.map((c) => `$${columns.indexOf(c) + 1}::${c.type}[]`).join(', ')
    const text = `insert into ${table} (${names}) select * from unnest(${arrays})`
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000)
      await db.executeQuery(
        CompiledQuery.raw(
          text,
          columns.map((_, c) => chunk.map((r) => r[c])),
        ),
      )
    }
    return
  }
  // SQLite allows 32,766 parameters in one statement.
  const perStatement = Math.min(500, Math.floor(32_766 / columns.length))
  const tuple = `(${columns.map(() => '?').join(', ')})`
  const statement = (n: number) => `insert into ${table} (${names}) values ${Array(n).fill(tuple).join(', ')}`
  const full = statement(perStatement)
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement)
    await db.executeQuery(
      CompiledQuery.raw(chunk.length === perStatement ? full : statement(chunk.length), chunk.flat()),
    )
  }
}

/** A secondary index of a table, as the statement that creates it. */
export interface IndexDefinition {
  name: string
  create: string
}

/**
 * The indexes of `tables` that a bulk load may drop and build again afterwards: those that no constraint
 * needs (primary keys and UNIQUE constraints stay, since they keep the data right while it is loaded).
 */
export async function droppableIndexes(
  dialect: Dialect,
  db: Kysely<DB>,
  tables: readonly string[],
): Promise<IndexDefinition[]> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master
      where type = 'index' and sql is not null and tbl_name in (${sql.join(tables)}) order by name`.execute(
      db,
    )
    return rows.map((r) => ({ name: r.name, create: r.sql }))
  }
  const { rows } = await sql<{ name: string; def: string }>`select c.relname as name,
      pg_get_indexdef(i.indexrelid) as def
    from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
    where t.relname in (${sql.join(tables)}) and t.relnamespace = current_schema()::regnamespace
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
    order by c.relname`.execute(db)
  return rows.map((r) => ({ name: r.name, create: r.def }))
}

/** After rows were inserted with explicit ids, PostgreSQL's sequences must move past them. */
export async function resetIdSequences(dialect: Dialect, db: Kysely<DB>, tables: readonly string[]) {
  if (dialect !== 'postgres') return
  for (const table of tables)
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'),
      (select coalesce(max(id), 0) + 1 from ${sql.table(table)}), false)`.execute(db)
}

/** What SQLite's article index holds for one article (PostgreSQL's is a generated column: nothing to write). */
export interface KbSearchRow {
  articleId: number
  title: string
  body: string
}

/** Puts an article into SQLite's knowledge-base index, or takes it out (`row.title === null`). */
export async function indexKbArticle(
  dialect: Dialect,
  trx: Kysely<DB>,
  articleId: number,
  row: { title: string; body: string } | null,
): Promise<void> {
  if (dialect !== 'sqlite') return
  await sql`delete from kb_search where rowid = ${articleId}`.execute(trx)
  if (row)
    await sql`insert into kb_search (rowid, title, body) values (${articleId}, ${row.title}, ${row.body})`.execute(
      trx,
    )
}

export interface KbSearchHit {
  id: number
  rank: number
  /** The title with the matching words between \u0002 and \u0003. */
  titleMarked: string
  /** A short passage of the body, marked the same way. */
  snippetMarked: string
}

/** How many matches PostgreSQL ranks for an article search: the newest, and the newest by title. */
const KB_RANKED = 150
const KB_RANKED_TITLES = 75

/**
 * Articles matching `q`, best first, among those whose status and visibility are listed: every word
 * (`all`, a search) or any of them (`any`, suggestions while someone types a subject); the last word also
 * as a prefix from MIN_PREFIX characters. Title matches weigh more than body matches.
 */
export async function searchKbArticles(
  dialect: Dialect,
  db: Kysely<DB>,
  opts: {
    terms: string[]
    mode: 'all' | 'any'
    statuses: readonly string[]
    visibilities: readonly string[]
    categoryId?: number | undefined
    limit: number
  },
): Promise<KbSearchHit[]> {
  const { terms } = opts
  if (terms.length === 0 || opts.statuses.length === 0 || opts.visibilities.length === 0) return []
  const prefix = (t: string, i: number) => i === terms.length - 1 && [...t].length >= MIN_PREFIX
  const category = opts.categoryId !== undefined ? sql`and a.category_id = ${opts.categoryId}` : sql``
  const statuses = sql.join(opts.statuses.map((s) => sql`${s}`))
  const visibilities = sql.join(opts.visibilities.map((v) => sql`${v}`))
  if (dialect === 'sqlite') {
    const match = terms
      .map((t, i) => `"${t}"${prefix(t, i) ? '*' : ''}`)
      .join(opts.mode === 'all' ? ' ' : ' OR ')
    // Ranked first, marked after: SQLite computes a result column for every matching row before it sorts, and
    // snippet() over thousands of rows (a common word) cost ten times the search itself.
    const { rows: ranked } = await sql<{ id: number; rank: number }>`select a.id as "id",
        bm25(kb_search, 8.0, 1.0) as "rank"
      from kb_search join kb_articles a on a.id = kb_search.rowid
      where kb_search match ${match} and a.status in (${statuses}) and a.visibility in (${visibilities})
        ${category}
      order by 2, a.id desc limit ${opts.limit}`.execute(db)
    if (ranked.length === 0) return []
    const { rows: marked } = await sql<{ id: number; titleMarked: string; snippetMarked: string }>`select
        rowid as "id", highlight(kb_search, 0, char(2), char(3)) as "titleMarked",
        snippet(kb_search, 1, char(2), char(3), '…', 20) as "snippetMarked"
      from kb_search where kb_search match ${match}
        and rowid in (${sql.join(ranked.map((r) => sql`${r.id}`))})`.execute(db)
    const marks = new Map(marked.map((m) => [m.id, m]))
    return ranked.map((r) => ({
      id: r.id,
      rank: r.rank,
      titleMarked: marks.get(r.id)?.titleMarked ?? '',
      snippetMarked: marks.get(r.id)?.snippetMarked ?? '',
    }))
  }
  const query = terms
    .map((t, i) => `'${t.replace(/'/g, "''")}'${prefix(t, i) ? ':*' : ''}`)
    .join(opts.mode === 'all' ? ' & ' : ' | ')
  // ts_rank reads a row's whole tsvector, so ranking every match of a common word read a third of the table
  // (87 ms at 10,000 articles). Only candidates are ranked: the newest KB_RANKED matches and the newest
  // KB_RANKED_TITLES title matches, each found through its GIN index (the tsquery is inlined so the planner
  // sees how common its words are). A rare word has fewer matches than that, so its ranking is exact.
  const tsquery = sql`to_tsquery('simple', ${query})`
  const filters = sql`a.status in (${statuses}) and a.visibility in (${visibilities}) ${category}`
  const { rows } = await sql<KbSearchHit>`with candidates as (
        (select a.id from kb_articles a where a.search_tsv @@ ${tsquery} and ${filters}
          order by a.id desc limit ${KB_RANKED})
        union
        (select a.id from kb_articles a where a.title_tsv @@ ${tsquery} and ${filters}
          order by a.id desc limit ${KB_RANKED_TITLES})),
      ranked as (
        select a.id, a.title, a.body_text, ts_rank(a.search_tsv, ${tsquery}) as rank
        from candidates c join kb_articles a on a.id = c.id
        order by rank desc, a.id desc limit ${opts.limit})
    select r.id as "id", r.rank as "rank",
      ts_headline('simple', r.title, ${tsquery},
        'HighlightAll=true, StartSel=' || chr(2) || ', StopSel=' || chr(3)) as "titleMarked",
      ts_headline('simple', left(r.body_text, 100000), ${tsquery},
        'MaxWords=30, MinWords=12, MaxFragments=1, FragmentDelimiter=…, StartSel=' || chr(2) ||
        ', StopSel=' || chr(3)) as "snippetMarked"
    from ranked r
    order by r.rank desc, r.id desc`.execute(db)
  return rows.map((r) => ({ ...r, rank: -Number(r.rank) }))
}
