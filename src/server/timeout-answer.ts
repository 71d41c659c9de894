import type { GraphQLResponse } from '@apollo/server';

/**
 * An answer cut short by its deadline is a 503 TIMEOUT with no partial data, the same answer
 * the HTTP layer gives when its own timer fires first.
 */
export function timeoutAnswer(response: GraphQLResponse): void {
  if (response.body.kind !== 'single') return;
  const result = response.body.singleResult;
  const timeout = result.errors?.find((e) => e.extensions?.code === 'TIMEOUT');
  if (!timeout) return;
  response.http.status = 503;
  response.body.singleResult = {
    errors: [{ message: timeout.message, extensions: { code: 'TIMEOUT' } }],
  };
}
