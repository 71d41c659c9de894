import type { ChangeRecord } from '../../db/queries/change-log.queries.js';
import type { Context } from '../context.type.js';
import { badUserInput, optionalArg } from '../errors.js';
import { ChangeConnectionType, ChangeType } from '../types/change.type.js';
import { changeCursor, cursorId, type CursorKind } from './ids.js';

export const MAX_PAGE = 100;

/** Checks a page size (1–100) and decodes an `after` cursor, or throws BAD_USER_INPUT. */
export function pageArgs(
  first: number,
  after: string | null | undefined,
  kind: CursorKind,
): { first: number; afterId: number | null } {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw badUserInput(`first 必须在 1 到 ${MAX_PAGE} 之间，收到 ${first}`, 'first');
  }
  // Only a cursor this connection gave out is taken.
  const afterId = optionalArg(after, (c) => cursorId(c, kind), 'after', 'after 不是有效的游标');
  return { first, afterId };
}

/** A page of the change log as a connection: `read` gives the rows before an id, newest first. */
export async function historyPage(
  ctx: Context,
  read: (beforeId: number | null, limit: number) => Promise<ChangeRecord[]>,
  first: number,
  after: string | null | undefined,
): Promise<ChangeConnectionType> {
  await ctx.deadline?.check();
  const page = pageArgs(first, after, 'change');
  const rows = await read(page.afterId, page.first + 1);
  return new ChangeConnectionType(
    rows.slice(0, page.first).map((r) => new ChangeType(r)),
    rows.length > page.first,
    (c) => changeCursor(c.record.id),
  );
}
