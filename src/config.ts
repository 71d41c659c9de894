/**
 * How operations run. `jit`: queries through graphql-jit (compiled once per document), mutations
 * and any query answer with errors through graphql-js; `graphql-js`: everything through
 * graphql-js; `compare`: as `jit`, and each query is also run through graphql-js and the two
 * answers, errors included, must be identical (compare-executors.ts; the test suite runs this
 * way).
 */
export type ExecutorMode = 'jit' | 'graphql-js' | 'compare';
export const EXECUTOR_MODES: readonly ExecutorMode[] = ['jit', 'graphql-js', 'compare'];

/**
 * An origin as the browser sends it (`https://app.example.com`, `http://localhost:5173`), or
 * null for anything else: only exact origins are configured, never a wildcard, since anonymous
 * reads on loopback would then be readable by any site the local user visits.
 */
export function parseOrigin(text: string): string | null {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin === text ? text : null;
  } catch {
    return null;
  }
}

/**
 * The one place that reads the environment: validated once, frozen, passed down.
 * Fails fast with every problem listed.
 */
export interface ServerOptions {
  /** Reads without a token (defaults to true only while listening on a loopback address). */
  readonly anonymousRead: boolean;
  /**
   * Host names anonymous requests may use: `loopback` (localhost, 127.x, [::1]) when anonymous
   * reads are on only because the server listens on loopback, against DNS rebinding.
   */
  readonly anonymousHosts: 'loopback' | 'any';
  readonly introspection: boolean;
  readonly graphiql: boolean;
  /** Query-cost points each token (or anonymous client) may spend per minute; 0 turns it off. */
  readonly rateLimitPerMinute: number;
  readonly requestTimeoutMs: number;
  /**
   * How long an upload's read, and then its plan, may each take on the sheet thread
   * (src/sheets/sheet-planner.ts) before the file is refused.
   */
  readonly sheetTimeoutMs: number;
  /**
   * How long a connection may see no traffic either way while a request is read or answered
   * (a client that stopped reading its answer) before it is closed. Left out: 2 minutes more
   * than the longer of requestTimeoutMs and twice sheetTimeoutMs (socketIdleMs in src/server/app.ts).
   */
  readonly socketIdleMs?: number;
  /** Values an answer may hold, counted before it runs (src/server/cost-model.ts). */
  readonly maxNodes: number;
  /** Bytes of a serialized answer; a larger one is replaced by QUERY_TOO_COMPLEX. */
  readonly maxAnswerBytes: number;
  /** How operations execute (see src/server/executor.ts); `jit` unless JINDU_EXECUTOR says. */
  readonly executor: ExecutorMode;
  /** Keep serialized answers of pure reads between requests (src/server/answer-cache.ts). */
  readonly answerCache: boolean;
  /** Keep each node's forecast between requests, by its inputs (src/services/forecast-memo.ts). */
  readonly forecastCache: boolean;
  /** Webhook delivery (src/services/webhooks). */
  readonly webhooks: WebhookOptions;
  /** Pages on these exact origins may call the API from a browser (JINDU_CORS_ORIGINS). */
  readonly corsOrigins: readonly string[];
}

export interface WebhookOptions {
  /** Loopback and private addresses as webhook URLs (JINDU_WEBHOOK_ALLOW_PRIVATE). */
  readonly allowPrivate: boolean;
  /** The first retry's pause; each next one doubles, with jitter (JINDU_WEBHOOK_RETRY_MS). */
  readonly retryBaseMs: number;
  /** Whether this instance delivers webhooks (JINDU_WEBHOOK_WORKER; the outbox keeps them). */
  readonly worker: boolean;
}

export interface Config extends ServerOptions {
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly seed: 'week-20' | 'none';
  readonly logLevel: string;
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
  /**
   * `jindu serve` on a SQLite file with `synchronous = FULL`: commit with NORMAL and sync the WAL
   * off the event loop, several writes to one sync, before answering (src/db/group-commit.ts).
   */
  readonly sqliteGroupCommit: boolean;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/jindu.sqlite';
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 100_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_NODES = 100_000;
export const DEFAULT_MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Options for a server in tests or embedded use: loopback defaults. */
export function serverOptions(overrides: Partial<ServerOptions> = {}): ServerOptions {
  return {
    anonymousRead: true,
    anonymousHosts: 'loopback',
    introspection: true,
    graphiql: true,
    rateLimitPerMinute: DEFAULT_RATE_LIMIT_PER_MINUTE,
    requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
    sheetTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
    maxNodes: DEFAULT_MAX_NODES,
    maxAnswerBytes: DEFAULT_MAX_ANSWER_BYTES,
    executor: 'jit',
    answerCache: true,
    forecastCache: true,
    webhooks: { allowPrivate: false, retryBaseMs: 10_000, worker: true },
    corsOrigins: [],
    ...overrides,
  };
}

/**
 * A switch in the environment: true/1/yes/on or false/0/no/off (any case), unset or empty for
 * the default, null for anything else. The one reading of a switch, so no setting takes a word
 * another refuses, or reads a mistyped value as its default.
 */
export function parseFlag(raw: string | undefined, fallback: boolean): boolean | null {
  const value = raw?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  return null;
}

/** PostgreSQL statements prepared once per connection (`JINDU_PG_PREPARE`, checked by loadConfig). */
export function pgPrepareWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return parseFlag(env.JINDU_PG_PREPARE, true) ?? true;
}

