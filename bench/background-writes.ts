import { bytesOf } from './queries.js';
import type { ServerProcess } from './server-process.js';
import type { GeneratedInitiative } from './synthetic-data.js';

const itemGlobalId = (id: number): string => Buffer.from(`Item:${id}`).toString('base64url');

/**
 * Writes at a steady rate while a read load runs, so kept answers are measured as they live:
 * each `setItemStatus` goes to an item drawn at random from the initiatives (so from anywhere in
 * their trees), and moves every figure from that item's workstream up to the top. Every answer
 * is checked; `stop` resolves with how many writes were made and throws if one failed.
 */
export function backgroundWrites(
  server: ServerProcess,
  token: string,
  initiatives: readonly GeneratedInitiative[],
  perSecond: number,
): { stop(): Promise<number> } {
  let made = 0;
  let failure: unknown = null;
  const inFlight = new Set<Promise<void>>();
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const one = async () => {
    const initiative = initiatives[made % initiatives.length]!;
    const id = initiative.firstItemId + Math.floor(random() * initiative.itemCount);
    const status = made % 2 ? 'PAUSED' : 'IN_PROGRESS';
    made++;
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query:
          'mutation($i: SetItemStatusInput!) { setItemStatus(input: $i) { item { status } userErrors { code } } }',
        variables: { i: { itemId: itemGlobalId(id), status, percent: 40 } },
      }),
    });
    const body = (await res.json()) as {
      data?: { setItemStatus?: { item: { status: string } | null; userErrors: unknown[] } };
    };
    const payload = body.data?.setItemStatus;
    if (!payload?.item || payload.userErrors.length > 0 || payload.item.status !== status)
      throw new Error(`background write: ${JSON.stringify(body).slice(0, 300)}`);
  };
  const timer = setInterval(() => {
    const p = one()
      .catch((err: unknown) => void (failure ??= err))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }, 1000 / perSecond);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      if (failure) throw failure;
      return made;
    },
  };
}

/**
 * A dashboard answer while writes change its figures: the same shape as the first answer (the
 * top of the answer, the end, and a length within 2%: the counts' digits may change, the tree
 * does not). The answers between writes are still compared byte for byte with each other by the
 * kept-answer tests; the load checks only that each is a whole dashboard.
 */
export function dashboardLike(reference: () => string): (body: Buffer) => boolean {
  const want = bytesOf(reference);
  const tail = Buffer.from(']}}}');
  return (body) => {
    const bytes = want();
    const head = bytes.subarray(0, bytes.indexOf('[')); // the first '[' is near the start
    return (
      body.subarray(0, head.length).equals(head) &&
      body.subarray(body.length - tail.length).equals(tail) &&
      Math.abs(body.length - bytes.length) <= bytes.length * 0.02
    );
  };
}
