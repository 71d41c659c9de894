/** A minimal GraphQL client for the report command: one POST, errors turned into sentences. */
import { terminalSafe } from './terminal-text.js';
import { EXIT_CODE } from './usage-errors.js';

export class ReportError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** English hints for the codes a report request can meet; the CLI speaks English throughout. */
const HINTS: Record<string, string> = {
  UNAUTHENTICATED: 'the server needs an API token for reads (pass --token)',
  FORBIDDEN: 'the token may not read this',
  NOT_FOUND: 'no GraphQL endpoint there (check --url or JINDU_URL)',
  RATE_LIMITED: 'rate limited; try again in a minute',
  TIMEOUT: 'the server timed out',
  BAD_USER_INPUT: 'the server refused an option value',
  METHOD_NOT_ALLOWED: 'no GraphQL endpoint there (check --url or JINDU_URL)',
};

/** Codes that name the caller's mistake in what it asked: a usage error (exit 2), as locally. */
const USAGE_CODES = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);

/**
 * One error of the server's answer as English words with the server's own text quoted after
 * them: the quote is data (in the server's language, Chinese by default), made terminal-safe.
 */
export function describeServerError(
  e: { message?: unknown; extensions?: { code?: unknown } },
  tokenSent = false,
) {
  const code = typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN';
  const quote = JSON.stringify(terminalSafe(String(e.message ?? '')).slice(0, 300));
  const hint =
    code === 'UNAUTHENTICATED' && tokenSent
      ? 'the server refused the token (revoked, expired or mistyped?)'
      : (HINTS[code] ?? 'error');
  return `${hint} (${terminalSafe(code)}: ${quote})`;
}

export async function graphqlRequest<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new ReportError(
      `cannot reach Jindu at ${url} (${cause}). Is the server running? Start it with npm start, or pass --url.`,
      EXIT_CODE.UNREACHABLE,
    );
  }
  let body: { data?: T; errors?: { message?: unknown; extensions?: { code?: unknown } }[] };
  try {
    body = await res.json();
    if (typeof body !== 'object' || body === null) throw new TypeError('not an object');
  } catch {
    throw new ReportError(
      `${url} answered HTTP ${res.status} without a GraphQL body; is that a Jindu server?`,
      EXIT_CODE.FAILURE,
    );
  }
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const usage = body.errors.every((e) => USAGE_CODES.has(String(e.extensions?.code)));
    throw new ReportError(
      `the server answered an error: ${body.errors.map((e) => describeServerError(e, !!token)).join('; ')}`,
      usage ? EXIT_CODE.USAGE : EXIT_CODE.FAILURE,
    );
  }
  if (!res.ok || !body.data)
    throw new ReportError(`the server answered HTTP ${res.status}`, EXIT_CODE.FAILURE);
  return body.data;
}
