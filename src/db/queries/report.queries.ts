import type { Em } from '../em.js';
import { orderedInSlices, placeholders } from './sql.js';

export interface PercentCountRow {
  readonly workstreamId: number;
  readonly percent: number;
  readonly items: number;
}

/** In-progress items per (workstream, percent) of some initiatives: grouped in SQL, not read. */
export async function findInProgressPercents(
  em: Em,
  initiativeIds: readonly number[],
): Promise<PercentCountRow[]> {
  const rows = await em.execute(
    `select workstream_id, percent, count(*) as n from item
      where initiative_id in (${placeholders(initiativeIds)}) and status = 'IN_PROGRESS' and deleted_at is null
      group by workstream_id, percent`,
    [...initiativeIds],
  );
  return rows.map((r) => ({
    workstreamId: Number(r.workstream_id),
    percent: Number(r.percent),
    items: Number(r.n),
  }));
}

export interface NamedItemRow {
  readonly id: number;
  readonly workstreamId: number;
  readonly name: string;
  readonly status: 'DONE' | 'IN_PROGRESS';
  readonly percent: number;
}

/** Done and in-progress items of the given workstreams, in item order (for BY_NAME lines). */
export async function findNamedItems(
  em: Em,
  workstreamIds: readonly number[],
): Promise<NamedItemRow[]> {
  if (workstreamIds.length === 0) return [];
  // A BY_NAME line over a big initiative names tens of thousands of workstreams: in slices,
  // merged back into item order.
  const rows = await orderedInSlices<Record<string, unknown>>(
    workstreamIds,
    (a, b) => Number(a.id) - Number(b.id),
    Number.POSITIVE_INFINITY,
    (slice) =>
      em.execute(
        `select id, workstream_id, name, status, percent from item
          where workstream_id in (${placeholders(slice)}) and status in ('DONE', 'IN_PROGRESS')
            and deleted_at is null order by id`,
        [...slice],
      ),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    workstreamId: Number(r.workstream_id),
    name: String(r.name),
    status: r.status as NamedItemRow['status'],
    percent: Number(r.percent),
  }));
}
