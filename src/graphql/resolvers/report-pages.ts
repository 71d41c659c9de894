import { badUserInput, optionalArg } from '../errors.js';
import { MAX_PAGE } from './history.js';
import { encodeAscii, matchDecoded } from '../../domain/ascii-base64url.js';

/** A keyset cursor on (effective time, id): opaque to clients. */
function cursorOf(row: Dated): string {
  return encodeAscii(`at:${row.effectiveAt.getTime()}:${row.id}`);
}

function positionOf(cursor: string): { at: number; id: number } | null {
  if (typeof cursor !== 'string' || cursor.length > 80) return null;
  // One spelling per position, as item cursors (decodeAscii refuses the others).
  const m = matchDecoded(cursor, /^at:(-?\d{1,16}):([1-9]\d{0,14})$/);
  if (!m) return null;
  const position = { at: Number(m[1]), id: Number(m[2]) };
  // A time spelled otherwise ("-0", leading zeros) is another spelling of the position too.
  return encodeAscii(`at:${position.at}:${position.id}`) === cursor ? position : null;
}

interface Dated {
  readonly id: number;
  readonly effectiveAt: Date;
}

/**
 * A page of rows already in memory, newest first by (effective time, id). The cursor is a
 * position in that order, so a page stays put while rows are added before or after it.
 */
export function newestFirstPage<R extends Dated>(
  rows: readonly R[],
  first: number,
  after: string | null | undefined,
): {
  nodes: R[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
} {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
    throw badUserInput(`first 必须在 1 到 ${MAX_PAGE} 之间，收到 ${first}`, 'first');
  const position = optionalArg(after, positionOf, 'after', 'after 不是有效的游标');
  const key = (r: Dated) => [r.effectiveAt.getTime(), r.id] as const;
  const ordered = [...rows].sort((a, b) => key(b)[0] - key(a)[0] || key(b)[1] - key(a)[1]);
  const rest =
    position === null
      ? ordered
      : ordered.filter((r) => {
          const [at, id] = key(r);
          return at < position.at || (at === position.at && id < position.id);
        });
  const nodes = rest.slice(0, first);
  const last = nodes.at(-1);
  return {
    nodes,
    pageInfo: { hasNextPage: rest.length > first, endCursor: last ? cursorOf(last) : null },
    totalCount: rows.length,
  };
}
