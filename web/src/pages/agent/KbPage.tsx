// The knowledge base for agents (issue 17) at /agent/kb: articles (search, filter, write, preview, publish),
// revision history with restore, categories, and the helpfulness and deflection figures. The server decides
// who may do what (kb.edit writes, kb.publish publishes); a refusal shows its message.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { diffWords } from 'diff'
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { Link, useSearchParams } from 'react-router'
import { api, get, uploadFile } from '../../api.ts'
import { useMe } from '../../auth.ts'
import { RichTextEditor, type RichTextEditorHandle } from '../../components/RichTextEditor.tsx'
import {
  articlePath,
  KB_STATUS_NAMES,
  KB_VISIBILITY_NAMES,
  type KbArticle,
  type KbArticleSummary,
  type KbCategory,
  type KbFile,
  type KbRevision,
  type KbStats,
  type KbStatus,
  type KbVisibility,
} from '../../kb.ts'
import { ErrorBox, Field, formatTime, Loading } from '../../ui.tsx'

type Tab = 'articles' | 'categories' | 'figures' | 'settings'

export function KbPage() {
  const [params, setParams] = useSearchParams()
  const tab = (params.get('tab') as Tab | null) ?? 'articles'
  const me = useMe()
  useEffect(() => {
    document.title = 'Knowledge base · Switchboard'
  }, [])
  const tabs: [Tab, string][] = [
    ['articles', 'Articles'],
    ['categories', 'Categories'],
    ['figures', 'Helpfulness and deflection'],
    ...(me.data?.user.isAdmin ? ([['settings', 'Settings']] as [Tab, string][]) : []),
  ]
  return (
    <main className="page kb-admin">
      <div className="page-head">
        <h1>Knowledge base</h1>
        <Link to="/help">Open the help center</Link>
      </div>
      <nav aria-label="Knowledge base sections" className="kb-tabs">
        {tabs.map(([key, name]) => (
          <button
            key={key}
            type="button"
            className={tab === key ? '' : 'secondary'}
            aria-pressed={tab === key}
            onClick={() => setParams({ tab: key })}
          >
            {name}
          </button>
        ))}
      </nav>
      {tab === 'articles' && <Articles />}
      {tab === 'categories' && <Categories />}
      {tab === 'figures' && <Figures />}
      {tab === 'settings' && <Settings />}
    </main>
  )
}

function useCategories() {
  return useQuery({
    queryKey: ['kb-categories'],
    queryFn: () => get<{ items: KbCategory[] }>('/api/v1/kb/categories'),
  })
}

