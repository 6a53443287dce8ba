// The help center (issue 17) at /help: categories, search, article pages with "Was this helpful?". Readable
// signed out (public articles); a signed-in customer also reads `customers` articles, an agent internal ones.
// Each page sets its title and meta description, so search engines index the public articles.
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { Link, NavLink, Outlet, useNavigate, useParams, useSearchParams } from 'react-router'
import { api, get } from '../../api.ts'
import { useMe } from '../../auth.ts'
import {
  articlePath,
  type KbArticle,
  type KbArticleSummary,
  type KbCategory,
  type KbFile,
  type KbPart,
} from '../../kb.ts'
import { ErrorBox, formatTime, Loading } from '../../ui.tsx'

/** Sets the page title and meta description while the page is shown. */
function usePageMeta(title: string, description: string) {
  useEffect(() => {
    document.title = `${title} · Help center`
    let meta = document.querySelector<HTMLMetaElement>('meta[name="description"]')
    if (!meta) {
      meta = document.createElement('meta')
      meta.name = 'description'
      document.head.appendChild(meta)
    }
    meta.content = description
  }, [title, description])
}

export function Highlighted({ parts }: { parts: KbPart[] }) {
  return <>{parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>
}

export function HelpLayout() {
  const me = useMe()
  const user = me.data?.user
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/help" className="brand">
          Help center
        </Link>
        <nav aria-label="Help center">
          <ul>
            <li>
              <NavLink to="/help" end>
                Articles
              </NavLink>
            </li>
            {user?.type === 'customer' && (
              <>
                <li>
                  <NavLink to="/portal" end>
                    My tickets
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/portal/new">Open a ticket</NavLink>
                </li>
              </>
            )}
            {user?.type === 'agent' && (
              <li>
                <NavLink to="/agent/kb">Knowledge base</NavLink>
              </li>
            )}
          </ul>
        </nav>
        {user ? <span className="who">{user.name}</span> : <Link to="/login">Sign in</Link>}
      </header>
      <div id="main" className="content">
        <Outlet />
      </div>
    </>
  )
}

function SearchBox({ initial }: { initial: string }) {
  const [q, setQ] = useState(initial)
  const navigate = useNavigate()
  useEffect(() => setQ(initial), [initial])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void navigate(q.trim() ? `/help?q=${encodeURIComponent(q.trim())}` : '/help')
  }
  return (
    <form role="search" onSubmit={submit} className="help-search">
      <label className="field">
        <span>Search the help center</span>
        <input
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="e.g. reset password"
        />
      </label>
      <button type="submit">Search</button>
    </form>
  )
}

function ArticleList({ items }: { items: KbArticleSummary[] }) {
  return (
    <ul className="help-articles">
      {items.map((a) => (
        <li key={a.id}>
          <Link to={articlePath(a.slug)}>
            {a.titleHighlight ? <Highlighted parts={a.titleHighlight} /> : a.title}
          </Link>
          <p className="muted">{a.snippet ? <Highlighted parts={a.snippet} /> : a.excerpt}</p>
        </li>
      ))}
    </ul>
  )
}

