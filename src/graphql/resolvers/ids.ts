import { DomainError } from '../../domain/errors.js';
import { fromGlobalId, type NodeTypeName } from '../../domain/global-id.js';
import { encodeAscii, matchDecoded } from '../../domain/ascii-base64url.js';

/** The numeric id of a global id of the expected type, or NOT_FOUND naming the input field. */
export function idOf(globalId: string, type: NodeTypeName, field: readonly string[]): number {
  const parsed = fromGlobalId(globalId, type);
  if (!parsed)
    throw new DomainError('NOT_FOUND', `无效或未知的 ID：${String(globalId).slice(0, 64)}`, field);
  return parsed.id;
}

/**
 * What a cursor pages: each connection keyed by an id has a kind of its own, so a change log's
 * cursor given to `items(after:)` is refused instead of paging items from change 42's number.
 * (`cursor` is the items' spelling from the start; cursors are opaque to clients.)
 */
export type CursorKind = 'cursor' | 'change';

/** Opaque cursors, keyset on an id. */
export const itemCursor = (id: number): string => encodeAscii(`cursor:${id}`);
export const changeCursor = (id: number): string => encodeAscii(`change:${id}`);

/** The id of a cursor of that kind in its one canonical spelling (see fromGlobalId), or null. */
export function cursorId(cursor: string, kind: CursorKind): number | null {
  if (typeof cursor !== 'string' || cursor.length > 64) return null;
  const match = matchDecoded(cursor, new RegExp(`^${kind}:([1-9]\\d{0,14})$`));
  return match ? Number(match[1]) : null;
}
