// The knowledge base's vocabulary (issue 17): who may read an article and the states it goes through, with the
// words the screens show. Slugs and sanitising are src/domain/kb.ts; src/shared/ files import nothing (the
// web app bundles them too).

export const KB_VISIBILITIES = ['public', 'customers', 'internal'] as const
export type KbVisibility = (typeof KB_VISIBILITIES)[number]
export const KB_VISIBILITY_LABELS: Record<KbVisibility, string> = {
  public: 'Public (everyone)',
  customers: 'Customers (signed in)',
  internal: 'Internal (agents only)',
}

export const KB_STATUSES = ['draft', 'published', 'archived'] as const
export type KbStatus = (typeof KB_STATUSES)[number]
export const KB_STATUS_LABELS: Record<KbStatus, string> = {
  draft: 'Draft',
  published: 'Published',
  archived: 'Archived',
}
