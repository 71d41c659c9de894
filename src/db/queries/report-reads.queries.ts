import type { ReadTime } from '../../domain/replay-items.js';
import type { Em } from '../em.js';
import { transactionStatement } from '../prepared.js';
import { timeParam } from './as-of.queries.js';
import { updateRowOf, type UpdateRow } from './report-records.queries.js';
import { placeholders } from './sql.js';

/*
 * What GraphQL reads of the report model beyond what the report itself loads
 * (report-model.queries.ts, report-records.queries.ts): items' stages, live or as they stood,
 * and an initiative's written updates.
 */

const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

export interface StageOfItem {
  readonly itemId: number;
  readonly stage: string;
  readonly note: string | null;
}

/**
 * The current stage (and note) of these items; an item without a stage has no row. A status
 * write reads it on its hot path: inside a SQLite transaction it runs as a kept statement.
 */
export async function findStagesOfItems(
  em: Em,
  itemIds: readonly number[],
): Promise<StageOfItem[]> {
  const rows = await transactionStatement(
    em,
    `select item_id, stage, note from item_stage where item_id in (${placeholders(itemIds)})`,
    [...itemIds],
    'all',
  );
  return rows.map((r) => ({ itemId: Number(r.item_id), stage: String(r.stage), note: s(r.note) }));
}

/**
 * The stage of these items as they stood at a read time: the last stage change the log knew
 * at `knownAt` that was effective by `asOf` (an item moved to a stage later has none then).
 */
export function findStagesOfItemsAt(
  em: Em,
  itemIds: readonly number[],
  t: ReadTime,
): Promise<StageOfItem[]> {
  return stagesAt(em, 'item_id', itemIds, t);
}

/** Every written update of these initiatives, in posting order (a page is cut from them). */
export async function findUpdatesOfInitiatives(
  em: Em,
  initiativeIds: readonly number[],
): Promise<UpdateRow[]> {
  const rows = await em.execute(
    `select * from written_update where initiative_id in (${placeholders(initiativeIds)})
      order by effective_at, id`,
    [...initiativeIds],
  );
  return rows.map(updateRowOf);
}

/** An item's stage as it stood, with when it entered that stage (effective time). */
export interface StageAt {
  readonly itemId: number;
  readonly initiativeId: number;
  readonly stage: string;
  readonly note: string | null;
  readonly since: Date;
}

/**
 * The stages of these initiatives' items at a read time, from the log: each item's last stage
 * change known at `knownAt` and effective by `asOf`; `since` is when its run of that stage
 * began (a note changed within a stage keeps it). Items never staged by then have none.
 */
export function findItemStagesAt(
  em: Em,
  initiativeIds: readonly number[],
  t: ReadTime,
): Promise<StageAt[]> {
  return stagesAt(em, 'initiative_id', initiativeIds, t);
}

/** The stages at a read time of the items these ids select (by item or by initiative). */
async function stagesAt(
  em: Em,
  by: 'item_id' | 'initiative_id',
  ids: readonly number[],
  t: ReadTime,
): Promise<StageAt[]> {
  if (ids.length === 0) return [];
  const rows = await em.execute(
    `select item_id, initiative_id, data, effective_at from change_log
      where kind = 'ItemStageChanged' and effective_at <= ? and recorded_at <= ?
        and ${by} in (${placeholders(ids)})
      order by effective_at, id`,
    [timeParam(em, t.asOf), timeParam(em, t.knownAt), ...ids],
  );
  const last = new Map<number, StageAt>();
  for (const r of rows) {
    const data = JSON.parse(String(r.data)) as { to: string; stageNote: string | null };
    const itemId = Number(r.item_id);
    const before = last.get(itemId);
    last.set(itemId, {
      itemId,
      initiativeId: Number(r.initiative_id),
      stage: data.to,
      note: data.stageNote ?? null,
      since: before?.stage === data.to ? before.since : new Date(r.effective_at as string | number),
    });
  }
  return [...last.values()];
}
