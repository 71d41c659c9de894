import { DomainError } from '../../domain/errors.js';
import { fromGlobalId, type NodeTypeName } from '../global-id.js';

/** The numeric id of a global id of the expected type, or NOT_FOUND naming the input field. */
export function idOf(globalId: string, type: NodeTypeName, field: readonly string[]): number {
  const parsed = fromGlobalId(globalId, type);
  if (!parsed)
    throw new DomainError('NOT_FOUND', `无效或未知的 ID：${String(globalId).slice(0, 64)}`, field);
  return parsed.id;
}

/** Item cursors: opaque, keyset on the item id. */
export function itemCursor(id: number): string {
  return Buffer.from(`cursor:${id}`).toString('base64url');
}

/** The id of a cursor in its one canonical spelling (see fromGlobalId), or null. */
export function cursorId(cursor: string): number | null {
  if (typeof cursor !== 'string' || cursor.length > 64) return null;
  const match = /^cursor:([1-9]\d{0,14})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match && itemCursor(Number(match[1])) === cursor ? Number(match[1]) : null;
}
