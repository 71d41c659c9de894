/** A minimal GraphQL client for the report command: one POST, errors turned into sentences. */
export class ReportError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const EXIT = { SERVER_ERROR: 1, USAGE: 2, UNREACHABLE: 3, UNKNOWN_KEY: 4 } as const;

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
      EXIT.UNREACHABLE,
    );
  }
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = await res.json();
  } catch {
    throw new ReportError(
      `${url} answered HTTP ${res.status} without a GraphQL body; is that a Jindu server?`,
      EXIT.SERVER_ERROR,
    );
  }
  if (body.errors?.length) {
    const messages = body.errors.map(
      (e) => `${e.message}${e.extensions?.code ? ` (${e.extensions.code})` : ''}`,
    );
    throw new ReportError(
      `the server answered an error: ${messages.join('; ')}`,
      EXIT.SERVER_ERROR,
    );
  }
  if (!res.ok || !body.data)
    throw new ReportError(`the server answered HTTP ${res.status}`, EXIT.SERVER_ERROR);
  return body.data;
}
