// Help topics. `fields` is a JSON array of custom field keys: the topic's form.
import type { Insertable, Kysely } from 'kysely'
import type { DB, HelpTopicTable } from '../db/schema.ts'

export type TopicValues = Omit<Insertable<HelpTopicTable>, 'id' | 'created_at'>

export async function listTopics(db: Kysely<DB>) {
  return db.selectFrom('help_topics').selectAll().orderBy('position').orderBy('name').execute()
}

/** The enabled topics a person may pick when opening a ticket; customers see the public ones only. */
export async function pickableTopics(db: Kysely<DB>, includePrivate: boolean) {
  return db
    .selectFrom('help_topics')
    .select(['id', 'name', 'is_public', 'priority', 'fields'])
    .where('is_active', '=', 1)
    .$if(!includePrivate, (q) => q.where('is_public', '=', 1))
    .orderBy('position')
    .orderBy('name')
    .execute()
}

export async function topicById(db: Kysely<DB>, id: number) {
  return db.selectFrom('help_topics').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertTopic(db: Kysely<DB>, values: TopicValues, createdAt: number) {
  const row = await db
    .insertInto('help_topics')
    .values({ ...values, created_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateTopic(db: Kysely<DB>, id: number, values: TopicValues) {
  await db.updateTable('help_topics').set(values).where('id', '=', id).execute()
}
