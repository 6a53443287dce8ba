import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// ---- Layer rules (DESIGN.md "Layers", docs/architecture.md). Each is an ordinary lint error, so `npm test`
// (which runs `npm run lint` first) fails on a violation. The allow-lists name files that break a rule today
// and are to be moved, not new exceptions: shrink them, never add to them.

const SQL_BUILDERS = 'selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto'
const sqlOutsideRepositories = {
  selector: `CallExpression[callee.property.name=/^(${SQL_BUILDERS})$/]`,
  message: 'SQL lives in src/repositories/ (and dialect pieces in src/db/): call a repository function.',
}
const sqlTemplateOutsideRepositories = {
  selector: "TaggedTemplateExpression[tag.name='sql'], CallExpression[callee.object.name='sql']",
  message: 'SQL lives in src/repositories/ (and dialect pieces in src/db/): call a repository function.',
}
const transactOutsideCommands = {
  selector: "CallExpression[callee.property.name='transact']",
  message: 'Only src/commands/ and src/jobs/ open transactions (db.transact); call a command.',
}

// Files that still run SQL outside src/repositories/ (issue 13 moved the admin resources and the routes).
const SQL_ALLOW_LIST = [
  'src/routes/mailRoutes.ts', // admin mail routes: moved with the admin kit's mail screens
  // commands: every other command (all of commands/admin/) runs its SQL through a repository.
  'src/commands/accessTokens.ts',
  'src/commands/apiKeys.ts',
  'src/commands/auth.ts',
  'src/commands/createTicket.ts',
  'src/commands/intake.ts',
  'src/commands/loginThrottle.ts',
  'src/commands/mailAdmin.ts',
  'src/commands/mergeTickets.ts',
  'src/commands/passwords.ts',
  'src/commands/postMessage.ts',
  'src/commands/ticketAutomation.ts',
  'src/commands/ticketRelations.ts',
  'src/commands/twoFactor.ts',
  'src/commands/updateTicket.ts',
  'src/queries/auditQueries.ts',
  'src/cli.ts',
  'src/routingConfig.ts',
  'src/realtime/fanout.ts', // pg_notify: a dialect piece, to move into src/db/
  'src/jobs/slaSweep.ts',
  'src/jobs/statusSweeps.ts',
  // mail: the SMTP intake (receiveEmail.ts, smtpListener.ts) is being optimised apart; its SQL moves after.
  'src/mail/pipe.ts',
  'src/mail/receiveEmail.ts',
  'src/mail/smtpListener.ts',
  'src/mail/templates.ts',
  'src/mail/ticketMail.ts',
  'src/import/osticket.ts', // the osTicket importer writes whole tables in batches
  'src/seed/demo.ts',
  'src/seed/synthetic.ts',
]
// Files outside commands/ and jobs/ that still open a transaction.
const TRANSACT_ALLOW_LIST = [
  'src/mail/receiveEmail.ts', // SMTP intake's grouped stores (being optimised apart; issue 13 leaves its internals)
  'src/mail/ticketMail.ts',
  'src/import/osticket.ts', // the importer is a job of its own: one transaction per imported batch
  'src/mail/transport.ts', // Mail preview keeps a message when no SMTP_URL is set (called from the outbox job)
]
const SQL_EXEMPT = ['src/repositories/**', 'src/db/**', ...SQL_ALLOW_LIST]
const TRANSACT_EXEMPT = ['src/commands/**', 'src/jobs/**', 'src/db/**', ...TRANSACT_ALLOW_LIST]
const SQL_RULES = [sqlOutsideRepositories, sqlTemplateOutsideRepositories]

// Routes that still import a repository at run time.
const ROUTE_REPOSITORY_ALLOW_LIST = [
  'src/routes/mailRoutes.ts',
  'src/routes/accountRoutes.ts',
  // The mail resources' read routes (landed beside the layer rules; their reads belong in queries/).
  'src/routes/admin/failedMail.ts',
  'src/routes/admin/intakeAddresses.ts',
  'src/routes/admin/mailboxes.ts',
]

const importsOfRoutes = {
  group: ['**/routes/*', '**/routes/**'],
  message: 'Only src/server.ts imports routes.',
}
const databaseCode = (allowTypeImports) => [
  { group: ['kysely'], allowTypeImports, message: 'No database code here: go through a command or a query.' },
  {
    group: ['**/db/*', '!**/db/availability.ts'],
    allowTypeImports,
    message: 'No database code here: go through a command or a query.',
  },
  {
    group: ['**/repositories/*'],
    allowTypeImports,
    message: allowTypeImports
      ? 'Routes call a command or a query, never a repository (types are fine).'
      : 'Policies are pure: no repository, no database code.',
  },
]

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', 'coverage', 'web/dist', 'web/src/api/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // no-restricted-syntax takes one list per file, so the two rules are laid out over three disjoint groups.
  {
    files: ['src/**/*.ts'],
    ignores: [...SQL_EXEMPT, ...TRANSACT_EXEMPT],
    rules: { 'no-restricted-syntax': ['error', ...SQL_RULES, transactOutsideCommands] },
  },
  {
    files: TRANSACT_EXEMPT,
    ignores: SQL_EXEMPT,
    rules: { 'no-restricted-syntax': ['error', ...SQL_RULES] },
  },
  {
    files: SQL_EXEMPT,
    ignores: TRANSACT_EXEMPT,
    rules: { 'no-restricted-syntax': ['error', transactOutsideCommands] },
  },
  // Nothing imports routes/ but the server that registers them (and routes their own helpers).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/routes/**', 'src/server.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [importsOfRoutes] }],
    },
  },
  // Routes are HTTP only: no Kysely, no src/db/ (but its types and availability.ts), no repository at run time.
  {
    files: ['src/routes/**/*.ts'],
    ignores: ROUTE_REPOSITORY_ALLOW_LIST,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: databaseCode(true) }] },
  },
  // Policies are pure: no database code at all, not even its types.
  {
    files: ['src/policies/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [...databaseCode(false), importsOfRoutes] },
      ],
    },
  },
  // Tests read JSON responses whose shape the assertions check; `any` there is the honest type.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  // src/shared/ is bundled into the web app as well as the server: it imports nothing but itself, and the web
  // app reaches the server's code only through it (as `@shared/…`).
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', message: 'src/shared/ imports only its own files (./x.ts).' }] },
      ],
    },
  },
  {
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '(^|/)src/', message: 'The web app imports server code only from @shared/.' }],
        },
      ],
    },
  },
)