/**
 * What is wrong with a DATABASE_URL, in words that name the setting, or null. Left to the
 * drivers, `sqlite:` (no path) failed as "journal_mode=memory", `postgres://host/` as MikroORM's
 * "clientUrl … missing the pathname", and a typo as "Invalid URL" or "URI malformed".
 */
export function databaseUrlProblem(url: string): string | null {
  if (url.startsWith('sqlite:'))
    return url === 'sqlite:'
      ? 'DATABASE_URL sqlite: needs a path (sqlite:./data/jindu.sqlite), or sqlite::memory: for a database that lives only as long as the process'
      : null;
  if (!/^postgres(ql)?:\/\//.test(url)) return 'DATABASE_URL must be sqlite:PATH or postgres://…';
  let parsed: URL;
  try {
    parsed = new URL(url);
    decodeURIComponent(parsed.pathname);
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
  } catch {
    return 'DATABASE_URL is not a valid URL (a % or @ in the password must be written %25 or %40): postgres://user:password@host:5432/database';
  }
  if (parsed.pathname.replace(/^\//, '') === '')
    return `DATABASE_URL names no database: postgres://…@${parsed.host}/DATABASE`;
  return null;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const flag = (name: string, fallback: boolean): boolean => {
    const value = parseFlag(env[name], fallback);
    if (value !== null) return value;
    problems.push(`${name} must be true or false, got "${env[name]}"`);
    return fallback;
  };
  const origins = (name: string): string[] => {
    const list = (env[name] ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    for (const o of list)
      if (parseOrigin(o) === null)
        problems.push(
          `${name} takes exact origins such as https://app.example.com (scheme, host, port; no path, no *), got "${o}"`,
        );
    return list;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    // Decimal digits only: Number() would also take 0x10, 0b1 and 1e3 for numbers.
    const value =
      raw === undefined || raw === '' ? fallback : /^-?\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push(`${name} must be a whole number ${min}–${max}, got "${raw}"`);
    return value;
  };
  const host = env.HOST?.trim() || '127.0.0.1';
  const port = int('PORT', 4000, 0, 65535);
  const databaseUrl = env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  const databaseProblem = databaseUrlProblem(databaseUrl);
  if (databaseProblem) problems.push(databaseProblem);
  const seed = (env.JINDU_SEED ?? 'week-20').trim();
  if (seed !== 'week-20' && seed !== 'none')
    problems.push(`JINDU_SEED must be week-20 or none, got "${seed}"`);
  const sync = (env.JINDU_SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase();
  if (sync !== 'FULL' && sync !== 'NORMAL')
    problems.push('JINDU_SQLITE_SYNCHRONOUS must be FULL or NORMAL');
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
  }
  const executor = (env.JINDU_EXECUTOR?.trim() || 'jit') as ExecutorMode;
  if (!EXECUTOR_MODES.includes(executor))
    problems.push(`JINDU_EXECUTOR must be one of ${EXECUTOR_MODES.join(', ')}, got "${executor}"`);
  const local = isLoopback(host);
  const options = serverOptions({
    anonymousRead: flag('JINDU_ANONYMOUS_READ', local),
    // Set explicitly, anonymous reads serve any Host (behind a proxy); by default only loopback.
    anonymousHosts: env.JINDU_ANONYMOUS_READ?.trim() ? 'any' : 'loopback',
    introspection: flag('JINDU_INTROSPECTION', local),
    graphiql: flag('JINDU_GRAPHIQL', local),
    rateLimitPerMinute: int('JINDU_RATE_LIMIT', DEFAULT_RATE_LIMIT_PER_MINUTE, 0, 1e9),
    requestTimeoutMs: int('JINDU_REQUEST_TIMEOUT_MS', DEFAULT_REQUEST_TIMEOUT_MS, 100, 600_000),
    sheetTimeoutMs: int('JINDU_SHEET_TIMEOUT_MS', DEFAULT_REQUEST_TIMEOUT_MS, 100, 600_000),
    maxNodes: int('JINDU_MAX_NODES', DEFAULT_MAX_NODES, 1_000, 10_000_000),
    maxAnswerBytes: int('JINDU_MAX_ANSWER_BYTES', DEFAULT_MAX_ANSWER_BYTES, 65_536, 1024 ** 3),
    executor,
    answerCache: flag('JINDU_ANSWER_CACHE', true),
    forecastCache: flag('JINDU_FORECAST_CACHE', true),
    webhooks: {
      allowPrivate: flag('JINDU_WEBHOOK_ALLOW_PRIVATE', false),
      retryBaseMs: int('JINDU_WEBHOOK_RETRY_MS', 10_000, 10, 3_600_000),
      worker: flag('JINDU_WEBHOOK_WORKER', true),
    },
    corsOrigins: origins('JINDU_CORS_ORIGINS'),
  });
  const sqliteGroupCommit = flag('JINDU_SQLITE_GROUP_COMMIT', true);
  flag('JINDU_PG_PREPARE', true); // read where connections are made (pgPrepareWanted)
  if (problems.length > 0)
    throw new ConfigError(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  return Object.freeze({
    ...options,
    host,
    port,
    databaseUrl,
    seed: seed as Config['seed'],
    logLevel,
    sqliteSynchronous: sync as Config['sqliteSynchronous'],
    sqliteGroupCommit,
  });
}
