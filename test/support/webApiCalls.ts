// Which API routes the web app calls, read from its source (web/src) with the TypeScript parser: every
// `api(method, path)`, `get(path)`, `fetch(path, { method })`, `new EventSource(path)`, an <iframe src> or <a href>
// under /api/, and the calls of the helpers listed in test/routeCoverage/allowList.ts (WEB_HELPERS). A path is
// followed through constants, template strings and small path-building functions in scope (`${BASE}/${id}`,
// `ticketPath(number)`), so what is found is the route template a request would hit, not the words in a comment.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import ts from 'typescript'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/** A function or component that takes a resource path and calls the API on it (and on `<path>/{id}`…). */
export interface WebHelper {
  /** The function's name, or the component's (a JSX element). */
  name: string
  /** Which argument (a call) or which prop (a JSX element) holds the path. */
  arg: number | string
  /** The requests it makes: a method, and what it adds to the path ('' for the path itself). */
  calls: readonly (readonly [Method, string])[]
}

/** One request the web app makes: a method (or any, when the source does not say) on a concrete path shape. */
export interface WebCall {
  method: Method | 'ANY'
  /** The path with each dynamic part as `*` and no query string, e.g. `/api/v1/tickets/*\/links`. */
  path: string
  file: string
  line: number
}

/** A dynamic part of a path (an id, a number) while it is being built. */
const DYNAMIC = '\u0001'
const MAX_SHAPES = 32

export function scanWebApiCalls(webSrc: string, helpers: readonly WebHelper[]): WebCall[] {
  const files = sourceFiles(webSrc)
  const parsed = new Map<string, ts.SourceFile>()
  const parse = (file: string): ts.SourceFile | undefined => {
    if (!parsed.has(file)) {
      let text: string
      try {
        text = readFileSync(file, 'utf8')
      } catch {
        return undefined
      }
      parsed.set(file, ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kindOf(file)))
    }
    return parsed.get(file)
  }
  const calls: WebCall[] = []
  for (const file of files) {
    const source = parse(file)!
    const evaluator = new PathEvaluator(parse)
    const add = (method: Method | 'ANY', node: ts.Node, pathNode: ts.Expression | undefined, suffix = '') => {
      if (!pathNode) return
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1
      for (const shape of evaluator.shapes(pathNode)) {
        const path = normalise(shape + suffix.replace(/\{[^}]+\}/g, DYNAMIC))
        if (path) calls.push({ method, path, file, line })
      }
    }
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        const name = node.expression.text
        const args = node.arguments
        if (name === 'api' && args.length >= 2) {
          for (const m of evaluator.methods(args[0]!)) add(m, node, args[1])
        } else if (name === 'get') add('GET', node, args[0])
        else if (name === 'fetch') add(fetchMethod(args[1]), node, args[0])
        for (const h of helpers)
          if (h.name === name && typeof h.arg === 'number')
            for (const [m, suffix] of h.calls) add(m, node, args[h.arg], suffix)
      } else if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'sendBeacon'
      ) {
        add('POST', node, node.arguments[0])
      } else if (
        ts.isNewExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'EventSource'
      ) {
        add('GET', node, node.arguments?.[0])
      } else if (ts.isJsxSelfClosingElement(node) || ts.isJsxOpeningElement(node)) {
        const tag = node.tagName.getText()
        for (const attr of node.attributes.properties) {
          if (!ts.isJsxAttribute(attr) || !attr.initializer) continue
          const prop = attr.name.getText()
          const value = ts.isJsxExpression(attr.initializer) ? attr.initializer.expression : attr.initializer
          if (!value) continue
          // A link or a frame: <iframe src=…>, <a href=…>, or a prop that makes one (originalHref={(id) => …}).
          if (/(src|href|url)$/i.test(prop))
            add('GET', node, ts.isArrowFunction(value) && !ts.isBlock(value.body) ? value.body : value)
          for (const h of helpers)
            if (h.name === tag && h.arg === prop)
              for (const [m, suffix] of h.calls) add(m, node, value, suffix)
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return calls
}

/** Whether a call's path shape (`/api/v1/tickets/*`) would be served by this OpenAPI path template. */
export function matchesTemplate(shape: string, template: string): boolean {
  const a = shape.split('/')
  const b = template.split('/')
  if (a.length !== b.length) return false
  return b.every((seg, i) => (/^\{[^}]+\}$/.test(seg) ? a[i] !== '' : a[i] === seg))
}

/** The template a shape hits: static segments win over parameters, as in Fastify's router. */
export function routeOf(shape: string, templates: readonly string[]): string | undefined {
  const literalCount = (t: string) => t.split('/').filter((s) => !s.startsWith('{')).length
  return templates
    .filter((t) => matchesTemplate(shape, t))
    .sort((x, y) => literalCount(y) - literalCount(x))[0]
}

function normalise(shape: string): string | undefined {
  if (!shape.startsWith('/api/')) return undefined
  const path = shape.split('?')[0]!.split('#')[0]!
  // A segment holding any dynamic part is a parameter; a trailing slash is not a segment.
  return path
    .split('/')
    .map((seg) => (seg.includes(DYNAMIC) ? '*' : seg))
    .join('/')
    .replace(/(.)\/$/, '$1')
}

