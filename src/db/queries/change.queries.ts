import type { ItemStatus } from '../../domain/item-status.js';
import type { ChangeRow } from './item.queries.js';
import type { Em } from '../orm.js';
import { placeholders } from './sql.js';

/** A change-log row as read back: what was written, with its id and time. */
export interface ChangeRecord extends Omit<ChangeRow, 'kind'> {
  readonly id: number;
  readonly kind: string;
  readonly at: Date;
}

export interface ChangePageQuery {
  readonly itemId?: number;
  readonly workstreamIds?: readonly number[];
  /** Newest first: the page holds changes older than this id. */
  readonly beforeId: number | null;
  readonly limit: number;
}

const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** A page of the change log, newest first, for one item or for some workstreams. */
export async function findChanges(em: Em, q: ChangePageQuery): Promise<ChangeRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.itemId !== undefined) {
    where.push('item_id = ?');
    params.push(q.itemId);
  }
  if (q.workstreamIds) {
    where.push(`workstream_id in (${placeholders(q.workstreamIds)})`);
    params.push(...q.workstreamIds);
  }
  if (q.beforeId !== null) {
    where.push('id < ?');
    params.push(q.beforeId);
  }
  const rows = await em.execute(
    `select id, initiative_id, workstream_id, item_id, kind, from_status, from_percent, to_status, to_percent,
            version, actor, note, at from status_change
      where ${where.join(' and ') || '1 = 1'} order by id desc limit ?`,
    [...params, q.limit],
  );
  return rows.map(changeRecordOf);
}

/** A change-log row as the driver returns it, typed. */
export function changeRecordOf(r: Record<string, unknown>): ChangeRecord {
  return {
    id: Number(r.id),
    initiativeId: Number(r.initiative_id),
    workstreamId: Number(r.workstream_id),
    itemId: n(r.item_id),
    kind: String(r.kind),
    fromStatus: (r.from_status ?? null) as ItemStatus | null,
    fromPercent: n(r.from_percent),
    toStatus: (r.to_status ?? null) as ItemStatus | null,
    toPercent: n(r.to_percent),
    version: n(r.version),
    actor: String(r.actor),
    note: r.note === null || r.note === undefined ? null : String(r.note),
    at: new Date(r.at as string | number | Date),
  };
}