export function HelpHome() {
  const [params] = useSearchParams()
  const q = params.get('q') ?? ''
  usePageMeta(q ? `Search: ${q}` : 'Help center', 'Answers to common questions: search or browse by topic.')
  const categories = useQuery({
    queryKey: ['kb-categories'],
    queryFn: () => get<{ items: KbCategory[] }>('/api/v1/kb/categories'),
  })
  const results = useQuery({
    queryKey: ['kb-search', q],
    queryFn: () =>
      get<{ items: KbArticleSummary[] }>(`/api/v1/kb/articles?q=${encodeURIComponent(q)}&limit=25`),
    enabled: q !== '',
  })
  const recent = useQuery({
    queryKey: ['kb-recent'],
    queryFn: () => get<{ items: KbArticleSummary[] }>('/api/v1/kb/articles?status=published&limit=10'),
    enabled: q === '',
  })
  return (
    <main className="page narrow help">
      <h1>{q ? 'Search results' : 'How can we help?'}</h1>
      <SearchBox initial={q} />
      {q ? (
        results.isPending ? (
          <Loading what="Searching" />
        ) : results.isError ? (
          <ErrorBox error={results.error} />
        ) : results.data.items.length === 0 ? (
          <p>No articles match “{q}”.</p>
        ) : (
          <section aria-label="Search results">
            <ArticleList items={results.data.items} />
          </section>
        )
      ) : (
        <>
          {categories.isError && <ErrorBox error={categories.error} />}
          {categories.data && categories.data.items.length > 0 && (
            <section aria-labelledby="help-categories">
              <h2 id="help-categories">Topics</h2>
              <ul className="help-categories">
                {categories.data.items.map((c) => (
                  <li key={c.id}>
                    <Link to={`/help/categories/${encodeURIComponent(c.slug)}`}>{c.name}</Link>{' '}
                    <span className="muted">
                      ({c.articleCount} {c.articleCount === 1 ? 'article' : 'articles'})
                    </span>
                    {c.description && <p className="muted">{c.description}</p>}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {recent.data && recent.data.items.length > 0 && (
            <section aria-labelledby="help-recent">
              <h2 id="help-recent">Recently updated</h2>
              <ArticleList items={recent.data.items} />
            </section>
          )}
        </>
      )}
    </main>
  )
}

export function HelpCategory() {
  const { slug = '' } = useParams()
  const categories = useQuery({
    queryKey: ['kb-categories'],
    queryFn: () => get<{ items: KbCategory[] }>('/api/v1/kb/categories'),
  })
  const category = categories.data?.items.find((c) => c.slug === slug)
  const articles = useQuery({
    queryKey: ['kb-category', category?.id],
    queryFn: () =>
      get<{ items: KbArticleSummary[] }>(
        `/api/v1/kb/articles?status=published&categoryId=${category!.id}&limit=100`,
      ),
    enabled: category !== undefined,
  })
  usePageMeta(
    category?.name ?? 'Topic',
    category?.description || `Articles about ${category?.name ?? 'this topic'}.`,
  )
  if (categories.isPending) return <Loading what="Loading the topic" />
  if (categories.isError) return <ErrorBox error={categories.error} />
  if (!category)
    return (
      <main className="page narrow help">
        <h1>Topic not found</h1>
        <p>
          <Link to="/help">Back to the help center</Link>
        </p>
      </main>
    )
  return (
    <main className="page narrow help">
      <p>
        <Link to="/help">← Help center</Link>
      </p>
      <h1>{category.name}</h1>
      {category.description && <p>{category.description}</p>}
      {articles.isError && <ErrorBox error={articles.error} />}
      {articles.data && <ArticleList items={articles.data.items} />}
    </main>
  )
}

export function HelpArticle() {
  const { slug = '' } = useParams()
  const navigate = useNavigate()
  const article = useQuery({
    queryKey: ['kb-article', slug],
    queryFn: () => get<{ article: KbArticle }>(`/api/v1/kb/articles/${encodeURIComponent(slug)}`),
  })
  const a = article.data?.article
  // A renamed article: the server redirected the old slug; show the current address.
  useEffect(() => {
    if (a && a.slug !== slug) void navigate(articlePath(a.slug), { replace: true })
  }, [a, slug, navigate])
  usePageMeta(a?.title ?? 'Article', a ? a.excerpt.slice(0, 160) : 'A help center article.')
  const [voted, setVoted] = useState<boolean | null>(null)
  const vote = useMutation({
    mutationFn: (helpful: boolean) =>
      api('POST', `/api/v1/kb/articles/${encodeURIComponent(a!.slug)}/feedback`, { helpful }),
    onSuccess: (_r, helpful) => setVoted(helpful),
  })
  if (article.isPending) return <Loading what="Loading the article" />
  if (article.isError || !a)
    return (
      <main className="page narrow help">
        <h1>Article not found</h1>
        <p>It may have been moved, or you may need to sign in to read it.</p>
        <p>
          <Link to="/help">Back to the help center</Link>
        </p>
      </main>
    )
  return (
    <main className="page narrow help">
      <p>
        <Link to="/help">← Help center</Link>
      </p>
      <article className="card help-article">
        <h1>{a.title}</h1>
        <p className="muted">Updated {formatTime(a.updatedAt)}</p>
        {/* Sanitised on the server when it was saved (src/domain/kb.ts). */}
        <div className="article-body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
        <ArticleDownloads slug={a.slug} />
      </article>
      {a.status === 'published' && (
        <section className="card helpful" aria-labelledby="helpful-q">
          {voted === null ? (
            <>
              <h2 id="helpful-q">Was this helpful?</h2>
              {vote.isError && <ErrorBox error={vote.error} />}
              <div className="actions">
                <button type="button" disabled={vote.isPending} onClick={() => vote.mutate(true)}>
                  Yes
                </button>
                <button
                  type="button"
                  className="secondary"
                  disabled={vote.isPending}
                  onClick={() => vote.mutate(false)}
                >
                  No
                </button>
              </div>
            </>
          ) : (
            <p id="helpful-q" role="status">
              {voted ? 'Thanks, glad it helped.' : 'Thanks for telling us.'}{' '}
              {!voted && <Link to="/portal/new">Open a ticket</Link>}
            </p>
          )}
        </section>
      )}
    </main>
  )
}

/** The article's files that are not pictures in its text: offered as downloads. */
function ArticleDownloads({ slug }: { slug: string }) {
  const files = useQuery({
    queryKey: ['kb-files', slug],
    queryFn: () => get<{ items: KbFile[] }>(`/api/v1/kb/articles/${encodeURIComponent(slug)}/files`),
  })
  const downloads = files.data?.items.filter((f) => !f.picture) ?? []
  if (downloads.length === 0) return null
  return (
    <section aria-labelledby="downloads">
      <h2 id="downloads">Downloads</h2>
      <ul>
        {downloads.map((f) => (
          <li key={f.id}>
            <a href={f.url}>{f.name}</a>{' '}
            <span className="muted">({Math.max(1, Math.round(f.size / 1024))} KB)</span>
          </li>
        ))}
      </ul>
    </section>
  )
}
