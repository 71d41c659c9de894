import type { Em } from '../em.js';
import { timeParam } from './as-of.queries.js';
import { placeholders } from './sql.js';

/**
 * What a write of many workstreams asks once for all of them (an import's new paths, 100 a
 * step), where a single write asks per workstream.
 */

/** The next free position under each of `parentIds` (one initiative's), 0 where none has children. */
export async function nextPositions(
  em: Em,
  initiativeId: number,
  parentIds: readonly number[],
): Promise<Map<number, number>> {
  const next = new Map(parentIds.map((id) => [id, 0]));
  if (parentIds.length === 0) return next;
  const rows = await em.execute(
    `select parent_id, max(position) as last from workstream
      where initiative_id = ? and parent_id in (${placeholders(parentIds)}) and deleted_at is null
      group by parent_id`,
    [initiativeId, ...parentIds],
  );
  for (const r of rows) next.set(Number(r.parent_id), Number(r.last) + 1);
  return next;
}

/** A workstream to insert: its parent (null: the top level), name and place among siblings. */
export interface NewWorkstreamRow {
  readonly parentId: number | null;
  readonly name: string;
  readonly position: number;
}

/**
 * Inserts workstreams whose parents already have their paths, in one statement, then sets their
 * paths and depths from their parents' in another; answers their ids in the order given. A
 * parent's children each have a place of their own, so the returned rows are matched to the
 * given ones by parent and place (the order `returning` gives is not promised). The columns not
 * named take their defaults, as a created workstream's do.
 */
export async function insertWorkstreams(
  em: Em,
  initiativeId: number,
  rows: readonly NewWorkstreamRow[],
  now: Date,
): Promise<number[]> {
  const at = timeParam(em, now.getTime());
  const inserted = await em.execute(
    `insert into workstream (initiative_id, parent_id, name, position, path, depth, effective_from, created_at, updated_at)
      values ${rows.map(() => "(?, ?, ?, ?, '', 0, ?, ?, ?)").join(', ')}
      returning id, parent_id, position`,
    rows.flatMap((r) => [initiativeId, r.parentId, r.name, r.position, at, at, at]),
    'all',
  );
  const place = (parentId: unknown, position: unknown) =>
    `${parentId === null ? '' : Number(parentId)}:${Number(position)}`;
  const ids = new Map(inserted.map((r) => [place(r.parent_id, r.position), Number(r.id)]));
  const answer = rows.map((r) => ids.get(place(r.parentId, r.position))!);
  await em.execute(
    `update workstream set
        path = coalesce((select p.path from workstream p where p.id = workstream.parent_id), '/')
          || cast(id as varchar(20)) || '/',
        depth = coalesce((select p.depth + 1 from workstream p where p.id = workstream.parent_id), 0)
      where id in (${placeholders(answer)})`,
    answer,
    'run',
  );
  return answer;
}
