import type { ExecutionResult, GraphQLError } from 'graphql';

type Executed = ExecutionResult<Record<string, unknown>>;

export class ExecutorMismatch extends Error {
  override readonly name = 'ExecutorMismatch';
}

/**
 * What a client would see of a result: data, and each error's message, path, locations and
 * extensions (compared as JSON: graphql-js builds objects without a prototype, graphql-jit with).
 */
export function comparable(result: Executed): unknown {
  return {
    data: result.data,
    errors: result.errors?.map((e: GraphQLError) => ({
      message: e.message,
      path: e.path,
      locations: e.locations,
      extensions: e.extensions,
    })),
  };
}

/** Compare mode only (tests): says what differed on stderr, then fails the request. */
export function mismatch(message: string): never {
  process.stderr.write(`${message}\n`);
  throw new ExecutorMismatch(message);
}

/**
 * How many times a comparison is tried before it is decided against a compiled answer. Each try
 * runs the query three times; an answer that agrees is decided by the first.
 */
export const COMPARE_ATTEMPTS = 4;

/**
 * Compare mode: the compiled answer must equal graphql-js's. Other requests may write while the
 * three run, so graphql-js runs before and after the compiled query, and the compiled answer
 * must equal one of the two. One try that equals neither proves nothing: writes may have landed
 * in between (on PostgreSQL, between the statements of one run, too), and a write undone just as
 * fast (archived and restored, say) leaves graphql-js's two answers equal around a compiled run
 * that saw the middle state; the fuzz test met exactly that. So the comparison is tried again,
 * up to COMPARE_ATTEMPTS times, and the first agreement answers. Executors that really disagree
 * disagree on every try: the request fails (ExecutorMismatch) if graphql-js gave the same answer
 * before and after in at least one of them, so the data held still while they disagreed. Data
 * that never held still through any try is answered unchecked, and stderr says so. Queries have
 * no side effects, so running one again is safe.
 */
export async function compared(
  compiled: () => Promise<Executed>,
  reference: () => Promise<Executed> | Executed,
): Promise<Executed> {
  let disagreement: string | null = null;
  let answer: Executed;
  for (let attempt = 1; ; attempt++) {
    const before = JSON.stringify(comparable(await reference()));
    answer = await compiled();
    const after = JSON.stringify(comparable(await reference()));
    const got = JSON.stringify(comparable(answer));
    if (got === before || got === after) return answer;
    if (before === after) disagreement = `${got}\n${after}`;
    if (attempt === COMPARE_ATTEMPTS) break;
  }
  if (disagreement) mismatch(`graphql-jit and graphql-js disagree:\n${disagreement}`);
  process.stderr.write(
    `compare mode: the data changed during each of ${COMPARE_ATTEMPTS} comparisons; answering unchecked\n`,
  );
  return answer;
}
