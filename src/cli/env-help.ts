/** One environment setting, as `jindu --help` and the README's Configuration table list it. */
export interface Setting {
  readonly name: string;
  /** As the README's table writes it (`127.0.0.1`, or words such as `none`). */
  readonly default: string;
  /** One short line; the README says more. */
  readonly meaning: string;
}

/**
 * Every setting the server and the commands read (src/config.ts, src/cli/report-url.ts). A
 * test holds this list, the names the source reads and the README's table to one another.
 */
export const SETTINGS: readonly Setting[] = [
  { name: 'HOST', default: '`127.0.0.1`', meaning: 'address to listen on' },
  { name: 'PORT', default: '`4000`', meaning: 'port (0: any free port)' },
  {
    name: 'DATABASE_URL',
    default: '`sqlite:./data/jindu.sqlite`',
    meaning: 'sqlite:PATH or postgres://user:pass@host:5432/db',
  },
  { name: 'JINDU_SEED', default: '`week-20`', meaning: 'week-20 (into an empty database) or none' },
  { name: 'JINDU_SQLITE_SYNCHRONOUS', default: '`FULL`', meaning: 'FULL or NORMAL' },
  {
    name: 'JINDU_SQLITE_GROUP_COMMIT',
    default: '`true`',
    meaning: 'with FULL, writes share syncs of the WAL',
  },
  {
    name: 'LOG_LEVEL',
    default: '`info`',
    meaning: 'trace, debug, info, warn, error, fatal, silent',
  },
  {
    name: 'JINDU_ANONYMOUS_READ',
    default: 'on for a loopback `HOST`',
    meaning: 'reads without a token',
  },
  {
    name: 'JINDU_INTROSPECTION',
    default: 'on for a loopback `HOST`',
    meaning: 'GraphQL introspection',
  },
  { name: 'JINDU_GRAPHIQL', default: 'on for a loopback `HOST`', meaning: 'serve /graphiql' },
  {
    name: 'JINDU_RATE_LIMIT',
    default: '`100000`',
    meaning: 'cost points a minute a token (0: off)',
  },
  { name: 'JINDU_REQUEST_TIMEOUT_MS', default: '`10000`', meaning: 'time a request may take' },
  {
    name: 'JINDU_SHEET_TIMEOUT_MS',
    default: '`10000`',
    meaning: "time a spreadsheet's read, plan or write may take",
  },
  { name: 'JINDU_MAX_NODES', default: '`100000`', meaning: 'values an answer may hold' },
  { name: 'JINDU_MAX_ANSWER_BYTES', default: '`16777216`', meaning: 'bytes an answer may take' },
  { name: 'JINDU_EXECUTOR', default: '`jit`', meaning: 'jit, graphql-js or compare' },
  { name: 'JINDU_ANSWER_CACHE', default: '`true`', meaning: 'keep answers of tree reads' },
  { name: 'JINDU_FORECAST_CACHE', default: '`true`', meaning: 'keep forecasts by their inputs' },
  {
    name: 'JINDU_URL',
    default: '`http://HOST:PORT/graphql`',
    meaning: 'the server report and history ask',
  },
  {
    name: 'JINDU_WEBHOOK_ALLOW_PRIVATE',
    default: '`false`',
    meaning: 'webhooks to loopback and private addresses',
  },
  { name: 'JINDU_WEBHOOK_RETRY_MS', default: '`10000`', meaning: 'first webhook retry pause' },
  { name: 'JINDU_WEBHOOK_WORKER', default: '`true`', meaning: 'this instance delivers webhooks' },
  {
    name: 'JINDU_PG_PREPARE',
    default: '`true`',
    meaning: 'PostgreSQL statements prepared once per connection',
  },
  {
    name: 'PGOPTIONS',
    default: 'none',
    meaning: "PostgreSQL session settings after Jindu's jit=off",
  },
  {
    name: 'JINDU_CORS_ORIGINS',
    default: 'none',
    meaning: 'origins whose pages may call the API, comma-separated',
  },
];

const NAME_WIDTH = Math.max(...SETTINGS.map((s) => s.name.length)) + 2;

/** The end of `jindu --help`: every setting with its default, and the exit codes. */
export const ENV_HELP = `
Environment (the README's Configuration section says more; report and history read only
JINDU_URL, HOST and PORT):
${SETTINGS.map((s) => `  ${s.name.padEnd(NAME_WIDTH)}${s.meaning} (default ${s.default.replaceAll('`', '')})`).join('\n')}

Exit codes: 0 ok, 1 failure (and help for a missing command), 2 usage error (also a value the server refuses);
3 server unreachable (report, history), 4 unknown initiative key (report, history,
import, export). --out - writes to stdout.`;
