import type { TestApp } from './test-app.js';

/**
 * A GraphQL client for a server started as a child process, shaped like the in-process test
 * app's `ok` so helpers such as generateHistory write through either.
 */
export function httpClient(url: string, token: string): Pick<TestApp, 'ok'> {
  return {
    ok: async (query, variables) => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown[] };
      if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
  };
}
