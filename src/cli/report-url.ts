/**
 * Where `jindu report` finds the server: --url, else JINDU_URL, else the address `jindu serve`
 * listens on with the same HOST and PORT variables (src/config.ts), so a server started with
 * PORT=4100 is reported from with PORT=4100 too.
 */

/** An http(s) URL, or null. */
export function parseHttpUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * A server's own address (`http://host:4000`, no path) stands for its GraphQL endpoint: the
 * path `/` is the dashboard, never GraphQL. Any other URL is taken as given.
 */
export function graphqlEndpoint(text: string): string {
  const url = parseHttpUrl(text);
  if (!url || url.pathname !== '/' || url.search !== '' || url.hash !== '') return text;
  url.pathname = '/graphql';
  return url.toString();
}

/** The GraphQL endpoint from the environment, or a one-line reason why there is none. */
export function reportUrlFromEnv(env: NodeJS.ProcessEnv): { url: string } | { problem: string } {
  const explicit = env.JINDU_URL?.trim();
  if (explicit) {
    return parseHttpUrl(explicit)
      ? { url: graphqlEndpoint(explicit) }
      : { problem: `JINDU_URL must be an http:// or https:// URL, got "${explicit}"` };
  }
  const rawPort = env.PORT?.trim() || '4000';
  const port = /^\d+$/.test(rawPort) ? Number(rawPort) : NaN; // as the server reads it
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return {
      problem: `PORT must be 1–65535 to find the server (PORT=0 picks a free port when serving), got "${rawPort}"; pass --url or set JINDU_URL`,
    };
  }
  let host = env.HOST?.trim() || '127.0.0.1';
  // A server listening on every address is reached on this machine's loopback.
  if (host === '0.0.0.0') host = '127.0.0.1';
  if (host === '::') host = '::1';
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  return { url: `http://${host}:${port}/graphql` };
}