function Articles() {
  const [q, setQ] = useState('')
  const [status, setStatus] = useState<KbStatus | ''>('')
  const [editing, setEditing] = useState<number | 'new' | null>(null)
  // The editor starts afresh when another article is chosen, not when a new one is first saved.
  const [editorKey, setEditorKey] = useState(0)
  const choose = (e: number | 'new') => {
    setEditing(e)
    setEditorKey((k) => k + 1)
  }
  const list = useQuery({
    queryKey: ['kb-admin-articles', q, status],
    queryFn: () =>
      get<{ items: KbArticleSummary[] }>(
        `/api/v1/kb/articles?limit=100${q.trim() ? `&q=${encodeURIComponent(q.trim())}` : ''}${status ? `&status=${status}` : ''}`,
      ),
  })
  const categories = useCategories()
  const categoryName = (id: number | null) => categories.data?.items.find((c) => c.id === id)?.name ?? '—'
  return (
    <div className="kb-split">
      <section aria-label="Articles" className="kb-list">
        <div className="kb-filters">
          <Field label="Search articles">
            <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          </Field>
          <Field label="Status">
            <select value={status} onChange={(e) => setStatus(e.target.value as KbStatus | '')}>
              <option value="">Any</option>
              {Object.entries(KB_STATUS_NAMES).map(([k, n]) => (
                <option key={k} value={k}>
                  {n}
                </option>
              ))}
            </select>
          </Field>
          <button type="button" onClick={() => choose('new')}>
            New article
          </button>
        </div>
        {list.isPending ? (
          <Loading what="Loading articles" />
        ) : list.isError ? (
          <ErrorBox error={list.error} />
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Category</th>
                <th scope="col">Visibility</th>
                <th scope="col">Status</th>
                <th scope="col">Helpful</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((a) => (
                <tr key={a.id} aria-selected={editing === a.id}>
                  <td>
                    <button type="button" className="link" onClick={() => choose(a.id)}>
                      {a.title}
                    </button>
                  </td>
                  <td>{categoryName(a.categoryId)}</td>
                  <td>{a.visibility}</td>
                  <td>{KB_STATUS_NAMES[a.status]}</td>
                  <td>{a.helpful ? `${a.helpful.yes} yes / ${a.helpful.no} no` : '—'}</td>
                  <td>{formatTime(a.updatedAt)}</td>
                </tr>
              ))}
              {list.data.items.length === 0 && (
                <tr>
                  <td colSpan={6}>No articles.</td>
                </tr>
              )}
            </tbody>
          </table>
        )}
      </section>
      {editing !== null && (
        <ArticleEditor
          key={editorKey}
          id={editing === 'new' ? null : editing}
          categories={categories.data?.items ?? []}
          onSaved={(id) => setEditing(id)}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  )
}

function ArticleEditor(props: {
  id: number | null
  categories: KbCategory[]
  onSaved: (id: number) => void
  onClose: () => void
}) {
  const client = useQueryClient()
  const article = useQuery({
    queryKey: ['kb-article-admin', props.id],
    queryFn: () => get<{ article: KbArticle }>(`/api/v1/kb/articles/${props.id}`),
    enabled: props.id !== null,
  })
  const a = article.data?.article
  const [title, setTitle] = useState('')
  const [slug, setSlug] = useState('')
  const [body, setBody] = useState('')
  const [categoryId, setCategoryId] = useState('')
  const [visibility, setVisibility] = useState<KbVisibility>('public')
  const [status, setStatus] = useState<KbStatus>('draft')
  const [tags, setTags] = useState('')
  const [topicIds, setTopicIds] = useState<number[]>([])
  const [preview, setPreview] = useState(false)
  // The formatted editor, or the HTML itself for those who want it; switching back starts the editor afresh.
  const [source, setSource] = useState(false)
  const [editorKey, setEditorKey] = useState(0)
  const editorRef = useRef<RichTextEditorHandle>(null)
  const topics = useQuery({
    queryKey: ['topics'],
    queryFn: () => get<{ items: { id: number; name: string }[] }>('/api/v1/topics'),
  })
  useEffect(() => {
    if (!a) return
    setTitle(a.title)
    setSlug(a.slug)
    setBody(a.bodyHtml)
    setCategoryId(a.categoryId ? String(a.categoryId) : '')
    setVisibility(a.visibility)
    setStatus(a.status)
    setTags(a.tags.join(', '))
    setTopicIds(a.topicIds)
    setEditorKey((k) => k + 1)
    // Only a new version resets the form: a background refetch of the same version must not undo typing.
  }, [a?.id, a?.version])
  const save = useMutation({
    mutationFn: () => {
      const fields = {
        title,
        body,
        categoryId: categoryId ? Number(categoryId) : null,
        visibility,
        status,
        tags: tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        topicIds,
      }
      return props.id === null
        ? api<{ article: KbArticle }>('POST', '/api/v1/kb/articles', { ...fields, ...(slug ? { slug } : {}) })
        : api<{ article: KbArticle }>('PATCH', `/api/v1/kb/articles/${props.id}`, {
            ...fields,
            ...(slug && slug !== a?.slug ? { slug } : {}),
            version: a?.version,
          })
    },
    onSuccess: async ({ article: saved }) => {
      client.setQueryData(['kb-article-admin', saved.id], { article: saved })
      await client.invalidateQueries({ queryKey: ['kb-admin-articles'] })
      await client.invalidateQueries({ queryKey: ['kb-revisions', saved.id] })
      props.onSaved(saved.id)
    },
  })
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/api/v1/kb/articles/${props.id}`),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['kb-admin-articles'] })
      props.onClose()
    },
  })
  if (props.id !== null && article.isPending) return <Loading what="Loading the article" />
  if (article.isError) return <ErrorBox error={article.error} />
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  return (
    <section className="card kb-editor" aria-labelledby="kb-editor-title">
      <h2 id="kb-editor-title">{props.id === null ? 'New article' : `Edit “${a?.title}”`}</h2>
      <form onSubmit={submit}>
        {save.isError && <ErrorBox error={save.error} />}
        {save.isSuccess && <p role="status">Saved.</p>}
        <Field label="Title">
          <input required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <Field label="Slug (address)">
          <input
            value={slug}
            placeholder="made from the title"
            pattern="[a-z0-9]+(-[a-z0-9]+)*"
            onChange={(e) => setSlug(e.target.value)}
          />
        </Field>
        <div className="kb-row">
          <Field label="Category">
            <select value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
              <option value="">None</option>
              {props.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Visibility">
            <select value={visibility} onChange={(e) => setVisibility(e.target.value as KbVisibility)}>
              {Object.entries(KB_VISIBILITY_NAMES).map(([k, n]) => (
                <option key={k} value={k}>
                  {n}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Status">
            <select value={status} onChange={(e) => setStatus(e.target.value as KbStatus)}>
              {Object.entries(KB_STATUS_NAMES).map(([k, n]) => (
                <option key={k} value={k}>
                  {n}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field label="Tags (comma separated)">
          <input value={tags} onChange={(e) => setTags(e.target.value)} />
        </Field>
        {source ? (
          <Field label="Body (HTML)">
            <textarea rows={14} value={body} onChange={(e) => setBody(e.target.value)} className="mono" />
          </Field>
        ) : (
          <RichTextEditor
            key={editorKey}
            ref={editorRef}
            label="Body"
            document
            initialHtml={body}
            onChange={(value) => setBody(value.empty ? '' : value.html)}
          />
        )}
        <button
          type="button"
          className="link"
          aria-pressed={source}
          onClick={() => {
            if (source) setEditorKey((k) => k + 1)
            setSource((v) => !v)
          }}
        >
          {source ? 'Back to the formatted editor' : 'Edit the HTML'}
        </button>
        {props.id !== null && (
          <ArticleFiles
            articleId={props.id}
            onInsert={(html) => {
              if (source) setBody((b) => `${b}${html}`)
              else editorRef.current?.insertHtml(html)
            }}
          />
        )}
        {(topics.data?.items.length ?? 0) > 0 && (
          <fieldset className="kb-topics">
            <legend>Related help topics</legend>
            {topics.data!.items.map((topic) => (
              <label key={topic.id} className="check">
                <input
                  type="checkbox"
                  checked={topicIds.includes(topic.id)}
                  onChange={(e) =>
                    setTopicIds((ids) =>
                      e.target.checked ? [...ids, topic.id] : ids.filter((x) => x !== topic.id),
                    )
                  }
                />{' '}
                {topic.name}
              </label>
            ))}
          </fieldset>
        )}
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save article'}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => setPreview((p) => !p)}
            aria-pressed={preview}
          >
            Preview
          </button>
          {a && a.status === 'published' && (
            <Link to={articlePath(a.slug)} target="_blank">
              View in the help center
            </Link>
          )}
          {props.id !== null && (
            <button
              type="button"
              className="secondary"
              disabled={remove.isPending}
              onClick={() => {
                if (confirm('Delete this article and its revisions?')) remove.mutate()
              }}
            >
              Delete
            </button>
          )}
          <button type="button" className="secondary" onClick={props.onClose}>
            Close
          </button>
        </div>
        {remove.isError && <ErrorBox error={remove.error} />}
      </form>
      {preview && (
        <HtmlPreview title="Preview of the article" html={`<h1>${escapeHtml(title)}</h1>${body}`} />
      )}
      {props.id !== null && a && <Revisions article={a} />}
    </section>
  )
}

/** An article's files: upload, insert into the body (a picture as a picture, anything else as a link), remove. */
function ArticleFiles({ articleId, onInsert }: { articleId: number; onInsert: (html: string) => void }) {
  const client = useQueryClient()
  const key = ['kb-files', articleId]
  const files = useQuery({
    queryKey: key,
    queryFn: () => get<{ items: KbFile[] }>(`/api/v1/kb/articles/${articleId}/files`),
  })
  const add = useMutation({
    mutationFn: async (chosen: File[]) => {
      const uploads = []
      for (const f of chosen) uploads.push((await uploadFile(f)).id)
      return api<{ items: KbFile[] }>('POST', `/api/v1/kb/articles/${articleId}/files`, { uploads })
    },
    onSuccess: (saved) => client.setQueryData(key, saved),
  })
  const remove = useMutation({
    mutationFn: (id: number) => api('DELETE', `/api/v1/kb/files/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  })
  return (
    <fieldset className="kb-files">
      <legend>Files and pictures</legend>
      {add.isError && <ErrorBox error={add.error} />}
      {remove.isError && <ErrorBox error={remove.error} />}
      <Field label="Add files or pictures">
        <input
          type="file"
          multiple
          disabled={add.isPending}
          onChange={(e) => {
            const chosen = [...(e.target.files ?? [])]
            e.target.value = ''
            if (chosen.length > 0) add.mutate(chosen)
          }}
        />
      </Field>
      {add.isPending && <p role="status">Uploading…</p>}
      {files.data && files.data.items.length > 0 && (
        <ul className="kb-file-list">
          {files.data.items.map((f) => (
            <li key={f.id}>
              {f.picture && <img src={f.url} alt="" className="kb-file-thumb" />}
              <a href={f.url}>{f.name}</a>{' '}
              <span className="muted">{Math.max(1, Math.round(f.size / 1024))} KB</span>{' '}
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  onInsert(
                    f.picture
                      ? `<img src="${f.url}" alt="${escapeHtml(f.name.replace(/\.[a-z0-9]+$/i, ''))}">`
                      : `<p><a href="${f.url}">${escapeHtml(f.name)}</a></p>`,
                  )
                }
              >
                Insert {f.name}
              </button>{' '}
              <button
                type="button"
                className="secondary"
                disabled={remove.isPending}
                onClick={() => {
                  if (confirm(`Remove ${f.name} from this article? Pictures of it in the text stop showing.`))
                    remove.mutate(f.id)
                }}
              >
                Remove {f.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  )
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/**
 * HTML shown in a sandboxed frame: nothing in it can run a script, whatever was typed (the server sanitises on
 * save). It keeps the page's origin (allow-same-origin, never with allow-scripts) so the article's own pictures,
 * served same-origin only, show in it.
 */
function HtmlPreview({ title, html }: { title: string; html: string }) {
  return (
    <iframe
      className="kb-preview"
      title={title}
      sandbox="allow-same-origin"
      srcDoc={`<!doctype html><meta charset="utf-8"><style>body{font:14px system-ui,sans-serif;margin:12px}</style>${html}`}
    />
  )
}

function Revisions({ article }: { article: KbArticle }) {
  const client = useQueryClient()
  const revisions = useQuery({
    queryKey: ['kb-revisions', article.id],
    queryFn: () => get<{ items: KbRevision[] }>(`/api/v1/kb/articles/${article.id}/revisions`),
  })
  const [shown, setShown] = useState<number | null>(null)
  const [compared, setCompared] = useState<number | null>(null)
  const restore = useMutation({
    mutationFn: (n: number) =>
      api<{ article: KbArticle }>('POST', `/api/v1/kb/articles/${article.id}/revisions/${n}/restore`),
    onSuccess: async ({ article: saved }) => {
      client.setQueryData(['kb-article-admin', saved.id], { article: saved })
      await client.invalidateQueries({ queryKey: ['kb-revisions', saved.id] })
      await client.invalidateQueries({ queryKey: ['kb-admin-articles'] })
    },
  })
  if (revisions.isPending) return <Loading what="Loading revisions" />
  if (revisions.isError) return <ErrorBox error={revisions.error} />
  const items = revisions.data.items
  const current = items.find((r) => r.number === shown)
  return (
    <section aria-labelledby="kb-revisions">
      <h3 id="kb-revisions">Published revisions</h3>
      {restore.isError && <ErrorBox error={restore.error} />}
      {items.length === 0 ? (
        <p className="muted">Not published yet: revisions are kept from the first publication on.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Title</th>
              <th scope="col">By</th>
              <th scope="col">Published</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.number}>
                <td>{r.number}</td>
                <td>{r.title}</td>
                <td>{r.authorName ?? '—'}</td>
                <td>{formatTime(r.createdAt)}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    aria-pressed={shown === r.number}
                    onClick={() => setShown(shown === r.number ? null : r.number)}
                  >
                    Show #{r.number}
                  </button>{' '}
                  <button
                    type="button"
                    className="secondary"
                    aria-pressed={compared === r.number}
                    aria-label={`Compare #${r.number} with the current text`}
                    onClick={() => setCompared(compared === r.number ? null : r.number)}
                  >
                    Compare #{r.number}
                  </button>{' '}
                  <button type="button" disabled={restore.isPending} onClick={() => restore.mutate(r.number)}>
                    Restore #{r.number}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {current && (
        <HtmlPreview
          title={`Revision ${current.number}`}
          html={`<h1>${escapeHtml(current.title)}</h1>${current.bodyHtml}`}
        />
      )}
      {compared !== null && items.some((r) => r.number === compared) && (
        <RevisionDiff revision={items.find((r) => r.number === compared)!} article={article} />
      )}
    </section>
  )
}

/** The text of an article's HTML, a block a line, as the reader sees it (no markup to diff). */
function textOf(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  doc
    .querySelectorAll('p, li, h1, h2, h3, h4, h5, h6, pre, blockquote, tr, br')
    .forEach((el) => el.append('\n'))
  return (doc.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim()
}

/** What changed from a published revision to the article as it is now, word by word. */
function RevisionDiff({ revision, article }: { revision: KbRevision; article: KbArticle }) {
  const parts = useMemo(
    () =>
      diffWords(
        `${revision.title}\n\n${textOf(revision.bodyHtml)}`,
        `${article.title}\n\n${textOf(article.bodyHtml)}`,
      ),
    [revision, article],
  )
  const changed = parts.filter((p) => p.added || p.removed).length
  return (
    <section aria-labelledby="kb-diff" className="kb-diff">
      <h4 id="kb-diff">
        Changes from #{revision.number} to the current text (
        {changed === 0 ? 'none' : changed === 1 ? '1 change' : `${changed} changes`})
      </h4>
      <p className="muted">
        <del>Removed</del> and <ins>added</ins> words.
      </p>
      <pre className="kb-diff-text">
        {parts.map((p, i) =>
          p.added ? (
            <ins key={i}>{p.value}</ins>
          ) : p.removed ? (
            <del key={i}>{p.value}</del>
          ) : (
            <span key={i}>{p.value}</span>
          ),
        )}
      </pre>
    </section>
  )
}

function Categories() {
  const client = useQueryClient()
  const list = useCategories()
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const done = async () => {
    await client.invalidateQueries({ queryKey: ['kb-categories'] })
  }
  const add = useMutation({
    mutationFn: () => api('POST', '/api/v1/kb/categories', { name, description }),
    onSuccess: async () => {
      setName('')
      setDescription('')
      await done()
    },
  })
  const remove = useMutation({
    mutationFn: (id: number) => api('DELETE', `/api/v1/kb/categories/${id}`),
    onSuccess: done,
  })
  const rename = useMutation({
    mutationFn: (c: { id: number; name: string }) =>
      api('PATCH', `/api/v1/kb/categories/${c.id}`, { name: c.name }),
    onSuccess: done,
  })
  return (
    <section aria-label="Categories" className="card">
      {[add, remove, rename].map((m, i) => m.isError && <ErrorBox key={i} error={m.error} />)}
      {list.isPending ? (
        <Loading what="Loading categories" />
      ) : list.isError ? (
        <ErrorBox error={list.error} />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Address</th>
              <th scope="col">Articles</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>/help/categories/{c.slug}</td>
                <td>{c.articleCount}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => {
                      const next = prompt('New name', c.name)
                      if (next && next.trim()) rename.mutate({ id: c.id, name: next.trim() })
                    }}
                  >
                    Rename {c.name}
                  </button>{' '}
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => {
                      if (confirm(`Delete ${c.name}? Its articles stay, without a category.`))
                        remove.mutate(c.id)
                    }}
                  >
                    Delete {c.name}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="kb-row"
        onSubmit={(e) => {
          e.preventDefault()
          add.mutate()
        }}
      >
        <Field label="New category">
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Description">
          <input maxLength={1000} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <button type="submit" disabled={add.isPending}>
          Add category
        </button>
      </form>
    </section>
  )
}

function Figures() {
  const [days, setDays] = useState(30)
  const stats = useQuery({
    queryKey: ['kb-stats', days],
    queryFn: () => get<KbStats>(`/api/v1/kb/stats?days=${days}`),
  })
  return (
    <section aria-label="Helpfulness and deflection" className="card">
      <Field label="Period">
        <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {[7, 30, 90, 365].map((d) => (
            <option key={d} value={d}>
              Last {d} days
            </option>
          ))}
        </select>
      </Field>
      {stats.isPending ? (
        <Loading what="Loading the figures" />
      ) : stats.isError ? (
        <ErrorBox error={stats.error} />
      ) : (
        <>
          <dl className="kb-figures" aria-label="New-ticket form">
            <div>
              <dt>Suggestions shown</dt>
              <dd data-testid="kb-shown">{stats.data.suggestionsShown}</dd>
            </div>
            <div>
              <dt>Articles opened</dt>
              <dd data-testid="kb-opened">{stats.data.articlesOpened}</dd>
            </div>
            <div>
              <dt>Tickets submitted</dt>
              <dd data-testid="kb-submitted">{stats.data.ticketsSubmitted}</dd>
            </div>
            <div>
              <dt>Deflections (opened, left, no ticket)</dt>
              <dd data-testid="kb-deflections">{stats.data.deflections}</dd>
            </div>
          </dl>
          <table>
            <caption>Per article</caption>
            <thead>
              <tr>
                <th scope="col">Article</th>
                <th scope="col">Status</th>
                <th scope="col">Helpful</th>
                <th scope="col">Not helpful</th>
                <th scope="col">Deflections</th>
              </tr>
            </thead>
            <tbody>
              {stats.data.articles.map((a) => (
                <tr key={a.id}>
                  <td>{a.title}</td>
                  <td>{KB_STATUS_NAMES[a.status]}</td>
                  <td>{a.helpfulYes}</td>
                  <td>{a.helpfulNo}</td>
                  <td>{a.deflections}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}

function Settings() {
  const client = useQueryClient()
  const settings = useQuery({
    queryKey: ['kb-settings'],
    queryFn: () => get<{ autoresponseDepartmentIds: number[] }>('/api/v1/kb/settings'),
  })
  const departments = useQuery({
    queryKey: ['departments'],
    queryFn: () => get<{ items: { id: number; name: string }[] }>('/api/v1/departments'),
  })
  const [chosen, setChosen] = useState<number[] | null>(null)
  const ids = chosen ?? settings.data?.autoresponseDepartmentIds ?? []
  const save = useMutation({
    mutationFn: () =>
      api<{ autoresponseDepartmentIds: number[] }>('PUT', '/api/v1/kb/settings', {
        autoresponseDepartmentIds: ids,
      }),
    onSuccess: async (saved) => {
      client.setQueryData(['kb-settings'], saved)
      setChosen(null)
    },
  })
  if (settings.isPending || departments.isPending) return <Loading what="Loading the settings" />
  if (settings.isError) return <ErrorBox error={settings.error} />
  if (departments.isError) return <ErrorBox error={departments.error} />
  return (
    <section aria-label="Knowledge-base settings" className="card">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save.mutate()
        }}
      >
        {save.isError && <ErrorBox error={save.error} />}
        {save.isSuccess && chosen === null && <p role="status">Saved.</p>}
        <fieldset>
          <legend>Suggest articles in auto-responses</legend>
          <p className="muted">
            The auto-response to a new ticket in these departments lists up to three public articles that best
            match its subject.
          </p>
          {departments.data.items.map((d) => (
            <label key={d.id} className="check">
              <input
                type="checkbox"
                checked={ids.includes(d.id)}
                onChange={(e) => setChosen(e.target.checked ? [...ids, d.id] : ids.filter((x) => x !== d.id))}
              />{' '}
              {d.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={save.isPending}>
          Save settings
        </button>
      </form>
    </section>
  )
}
