import { DomainError } from '../../domain/errors.js';
import { fromGlobalId, type NodeTypeName } from '../global-id.js';
import { encodeAscii, matchDecoded } from '../ascii-base64url.js';

/** The numeric id of a global id of the expected type, or NOT_FOUND naming the input field. */
export function idOf(globalId: string, type: NodeTypeName, field: readonly string[]): number {
  const parsed = fromGlobalId(globalId, type);
  if (!parsed)
    throw new DomainError('NOT_FOUND', `无效或未知的 ID：${String(globalId).slice(0, 64)}`, field);
  return parsed.id;
}

/** Item cursors: opaque, keyset on the item id. */
export function itemCursor(id: number): string {
  return encodeAscii(`cursor:${id}`);
}

/** The id of a cursor in its one canonical spelling (see fromGlobalId), or null. */
export function cursorId(cursor: string): number | null {
  if (typeof cursor !== 'string' || cursor.length > 64) return null;
  const match = matchDecoded(cursor, /^cursor:([1-9]\d{0,14})$/);
  return match ? Number(match[1]) : null;
}