function fetchMethod(init: ts.Expression | undefined): Method | 'ANY' {
  if (!init) return 'GET'
  if (!ts.isObjectLiteralExpression(init)) return 'ANY'
  for (const p of init.properties)
    if (ts.isPropertyAssignment(p) && p.name.getText() === 'method')
      return ts.isStringLiteralLike(p.initializer) ? (p.initializer.text.toUpperCase() as Method) : 'ANY'
  return 'GET'
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

const kindOf = (file: string) => (file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)

/** Works out the strings an expression may hold, with DYNAMIC for what only run time knows. */
class PathEvaluator {
  private readonly active = new Set<ts.Node>()
  constructor(private readonly parse: (file: string) => ts.SourceFile | undefined) {}

  /** The shapes a path argument may take; [] when it is not a path we can follow. */
  shapes(expr: ts.Expression): string[] {
    return this.evaluate(expr).filter((s) => s.startsWith('/api/'))
  }

  methods(expr: ts.Expression): (Method | 'ANY')[] {
    const values = this.evaluate(expr).map((v) => v.toUpperCase())
    const known = values.filter((v): v is Method => (METHODS as readonly string[]).includes(v))
    return known.length > 0 && known.length === values.length ? known : ['ANY']
  }

  private evaluate(expr: ts.Expression): string[] {
    if (this.active.has(expr) || this.active.size > 50) return [DYNAMIC]
    this.active.add(expr)
    try {
      return this.evaluateNode(expr).slice(0, MAX_SHAPES)
    } finally {
      this.active.delete(expr)
    }
  }

  private evaluateNode(expr: ts.Expression): string[] {
    if (ts.isStringLiteralLike(expr)) return [expr.text]
    if (ts.isTemplateExpression(expr)) {
      let out = [expr.head.text]
      for (const span of expr.templateSpans) {
        const parts = this.evaluate(span.expression)
        out = out.flatMap((prefix) => parts.map((p) => prefix + p + span.literal.text))
      }
      return out
    }
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr))
      return this.evaluate(expr.expression)
    if (ts.isSatisfiesExpression(expr)) return this.evaluate(expr.expression)
    if (ts.isConditionalExpression(expr))
      return [...this.evaluate(expr.whenTrue), ...this.evaluate(expr.whenFalse)]
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = this.evaluate(expr.left)
      const right = this.evaluate(expr.right)
      return left.flatMap((l) => right.map((r) => l + r))
    }
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
      return [...this.evaluate(expr.left), ...this.evaluate(expr.right)]
    if (ts.isIdentifier(expr)) {
      const declared = this.declarationOf(expr)
      return declared ? this.evaluate(declared) : [DYNAMIC]
    }
    if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression)) {
      const body = this.functionBodyOf(expr.expression)
      if (body) return this.evaluate(body)
    }
    return [DYNAMIC]
  }

  /** The initialiser of the constant an identifier names, found in the scopes around it or in the module it imports. */
  private declarationOf(id: ts.Identifier): ts.Expression | undefined {
    const name = id.text
    for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
      if (ts.isFunctionLike(scope) && scope.parameters.some((p) => p.name.getText() === name))
        return undefined
      const statements =
        ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) ? scope.statements : undefined
      if (!statements) continue
      for (const statement of statements) {
        const found = declaredIn(statement, name)
        if (found) return found
        if (ts.isImportDeclaration(statement)) {
          const imported = this.imported(statement, name)
          if (imported) return imported
        }
      }
    }
    return undefined
  }

  /** The returned expression of a small function (`const ticketPath = (n) => \`…\``) that a call names. */
  private functionBodyOf(callee: ts.Identifier): ts.Expression | undefined {
    const name = callee.text
    for (let scope: ts.Node | undefined = callee.parent; scope; scope = scope.parent) {
      const statements = ts.isSourceFile(scope) || ts.isBlock(scope) ? scope.statements : undefined
      if (!statements) continue
      for (const statement of statements) {
        if (ts.isFunctionDeclaration(statement) && statement.name?.text === name)
          return returned(statement.body)
        const init = declaredIn(statement, name)
        if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)))
          return ts.isBlock(init.body) ? returned(init.body) : init.body
      }
    }
    return undefined
  }

  private imported(statement: ts.ImportDeclaration, name: string): ts.Expression | undefined {
    const named = statement.importClause?.namedBindings
    if (!named || !ts.isNamedImports(named)) return undefined
    const element = named.elements.find((e) => e.name.text === name)
    if (!element || !ts.isStringLiteral(statement.moduleSpecifier)) return undefined
    const spec = statement.moduleSpecifier.text
    if (!spec.startsWith('.')) return undefined
    const from = this.parse(resolve(dirname(statement.getSourceFile().fileName), spec))
    const original = (element.propertyName ?? element.name).text
    for (const s of from?.statements ?? []) {
      const found = declaredIn(s, original)
      if (found) return found
    }
    return undefined
  }
}

function declaredIn(statement: ts.Statement, name: string): ts.Expression | undefined {
  if (!ts.isVariableStatement(statement)) return undefined
  if (!(statement.declarationList.flags & ts.NodeFlags.Const)) return undefined
  for (const d of statement.declarationList.declarations)
    if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) return d.initializer
  return undefined
}

function returned(body: ts.Block | undefined): ts.Expression | undefined {
  const statements = body?.statements ?? []
  const last = statements[statements.length - 1]
  return statements.length === 1 && last && ts.isReturnStatement(last) ? last.expression : undefined
}
